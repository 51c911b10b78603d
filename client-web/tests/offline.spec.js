// A phone loses the network, keeps writing, and every note reaches the board
// exactly once when the network comes back (same op ids, server dedup).
// Runs in the projector project only (see playwright.config.js).
import { test, expect } from '@playwright/test';
import {
  createSessionByApi, openBoard, joinByLink, writeNote, boardNotes, boardNote, phoneContextOptions,
  setPhase,
} from './helpers.js';

const OFFLINE_NOTES = ['Un banc devant la pharmacie', 'Un numéro de téléphone pour les courses'];

async function setup(browser, page, request) {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire' });
  await openBoard(page, session);
  // Reveal first, so that the board shows the texts as they arrive.
  await setPhase(page, '2. Révélation');
  const phoneContext = await browser.newContext(phoneContextOptions());
  const phone = await phoneContext.newPage();
  await joinByLink(phone, session.join_code, { name: 'Odile' });
  await expect(page.locator('#people')).toHaveText('1 participant');
  await writeNote(phone, 'Une note écrite avec le réseau');
  await expect(boardNote(page, 'Une note écrite avec le réseau')).toHaveCount(1);
  return { session, phoneContext, phone };
}

async function goOffline(phoneContext, phone) {
  await phoneContext.setOffline(true);
  await expect(phone.locator('#offline')).toBeVisible();
  await expect(phone.locator('#offline')).toHaveText(/Hors connexion/);
}

async function writeOffline(phone) {
  for (const text of OFFLINE_NOTES) {
    const note = await writeNote(phone, text, { acknowledged: false });
    await expect(note.locator('.pending')).toHaveText("En attente d'envoi…");
  }
  await expect(phone.locator('#my-notes .pending')).toHaveCount(2);
  await expect(phone.locator('#offline')).toHaveText(/2 notes en attente/);
}

async function expectEachOnce(page, phone) {
  await expect(phone.locator('#offline')).toBeHidden({ timeout: 20_000 });
  await expect(phone.locator('#my-notes .pending')).toHaveCount(0, { timeout: 20_000 });
  for (const text of OFFLINE_NOTES) {
    await expect(boardNote(page, text)).toHaveCount(1);
    await expect(phone.locator('#my-notes > li', { hasText: text })).toHaveCount(1);
  }
  await expect(boardNotes(page)).toHaveCount(3);
  await expect(phone.locator('#my-notes > li')).toHaveCount(3);
}

test('notes written offline are sent once the network is back, each exactly once', async ({ browser, page, request }) => {
  const { phoneContext, phone } = await setup(browser, page, request);
  try {
    await goOffline(phoneContext, phone);
    await writeOffline(phone);
    // Nothing has reached the board.
    await expect(boardNotes(page)).toHaveCount(1);
    await phoneContext.setOffline(false);
    await expectEachOnce(page, phone);
    // Still exactly once after a while (no late duplicate from a second send).
    await phone.reload();
    await expect(phone.locator('#my-notes > li')).toHaveCount(3);
    await expect(boardNotes(page)).toHaveCount(3);
  } finally {
    await phoneContext.close();
  }
});

test('notes still queued when the page is reloaded are sent after the reload', async ({ browser, page, request }) => {
  const { phoneContext, phone } = await setup(browser, page, request);
  // Back on the network but the server out of reach (say, a captive Wi-Fi):
  // connections to /ws are refused until `reachable` turns true.
  let reachable = true;
  await phoneContext.routeWebSocket(/\/ws$/, (ws) => {
    if (reachable) ws.connectToServer();
    else ws.close({ code: 1011, reason: 'unreachable' });
  });
  try {
    await goOffline(phoneContext, phone);
    await writeOffline(phone);
    reachable = false;
    await phoneContext.setOffline(false);
    await expect(phone.locator('#offline')).toHaveText(/2 notes en attente/);
    // The outbox lives in localStorage: a reload keeps it.
    await phone.reload();
    await expect(phone.locator('#my-notes .pending')).toHaveCount(2);
    await expect(phone.locator('#offline')).toHaveText(/2 notes en attente/);
    await expect(boardNotes(page)).toHaveCount(1);
    reachable = true;
    await expectEachOnce(page, phone);
  } finally {
    await phoneContext.close();
  }
});

test('the phone page opens again without network, and what is written then is sent later', async ({ browser, page, request }) => {
  const { phoneContext, phone } = await setup(browser, page, request);
  try {
    // The page's files are kept by its service worker once it controls the page.
    await phone.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => phone.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await phoneContext.setOffline(true);
    await phone.reload();
    await expect(phone.getByRole('heading', { name: 'Écrire une idée' })).toBeVisible();
    await expect(phone.locator('#offline')).toBeVisible();
    const note = await writeNote(phone, 'Écrite sans réseau après un rechargement', { acknowledged: false });
    await expect(note.locator('.pending')).toHaveText("En attente d'envoi…");
    await expect(boardNotes(page)).toHaveCount(1);
    await phoneContext.setOffline(false);
    await expect(boardNote(page, 'Écrite sans réseau après un rechargement')).toHaveCount(1, { timeout: 20_000 });
    await expect(phone.locator('#my-notes .pending')).toHaveCount(0, { timeout: 20_000 });
    await expect(boardNotes(page)).toHaveCount(2);
  } finally {
    await phoneContext.close();
  }
});

test('a phone told "too many people joining" joins by itself a moment later', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Atelier plénier' });
  await openBoard(page, session);
  const phoneContext = await browser.newContext(phoneContextOptions());
  // Hellos are answered as a server does when a whole room scans the QR code
  // at once, until the test has seen the phone say so; then they reach the
  // real server.
  let refused = 0;
  let letIn = false;
  await phoneContext.routeWebSocket(/\/ws$/, (ws) => {
    if (letIn) {
      ws.connectToServer();
      return;
    }
    ws.onMessage((message) => {
      if (JSON.parse(message).type !== 'hello') return;
      refused += 1;
      ws.send(JSON.stringify({ type: 'error', code: 'too_many_joins', message: 'many people are joining this session at once, try again in a few seconds' }));
    });
  });
  try {
    const phone = await phoneContext.newPage();
    await phone.goto(`/j/${session.join_code.replace(/-/g, '')}`);
    await phone.getByLabel('Votre prénom (facultatif)').fill('Odile');
    await phone.getByRole('button', { name: 'Participer' }).click();
    await expect(phone.locator('#note-error')).toHaveText(/Beaucoup de monde rejoint/);
    letIn = true;
    // It tries again by itself, with its backoff (0.5 s, 1 s, 2 s…).
    await expect(page.locator('#people')).toHaveText('1 participant', { timeout: 20_000 });
    expect(refused).toBeGreaterThanOrEqual(1);
    // Once in, the message goes and the phone works as usual.
    await expect(phone.locator('#note-error')).toHaveText('');
    // Acknowledged by the server (writing is private: the board shows it at reveal).
    await writeNote(phone, 'Une note après la cohue');
  } finally {
    await phoneContext.close();
  }
});
