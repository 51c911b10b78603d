// Deleting a session for good, from its board or from the start page: a
// confirmation says exactly what is lost and offers the full backup first;
// then the session is gone from the server and forgotten on this computer.
import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { serverUrl, createSessionByApi, openBoard, addNoteFromBoard, boardContextOptions } from './helpers.js';

async function expectLossSpelledOut(dialog, title) {
  await expect(dialog).toContainText(`Atelier : « ${title} »`);
  for (const lost of [
    'toutes les notes, y compris celles de la corbeille',
    'toutes les gommettes (les votes)',
    'les thèmes et leurs synthèses',
    "le plan d'action",
    'le compte-rendu et le rejeu de la séance',
    "C'est définitif : personne ne pourra l'annuler.",
    'téléchargez d\'abord la sauvegarde complète (JSON)',
  ]) await expect(dialog).toContainText(lost);
  await expect(dialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
}

async function sessionStatus(request, session) {
  const response = await request.get(serverUrl(`/api/sessions/${session.session_id}`), {
    headers: { Authorization: `Bearer ${session.facilitator_token}` },
  });
  return response.status();
}

// Sessions created on the start page, as a facilitator does: each is remembered here.
async function createOnStartPage(page, title) {
  await page.goto(serverUrl('/'));
  await page.getByLabel('Titre').fill(title);
  await page.getByRole('button', { name: "Créer l'atelier" }).click();
  await expect(page.locator('#title')).toHaveText(title);
  await expect(page.locator('#join-code')).not.toBeEmpty();
  const token = new URL(page.url()).hash.slice(1);
  const sessionId = await page.evaluate(() => JSON.parse(localStorage.getItem('ruche.sessions'))[0].session_id);
  return { facilitator_token: token, session_id: sessionId, title };
}

const remembered = (page) => page.evaluate(() => ({
  sessions: JSON.parse(localStorage.getItem('ruche.sessions') || '[]').map((s) => s.title),
  boardKeys: Object.keys(localStorage).filter((k) => k.startsWith('ruche.board.')),
}));

test('deleting the session from its board, after downloading the backup', async ({ page, browser, request }) => {
  const session = await createSessionByApi(request, { title: 'Atelier à supprimer', private_writing: false });
  await openBoard(page, session);
  await addNoteFromBoard(page, 'Une note qui disparaîtra');
  // A co-host's computer has the board open too.
  const cohost = await browser.newContext(boardContextOptions);
  const cohostBoard = await openBoard(await cohost.newPage(), session);
  expect(await remembered(cohostBoard)).toEqual({ sessions: ['Atelier à supprimer'], boardKeys: [expect.any(String)] });
  // The board remembers its session on this computer.
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('ruche.sessions')).map((s) => s.title)))
    .toEqual(['Atelier à supprimer']);

  await page.getByRole('button', { name: "Supprimer l'atelier…" }).click();
  const dialog = page.getByRole('dialog', { name: 'Supprimer définitivement cet atelier ?' });
  await expect(dialog).toBeVisible();
  await expectLossSpelledOut(dialog, 'Atelier à supprimer');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('button', { name: 'Télécharger la sauvegarde (JSON)' }).click(),
  ]);
  const backup = JSON.parse(await readFile(await download.path(), 'utf8'));
  expect(backup.format).toBe('ruche-session');
  expect(JSON.stringify(backup.state.notes)).toContain('Une note qui disparaîtra');
  expect(download.suggestedFilename()).toMatch(/\.json$/);
  await expect(dialog).toBeVisible();

  await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('#fatal')).toContainText('Cet atelier a été supprimé.');
  await expect(page.locator('#fatal').getByRole('link', { name: "Retour à l'accueil" })).toHaveAttribute('href', '/');
  await expect(page.locator('#world')).toBeHidden();
  expect(await sessionStatus(request, session)).toBe(401);
  expect(await remembered(page)).toEqual({ sessions: [], boardKeys: [] });

  // The co-host's board says so too, and forgets the session on that computer.
  await expect(cohostBoard.locator('#fatal')).toContainText('Cet atelier a été supprimé.');
  await expect(cohostBoard.locator('#world')).toBeHidden();
  expect(await remembered(cohostBoard)).toEqual({ sessions: [], boardKeys: [] });
  await cohost.close();

  await page.locator('#fatal').getByRole('link', { name: "Retour à l'accueil" }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Un tableau de post-it pour vos ateliers');
  await expect(page.locator('#recent')).toBeHidden();
});

test('deleting a session from the start page; cancelling keeps it', async ({ page, request }) => {
  const kept = await createOnStartPage(page, 'Atelier à garder');
  const doomed = await createOnStartPage(page, 'Atelier à supprimer');
  await page.goto(serverUrl('/'));
  const list = page.locator('#recent-list > li');
  await expect(list).toHaveCount(2);
  await expect(list.first()).toContainText('Atelier à supprimer');

  const deleteButton = page.getByRole('button', { name: "Supprimer l'atelier « Atelier à supprimer »" });
  const dialog = page.getByRole('dialog', { name: 'Supprimer définitivement cet atelier ?' });
  await deleteButton.click();
  await expectLossSpelledOut(dialog, 'Atelier à supprimer');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toBeHidden();
  await expect(list).toHaveCount(2);
  expect(await sessionStatus(request, doomed)).toBe(200);

  await deleteButton.click();
  await dialog.getByRole('button', { name: 'Supprimer définitivement' }).click();
  await expect(dialog).toBeHidden();
  const status = page.getByRole('status');
  await expect(status).toHaveText("L'atelier « Atelier à supprimer » a été supprimé, et oublié sur cet appareil.");
  await expect(status).toBeFocused();
  await expect(list).toHaveCount(1);
  await expect(list.first()).toContainText('Atelier à garder');
  expect(await sessionStatus(request, doomed)).toBe(401);
  expect(await sessionStatus(request, kept)).toBe(200);

  // Forgotten for good: not back after a reload, and its board's storage is gone.
  await page.reload();
  await expect(list).toHaveCount(1);
  const boardKeys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ruche.board.')));
  expect(boardKeys).toEqual([`ruche.board.${kept.facilitator_token.slice(0, 12)}`]);
});
