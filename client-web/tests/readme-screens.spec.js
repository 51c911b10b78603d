// The README's screenshots, taken on demand (the join code differs at
// every run, so they are not rewritten by the suite):
//   RUCHE_README_SCREENS=1 npx playwright test readme-screens.spec.js --project=projector
// A facilitator's laptop at 1366×768 with ten ideas, six of them in three themes, and a
// phone at 360×740 writing its next idea. They go to client-web/screenshots/.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createSessionByApi, openBoard, joinByLink, writeNote, setPhase, createTheme, openNoteMenu, boardNotes, serverUrl,
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

// The walk guide's two screenshots: a phone at a stop, writing an
// observation with its category, and the facilitator's laptop with the
// "Parcours" panel and the notes of the first two stops.
test('the README walk screenshots', async ({ browser }, testInfo) => {
  test.skip(testInfo.project.name !== 'projector', 'one run is enough');
  const laptopContext = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  const phoneContext = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1, locale: 'fr-FR',
  });
  try {
    const board = await laptopContext.newPage();
    await board.goto(serverUrl('/'));
    const create = board.locator('#create-form');
    await create.getByLabel('Diagnostic en marchant').check();
    await create.getByLabel('Titre').fill('Diagnostic du quartier des Tilleuls');
    await create.getByLabel('Question posée').fill('Comment se déplace-t-on dans le quartier ?');
    await create.getByRole('button', { name: "Créer l'atelier" }).click();
    await expect(board.getByRole('heading', { name: 'Parcours' })).toBeVisible();
    const stops = [
      ['Place du marché', 'Que voyez-vous qui aide à se retrouver ici ?'],
      ['Arrêt de bus Jaurès', "Peut-on attendre le bus assis, à l'abri ?"],
      ['Square des Tilleuls', ''],
    ];
    for (const [name, question] of stops) {
      const form = board.locator('#stop-new');
      await form.getByLabel("Nom de l'arrêt").fill(name);
      if (question) await form.getByLabel('Question à cet arrêt (facultatif)').fill(question);
      await form.getByRole('button', { name: "Ajouter l'arrêt" }).click();
      await expect(board.locator('#stop-list > li').last()).toContainText(name);
    }
    await board.getByRole('button', { name: 'Aller au premier arrêt' }).click();

    const joinCode = await board.locator('#join-code').textContent();
    const phone = await phoneContext.newPage();
    await joinByLink(phone, joinCode.replace(/-/g, ''), { name: 'Odile', profile: 'Habitant·e' });
    const write = async (text, category) => {
      await phone.getByLabel('Votre idée').fill(text);
      await phone.getByRole('radio', { name: category }).check();
      await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
      await expect(boardNotes(board).filter({ hasText: text })).toHaveCount(1);
    };
    await write("Des bancs à l'ombre, on peut se poser", 'Atout');
    await write('Les étals débordent sur le trottoir', 'Difficulté');
    await board.getByRole('button', { name: 'Arrêt suivant' }).click();
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 2 · Arrêt de bus Jaurès');
    await write("Pas d'abri, on attend sous la pluie", 'Difficulté');
    await write("Un abri avec des sièges devant l'arrêt", 'Proposition');
    await phone.getByLabel('Votre idée').fill('Le chauffeur attend que l’on soit assis');
    await phone.getByRole('radio', { name: 'Atout' }).check();
    await phone.evaluate(() => window.scrollTo(0, 0));
    await expect(phone.getByRole('button', { name: 'Ajouter ma note' })).toBeInViewport();
    await phone.screenshot({ path: path.join(screenshots, 'walk-phone.png'), animations: 'disabled', caret: 'hide' });

    await board.getByRole('button', { name: 'Tout voir' }).click();
    await board.screenshot({ path: path.join(screenshots, 'walk-board.png'), animations: 'disabled', caret: 'hide' });
  } finally {
    await phoneContext.close();
    await laptopContext.close();
  }
});
