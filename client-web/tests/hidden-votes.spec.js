// Votes hidden until the vote ends (the session setting, on by default): the
// projected board shows how many dots are placed but no count on any note
// or theme, a phone sees only its own dots; once the vote is over the board
// shows every count with the places of the best. With the setting off the
// counts show live. Each test opens its own board and phone contexts.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoardContext, openPhoneContext, writeNote } from './helpers.js';
import { openWire } from './wire.js';

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'projector', 'one run is enough: it opens its own contexts');
});

const IDEAS = ['Un minibus pour le marché', 'Un café des aidants', 'Un banc'];

// A session in the voting phase: a theme holding the first idea, the others
// free; `votes` gives each idea's dots, placed by two participants.
async function seedVote(browser, request, settings) {
  const session = await createSessionByApi(request, { vote_budget: 5, private_writing: false, ...settings });
  const wire = await openWire(browser);
  const host = await wire.join({ facilitator_token: session.facilitator_token });
  const theme = (await host.op({ kind: 'theme.create', title: 'Se déplacer', x: 1200, y: 40 })).op.theme;
  const notes = [];
  for (const text of IDEAS) notes.push((await host.op({ kind: 'note.add', text, color: 'yellow' })).op.note);
  await host.op({ kind: 'note.group', note: notes[0], theme });
  await host.op({ kind: 'phase.set', phase: 'voting' });
  const voters = [
    await wire.join({ join_code: session.join_code, name: 'Rose' }),
    await wire.join({ join_code: session.join_code, name: 'Malik' }),
  ];
  return { session, wire, host, theme, notes, voters };
}

const badge = (board, text) => board.locator('.board-note', { hasText: text }).locator('.votes');

test('the board shows no count while a hidden vote goes on, then every count with its place', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request, {});
  const board = await openBoardContext(browser, seeded.session);
  const phone = await openPhoneContext(browser, seeded.session, { name: 'Josiane' });
  try {
    const page = board.page;
    await expect(page.locator('#votes-hidden')).toHaveText("Votes cachés jusqu'à la fin du vote · 0 gommette déposée");
    // Two dots on the café, one on the minibus, one on the theme.
    const [rose, malik] = seeded.voters;
    await rose.op({ kind: 'vote.add', note: seeded.notes[1] });
    await malik.op({ kind: 'vote.add', note: seeded.notes[1] });
    await malik.op({ kind: 'vote.add', note: seeded.notes[0] });
    await rose.op({ kind: 'vote.add', theme: seeded.theme });
    await expect(page.locator('#votes-hidden')).toHaveText("Votes cachés jusqu'à la fin du vote · 4 gommettes déposées");
    await expect(page.locator('.board-note')).toHaveCount(IDEAS.length);
    await expect(page.locator('#world .votes')).toHaveCount(0);
    // The phone counts its own dots only, and says the others' are hidden.
    await expect(phone.page.locator('#votes-hidden')).toBeVisible();
    await phone.page.getByRole('button', { name: `Ajouter une gommette à : ${IDEAS[2]}`, exact: true }).click();
    await expect(page.locator('#votes-hidden')).toHaveText("Votes cachés jusqu'à la fin du vote · 5 gommettes déposées");
    await expect(page.locator('#world .votes')).toHaveCount(0);

    await seeded.host.op({ kind: 'phase.set', phase: 'synthesis' });
    await expect(page.locator('#votes-hidden')).toBeHidden();
    await expect(badge(page, IDEAS[1])).toHaveText('● 2 · n° 1');
    await expect(badge(page, IDEAS[1])).toHaveAttribute('aria-label', '2 gommettes, 1re place');
    // Equal dots: the older note first, as in the minutes.
    await expect(badge(page, IDEAS[0])).toHaveText('● 1 · n° 2');
    await expect(badge(page, IDEAS[2])).toHaveText('● 1 · n° 3');
    // The theme counts its own dot and its notes': 2, its place among themes.
    await expect(page.locator('.theme-box h3 .votes')).toHaveText('● 2 · n° 1');
    await expect(page.locator('.theme-box h3 .votes')).toHaveAttribute('aria-label', '2 gommettes, 1re place');
  } finally {
    await phone.context.close();
    await board.context.close();
    await seeded.wire.close();
  }
});

test('with the votes shown, the board counts them live', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request, { hidden_votes: false });
  const board = await openBoardContext(browser, seeded.session);
  try {
    const page = board.page;
    await expect(page.locator('.board-note')).toHaveCount(IDEAS.length);
    await seeded.voters[0].op({ kind: 'vote.add', note: seeded.notes[1] });
    await expect(badge(page, IDEAS[1])).toHaveText('● 1');
    await expect(page.locator('#votes-hidden')).toBeHidden();
  } finally {
    await board.context.close();
    await seeded.wire.close();
  }
});

// Written by a phone, voted by others: the author's own list does not tell
// how many dots the note got until the vote is over.
test('a phone does not see how many dots its own note got during a hidden vote', async ({ browser, request }) => {
  const session = await createSessionByApi(request, { vote_budget: 5, private_writing: false });
  const phone = await openPhoneContext(browser, session, { name: 'Josiane' });
  const wire = await openWire(browser);
  try {
    await writeNote(phone.page, 'Un jardin partagé');
    const host = await wire.join({ facilitator_token: session.facilitator_token });
    await host.op({ kind: 'phase.set', phase: 'voting' });
    const voter = await wire.join({ join_code: session.join_code, name: 'Rose' });
    const state = voter.welcome.state;
    const id = Object.values(state.notes).find((n) => n.text === 'Un jardin partagé').id;
    await voter.op({ kind: 'vote.add', note: id });
    await voter.op({ kind: 'vote.add', note: id });
    await expect(phone.page.locator('#votes-hidden')).toBeVisible();
    await expect(phone.page.locator('#my-notes')).not.toContainText('gommette');
    await host.op({ kind: 'phase.set', phase: 'synthesis' });
    await expect(phone.page.locator('#my-notes')).toContainText('2 gommettes');
  } finally {
    await phone.context.close();
    await wire.close();
  }
});
