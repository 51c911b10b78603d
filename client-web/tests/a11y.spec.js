// Accessibility (WCAG 2.2 AA and the French RGAA 4) of every screen, checked
// by axe-core at the project's size: projector 1920×1080 and a Pixel 7 phone.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  serverUrl, createSessionByApi, openBoard, joinByLink, writeNote, setPhase, createTheme,
  openBoardContext, openPhoneContext, boardNote, openNoteMenu, addNoteFromBoard,
} from './helpers.js';
import { openWire, noteIds } from './wire.js';
import { THEMES, ideaText } from './ideas.js';

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

test('start page with sessions remembered here, an import refused and the delete confirmation', async ({ page, request }) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre' });
  await openBoard(page, session);
  await page.goto(serverUrl('/'));
  await expect(page.locator('#recent-list > li')).toHaveCount(1);
  await page.getByLabel('Fichier de sauvegarde (.json)').setInputFiles({
    name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('pas du JSON'),
  });
  await page.getByRole('button', { name: "Importer l'atelier" }).click();
  await expect(page.locator('#import-error')).not.toBeEmpty();
  await expectNoViolations(page, 'the start page with its sessions and an import error');
  await page.getByRole('button', { name: "Supprimer l'atelier « Atelier du 25 novembre »" }).click();
  await expect(page.getByRole('dialog', { name: 'Supprimer définitivement cet atelier ?' })).toBeVisible();
  await expectNoViolations(page, 'the confirmation before deleting a session');
});

