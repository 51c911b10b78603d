// A whole workshop, as a facilitator and three participants live it: create
// the session, join from phones, write in private, reveal, cluster (pointer
// drag and menu), merge duplicates, vote with a budget, close.
import { test, expect } from '@playwright/test';
import {
  QUESTION, serverUrl, boardContextOptions, phoneContextOptions, fillJoinForm, writeNote,
  boardNotes, boardNote, setPhase,
} from './helpers.js';

// Runs in the projector project only (see playwright.config.js): it opens
// its own board context and three phone contexts.

const NOTES = {
  A: ['Un café des aidants le samedi matin', 'Des visites de convivialité à domicile'],
  B: ['Visites de convivialité à domicile', 'Un minibus pour aller au marché'],
  C: ['Un annuaire des activités du quartier'],
};

// A point inside `locator` that is really on top (not covered by another note
// or by a button), so that a pointer press there lands on the element itself.
async function pressablePoint(locator) {
  return locator.evaluate((node) => {
    const box = node.getBoundingClientRect();
    for (let fy = 0.2; fy < 0.95; fy += 0.15) {
      for (let fx = 0.15; fx < 0.95; fx += 0.1) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * fy;
        const hit = document.elementFromPoint(x, y);
        if (hit && node.contains(hit) && !hit.closest('button')) return { x, y };
      }
    }
    return null;
  });
}

