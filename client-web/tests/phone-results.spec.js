// The phone at the end of a session: the results (themes ranked by their
// dots with their best ideas and action plans, the top ideas), for the
// participants and for a latecomer who opens the link of a closed session
// (they see the results, never the join form, and are not counted). Also:
// a phone's note.add carries no position, the server places it.
//
// The facilitator and the other participants play over the wire (wire.js):
// what is under test is the phone's screen.
import { test, expect } from '@playwright/test';
import { serverUrl, createSessionByApi, joinByLink, writeNote, recordFrames } from './helpers.js';
import { openWire, noteIds, sessionState } from './wire.js';

// In order of creation: two by the phone, two each by Marc (p2) and Léa
// (p3), two by the facilitator.
const IDEA = {
  cafe: 'Un café des aidants le samedi matin',
  visits: 'Des visites de convivialité à domicile',
  minibus: 'Un minibus pour aller au marché',
  carpool: 'Du covoiturage entre voisins',
  directory: 'Un annuaire des activités du quartier',
  bench: 'Un banc devant la pharmacie',
  snack: 'Un goûter une fois par mois',
  calls: 'Appeler chaque semaine les personnes seules',
};
const MINUTES = "Le compte-rendu sera envoyé par l'animateur ou l'animatrice.";

const plus = (page, label) => page.getByRole('button', { name: `Ajouter une gommette à : ${label}`, exact: true });

// Nothing wider than the screen: no sideways scrolling on a phone.
async function expectNoSidewaysScroll(page) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  expect(scroll, 'page width (scrollWidth) fits the viewport').toBeLessThanOrEqual(client);
}

