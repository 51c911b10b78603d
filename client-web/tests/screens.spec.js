// Screenshots of every screen at the project's size (projector 1920×1080,
// Pixel 7 phone), saved to test-results/screens/<project>-<name>.png for a
// person to look at; each test first checks that the screen shows what it
// is for.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  QUESTION, serverUrl, createSessionByApi, openBoard, joinByLink, writeNote, setPhase, createTheme,
  openBoardContext, openPhoneContext, boardNote, boardNotes, openNoteMenu,
} from './helpers.js';
import { IDEAS as ALL_IDEAS } from './ideas.js';

const screensDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

const IDEAS = ALL_IDEAS.slice(0, 5);
// The server places them in free spots, so the screenshots are the same at
// every run.

async function shoot(page, testInfo, name, { fullPage = false } = {}) {
  const file = path.join(screensDir, `${testInfo.project.name}-${name}.png`);
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

// Nothing wider than the screen: no sideways scrolling on a phone.
async function expectNoSidewaysScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  expect(scroll, 'page width (scrollWidth) fits the viewport').toBeLessThanOrEqual(client);
}

test('start', async ({ page }, testInfo) => {
  await page.goto(serverUrl('/'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Un tableau de post-it pour vos ateliers');
  await expect(page.getByRole('heading', { name: 'Rejoindre un atelier' })).toBeInViewport();
  await expect(page.getByLabel("Code de l'atelier")).toBeInViewport();
  await expect(page.locator('#profiles input')).toHaveCount(6);
  await expect(page.getByRole('button', { name: "Créer l'atelier" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await shoot(page, testInfo, 'start', { fullPage: true });
});

test('phone join', async ({ page, request }, testInfo) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre' });
  await page.goto(serverUrl(`/j/${session.join_code}`));
  await expect(page.locator('#session-title')).toHaveText('Atelier du 25 novembre');
  await expect(page.locator('#session-question')).toHaveText(QUESTION);
  await expect(page.getByRole('heading', { name: 'Bienvenue !' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Participer' })).toBeInViewport();
  await expectNoSidewaysScroll(page);
  await shoot(page, testInfo, 'phone-join', { fullPage: true });
});

test('phone writing with notes', async ({ page, request }, testInfo) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre' });
  await joinByLink(page, session.join_code, { name: 'Josiane', profile: 'Habitant·e' });
  await writeNote(page, IDEAS[0]);
  await page.getByRole('radio', { name: 'Rose' }).check({ force: true });
  await writeNote(page, IDEAS[1]);
  await page.getByLabel('Votre idée').fill('Un goûter');
  await expect(page.locator('#note-counter')).toHaveText('9 / 500 caractères');
  await expect(page.locator('#my-notes > li')).toHaveCount(2);
  await expect(page.locator('#my-notes > li.pink')).toHaveText(new RegExp(IDEAS[1]));
  await expect(page.locator('#phase-message')).toHaveText(/Écrivez vos idées/);
  await expect(page.getByRole('button', { name: 'Ajouter ma note' })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await shoot(page, testInfo, 'phone-writing', { fullPage: true });
});

test('phone voting', async ({ page, browser, request }, testInfo) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre', vote_budget: 3 });
  await joinByLink(page, session.join_code, { name: 'Josiane' });
  for (const idea of IDEAS.slice(0, 3)) await writeNote(page, idea);
  const board = await openBoardContext(browser, session);
  try {
    await setPhase(board.page, '2. Révélation');
    await createTheme(board.page, 'Rendre visite');
    await setPhase(board.page, '4. Vote');
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 3 gommettes');
    await page.getByRole('button', { name: `Ajouter une gommette à : ${IDEAS[2]}` }).click();
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
    await expect(page.locator('#vote-list > li')).toHaveCount(4);
    await expect(page.locator('#vote-list')).toContainText('Thème : Rendre visite');
    await expect(page.getByRole('heading', { name: 'Votez pour les idées' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await shoot(page, testInfo, 'phone-voting', { fullPage: true });
  } finally {
    await board.context.close();
  }
});

// The facilitator may open the board on a phone or a tablet; board.css has a
// narrow layout for it. The drawing area must keep a real share of the screen.
async function expectUsableBoardArea(page) {
  const { area, screen } = await page.evaluate(() => ({
    area: document.getElementById('viewport').getBoundingClientRect().height, screen: window.innerHeight,
  }));
  expect(area, `height of the board area (#viewport) on a ${screen} px high screen`).toBeGreaterThanOrEqual(screen * 0.4);
}


test('board writing with the QR code', async ({ page, browser, request }, testInfo) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre' });
  await openBoard(page, session);
  const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
  try {
    for (const idea of IDEAS.slice(0, 3)) await writeNote(phone.page, idea);
    await expect(page.locator('#private-count')).toHaveText('3 idées écrites en silence');
    await expect(page.locator('#people')).toHaveText('1 participant');
    await expect(page.locator('#qr')).toHaveJSProperty('complete', true);
    await expect(page.locator('#join-code')).toHaveText(session.join_code);
    await expect(page.locator('#join-url')).toHaveText(session.join_url);
    await shoot(page, testInfo, 'board-writing');
    await expectUsableBoardArea(page);
    await expect(page.locator('#join-panel')).toBeInViewport({ ratio: 0.95 });
    await expect(page.locator('#private-count')).toBeInViewport();
  } finally {
    await phone.context.close();
  }
});

async function clusteredBoard(page, browser, request) {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre' });
  await openBoard(page, session);
  const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
  for (const idea of IDEAS) await writeNote(phone.page, idea);
  await setPhase(page, '3. Regroupement');
  await createTheme(page, 'Rendre visite');
  await createTheme(page, 'Se déplacer');
  for (const [idea, theme] of [[IDEAS[1], 'Rendre visite'], [IDEAS[4], 'Rendre visite'], [IDEAS[2], 'Se déplacer']]) {
    const menu = await openNoteMenu(page, idea);
    await menu.getByRole('button', { name: theme, exact: true }).click();
    await expect(menu).toBeHidden();
  }
  await expect(page.locator('.theme-box .board-note')).toHaveCount(3);
  await zoomToFit(page);
  await expect(boardNotes(page)).toHaveCount(5);
  return phone;
}

// After "Tout voir": every note and theme is whole inside the board area
// (#viewport clips what overflows), and none lies under the zoom buttons.
async function expectEverythingFitted(page) {
  const items = page.locator('#world > *');
  expect(await items.count()).toBeGreaterThan(0);
  const area = await page.locator('#viewport').boundingBox();
  const zoom = await page.locator('.zoom').boundingBox();
  for (const item of await items.all()) {
    const b = await item.boundingBox();
    const what = (await item.textContent()).slice(0, 40);
    const inside = b.x >= area.x - 1 && b.y >= area.y - 1
      && b.x + b.width <= area.x + area.width + 1 && b.y + b.height <= area.y + area.height + 1;
    expect(inside, `"${what}" is whole inside the board area`).toBe(true);
    const apart = b.x + b.width <= zoom.x || b.x >= zoom.x + zoom.width
      || b.y + b.height <= zoom.y || b.y >= zoom.y + zoom.height;
    expect(apart, `"${what}" is clear of the zoom buttons`).toBe(true);
  }
}

// "Tout voir" from the keyboard: on the narrow layout the button may be
// covered, and the screenshot is what should show it.
async function zoomToFit(page) {
  await page.getByRole('button', { name: 'Tout voir' }).focus();
  await page.keyboard.press('Enter');
}

test('board clustering with themes and notes', async ({ page, browser, request }, testInfo) => {
  const phone = await clusteredBoard(page, browser, request);
  try {
    await expect(page.locator('#phase-label')).toHaveText('Regroupement');
    await expect(page.locator('.theme-box')).toHaveCount(2);
    await expect(boardNote(page, IDEAS[0]).locator('.note-text')).toBeVisible();
    await expect(page.locator('#controls')).toBeVisible();
    await shoot(page, testInfo, 'board-clustering');
    await expectUsableBoardArea(page);
    await expectEverythingFitted(page);
  } finally {
    await phone.context.close();
  }
});

test('board with the controls hidden', async ({ page, browser, request }, testInfo) => {
  const phone = await clusteredBoard(page, browser, request);
  try {
    await page.getByRole('button', { name: 'Commandes' }).click();
    await expect(page.locator('#controls')).toBeHidden();
    await expect(page.getByRole('button', { name: 'Commandes' })).toHaveAttribute('aria-pressed', 'false');
    await zoomToFit(page);
    await expect(page.locator('#title')).toHaveText('Atelier du 25 novembre');
    await shoot(page, testInfo, 'board-projecting');
    await expectUsableBoardArea(page);
    await expectEverythingFitted(page);
  } finally {
    await phone.context.close();
  }
});
