// The facilitator's notes on the board: written for someone without a phone
// (the server places them, never on top of another), then corrected and
// recoloured from the note's "⋯" menu.
import { test, expect } from '@playwright/test';
import {
  createSessionByApi, openBoard, openNoteMenu, boardNote, boardNotes, addNoteFromBoard, recordFrames,
} from './helpers.js';

const opsSent = (frames, kind) => frames.sent.filter((m) => m.type === 'op' && m.op.kind === kind).map((m) => m.op);

test('notes written on the board are placed by the server, side by side', async ({ page, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const frames = recordFrames(page);
  await openBoard(page, session);
  const texts = ['Un minibus pour aller au marché', 'Un café des aidants le samedi matin', 'Appeler les personnes seules'];
  for (const text of texts) await addNoteFromBoard(page, text, { profile: 'Habitant·e' });

  // No position asked for: the server chooses one.
  const added = opsSent(frames, 'note.add');
  expect(added).toHaveLength(3);
  for (const op of added) {
    expect(op).not.toHaveProperty('x');
    expect(op).not.toHaveProperty('y');
    expect(op.profile).toBe('habitant');
  }
  // The first free cells of the grid, left to right, and no two notes overlap.
  const lefts = await boardNotes(page).evaluateAll((nodes) => nodes.map((n) => [n.style.left, n.style.top]));
  expect(lefts).toEqual([['0px', '0px'], ['300px', '0px'], ['600px', '0px']]);
  const boxes = await Promise.all(texts.map((text) => boardNote(page, text).boundingBox()));
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const [a, b] = [boxes[i], boxes[j]];
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `"${texts[i]}" and "${texts[j]}" do not overlap`).toBe(true);
    }
  }
});

test('the note menu corrects a typo and changes the colour', async ({ page, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const frames = recordFrames(page);
  await openBoard(page, session);
  await addNoteFromBoard(page, 'Un cafe des aidnats le samedi', { profile: 'Élu·e' });
  await expect(boardNote(page, 'Un cafe des aidnats le samedi')).toHaveClass(/yellow/);

  // The text, corrected.
  let menu = await openNoteMenu(page, 'Un cafe des aidnats le samedi');
  const text = menu.getByLabel('Corriger le texte');
  await expect(text).toHaveValue('Un cafe des aidnats le samedi');
  await text.fill('Un café des aidants\nle samedi');
  await menu.getByRole('button', { name: 'Enregistrer le texte' }).click();
  await expect(menu).toBeHidden();
  await expect(boardNote(page, 'Un café des aidants\nle samedi')).toHaveCount(1);
  await expect(boardNotes(page)).toHaveCount(1);
  await expect(page.locator('#world').getByText('Un cafe des aidnats le samedi')).toHaveCount(0);
  expect(opsSent(frames, 'note.edit')).toEqual([
    { kind: 'note.edit', note: expect.any(String), text: 'Un café des aidants\nle samedi' },
  ]);

  // An empty text is not sent: the menu says why and stays open.
  menu = await openNoteMenu(page, 'Un café des aidants\nle samedi');
  await menu.getByLabel('Corriger le texte').fill('  ');
  await menu.getByRole('button', { name: 'Enregistrer le texte' }).click();
  await expect(menu.getByRole('alert')).toHaveText('Le texte de la note ne peut pas être vide.');
  await expect(menu).toBeVisible();
  expect(opsSent(frames, 'note.edit')).toHaveLength(1);

  // The colour, from the swatches (a radio group, keyboard or pointer).
  const colours = menu.getByRole('group', { name: 'Couleur' });
  await expect(colours.getByRole('radio')).toHaveCount(6);
  await expect(colours.getByRole('radio', { name: 'Jaune' })).toBeChecked();
  await colours.getByRole('radio', { name: 'Vert' }).check({ force: true });
  await expect(boardNote(page, 'Un café des aidants\nle samedi')).toHaveClass(/green/);
  await expect(menu.locator('#menu-note')).toHaveClass(/green/);
  await menu.getByRole('button', { name: 'Fermer' }).click();
  await expect(menu).toBeHidden();
  expect(opsSent(frames, 'note.color').map((op) => op.color)).toEqual(['green']);

  // Both changes are in the server's state, not just on this screen.
  await page.reload();
  await expect(boardNote(page, 'Un café des aidants\nle samedi')).toHaveClass(/green/);
});
