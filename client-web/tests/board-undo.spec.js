// Deleting is never final on the board: "Annuler" is offered for 10 s, then
// the bin ("Corbeille") keeps every deleted note and theme with "Restaurer".
// Participants never receive what is in the bin.
import { test, expect } from '@playwright/test';
import {
  createSessionByApi, openBoard, openNoteMenu, boardNote, boardNotes, addNoteFromBoard, createTheme,
  openPhoneContext, recordFrames, setPhase,
} from './helpers.js';

const undoOffer = (page) => page.locator('#undo');

async function deleteNoteFromMenu(page, text) {
  const menu = await openNoteMenu(page, text);
  await menu.getByRole('button', { name: 'Supprimer', exact: true }).click();
  await expect(menu).toBeHidden();
  await expect(boardNote(page, text)).toHaveCount(0);
}

async function putInTheme(page, text, theme) {
  const menu = await openNoteMenu(page, text);
  await menu.locator('#menu-themes').getByRole('button', { name: theme, exact: true }).click();
  await expect(menu).toBeHidden();
  await expect(page.locator('.theme-box', { hasText: theme }).locator('.note-text')).toContainText([text]);
}

test('"Annuler" after deleting a note or a theme brings it back', async ({ page, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  await openBoard(page, session);
  await addNoteFromBoard(page, 'Un minibus pour aller au marché');
  await addNoteFromBoard(page, 'Des visites à domicile');

  // A note: deleted from its menu without "are you sure?", then undone.
  await deleteNoteFromMenu(page, 'Un minibus pour aller au marché');
  await expect(undoOffer(page)).toHaveAttribute('role', 'status');
  await expect(undoOffer(page)).toContainText('Note supprimée : « Un minibus pour aller au marché ». Elle reste dans la corbeille.');
  const undo = undoOffer(page).getByRole('button', { name: 'Annuler' });
  await expect(undo).toBeFocused();
  await undo.click();
  await expect(boardNote(page, 'Un minibus pour aller au marché')).toHaveCount(1);
  await expect(undoOffer(page)).toBeEmpty();
  await expect(page.locator('#bin-summary')).toHaveText('0 élément supprimé');

  // A theme: its notes leave it, and come back into it with the undo.
  await createTheme(page, 'Se déplacer');
  await putInTheme(page, 'Un minibus pour aller au marché', 'Se déplacer');
  await page.getByRole('button', { name: 'Supprimer le thème Se déplacer' }).click();
  await expect(page.locator('.theme-box')).toHaveCount(0);
  await expect(page.locator('#theme-list li')).toHaveCount(0);
  await expect(boardNotes(page)).toHaveCount(2);
  await expect(undoOffer(page)).toContainText('Thème « Se déplacer » supprimé');
  await expect(undoOffer(page).getByRole('button', { name: 'Annuler' })).toBeFocused();
  await page.keyboard.press('Enter');
  const theme = page.locator('.theme-box', { hasText: 'Se déplacer' });
  await expect(theme).toHaveCount(1);
  await expect(theme.locator('.note-text')).toHaveText(['Un minibus pour aller au marché']);
  await expect(page.locator('#theme-list li')).toHaveCount(1);
  await expect(undoOffer(page)).toBeEmpty();
});

test('the offer to undo lasts 10 s, then the focus goes to the bin', async ({ page, request }) => {
  // The page's clock is driven by the test: no waiting 10 real seconds.
  await page.clock.install();
  const session = await createSessionByApi(request, { private_writing: false });
  await openBoard(page, session);
  await addNoteFromBoard(page, 'Un banc devant la pharmacie');
  await deleteNoteFromMenu(page, 'Un banc devant la pharmacie');
  // From here on the page's time (its timers, and its animation frames, which
  // draw the board) moves only when the test says so: a few ms after the
  // delete, whatever this machine's speed.
  const deletedAt = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(deletedAt + 50);
  await expect(undoOffer(page).getByRole('button', { name: 'Annuler' })).toBeFocused();
  await page.clock.runFor(9_000);
  await expect(undoOffer(page).getByRole('button', { name: 'Annuler' })).toBeVisible();
  await page.clock.runFor(1_500);
  await expect(undoOffer(page)).toBeEmpty();
  await expect(page.locator('#bin-summary')).toBeFocused();
  await expect(page.locator('#bin-summary')).toHaveText('1 élément supprimé');
});

test('the bin lists what was deleted, newest first, and restores it; phones never get it', async ({ page, browser, request }) => {
  // The dots show on the board during the vote (not hidden until its end).
  const session = await createSessionByApi(request, { private_writing: false, vote_budget: 3, hidden_votes: false });
  await openBoard(page, session);
  const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
  try {
    await addNoteFromBoard(page, 'Un café des aidants');
    await addNoteFromBoard(page, 'Un annuaire des activités');
    await addNoteFromBoard(page, 'Des visites à domicile');
    await createTheme(page, 'Rendre visite');
    await putInTheme(page, 'Des visites à domicile', 'Rendre visite');

    // Josiane puts a dot on the note that will be deleted: it comes back with it.
    await setPhase(page, '4. Vote');
    await phone.page.getByRole('button', { name: 'Ajouter une gommette à : Un café des aidants', exact: true }).click();
    await expect(boardNote(page, 'Un café des aidants').locator('.votes')).toHaveText('● 1');
    await expect(phone.page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');

    const phoneFrames = recordFrames(phone.page);
    await phone.page.reload();
    await expect(phone.page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');

    await deleteNoteFromMenu(page, 'Un café des aidants');
    await expect(phone.page.locator('#dots-left')).toHaveText('Il vous reste 3 gommettes');
    await page.getByRole('button', { name: 'Supprimer le thème Rendre visite' }).click();
    await expect(page.locator('.theme-box')).toHaveCount(0);
    await deleteNoteFromMenu(page, 'Un annuaire des activités');

    // Closed by default; its summary counts what it holds.
    const bin = page.locator('#bin');
    await expect(bin.locator('#bin-list')).toBeHidden();
    await expect(page.locator('#bin-summary')).toHaveText('3 éléments supprimés');
    await page.locator('#bin-summary').click();
    await expect(bin.locator('#bin-list')).toBeVisible();
    await expect(bin.locator('#bin-list > li')).toHaveText([
      /Un annuaire des activités/,
      /Thème « Rendre visite » \(1 note\)/,
      /Un café des aidants/,
    ]);
    await expect(bin.getByRole('button', { name: /^Restaurer/ })).toHaveCount(3);

    await bin.getByRole('button', { name: 'Restaurer la note : Un café des aidants' }).click();
    await expect(boardNote(page, 'Un café des aidants')).toHaveCount(1);
    await expect(boardNote(page, 'Un café des aidants').locator('.votes')).toHaveText('● 1');
    await expect(phone.page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
    await expect(page.locator('#bin-summary')).toHaveText('2 éléments supprimés');

    await bin.getByRole('button', { name: 'Restaurer le thème : Rendre visite' }).click();
    const theme = page.locator('.theme-box', { hasText: 'Rendre visite' });
    await expect(theme.locator('.note-text')).toHaveText(['Des visites à domicile']);
    await expect(bin.locator('#bin-list > li')).toHaveText([/Un annuaire des activités/]);
    // Back on the board: the café and the visits; the directory stays in the bin.
    await expect(boardNotes(page)).toHaveCount(2);

    // The phone saw the deletions and the restores, never the bin's content.
    const withState = phoneFrames.received.filter((m) => m.state);
    expect(withState.length).toBeGreaterThanOrEqual(3);  // the welcome and the two restores
    for (const m of withState) {
      expect(m.state.deleted_notes).toEqual({});
      expect(m.state.deleted_themes).toEqual({});
    }
    // The restores come with the whole state: the directory, deleted, is not in it.
    const restores = phoneFrames.received.filter((m) => m.type === 'event' && m.op.kind.endsWith('.restore'));
    expect(restores.map((m) => m.op.kind)).toEqual(['note.restore', 'theme.restore']);
    for (const m of restores) expect(JSON.stringify(m.state)).not.toContain('Un annuaire des activités');

    // Once closed, nothing can be restored: the bin says so.
    await setPhase(page, '6. Clôture');
    await expect(bin.getByRole('button', { name: 'Restaurer la note : Un annuaire des activités' })).toBeDisabled();
    await expect(page.locator('#bin-closed')).toBeVisible();
    // Nor can notes be changed: the menu says why and offers nothing.
    const menu = await openNoteMenu(page, 'Un café des aidants');
    await expect(menu).toContainText('La séance est close : choisissez une autre étape pour modifier les notes.');
    await expect(menu.getByLabel('Corriger le texte')).toBeDisabled();
    await expect(menu.getByRole('button', { name: 'Supprimer', exact: true })).toBeDisabled();
    await expect(menu.getByRole('radio', { name: 'Vert' })).toBeDisabled();
  } finally {
    await phone.context.close();
  }
});