test('the privacy page, reached from the start page and from a phone, in French and in English', async ({ page, request }) => {
  await page.goto(serverUrl('/'));
  await page.getByRole('link', { name: 'Vos données : ce que Ruche garde, et combien de temps' }).click();
  await expect(page).toHaveURL(/\/confidentialite$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Vos données dans Ruche' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Combien de temps' })).toBeVisible();
  await expectNoViolations(page, 'the privacy page');

  const session = await createSessionByApi(request);
  await page.goto(serverUrl(`/j/${session.join_code}`));
  await page.getByRole('link', { name: 'Vos données : ce que Ruche garde, et combien de temps' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Vos données dans Ruche' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your data in Ruche' })).toBeVisible();
  await expect(page).toHaveTitle('Your data — Ruche');
  await expectNoViolations(page, 'the privacy page in English');
  await page.getByRole('link', { name: 'Back to the start page' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('A sticky-note board for your workshops');
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

  test('results screen of a closed session', async ({ page, browser, request }) => {
    const session = await createSessionByApi(request, { private_writing: false });
    const wire = await openWire(browser);
    try {
      const facilitator = await wire.join({ facilitator_token: session.facilitator_token });
      await joinByLink(page, session.join_code, { name: 'Josiane' });
      await writeNote(page, 'Un café des aidants le samedi matin');
      await facilitator.op({ kind: 'note.add', text: 'Un minibus pour aller au marché', color: 'green' });
      const ids = await noteIds(request, session);
      const theme = (await facilitator.op({ kind: 'theme.create', title: 'Se déplacer', x: 1300, y: 0 })).op.theme;
      await facilitator.op({ kind: 'note.group', note: ids['Un minibus pour aller au marché'], theme });
      await facilitator.op({ kind: 'phase.set', phase: 'voting' });
      await facilitator.op({ kind: 'vote.add', note: ids['Un minibus pour aller au marché'] });
      await facilitator.op({ kind: 'vote.add', note: ids['Un café des aidants le samedi matin'] });
      await facilitator.op({ kind: 'action.add', theme, what: 'Demander un minibus à la mairie', who: 'Nadia', when: 'en janvier' });
      await facilitator.op({ kind: 'phase.set', phase: 'closed' });
      await expect(page.locator('.result-actions > li')).toHaveCount(1);
      await expect(page.locator('.top-ideas > li')).toHaveCount(2);
      await expectNoViolations(page, 'the phone results screen');
    } finally {
      await wire.close();
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

  // WCAG 2.5.8 (target size, wcag22aa) on the screen, not in the world: the
  // board is drawn scaled, so each zoom the board uses is checked, from
  // "Tout voir" on 60 notes (far below 1) up to the largest zoom.
  test('every button keeps its target size at every zoom of the board', async ({ page, browser, request }, testInfo) => {
    test.skip(testInfo.project.name !== 'projector', 'the board at a projector\'s size; each step runs axe');
    const session = await createSessionByApi(request, { private_writing: false });
    const wire = await openWire(browser);
    try {
      const hosts = [await wire.join({ facilitator_token: session.facilitator_token }), await wire.join({ facilitator_token: session.facilitator_token })];
      const theme = (await hosts[0].op({ kind: 'theme.create', title: THEMES[0] })).op.theme;
      await Promise.all(hosts.map(async (host, h) => {
        for (let i = h; i < 60; i += hosts.length) {
          const note = (await host.op({ kind: 'note.add', text: ideaText(i), color: 'yellow' })).op.note;
          if (i % 6 === 0) await host.op({ kind: 'note.group', note, theme });
        }
      }));
      await hosts[0].op({ kind: 'phase.set', phase: 'clustering' });
      await openBoard(page, session);
      await expect(page.locator('.board-note')).toHaveCount(60);
      const zoom = () => page.locator('#world').evaluate((w) => new DOMMatrix(getComputedStyle(w).transform).a);
      await page.getByRole('button', { name: 'Tout voir' }).click();
      expect(await zoom()).toBeLessThan(0.6);
      // Too small for the "⋯" buttons: they give way to the notes themselves.
      await expect(page.locator('.note-menu-button').first()).toBeHidden();
      await expectNoViolations(page, 'the board with everything in view');
      await boardNote(page, ideaText(1)).click();
      await expect(page.getByRole('dialog')).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(page.getByRole('dialog')).toBeHidden();
      // Zoomed in step by step to the largest zoom, checked at each step.
      const seen = [];
      for (let step = 0; step < 12 && (seen.at(-1) ?? 0) < 2.5; step += 1) {
        const before = await zoom();
        await page.locator('#zoom-in').click();
        await expect.poll(zoom).not.toBe(before);
        seen.push(await zoom());
        await expectNoViolations(page, `the board at zoom ${seen.at(-1).toFixed(2)}`);
      }
      expect(seen.at(-1)).toBe(2.5);
      expect(seen.some((z) => z < 0.6)).toBe(true);
      await expect(page.locator('.note-menu-button').first()).toBeVisible();
    } finally {
      await wire.close();
    }
  });

  test('synthesis with the action plan, the bin open and the offer to undo', async ({ page, request }) => {
    const session = await createSessionByApi(request, { private_writing: false });
    await openBoard(page, session);
    await addNoteFromBoard(page, 'Un café des aidants le samedi matin');
    await addNoteFromBoard(page, 'Un minibus pour aller au marché');
    await createTheme(page, 'Rendre visite');
    await setPhase(page, '5. Synthèse');
    const plan = page.getByRole('group', { name: 'Nouvelle action' });
    await plan.getByLabel('Quoi').fill('Lister les personnes isolées');
    await plan.getByLabel('Qui').fill('CCAS');
    await page.getByRole('button', { name: "Ajouter l'action au thème Rendre visite" }).click();
    await expect(page.getByRole('group', { name: 'Action 1' })).toBeVisible();
    const menu = await openNoteMenu(page, 'Un minibus pour aller au marché');
    await menu.getByRole('button', { name: 'Supprimer', exact: true }).click();
    await expect(page.locator('#undo button')).toBeFocused();
    await page.locator('#bin-summary').click();
    await expect(page.locator('#bin-list > li')).toHaveCount(1);
    await expectNoViolations(page, 'the board in synthesis with the plan, the bin and the undo offer');
  });

  test('the confirmations before closing and before deleting the session', async ({ page, request }) => {
    const session = await createSessionByApi(request);
    await openBoard(page, session);
    await page.locator('#phases button', { hasText: '6. Clôture' }).click();
    await expect(page.getByRole('dialog', { name: 'Clore la séance ?' })).toBeVisible();
    await expectNoViolations(page, 'the confirmation before closing');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: "Supprimer l'atelier…" }).click();
    await expect(page.getByRole('dialog', { name: 'Supprimer définitivement cet atelier ?' })).toBeVisible();
    await expectNoViolations(page, 'the confirmation before deleting the session');
  });
});
