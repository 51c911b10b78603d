// Co-hosts: two computers open the same board link. Each is a facilitator
// of its own (f1, f2…) and stays the same one across reloads, because the
// board keeps its seat token and sends it back in every hello.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoard, boardContextOptions, recordFrames } from './helpers.js';

const welcomes = (frames) => frames.received.filter((m) => m.type === 'welcome');
const hellos = (frames) => frames.sent.filter((m) => m.type === 'hello');

test('two boards with the same link are two facilitators, each keeping its id on reload', async ({ browser, request }) => {
  const session = await createSessionByApi(request);
  // Two computers: two browser contexts, each with its own storage.
  const contexts = await Promise.all([1, 2].map(() => browser.newContext(boardContextOptions)));
  try {
    const boards = await Promise.all(contexts.map((c) => c.newPage()));
    const frames = boards.map(recordFrames);
    for (const board of boards) await openBoard(board, session);
    await expect.poll(() => frames.map((f) => welcomes(f).length)).toEqual([1, 1]);
    const [first, second] = frames.map((f) => welcomes(f)[0]);
    for (const welcome of [first, second]) {
      expect(welcome.role).toBe('facilitator');
      expect(welcome.participant_token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    }
    expect(first.participant_id).not.toBe(second.participant_id);
    // The first hello of a computer has no seat yet.
    for (const f of frames) expect(hellos(f)[0]).not.toHaveProperty('participant_token');

    for (const [i, board] of boards.entries()) {
      await board.reload();
      await expect(board.locator('#join-code')).toHaveText(session.join_code);
      await expect.poll(() => welcomes(frames[i]).length).toBe(2);
      const again = welcomes(frames[i])[1];
      expect(again.participant_id).toBe([first, second][i].participant_id);
      expect(hellos(frames[i])[1]).toMatchObject({
        facilitator_token: session.facilitator_token,
        participant_token: [first, second][i].participant_token,
      });
    }

    // Both are in the session's participants as facilitators, and not
    // counted as participants on the board.
    const state = welcomes(frames[0])[1].state;
    const facilitators = Object.values(state.participants).filter((p) => p.role === 'facilitator').map((p) => p.id);
    expect(facilitators.sort()).toEqual([first.participant_id, second.participant_id].sort());
    await expect(boards[0].locator('#people')).toHaveText('0 participant');
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
