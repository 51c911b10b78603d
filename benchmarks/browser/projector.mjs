// The projector: a 1920×1080 board showing a whole workshop, fitted on the
// screen with the controls hidden, and ops arriving from another connection
// one after the other. Each op is timed from its message's arrival to the
// end of the frame that shows it.
import { installTimings, timesOf, summary, longestTasks } from './frames.mjs';
import { seedBoard, openSeats, COLORS, THEMES } from './seed.mjs';

const KINDS = ['note.add', 'note.move', 'vote.add', 'theme.rename', 'note.group', 'note.edit', 'note.color'];

// A repeatable mix of what happens during a workshop's vote, each kind in turn.
function opsFor(count, { noteIds, themeIds }) {
  let seed = 42;
  const pick = (list) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return list[seed % list.length];
  };
  const added = [];
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length];
    const note = pick(noteIds);
    switch (kind) {
      case 'note.add': return { kind, text: `Une idée de plus, arrivée pendant le vote (${i})`, color: pick(COLORS) };
      // The note added just before (the board's notes are all in themes).
      case 'note.move': return { kind, note: () => added.at(-1), x: 300 * (i % 7), y: -600 - 260 * Math.floor(i / 7) };
      case 'vote.add': return { kind, note };
      case 'theme.rename': return { kind, theme: pick(themeIds), title: `${pick(THEMES)} (${i})` };
      case 'note.group': return { kind, note, theme: pick(themeIds) };
      case 'note.edit': return { kind, note, text: `Idée corrigée pendant le vote (${i})` };
      default: return { kind, note, color: pick(COLORS) };
    }
  }).map((op) => ({ op, remember: (event) => { if (event.op.kind === 'note.add') added.push(event.op.note); } }));
}

// Records from the page by the seq of the event they carried.
function recorder(page) {
  const bySeq = new Map();
  const waiting = new Map();
  return {
    async install() {
      await page.exposeFunction('benchDone', (record) => {
        if (record.what !== 'message') return;
        for (const line of record.data.split('\n')) {
          const message = JSON.parse(line);
          if (message.type !== 'event') continue;
          bySeq.set(message.seq, record);
          waiting.get(message.seq)?.(record);
        }
      });
      await page.addInitScript(installTimings);
    },
    shown: (seq) => bySeq.get(seq) ?? new Promise((resolve) => waiting.set(seq, resolve)),
  };
}

export async function benchProjector(browser, baseUrl, { notes, themes, ops, full }) {
  const board = await seedBoard(baseUrl, { notes, themes, phase: 'voting' });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
  const page = await context.newPage();
  const records = recorder(page);
  await records.install();
  const seats = await openSeats(baseUrl, board.session, 4);
  try {
    await page.goto(new URL(`/tableau${full ? '?render=full' : ''}#${board.session.facilitator_token}`, baseUrl).toString());
    await page.waitForFunction((n) => document.querySelectorAll('#world .board-note').length === n, notes, { timeout: 60_000 });
    // As projected: the controls hidden, the whole board on the screen.
    await page.click('#toggle-controls');
    await page.click('#zoom-fit');
    const play = async ({ op, remember }) => {
      const sent = { ...op, note: typeof op.note === 'function' ? op.note() : op.note };
      if (sent.note === undefined) delete sent.note;
      const event = await seats.op(sent);
      remember(event);
      return timesOf(await records.shown(event.seq));
    };
    // One op of each kind first, not counted: the page's code is compiled
    // for them then, as it is a few minutes into a workshop.
    const planned = opsFor(KINDS.length + ops, board);
    for (const op of planned.slice(0, KINDS.length)) await play(op);
    await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline'] });
    const byKind = new Map();
    for (const op of planned.slice(KINDS.length)) {
      const times = await play(op);
      if (!byKind.has(op.op.kind)) byKind.set(op.op.kind, []);
      byKind.get(op.op.kind).push(times);
    }
    const tasks = longestTasks(await browser.stopTracing(), '/tableau');
    const measured = [...byKind.values()].flat();
    const shown = await page.locator('#world .board-note').count();
    return {
      notes: shown,
      kinds: [...byKind].map(([kind, times]) => ({ kind, work: summary(times.map((x) => x.work)) })),
      work: summary(measured.map((x) => x.work)),
      latency: summary(measured.map((x) => x.latency)),
      script: summary(measured.map((x) => x.script)),
      frame: summary(measured.map((x) => x.frame)),
      longestTask: tasks[0] ?? NaN,
      longTasks: tasks.filter((d) => d > 50).length,
    };
  } finally {
    await seats.close();
    await context.close();
  }
}
