// Accessibility (WCAG 2.2 AA and the French RGAA 4) of every screen, checked
// by axe-core at the project's size: projector 1920×1080 and a Pixel 7 phone.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  serverUrl, createSessionByApi, openBoard, joinByLink, writeNote, setPhase, createTheme,
  openBoardContext, openPhoneContext, boardNote, openNoteMenu,
} from './helpers.js';

// axe-core 4.x tags the RGAA rules 'RGAAv4' (checked in node_modules/axe-core).
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'RGAAv4'];

function describe(violations) {
  return violations.map((v) => [
    `• ${v.id} (${v.impact}): ${v.help}`,
    `  ${v.helpUrl}`,
    ...v.nodes.map((n) => `  - ${n.target.join(' ')}\n    ${n.failureSummary.replace(/\n/g, '\n    ')}`),
  ].join('\n')).join('\n');
}

async function expectNoViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  expect(violations, `accessibility violations on ${what}:\n${describe(violations)}`).toEqual([]);
}

test('start page', async ({ page }) => {
  await page.goto(serverUrl('/'));
  await expect(page.locator('#profiles input')).toHaveCount(6);
  await expectNoViolations(page, 'the start page');
});

test.describe('phone', () => {
  test('join screen', async ({ page, request }) => {
    const session = await createSessionByApi(request);
    await page.goto(serverUrl(`/j/${session.join_code}`));
    await expect(page.getByRole('heading', { name: 'Bienvenue !' })).toBeVisible();
    await expect(page.locator('#profile option')).toHaveCount(7);
    await expectNoViolations(page, 'the phone join screen');
  });

  test('writing screen with notes', async ({ page, request }) => {
    const session = await createSessionByApi(request);
    await joinByLink(page, session.join_code, { name: 'Josiane', profile: 'Habitant·e' });
    await writeNote(page, 'Un café des aidants le samedi matin');
    await writeNote(page, 'Des visites de convivialité à domicile');
    await expectNoViolations(page, 'the phone writing screen');
  });

  test('voting screen', async ({ page, browser, request }) => {
    const session = await createSessionByApi(request);
    await joinByLink(page, session.join_code, { name: 'Josiane' });
    await writeNote(page, 'Un café des aidants le samedi matin');
    const board = await openBoardContext(browser, session);
    try {
      await createTheme(board.page, 'Rendre visite');
      await setPhase(board.page, '4. Vote');
      await expect(page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
      await page.getByRole('button', { name: 'Ajouter une gommette à : Un café des aidants le samedi matin' }).click();
      await expect(page.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
      await expectNoViolations(page, 'the phone voting screen');
    } finally {
      await board.context.close();
    }
  });
});

test.describe('board', () => {
  test('writing phase with the join panel', async ({ page, browser, request }) => {
    const session = await createSessionByApi(request);
    await openBoard(page, session);
    const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
    try {
      await writeNote(phone.page, 'Un café des aidants le samedi matin');
      await expect(page.locator('#private-count')).toHaveText('1 idée écrite en silence');
      await expect(page.locator('#join-panel')).toBeVisible();
      await expect(page.locator('#qr')).toHaveJSProperty('complete', true);
      await expectNoViolations(page, 'the board in the writing phase');
    } finally {
      await phone.context.close();
    }
  });

  test('reveal phase with notes and a theme, then the note menu', async ({ page, browser, request }) => {
    const session = await createSessionByApi(request);
    await openBoard(page, session);
    const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
    try {
      await writeNote(phone.page, 'Un café des aidants le samedi matin');
      await writeNote(phone.page, 'Des visites de convivialité à domicile');
      await setPhase(page, '2. Révélation');
      await createTheme(page, 'Rendre visite');
      const menu = await openNoteMenu(page, 'Des visites de convivialité à domicile');
      await menu.getByRole('button', { name: 'Rendre visite' }).click();
      await expect(menu).toBeHidden();
      await expect(page.locator('.theme-box .note-text')).toHaveText(['Des visites de convivialité à domicile']);
      await expect(boardNote(page, 'Un café des aidants le samedi matin')).toBeVisible();
      await expectNoViolations(page, 'the board in the reveal phase');

      await openNoteMenu(page, 'Un café des aidants le samedi matin');
      await expectNoViolations(page, 'the note menu');
    } finally {
      await phone.context.close();
    }
  });
});