// A session with eight ideas, two themes and thirteen dots, played up to the
// vote. The phone `page` is Josiane, who writes two ideas and places two dots.
//   "Se déplacer":   own 2 + minibus 3 + carpool 1          = 6
//   "Rendre visite": own 0 + visits 3 + cafe 1 + snack 0    = 4  (created first)
//   outside themes:  directory 2, bench 1, calls 0
// Top ideas: visits 3 and minibus 3 (visits is older), directory 2, then
// cafe 1 and carpool 1; bench (1 dot too, but newer) is sixth and left out.
async function playUpToTheVote(page, browser, request) {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre', vote_budget: 4, private_writing: false });
  const wire = await openWire(browser);
  const facilitator = await wire.join({ facilitator_token: session.facilitator_token, name: 'Nadia' });
  const marc = await wire.join({ join_code: session.join_code, name: 'Marc' });
  const lea = await wire.join({ join_code: session.join_code, name: 'Léa' });

  await joinByLink(page, session.join_code, { name: 'Josiane' });
  await writeNote(page, IDEA.cafe);
  await writeNote(page, IDEA.visits);
  for (const [who, text] of [[marc, IDEA.minibus], [marc, IDEA.carpool], [lea, IDEA.directory],
    [lea, IDEA.bench], [facilitator, IDEA.snack], [facilitator, IDEA.calls]]) {
    await who.op({ kind: 'note.add', text, color: 'yellow' });
  }
  const id = await noteIds(request, session);
  const visit = (await facilitator.op({ kind: 'theme.create', title: 'Rendre visite', x: 1300, y: 0 })).op.theme;
  const travel = (await facilitator.op({ kind: 'theme.create', title: 'Se déplacer', x: 1300, y: 600 })).op.theme;
  for (const [text, theme] of [[IDEA.cafe, visit], [IDEA.visits, visit], [IDEA.snack, visit],
    [IDEA.minibus, travel], [IDEA.carpool, travel]]) {
    await facilitator.op({ kind: 'note.group', note: id[text], theme });
  }

  await facilitator.op({ kind: 'phase.set', phase: 'voting' });
  await expect(page.locator('#dots-left')).toHaveText('Il vous reste 4 gommettes');
  await plus(page, IDEA.cafe).click();
  await expect(page.locator('#dots-left')).toHaveText('Il vous reste 3 gommettes');
  await plus(page, IDEA.visits).click();
  await expect(page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
  const votes = [
    [marc, { note: id[IDEA.minibus] }], [marc, { note: id[IDEA.minibus] }], [marc, { theme: travel }], [marc, { note: id[IDEA.bench] }],
    [lea, { note: id[IDEA.visits] }], [lea, { note: id[IDEA.directory] }], [lea, { theme: travel }], [lea, { note: id[IDEA.carpool] }],
    [facilitator, { note: id[IDEA.visits] }], [facilitator, { note: id[IDEA.minibus] }], [facilitator, { note: id[IDEA.directory] }],
  ];
  for (const [who, target] of votes) await who.op({ kind: 'vote.add', ...target });
  return { session, wire, facilitator, themes: { visit, travel } };
}

// The results as the phone shows them, checked against the ranking above.
async function expectRankedResults(page) {
  const results = page.locator('#results');
  await expect(results).toBeVisible();
  await expect(results.getByText(MINUTES)).toBeVisible();
  await expect(results.getByRole('heading', { name: 'Les thèmes, par gommettes' })).toBeVisible();
  const themes = results.locator('.result-theme');
  await expect(themes.locator('h3')).toHaveText(['Se déplacer', 'Rendre visite']);
  await expect(themes.locator('.result-count')).toHaveText(['6 gommettes · 2 idées', '4 gommettes · 3 idées']);
  await expect(themes.nth(0).locator('.result-ideas > li')).toHaveText([
    `${IDEA.minibus}3 gommettes`, `${IDEA.carpool}1 gommette`]);
  // An idea without a dot still says what the theme holds, with no count.
  await expect(themes.nth(1).locator('.result-ideas > li')).toHaveText([
    `${IDEA.visits}3 gommettes`, `${IDEA.cafe}1 gommette`, IDEA.snack]);

  await expect(results.getByRole('heading', { name: 'Les idées les plus soutenues' })).toBeVisible();
  const top = results.locator('.top-ideas > li');
  await expect(top).toHaveText([
    `${IDEA.visits}3 gommettesThème : Rendre visite`,
    `${IDEA.minibus}3 gommettesThème : Se déplacer`,
    `${IDEA.directory}2 gommettes`,
    `${IDEA.cafe}1 gommetteThème : Rendre visite`,
    `${IDEA.carpool}1 gommetteThème : Se déplacer`,
  ]);
}

test('at close, the phone shows the themes ranked by their dots, their action plans and the top ideas', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  const { wire, facilitator, themes } = await playUpToTheVote(page, browser, request);
  try {
    await facilitator.op({ kind: 'action.add', theme: themes.travel, what: 'Demander un minibus à la mairie', who: 'Nadia', when: 'en janvier' });
    await expect(page.locator('#results')).toBeHidden();

    await facilitator.op({ kind: 'phase.set', phase: 'closed' });
    await expect(page.locator('#phase-message')).toHaveText('La séance est terminée. Merci pour votre participation !');
    await expect(page.locator('#write')).toBeHidden();
    await expect(page.locator('#vote')).toBeHidden();
    await expectRankedResults(page);
    // Josiane's own notes are still there, below, read-only.
    await expect(page.locator('#my-notes > li')).toHaveCount(2);
    await expect(page.locator('#my-notes button')).toHaveCount(0);

    const travel = page.locator('.result-theme').nth(0);
    const visit = page.locator('.result-theme').nth(1);
    await expect(travel.getByRole('heading', { name: "Plan d'action" })).toBeVisible();
    await expect(travel.locator('.result-actions > li')).toHaveText(['Demander un minibus à la mairieQui : NadiaQuand : en janvier']);
    await expect(visit.getByRole('heading', { name: "Plan d'action" })).toHaveCount(0);

    // The plan is often written once the session is closed: it shows as it
    // is written, changed and removed.
    const add = await facilitator.op({ kind: 'action.add', theme: themes.visit, what: 'Lister les personnes seules du quartier' });
    await expect(visit.locator('.result-actions > li')).toHaveText(['Lister les personnes seules du quartier']);
    await facilitator.op({ kind: 'action.edit', action: add.op.action, what: 'Lister les personnes seules', who: 'le CCAS', when: '' });
    await expect(visit.locator('.result-actions > li')).toHaveText(['Lister les personnes seulesQui : le CCAS']);
    await facilitator.op({ kind: 'action.delete', action: add.op.action });
    await expect(visit.getByRole('heading', { name: "Plan d'action" })).toHaveCount(0);
    // Facilitator-only bookkeeping changes nothing on the phone.
    await facilitator.op({ kind: 'attendance.set', profile: 'habitant', count: 2 });
    await expect(page.locator('.result-theme h3')).toHaveText(['Se déplacer', 'Rendre visite']);

    // Coming back later: the same results, from the welcome's state.
    await page.reload();
    await expectRankedResults(page);
    await expect(page.locator('.result-theme').nth(0).locator('.result-actions > li')).toHaveCount(1);
    await expect(page.getByRole('button', { name: 'Participer' })).toHaveCount(0);
    await expectNoSidewaysScroll(page);
  } finally {
    await wire.close();
  }
});

