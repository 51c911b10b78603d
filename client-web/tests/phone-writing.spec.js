// Writing on a small phone: the writing field and its button on the first
// screen, a clear word next to the button once a note is sent (or while it
// waits for the network), and the notes still waiting shown after a reload
// without network. Each test opens its own phone contexts at 360×740 and
// 412×915: they run once, from the phone project.
import { test, expect } from '@playwright/test';
import {
  QUESTION, createSessionByApi, joinByLink, writeNote, phoneContextOptions, openBoardContext, boardNote,
  boardNotes,
} from './helpers.js';
import { openWire } from './wire.js';

const SIZES = [{ width: 360, height: 740 }, { width: 412, height: 915 }];
const BODY_TEXT_PX = 18;

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'one run is enough: it opens its own phone contexts');
});

async function phoneAt(browser, viewport) {
  const context = await browser.newContext({ ...phoneContextOptions(), viewport });
  return { context, page: await context.newPage() };
}

// Entirely on the first screen, the page not scrolled.
async function expectAboveTheFold(page, locator, what) {
  const box = await locator.boundingBox();
  const height = page.viewportSize().height;
  expect(box, `${what} is shown`).not.toBeNull();
  expect(box.y, `${what} starts on the first screen`).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height, `${what} ends on the first screen (${height} px)`).toBeLessThanOrEqual(height);
}

async function fontSize(locator) {
  return locator.evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
}

for (const viewport of SIZES) {
  test(`at ${viewport.width}×${viewport.height}, once joined, the writing field and its button are on the first screen`, async ({ browser, request }) => {
    const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre au centre social' });
    const { context, page } = await phoneAt(browser, viewport);
    try {
      await joinByLink(page, session.join_code, { name: 'Josiane' });
      await expect(page.locator('#session-question')).toHaveText(QUESTION);
      await expect(page.locator('#phase-message')).toHaveText(/Écrivez vos idées/);
      expect(await page.evaluate(() => window.scrollY)).toBe(0);
      const field = page.getByLabel('Votre idée');
      const button = page.getByRole('button', { name: 'Ajouter ma note' });
      await expectAboveTheFold(page, field, 'the writing field');
      await expectAboveTheFold(page, button, 'the "Ajouter ma note" button');
      await expectAboveTheFold(page, page.getByRole('radio', { name: 'Violet' }), 'the last colour');
      // Compact, yet no smaller text than the body's.
      for (const locator of [page.locator('#session-question'), page.locator('#phase-message'), field, button]) {
        expect(await fontSize(locator)).toBeGreaterThanOrEqual(BODY_TEXT_PX);
      }
      // In English too (the texts are a little different).
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('#phase-message')).toHaveText(/Write your ideas/);
      await expectAboveTheFold(page, page.getByLabel('Your idea'), 'the writing field in English');
      await expectAboveTheFold(page, page.getByRole('button', { name: 'Add my note' }), 'the button in English');
    } finally {
      await context.close();
    }
  });
}

test('after "Ajouter ma note", the phone says next to the button whether the note was sent or waits', async ({ browser, request }) => {
  const session = await createSessionByApi(request);
  const { context, page } = await phoneAt(browser, SIZES[0]);
  try {
    await joinByLink(page, session.join_code, { name: 'Josiane' });
    const status = page.locator('#note-status');
    await expect(status).toHaveAttribute('aria-live', 'polite');
    await expect(status).toHaveText('');

    await writeNote(page, 'Un café des aidants le samedi matin');
    await expect(status).toHaveText('Envoyée ✓');
    await expect(status).toBeInViewport();
    // Right by the button, not down in "Mes notes".
    const button = await page.getByRole('button', { name: 'Ajouter ma note' }).boundingBox();
    const said = await status.boundingBox();
    expect(said.y - (button.y + button.height)).toBeLessThan(60);
    // A new note begins: "sent" was about the previous one.
    await page.getByLabel('Votre idée').fill('Un');
    await expect(status).toHaveText('');

    await context.setOffline(true);
    await expect(page.locator('#offline')).toBeVisible();
    await writeNote(page, 'Un minibus pour aller au marché', { acknowledged: false });
    await expect(status).toHaveText("En attente d'envoi");
    await expect(status).toBeInViewport();
    await page.getByRole('button', { name: 'English' }).click();
    await expect(status).toHaveText('Waiting to be sent');

    await context.setOffline(false);
    await expect(status).toHaveText('Sent ✓', { timeout: 20_000 });
    await expect(page.locator('#my-notes .pending')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('after a reload without network, "Mes notes" lists the notes sent and those waiting, which go once back online', async ({ browser, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const board = await openBoardContext(browser, session);
  const { context, page } = await phoneAt(browser, SIZES[0]);
  try {
    await joinByLink(page, session.join_code, { name: 'Odile' });
    await writeNote(page, 'Une note écrite avec le réseau');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

    await context.setOffline(true);
    await expect(page.locator('#offline')).toBeVisible();
    const waiting = ['Un banc devant la pharmacie', 'Un numéro de téléphone pour les courses'];
    for (const text of waiting) await writeNote(page, text, { acknowledged: false });
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Mes notes' })).toBeVisible();
    for (const text of waiting) {
      await expect(page.locator('#my-notes > li', { hasText: text }).locator('.pending')).toHaveText("En attente d'envoi…");
    }
    // The note sent before is still listed, as sent.
    const sent = page.locator('#my-notes > li', { hasText: 'Une note écrite avec le réseau' });
    await expect(sent).toBeVisible();
    await expect(sent.locator('.pending')).toHaveCount(0);
    await expect(page.locator('#my-notes > li')).toHaveText([/^Une note écrite avec le réseau/, /^Un banc/, /^Un numéro/]);
    await expect(page.getByText("Vous n'avez pas encore écrit de note.")).toBeHidden();
    await expect(page.locator('#offline')).toHaveText(/2 notes en attente/);
    await expect(boardNotes(board.page)).toHaveCount(1);

    await context.setOffline(false);
    for (const text of waiting) await expect(boardNote(board.page, text)).toHaveCount(1, { timeout: 20_000 });
    await expect(page.locator('#my-notes .pending')).toHaveCount(0, { timeout: 20_000 });
    await expect(page.locator('#my-notes > li')).toHaveCount(3);
  } finally {
    await context.close();
    await board.context.close();
  }
});

// What arrives while someone corrects their note (another person's note, the
// question changed by the facilitator) leaves the correction being typed as
// it is, and its focus.
test('a correction being typed keeps its text and its focus while the board changes', async ({ browser, request }) => {
  const session = await createSessionByApi(request);
  const { context, page } = await phoneAt(browser, SIZES[0]);
  const wire = await openWire(browser);
  try {
    await joinByLink(page, session.join_code, { name: 'Josiane' });
    await writeNote(page, 'Un banc devant la poste');
    await page.getByRole('button', { name: 'Modifier' }).click();
    const area = page.getByLabel('Modifier la note');
    await expect(area).toBeFocused();
    await area.fill('Un banc devant la poste et un autre');
    const host = await wire.join({ facilitator_token: session.facilitator_token });
    await host.op({ kind: 'settings.set', question: 'Que manque-t-il dans le quartier ?' });
    await expect(page.locator('#session-question')).toHaveText('Que manque-t-il dans le quartier ?');
    await expect(area).toHaveValue('Un banc devant la poste et un autre');
    await expect(area).toBeFocused();
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator('#my-notes > li').first()).toHaveText(/^Un banc devant la poste et un autre/);
  } finally {
    await wire.close();
    await context.close();
  }
});
