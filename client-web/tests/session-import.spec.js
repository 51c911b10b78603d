// Resuming a session from its full backup (the JSON export) on the start
// page: a new session with the same content opens on its board; a file that
// is not a backup gets a plain French explanation.
import { test, expect } from '@playwright/test';
import { writeFile, truncate } from 'node:fs/promises';
import { serverUrl, createSessionByApi, openBoard, addNoteFromBoard, createTheme, boardNote } from './helpers.js';

async function exportOf(request, session) {
  const response = await request.get(serverUrl(`/api/sessions/${session.session_id}/minutes.json`), {
    headers: { Authorization: `Bearer ${session.facilitator_token}` },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

async function importFile(page, name, content) {
  await page.getByLabel('Fichier de sauvegarde (.json)').setInputFiles({
    name, mimeType: 'application/json', buffer: Buffer.from(content),
  });
  await page.getByRole('button', { name: "Importer l'atelier" }).click();
}

test('importing a backup opens a new session with the same content', async ({ page, request }) => {
  const original = await createSessionByApi(request, { title: 'Atelier du 25 novembre', private_writing: false });
  await openBoard(page, original);
  await addNoteFromBoard(page, 'Un minibus pour aller au marché');
  await createTheme(page, 'Se déplacer');
  const backup = await exportOf(request, original);

  await page.goto(serverUrl('/'));
  await importFile(page, 'atelier-compte-rendu.json', JSON.stringify(backup));
  await expect(page).toHaveURL(/\/tableau#[A-Za-z0-9_-]{32}$/);
  const token = new URL(page.url()).hash.slice(1);
  expect(token).not.toBe(original.facilitator_token);
  await expect(page.locator('#title')).toHaveText('Atelier du 25 novembre');
  await expect(page.locator('#join-code')).toHaveText(/^[A-Z0-9]{3}-[A-Z0-9]{3}-[A-Z0-9]{3}$/);
  await expect(page.locator('#join-code')).not.toHaveText(original.join_code);
  await expect(boardNote(page, 'Un minibus pour aller au marché')).toHaveCount(1);
  await expect(page.locator('.theme-box h3', { hasText: 'Se déplacer' })).toHaveCount(1);

  // Remembered on this computer, like a session created here.
  await page.goto(serverUrl('/'));
  await expect(page.locator('#recent-list > li').first()).toContainText('Atelier du 25 novembre');
  await expect(page.locator('#recent-list > li').first().getByRole('link')).toHaveAttribute('href', `/tableau#${token}`);
});

test('a file that is not a backup is refused with a clear message', async ({ page, request }, testInfo) => {
  const original = await createSessionByApi(request, { title: 'Atelier à abîmer' });
  const backup = await exportOf(request, original);
  await page.goto(serverUrl('/'));
  const error = page.locator('#import-error');

  await page.getByRole('button', { name: "Importer l'atelier" }).click();
  await expect(error).toHaveText("Choisissez d'abord le fichier de sauvegarde.");

  await importFile(page, 'notes.json', 'ceci n’est pas du JSON');
  await expect(error).toHaveText("Ce fichier n'est pas une sauvegarde de Ruche : son contenu n'est pas du JSON.");

  // Changed by hand after the download: the log no longer gives the state.
  const edited = structuredClone(backup);
  edited.state.settings.title = 'Titre changé à la main';
  await importFile(page, 'sauvegarde.json', JSON.stringify(edited));
  await expect(error).toHaveText("Ce fichier n'est pas une sauvegarde complète de Ruche, ou il a été modifié ou abîmé depuis son téléchargement.");

  await importFile(page, 'sauvegarde.json', JSON.stringify({ ...backup, version: 99 }));
  await expect(error).toHaveText("Cette sauvegarde vient d'une autre version de Ruche, que ce serveur ne sait pas lire.");

  // Over the server's 32 MiB: refused before a long upload on a weak Wi-Fi.
  // A file on disk (a buffer that big takes long to hand to the browser).
  const huge = testInfo.outputPath('enorme.json');
  await writeFile(huge, '');
  await truncate(huge, 32 * 1024 * 1024 + 1);
  await page.getByLabel('Fichier de sauvegarde (.json)').setInputFiles(huge);
  await page.getByRole('button', { name: "Importer l'atelier" }).click();
  await expect(error).toHaveText('Ce fichier est trop gros : une sauvegarde fait au plus 32 Mo.');

  await expect(page).toHaveURL(serverUrl('/'));
  await expect(page.getByLabel('Fichier de sauvegarde (.json)')).toBeFocused();
});
