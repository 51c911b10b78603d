// Closing the session freezes the board for everyone, so the board asks
// first and says what it means; closing also stops the timer.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoard, openPhoneContext, writeNote, recordFrames } from './helpers.js';

test('closing asks for a confirmation that says what it means, and stops the timer', async ({ page, browser, request }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const frames = recordFrames(page);
  await openBoard(page, session);
  const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
  try {
    await writeNote(phone.page, 'Un café des aidants');
    await page.getByLabel('Minuteur (minutes)').fill('5');
    await page.getByRole('button', { name: 'Lancer' }).click();
    await expect(page.locator('#timer')).toBeVisible();
    await expect(page.locator('#timer')).toHaveText(/^⏱ [45]:\d\d$/);

    const closeButton = page.locator('#phases button', { hasText: '6. Clôture' });
    const dialog = page.getByRole('dialog', { name: 'Clore la séance ?' });

    // Changing one's mind changes nothing.
    await closeButton.click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('plus personne ne peut écrire, corriger, déplacer ni supprimer de note');
    await expect(dialog).toContainText('plus personne ne peut voter');
    await expect(dialog).toContainText("le minuteur s'arrête");
    await expect(dialog).toContainText('Pour rouvrir la séance, choisissez une autre étape.');
    await expect(dialog.getByRole('button', { name: 'Annuler' })).toBeFocused();
    await dialog.getByRole('button', { name: 'Annuler' }).click();
    await expect(dialog).toBeHidden();
    await closeButton.click();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.locator('#phase-label')).toHaveText('Révélation');
    await expect(closeButton).toHaveAttribute('aria-pressed', 'false');
    await expect(page.locator('#timer')).toBeVisible();
    expect(frames.sent.filter((m) => m.op?.kind === 'phase.set')).toEqual([]);

    // Confirmed: closed for everyone, and no timer any more.
    await closeButton.click();
    await dialog.getByRole('button', { name: 'Clore la séance' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('#phase-label')).toHaveText('Clôture');
    await expect(closeButton).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('#timer')).toBeHidden();
    await expect(phone.page.locator('#phase-message')).toContainText('La séance est terminée');
    await expect(closeButton).toBeFocused();

    // The server stopped the timer (it is not just hidden here).
    await page.reload();
    await expect(page.locator('#phase-label')).toHaveText('Clôture');
    const welcome = frames.received.filter((m) => m.type === 'welcome').at(-1);
    expect(welcome.state.phase).toBe('closed');
    expect(welcome.state.timer).toBeNull();
    await expect(page.locator('#timer')).toBeHidden();

    // Reopening needs no confirmation.
    await page.locator('#phases button', { hasText: '5. Synthèse' }).click();
    await expect(page.locator('#phase-label')).toHaveText('Synthèse');
    await expect(dialog).toBeHidden();
  } finally {
    await phone.context.close();
  }
});