async function center(locator) {
  const box = await locator.boundingBox();
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

// A phone that joins by typing the code on the start page.
async function joinByTypingCode(context, code, who) {
  const page = await context.newPage();
  await page.goto(serverUrl('/'));
  await page.getByLabel("Code de l'atelier").fill(code);
  await page.getByRole('button', { name: 'Rejoindre' }).click();
  await expect(page).toHaveURL(/\/j\/[A-Z0-9]+$/);
  await fillJoinForm(page, who);
  return page;
}

test('a whole workshop: private writing, reveal, clustering, merge, vote, closing', async ({ browser }) => {
  test.setTimeout(120_000);
  const boardContext = await browser.newContext(boardContextOptions);
  const phoneContexts = await Promise.all([1, 2, 3].map(() => browser.newContext(phoneContextOptions())));
  try {
    // ---- the facilitator creates the session on the start page
    const board = await boardContext.newPage();
    await board.goto(serverUrl('/'));
    await board.getByLabel('Titre').fill('Atelier du 25 novembre');
    await board.getByLabel('Question posée').fill(QUESTION);
    await board.getByLabel('Gommettes par personne').fill('2');
    const privateWriting = board.getByLabel(/Écriture silencieuse d'abord/);
    await privateWriting.check();
    await expect(privateWriting).toBeChecked();
    // This room counts the dots live (hidden-votes.spec.js hides them).
    const hiddenVotes = board.getByLabel(/Votes cachés jusqu'à la fin du vote/);
    await expect(hiddenVotes).toBeChecked();
    await hiddenVotes.uncheck();
    await board.getByRole('button', { name: "Créer l'atelier" }).click();
    await expect(board).toHaveURL(/\/tableau#.{16,}$/);
    await expect(board.locator('#title')).toHaveText('Atelier du 25 novembre');
    await expect(board.locator('#question')).toHaveText(QUESTION);
    await expect(board.locator('#phase-label')).toHaveText('Écriture silencieuse');
    await expect(board.locator('#join-code')).toHaveText(/^[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
    const code = await board.locator('#join-code').textContent();
    const joinUrl = await board.locator('#join-url').textContent();
    expect(joinUrl).toBe(serverUrl(`/j/${code.replace(/-/g, '')}`));
    await expect(board.locator('#people')).toHaveText('0 participant');

    // ---- three phones join: two type the code, one follows the /j/CODE link
    const [ctxA, ctxB, ctxC] = phoneContexts;
    const phoneA = await joinByTypingCode(ctxA, code, { name: 'Josiane', profile: 'Habitant·e' });

    // Everything phone B receives, to prove the server never sends it A's notes.
    const phoneB = await ctxB.newPage();
    const framesB = [];
    phoneB.on('websocket', (ws) => ws.on('framereceived', (f) => framesB.push(String(f.payload))));
    await phoneB.goto(joinUrl);
    await expect(phoneB.locator('#session-title')).toHaveText('Atelier du 25 novembre');
    await expect(phoneB.locator('#session-question')).toHaveText(QUESTION);
    await fillJoinForm(phoneB, { name: 'Marc', profile: 'Association' });

    // Typed the way people type it: lower case, with spaces.
    const phoneC = await joinByTypingCode(ctxC, code.toLowerCase().replace(/-/g, ' '), { name: 'Léa', profile: 'Élu·e' });
    await expect(board.locator('#people')).toHaveText('3 participants');

    for (const phone of [phoneA, phoneB, phoneC]) {
      await expect(phone.locator('#phase-message')).toHaveText(/Elles restent privées/);
    }

    // ---- private writing
    for (const [phone, texts] of [[phoneA, NOTES.A], [phoneB, NOTES.B], [phoneC, NOTES.C]]) {
      for (const text of texts) await writeNote(phone, text);
    }
    await expect(phoneA.locator('#my-notes > li')).toHaveCount(2);
    await expect(phoneB.locator('#my-notes > li')).toHaveCount(2);
    await expect(phoneC.locator('#my-notes > li')).toHaveCount(1);

    await expect(board.locator('#private-count')).toHaveText('5 idées écrites en silence');
    await expect(board.locator('#private-count')).toBeVisible();
    await expect(boardNotes(board)).toHaveCount(5);
    await expect(board.locator('#world .board-note.private')).toHaveCount(5);
    await expect(board.locator('#world .note-text')).toHaveCount(0);
    for (const text of [...NOTES.A, ...NOTES.B, ...NOTES.C]) {
      await expect(board.getByText(text, { exact: true })).toHaveCount(0);
    }

    // Phone B sees its own notes, never A's: not on screen, not on the wire.
    await expect(phoneB.getByText(NOTES.A[0])).toHaveCount(0);
    await expect(phoneB.getByText(NOTES.A[1], { exact: true })).toHaveCount(0);
    await expect(phoneB.getByText(NOTES.C[0])).toHaveCount(0);
    expect(framesB.length).toBeGreaterThan(0);
    expect(framesB.some((f) => f.includes(NOTES.B[0]))).toBe(true);
    expect(framesB.filter((f) => f.includes(NOTES.A[0]) || f.includes(NOTES.C[0]))).toEqual([]);

    // ---- reveal
    await setPhase(board, '2. Révélation');
    await expect(board.locator('#phase-label')).toHaveText('Révélation');
    await expect(board.locator('#private-count')).toBeHidden();
    await expect(board.locator('#world .board-note.private')).toHaveCount(0);
    await expect(boardNotes(board)).toHaveCount(5);
    for (const text of [...NOTES.A, ...NOTES.B, ...NOTES.C]) {
      await expect(boardNote(board, text)).toHaveCount(1);
      await expect(boardNote(board, text).locator('.note-text')).toBeVisible();
    }
    await expect(phoneB.locator('#phase-message')).toHaveText(/Les idées sont affichées au tableau/);

    // ---- clustering: two themes
    await setPhase(board, '3. Regroupement');
    // Everyone has joined: the QR panel has shrunk to a badge by itself.
    await expect(board.locator('#join-panel')).toBeHidden();
    for (const title of ['Rendre visite', 'Se déplacer']) {
      await board.getByLabel('Nouveau thème').fill(title);
      await board.getByRole('button', { name: 'Créer', exact: true }).click();
      await expect(board.locator('.theme-box h3', { hasText: title })).toHaveCount(1);
    }
    await expect(board.locator('#theme-list li')).toHaveCount(2);
    await board.getByRole('button', { name: 'Tout voir' }).click();
    const themeVisit = board.locator('.theme-box', { has: board.locator('h3', { hasText: 'Rendre visite' }) });
    const themeTravel = board.locator('.theme-box', { has: board.locator('h3', { hasText: 'Se déplacer' }) });
    await expect(themeVisit).toBeInViewport();
    await expect(themeTravel).toBeInViewport();

    // A real pointer drag of a note onto the "Rendre visite" box.
    const dragged = boardNote(board, NOTES.A[1]);
    const from = await pressablePoint(dragged);
    expect(from, 'a visible spot of the note to grab').not.toBeNull();
    const to = await center(themeVisit);
    await board.mouse.move(from.x, from.y);
    await board.mouse.down();
    await board.mouse.move(from.x + 10, from.y + 5, { steps: 2 });
    await expect(dragged).toHaveClass(/dragging/);
    await board.mouse.move(to.x, to.y, { steps: 20 });
    await expect(themeVisit).toHaveClass(/drop-target/);
    await board.mouse.up();
    await expect(themeVisit.locator('.board-note')).toHaveCount(1);
    await expect(themeVisit.locator('.note-text')).toHaveText(NOTES.A[1]);
    await expect(themeVisit).not.toHaveClass(/drop-target/);

    // With the keyboard: the note's "⋯" button, "Déplacer vers…", the theme.
    const menu = board.getByRole('dialog', { name: 'Que faire de cette note ?' });
    await boardNote(board, NOTES.B[1]).getByRole('button', { name: 'Actions sur la note' }).focus();
    await board.keyboard.press('Enter');
    await expect(menu).toBeVisible();
    await expect(menu.locator('#menu-note')).toHaveText(NOTES.B[1]);
    await expect(menu.getByRole('heading', { name: 'Déplacer vers…' })).toBeVisible();
    await menu.locator('#menu-themes').getByRole('button', { name: 'Se déplacer' }).focus();
    await board.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expect(themeTravel.locator('.note-text')).toHaveText([NOTES.B[1]]);
    await expect(themeVisit.locator('.note-text')).toHaveText([NOTES.A[1]]);
    await expect(boardNotes(board)).toHaveCount(5);

    // Merge B's duplicate into A's note (the one already in "Rendre visite").
    await boardNote(board, NOTES.B[0]).getByRole('button', { name: 'Actions sur la note' }).click();
    await expect(menu).toBeVisible();
    await expect(menu.getByRole('heading', { name: 'Fusionner avec une note identique…' })).toBeVisible();
    await menu.getByRole('combobox').selectOption({ label: NOTES.A[1] });
    await menu.getByRole('button', { name: 'Fusionner', exact: true }).click();
    await expect(menu).toBeHidden();
    await expect(boardNotes(board)).toHaveCount(4);
    await expect(boardNote(board, NOTES.B[0])).toHaveCount(0);
    await expect(boardNote(board, NOTES.A[1])).toContainText('écrite 2 fois');
    await expect(board.getByText('écrite 2 fois')).toHaveCount(1);
    await expect(themeVisit.locator('.board-note')).toHaveCount(1);

    // ---- voting: 2 dots each
    await setPhase(board, '4. Vote');
    for (const phone of [phoneA, phoneB, phoneC]) {
      await expect(phone.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
      // Two themes and the four notes left after the merge.
      await expect(phone.locator('#vote-list > li')).toHaveCount(6);
    }
    const plus = (phone, label) => phone.getByRole('button', { name: `Ajouter une gommette à : ${label}`, exact: true });
    const minus = (phone, label) => phone.getByRole('button', { name: `Retirer une gommette de : ${label}`, exact: true });

    await plus(phoneA, 'Thème : Rendre visite').click();
    await expect(phoneA.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
    await plus(phoneA, NOTES.B[1]).click();
    await expect(phoneA.locator('#dots-left')).toHaveText('Il vous reste 0 gommette');
    // Budget spent: every "+" is disabled, and "−" only where A voted.
    const plusButtons = phoneA.getByRole('button', { name: /^Ajouter une gommette/ });
    await expect(plusButtons).toHaveCount(6);
    for (const button of await plusButtons.all()) await expect(button).toBeDisabled();
    await expect(minus(phoneA, 'Thème : Rendre visite')).toBeEnabled();
    await expect(minus(phoneA, NOTES.A[0])).toBeDisabled();

    await plus(phoneB, NOTES.A[0]).click();
    await expect(phoneB.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
    await plus(phoneB, NOTES.A[0]).click();
    await expect(phoneB.locator('#dots-left')).toHaveText('Il vous reste 0 gommette');
    await expect(plus(phoneB, NOTES.A[0])).toBeDisabled();
    await expect(phoneB.getByRole('listitem').filter({ hasText: NOTES.A[0] }).locator('output')).toHaveText('2');

    await plus(phoneC, NOTES.B[1]).click();
    await expect(phoneC.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
    await expect(plus(phoneC, NOTES.C[0])).toBeEnabled();

    // The board counts the dots on notes and themes.
    await expect(themeVisit.locator('h3 .votes')).toHaveText('● 1');
    await expect(themeTravel.locator('h3 .votes')).toHaveCount(0);
    await expect(boardNote(board, NOTES.B[1]).locator('.votes')).toHaveText('● 2');
    await expect(boardNote(board, NOTES.A[0]).locator('.votes')).toHaveText('● 2');
    await expect(boardNote(board, NOTES.A[0]).locator('.votes')).toHaveAttribute('aria-label', '2 gommettes');
    await expect(boardNote(board, NOTES.A[1]).locator('.votes')).toHaveCount(0);
    await expect(boardNote(board, NOTES.C[0]).locator('.votes')).toHaveCount(0);

    // A takes a dot back and places it elsewhere.
    await minus(phoneA, 'Thème : Rendre visite').click();
    await expect(phoneA.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
    await expect(themeVisit.locator('h3 .votes')).toHaveCount(0);
    await plus(phoneA, NOTES.C[0]).click();
    await expect(boardNote(board, NOTES.C[0]).locator('.votes')).toHaveText('● 1');
    await expect(phoneA.locator('#dots-left')).toHaveText('Il vous reste 0 gommette');

    // ---- closing
    await setPhase(board, '6. Clôture');
    await expect(board.locator('#phase-label')).toHaveText('Clôture');
    for (const phone of [phoneA, phoneB, phoneC]) {
      await expect(phone.locator('#phase-message')).toContainText('La séance est terminée');
      await expect(phone.locator('#write')).toBeHidden();
      await expect(phone.locator('#vote')).toBeHidden();
    }
    // The board keeps what was decided.
    await expect(boardNotes(board)).toHaveCount(4);
    await expect(themeVisit.locator('.board-note')).toHaveCount(1);
    await expect(themeTravel.locator('.board-note')).toHaveCount(1);
    // Once the vote is over the best show their place.
    await expect(boardNote(board, NOTES.B[1]).locator('.votes')).toHaveText(/^● 2 · n° [12]$/);
    await expect(board.locator('#people')).toHaveText('3 participants');
  } finally {
    await Promise.all([boardContext, ...phoneContexts].map((c) => c.close()));
  }
});
