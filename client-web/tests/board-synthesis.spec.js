// What the facilitator records for the minutes: how many people took part
// without a phone, and each theme's action plan (what, who, when), written
// from the synthesis phase on and still once the session is closed.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoard, createTheme, setPhase, recordFrames } from './helpers.js';

test('people without a phone are counted per offered profile', async ({ page, request }) => {
  const session = await createSessionByApi(request, { profiles: ['habitant', 'agent', 'elu'] });
  const frames = recordFrames(page);
  await openBoard(page, session);
  const group = page.getByRole('group', { name: 'Personnes sans téléphone' });
  await expect(group.getByRole('spinbutton')).toHaveCount(3);
  for (const label of ['Habitant·e', 'Agent·e', 'Élu·e']) await expect(group.getByLabel(label, { exact: true })).toHaveValue('0');
  await expect(group.getByLabel('Association')).toHaveCount(0);

  await group.getByLabel('Habitant·e', { exact: true }).fill('2');
  await group.getByLabel('Élu·e', { exact: true }).fill('1');
  await group.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await expect(group.locator('#attendance-total')).toHaveText('3 personnes sans téléphone au total');
  expect(frames.sent.filter((m) => m.op?.kind === 'attendance.set').map((m) => m.op)).toEqual([
    { kind: 'attendance.set', profile: 'habitant', count: 2 },
    { kind: 'attendance.set', profile: 'elu', count: 1 },
  ]);

  // Kept by the server, shown again after a reload.
  await page.reload();
  await expect(group.getByLabel('Habitant·e', { exact: true })).toHaveValue('2');
  await expect(group.getByLabel('Agent·e', { exact: true })).toHaveValue('0');
  await expect(group.getByLabel('Élu·e', { exact: true })).toHaveValue('1');
  const welcome = frames.received.filter((m) => m.type === 'welcome').at(-1);
  expect(welcome.state.scribe_attendance).toEqual({ habitant: 2, elu: 1 });

  // Back to 0 removes the line; a number out of range is not sent.
  await group.getByLabel('Habitant·e', { exact: true }).fill('0');
  await group.getByRole('button', { name: 'Enregistrer les présences' }).press('Enter');
  await expect(group.locator('#attendance-total')).toHaveText('1 personne sans téléphone au total');
  await group.getByLabel('Agent·e', { exact: true }).fill('-3');
  await group.getByRole('button', { name: 'Enregistrer les présences' }).click();
  await expect(page.locator('#control-error')).toHaveText('Indiquez un nombre entier de 0 à 1000.');
  await expect(group.getByLabel('Agent·e', { exact: true })).toBeFocused();
  expect(frames.sent.filter((m) => m.op?.kind === 'attendance.set')).toHaveLength(3);
});

test('each theme gets an action plan in the synthesis phase: add, correct, delete', async ({ page, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  await openBoard(page, session);
  await createTheme(page, 'Rendre visite');
  await createTheme(page, 'Se déplacer');
  const visit = page.locator('#theme-list li', { has: page.getByLabel('Titre du thème Rendre visite') });
  await expect(visit.getByRole('heading', { name: "Plan d'action : Rendre visite" })).toHaveCount(0);

  await setPhase(page, '5. Synthèse');
  await expect(visit.getByRole('heading', { name: "Plan d'action : Rendre visite" })).toBeVisible();
  const newLine = visit.getByRole('group', { name: 'Nouvelle action' });
  const add = visit.getByRole('button', { name: "Ajouter l'action au thème Rendre visite" });

  // "Quoi" is needed; "Qui" and "Quand" may stay empty.
  await add.click();
  await expect(visit.getByRole('alert')).toHaveText("Écrivez d'abord ce qu'il faut faire (Quoi).");
  await expect(newLine.getByLabel('Quoi')).toBeFocused();

  await newLine.getByLabel('Quoi').fill('Lister les personnes isolées du quartier');
  await newLine.getByLabel('Qui').fill('CCAS');
  await newLine.getByLabel('Quand').fill('fin janvier');
  await add.click();
  const first = visit.getByRole('group', { name: 'Action 1' });
  await expect(first.getByLabel('Quoi')).toHaveValue('Lister les personnes isolées du quartier');
  await expect(first.getByLabel('Qui')).toHaveValue('CCAS');
  await expect(first.getByLabel('Quand')).toHaveValue('fin janvier');
  await expect(visit.getByRole('alert')).toHaveText('');
  await expect(newLine.getByLabel('Quoi')).toHaveValue('');
  await expect(newLine.getByLabel('Quoi')).toBeFocused();

  // A second line, typed with the keyboard only (Enter adds it).
  await newLine.getByLabel('Quoi').fill('Former des bénévoles visiteurs');
  await page.keyboard.press('Enter');
  const second = visit.getByRole('group', { name: 'Action 2' });
  await expect(second.getByLabel('Quoi')).toHaveValue('Former des bénévoles visiteurs');
  await expect(second.getByLabel('Qui')).toHaveValue('');

  // The room sees the plan in the theme's box.
  const box = page.locator('.theme-box', { hasText: 'Rendre visite' });
  await expect(box.getByRole('list', { name: "Plan d'action" }).getByRole('listitem')).toHaveText([
    'Lister les personnes isolées du quartierQui : CCAS · Quand : fin janvier',
    'Former des bénévoles visiteurs',
  ]);
  await expect(page.locator('.theme-box', { hasText: 'Se déplacer' }).locator('.plan-board')).toHaveCount(0);

  // Corrected, then kept across a reload.
  await second.getByLabel('Qui').fill('Association Les Voisins');
  await second.getByLabel('Quand').fill('mars');
  await visit.getByRole('button', { name: "Enregistrer l'action 2" }).click();
  await expect(box.locator('.plan-board li').nth(1)).toHaveText('Former des bénévoles visiteursQui : Association Les Voisins · Quand : mars');
  await page.reload();
  await expect(second.getByLabel('Qui')).toHaveValue('Association Les Voisins');
  await expect(first.getByLabel('Qui')).toHaveValue('CCAS');

  // Deleted: the other line stays and is now the first.
  await visit.getByRole('button', { name: "Supprimer l'action 1" }).click();
  await expect(visit.getByRole('group', { name: /^Action \d$/ })).toHaveCount(1);
  await expect(first.getByLabel('Quoi')).toHaveValue('Former des bénévoles visiteurs');
  await expect(newLine.getByLabel('Quoi')).toBeFocused();

  // Still written once the session is closed (plans are often finished afterwards).
  await setPhase(page, '6. Clôture');
  const travel = page.locator('#theme-list li', { has: page.getByLabel('Titre du thème Se déplacer') });
  // Renaming and deleting themes are refused once closed: not offered.
  await expect(travel.getByRole('button', { name: 'Supprimer le thème Se déplacer' })).toBeDisabled();
  await expect(travel.getByRole('button', { name: 'Renommer' })).toBeDisabled();
  const travelNew = travel.getByRole('group', { name: 'Nouvelle action' });
  await travelNew.getByLabel('Quoi').fill('Un minibus le jour du marché');
  await travelNew.getByLabel('Quand').fill('printemps');
  await travel.getByRole('button', { name: "Ajouter l'action au thème Se déplacer" }).click();
  await expect(travel.getByRole('group', { name: 'Action 1' }).getByLabel('Quoi')).toHaveValue('Un minibus le jour du marché');
  await expect(page.locator('#control-error')).toHaveText('');
});
