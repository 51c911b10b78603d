// After the meeting: the facilitator replays the session on a timeline and
// downloads the minutes.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  createSessionByApi, openBoard, openPhoneContext, writeNote, setPhase, boardNotes, QUESTION,
} from './helpers.js';

test('the timeline replays the board, jumps to markers, and the minutes download', async ({ page, browser, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'projector', 'one run is enough: it spans several contexts');
  // Votes shown during the vote, so the dot can be seen at every point of it.
  const session = await createSessionByApi(request, { title: 'Atelier rejoué', vote_budget: 2, hidden_votes: false });
  await openBoard(page, session);
  const phone = await openPhoneContext(browser, session, { name: 'Odile', profile: 'Habitant·e' });
  try {
    await writeNote(phone.page, 'Un café des aidants');
    await writeNote(phone.page, 'Des bancs le long de l’avenue');
    await setPhase(page, 'Révélation');
    await expect(boardNotes(page)).toHaveCount(2);
    await writeNote(phone.page, 'Un minibus pour le marché');
    await setPhase(page, 'Vote');
    await phone.page.getByRole('button', { name: 'Ajouter une gommette à : Un minibus pour le marché' }).click();
    await expect(page.locator('.board-note', { hasText: 'Un minibus' }).locator('.votes')).toHaveText('● 1');
  } finally {
    await phone.context.close();
  }

  // The replay downloads the log once and folds it in the page: moving on
  // the timeline asks the server nothing.
  const apiRequests = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) apiRequests.push(url.pathname + url.search);
  });
  await page.getByRole('link', { name: 'Rejouer la séance et compte-rendu' }).click();
  await expect(page).toHaveURL(/\/rejouer#/);
  await expect(page.locator('#question')).toHaveText(QUESTION);
  // It opens at the end: the board as it was left.
  await expect(page.locator('#phase-label')).toHaveText('Vote');
  await expect(boardNotes(page)).toHaveCount(3);
  expect(apiRequests).toEqual([`/api/sessions/${session.session_id}/minutes.json`]);

  // The slider, to the first op and back to the end.
  const slider = page.locator('#slider');
  const head = Number(await slider.getAttribute('max'));
  await slider.fill('1');
  await expect(page.locator('#phase-label')).toHaveText('Écriture silencieuse');
  await expect(boardNotes(page)).toHaveCount(0);
  await slider.fill(String(head));
  await expect(page.locator('#phase-label')).toHaveText('Vote');
  await expect(page.locator('.board-note', { hasText: 'Un minibus' }).locator('.votes')).toHaveText('● 1');

  // The reveal marker: two notes then, the third came later.
  await page.locator('#markers button', { hasText: 'Révélation' }).click();
  await expect(page.locator('#phase-label')).toHaveText('Révélation');
  await expect(boardNotes(page)).toHaveCount(2);
  await expect(page.locator('.board-note', { hasText: 'Un minibus' })).toHaveCount(0);

  // From the very start, played fast, it reaches the end by itself.
  await page.locator('#markers button', { hasText: 'Écriture silencieuse' }).click();
  await expect(page.locator('#phase-label')).toHaveText('Écriture silencieuse');
  await page.getByLabel('Vitesse').selectOption('60');
  await page.getByRole('button', { name: 'Lecture' }).click();
  await expect(page.locator('#phase-label')).toHaveText('Vote', { timeout: 20_000 });
  await expect(page.locator('.board-note', { hasText: 'Un minibus' }).locator('.votes')).toHaveText('● 1');
  await expect(page.getByRole('button', { name: 'Lecture' })).toBeVisible();
  // Markers, the slider and playing: still the one download.
  expect(apiRequests).toEqual([`/api/sessions/${session.session_id}/minutes.json`]);

  const violations = (await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'RGAAv4']).analyze()).violations;
  expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The minutes, as files.
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Texte Markdown' }).click(),
  ]);
  const text = await (await import('node:fs/promises')).readFile(await markdown.path(), 'utf8');
  expect(text).toContain(QUESTION);
  expect(text).toContain('Un minibus pour le marché');
  const [odt] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Document texte (ODT)' }).click(),
  ]);
  const bytes = await (await import('node:fs/promises')).readFile(await odt.path());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  expect(bytes.subarray(30, 38).toString()).toBe('mimetype');
});
