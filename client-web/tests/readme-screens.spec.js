// The README's two screenshots, taken on demand (the join code differs at
// every run, so they are not rewritten by the suite):
//   RUCHE_README_SCREENS=1 npx playwright test readme-screens.spec.js --project=projector
// A facilitator's laptop at 1366×768 with ten ideas, six of them in three themes, and a
// phone at 360×740 writing its next idea. They go to client-web/screenshots/.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionByApi, openBoard, joinByLink, writeNote, setPhase, createTheme, openNoteMenu, boardNotes,
} from './helpers.js';
import { IDEAS } from './ideas.js';

const screenshots = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

test.skip(!process.env.RUCHE_README_SCREENS, 'on demand: RUCHE_README_SCREENS=1');

test('the README screenshots', async ({ browser, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'projector', 'one run is enough');
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre', vote_budget: 3 });
  const phoneContext = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'fr-FR',
  });
  const laptopContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  try {
    const phone = await phoneContext.newPage();
    await joinByLink(phone, session.join_code, { name: 'Josiane', profile: 'Habitant·e' });
    for (const idea of IDEAS) await writeNote(phone, idea);
    await phone.getByLabel('Votre idée').fill('Un goûter');
    await phone.evaluate(() => window.scrollTo(0, 0));
    await expect(phone.getByRole('button', { name: 'Ajouter ma note' })).toBeInViewport();
    await phone.screenshot({ path: path.join(screenshots, 'phone.png'), animations: 'disabled', caret: 'hide' });

    const board = await laptopContext.newPage();
    await openBoard(board, session);
    await setPhase(board, '3. Regroupement');
    const groups = {
      'Rendre visite': [IDEAS[1], IDEAS[4]],
      'Se déplacer': [IDEAS[2], IDEAS[5]],
      'Se retrouver': [IDEAS[0], IDEAS[7]],
    };
    for (const [theme, ideas] of Object.entries(groups)) {
      await createTheme(board, theme);
      for (const idea of ideas) {
        const menu = await openNoteMenu(board, idea);
        await menu.getByRole('button', { name: theme, exact: true }).click();
        await expect(menu).toBeHidden();
      }
    }
    await expect(board.locator('.theme-box .board-note')).toHaveCount(6);
    await board.getByRole('button', { name: 'Ranger le tableau' }).click();
    await board.getByRole('button', { name: 'Tout voir' }).click();
    await expect(boardNotes(board)).toHaveCount(IDEAS.length);
    await board.locator('#controls').evaluate((panel) => panel.scrollTo(0, 0));
    await board.screenshot({ path: path.join(screenshots, 'board.png'), animations: 'disabled', caret: 'hide' });
  } finally {
    await phoneContext.close();
    await laptopContext.close();
  }
});