test('a latecomer to a closed session sees the results, never the join form, and is not counted', async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  // Josiane takes part from a phone of her own; `page` is the latecomer's.
  const josiane = await browser.newContext();
  const { session, wire, facilitator, themes } = await playUpToTheVote(await josiane.newPage(), browser, request);
  try {
    await facilitator.op({ kind: 'phase.set', phase: 'closed' });
    const before = await sessionState(request, session);
    const presentBefore = (await (await request.get(serverUrl(`/api/sessions/${session.session_id}`), {
      headers: { Authorization: `Bearer ${session.facilitator_token}` },
    })).json()).present;
    expect(presentBefore).toBe(3);  // Josiane, Marc, Léa

    const frames = recordFrames(page);
    await page.goto(serverUrl(`/j/${session.join_code.replace(/-/g, '')}`));
    await expectRankedResults(page);
    await expect(page.locator('#phase-message')).toHaveText('Cette séance est terminée. Voici ce qui en est ressorti.');
    await expect(page.locator('#session-title')).toHaveText('Atelier du 25 novembre');
    await expect(page.getByRole('button', { name: 'Participer' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Bienvenue !' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Écrire une idée' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Mes notes' })).toBeHidden();

    // Counted nowhere: an op of the facilitator's after the latecomer's
    // welcome comes back with no presence change before it. The latecomer
    // sees it live, like everyone.
    const marker = await facilitator.op({ kind: 'action.add', theme: themes.visit, what: 'Former dix bénévoles' });
    const joins = (await facilitator.events()).filter((e) => e.seq > before.seq && e.seq < marker.seq);
    expect(joins).toEqual([]);
    await expect(page.locator('.result-theme').nth(1).locator('.result-actions > li')).toHaveText(['Former dix bénévoles']);
    const after = await sessionState(request, session);
    expect(Object.keys(after.participants).sort()).toEqual(Object.keys(before.participants).sort());
    expect(Object.values(after.participants).filter((p) => p.present).length)
      .toBe(Object.values(before.participants).filter((p) => p.present).length);
    const summary = await request.get(serverUrl(`/api/sessions/${session.session_id}`), {
      headers: { Authorization: `Bearer ${session.facilitator_token}` },
    });
    expect((await summary.json()).present).toBe(presentBefore);

    // The latecomer's phone said hello as nobody in particular, and nothing else.
    expect(frames.received.find((m) => m.type === 'welcome')?.role).toBe('viewer');
    expect(frames.sent).toEqual([{ type: 'hello', join_code: session.join_code.replace(/-/g, ''), lines: true }]);

    // Opened again later: still the results, still not counted.
    await page.reload();
    await expectRankedResults(page);
    await expect(page.getByRole('button', { name: 'Participer' })).toHaveCount(0);
    expect(frames.sent.filter((m) => m.type !== 'hello')).toEqual([]);
    expect(frames.sent.filter((m) => m.name || m.participant_token)).toEqual([]);
  } finally {
    await wire.close();
    await josiane.close();
  }
});

test('someone still on the join form when the session closes gets the results, uncounted, and the form back if it reopens', async ({ page, browser, request }) => {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre', private_writing: false });
  const wire = await openWire(browser);
  try {
    const facilitator = await wire.join({ facilitator_token: session.facilitator_token });
    await facilitator.op({ kind: 'note.add', text: IDEA.minibus, color: 'green' });
    const frames = recordFrames(page);
    await page.goto(serverUrl(`/j/${session.join_code.replace(/-/g, '')}`));
    await expect(page.getByRole('heading', { name: 'Bienvenue !' })).toBeVisible();
    await page.getByLabel('Votre prénom (facultatif)').fill('Odile');

    const closing = await facilitator.op({ kind: 'phase.set', phase: 'closed' });
    await page.getByRole('button', { name: 'Participer' }).click();
    await expect(page.locator('#results')).toBeVisible();
    await expect(page.locator('#results').getByText(MINUTES)).toBeVisible();
    await expect(page.locator('#results .top-ideas')).toHaveCount(0);
    await expect(page.locator('#results')).toContainText("Aucune gommette n'a été posée.");
    await expect(page.getByRole('heading', { name: 'Écrire une idée' })).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Mes notes' })).toBeHidden();
    expect(frames.received.find((m) => m.type === 'welcome')?.role).toBe('viewer');
    const state = await sessionState(request, session);
    expect(Object.values(state.participants).map((p) => p.name)).not.toContain('Odile');
    expect(state.seq).toBe(closing.seq);

    // The facilitator reopens: the viewer may now take part, as a newcomer.
    await facilitator.op({ kind: 'phase.set', phase: 'voting' });
    await expect(page.getByRole('button', { name: 'Participer' })).toBeVisible();
    expect(frames.sent.filter((m) => m.type !== 'hello')).toEqual([]);
    await page.getByRole('button', { name: 'Participer' }).click();
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 2 gommettes');
    await expect(page.locator('#results')).toBeHidden();
  } finally {
    await wire.close();
  }
});

test("a phone's note.add carries no position: the server places each note in a free spot", async ({ page, request }) => {
  const session = await createSessionByApi(request);
  const frames = recordFrames(page);
  await joinByLink(page, session.join_code, { name: 'Josiane' });
  await writeNote(page, IDEA.cafe);
  await writeNote(page, IDEA.visits);

  const sent = frames.sent.filter((m) => m.type === 'op' && m.op.kind === 'note.add').map((m) => m.op);
  expect(sent).toEqual([
    { kind: 'note.add', text: IDEA.cafe, color: 'yellow' },
    { kind: 'note.add', text: IDEA.visits, color: 'yellow' },
  ]);
  // The stamped events say where the server put them: two different spots.
  const placed = frames.received.filter((m) => m.type === 'event' && m.op.kind === 'note.add').map((m) => m.op);
  expect(placed).toHaveLength(2);
  for (const op of placed) {
    expect(Number.isInteger(op.x) && Number.isInteger(op.y)).toBe(true);
  }
  expect(`${placed[0].x},${placed[0].y}`).not.toBe(`${placed[1].x},${placed[1].y}`);
});
