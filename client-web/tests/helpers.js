// Shared steps of the browser tests: create a session, join from a phone,
// write a note. Everything waits on what the user would see, never on time.
import { devices, expect } from '@playwright/test';

export const QUESTION = "Comment lutter contre l'isolement des personnes âgées ?";

// The server started by global-setup.js.
export function serverUrl(path = '/') {
  const base = process.env.RUCHE_URL;
  if (!base) throw new Error('RUCHE_URL is not set: global-setup.js did not run');
  return new URL(path, base).toString();
}

export const boardContextOptions = {
  viewport: { width: 1920, height: 1080 },
  locale: 'fr-FR',
};

export function phoneContextOptions() {
  const { defaultBrowserType, ...pixel } = devices['Pixel 7'];
  return { ...pixel, locale: 'fr-FR' };
}

// Creates a session through the API (fast setup for tests that are not about
// the start page). Returns the server's reply: join_code, facilitator_token, …
export async function createSessionByApi(request, settings = {}) {
  const response = await request.post(serverUrl('/api/sessions'), {
    data: { title: 'Atelier test', question: QUESTION, vote_budget: 2, private_writing: true, ...settings },
  });
  expect(response.status()).toBe(201);
  return response.json();
}

// Opens the board of a session and waits until it is connected.
export async function openBoard(page, session) {
  await page.goto(serverUrl(`/tableau#${session.facilitator_token}`));
  await expect(page.locator('#join-code')).toHaveText(session.join_code);
  return page;
}

// A phone joins through its /j/CODE link and lands on the writing screen.
export async function joinByLink(page, code, { name, profile } = {}) {
  await page.goto(serverUrl(`/j/${code.replace(/-/g, '')}`));
  await fillJoinForm(page, { name, profile });
  return page;
}

export async function fillJoinForm(page, { name, profile } = {}) {
  await expect(page.getByRole('heading', { name: 'Bienvenue !' })).toBeVisible();
  if (name) await page.getByLabel('Votre prénom (facultatif)').fill(name);
  if (profile) await page.getByLabel('Vous êtes… (facultatif)').selectOption({ label: profile });
  await page.getByRole('button', { name: 'Participer' }).click();
  await expect(page.getByRole('heading', { name: 'Écrire une idée' })).toBeVisible();
  // Joined once the server's welcome has arrived and the phase is known.
  await expect(page.locator('#phase-message')).not.toBeEmpty();
}

// Writes one note and waits until the server has acknowledged it (it leaves
// the "waiting to be sent" state and shows in "Mes notes").
export async function writeNote(page, text, { acknowledged = true } = {}) {
  await page.getByLabel('Votre idée').fill(text);
  await page.getByRole('button', { name: 'Ajouter ma note' }).click();
  const mine = page.locator('#my-notes > li', { hasText: text });
  await expect(mine).toHaveCount(1);
  if (acknowledged) await expect(mine.locator('.pending')).toHaveCount(0);
  return mine;
}

// The board's notes (outside and inside themes).
export function boardNotes(page) {
  return page.locator('#world .board-note');
}

// The board note whose text is exactly `text`.
export function boardNote(page, text) {
  return page.locator('#world .board-note', { has: page.getByText(text, { exact: true }) });
}

// The phase buttons read "1. Écriture silencieuse", "2. Révélation", …
// Closing ("6. Clôture") asks for a confirmation first: given here.
export async function setPhase(page, label) {
  const button = page.locator('#phases button', { hasText: label });
  const closing = /Clôture/.test(label) && (await button.getAttribute('aria-pressed')) !== 'true';
  await button.click();
  if (closing) {
    const dialog = page.getByRole('dialog', { name: 'Clore la séance ?' });
    await dialog.getByRole('button', { name: 'Clore la séance' }).click();
    await expect(dialog).toBeHidden();
  }
  await expect(button).toHaveAttribute('aria-pressed', 'true');
}

// A note the facilitator writes on the board for someone without a phone
// ("Ajouter une note pour quelqu'un"); waits until it is on the board.
export async function addNoteFromBoard(page, text, { profile } = {}) {
  await page.getByLabel('Texte de la note').fill(text);
  if (profile) await page.getByLabel('Profil de la personne').selectOption({ label: profile });
  await page.getByRole('button', { name: 'Ajouter la note' }).click();
  await expect(boardNote(page, text)).toHaveCount(1);
  return boardNote(page, text);
}

// Every message of the page's WebSockets, parsed, as they come: { sent, received }.
// Call before the page opens its connection.
export function recordFrames(page) {
  const frames = { sent: [], received: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.sent.push(JSON.parse(String(f.payload))));
    // One frame may hold several messages, one per line (hello "lines").
    ws.on('framereceived', (f) => {
      for (const line of String(f.payload).split('\n')) frames.received.push(JSON.parse(line));
    });
  });
  return frames;
}

// The facilitator's board in its own 1920×1080 context, for tests whose
// `page` is a phone. Close the returned context when done.
export async function openBoardContext(browser, session) {
  const context = await browser.newContext(boardContextOptions);
  const page = await context.newPage();
  await openBoard(page, session);
  return { context, page };
}

// A phone in its own Pixel 7 context, joined by link. Its notes carry no
// position: the server puts each in the next free spot, so layouts are the
// same at every run.
export async function openPhoneContext(browser, session, who = {}) {
  const context = await browser.newContext(phoneContextOptions());
  const page = await context.newPage();
  await joinByLink(page, session.join_code, who);
  return { context, page };
}

// Creates a theme from the controls and waits for its box on the board.
export async function createTheme(page, title) {
  await page.getByLabel('Nouveau thème').fill(title);
  await page.getByRole('button', { name: 'Créer', exact: true }).click();
  await expect(page.locator('.theme-box h3', { hasText: title })).toHaveCount(1);
}

// Opens a board note's menu from the keyboard ("⋯" then Enter), as someone
// without a mouse would.
export async function openNoteMenu(page, text) {
  await boardNote(page, text).getByRole('button', { name: 'Actions sur la note' }).focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('dialog', { name: 'Que faire de cette note ?' });
  await expect(menu).toBeVisible();
  await expect(menu.locator('#menu-note')).toHaveText(text);
  return menu;
}
