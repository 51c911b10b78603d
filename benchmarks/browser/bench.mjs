// The web client in a browser: how long the projector takes to show each op
// on a board of 300 notes in 12 themes (incremental rendering, then the same
// ops with the whole board drawn again, the baseline), and how long a phone
// four times slower takes to show a vote tap in a list of 150 items.
//
//   node benchmarks/browser/bench.mjs build/ci/server/ruche [--ops 140] [--taps 20] [--quick] [--strict] [--client DIR]
//
// --client serves another copy of client-web (e.g. an older commit's, to
// compare); --quick is the seconds-long smoke CI runs; --strict exits with 1
// when a number is over its target (it only says so otherwise: a loaded
// machine says little).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startServer, launchOptions, pinned } from './server.mjs';
import { ms } from './frames.mjs';
import { chromium } from './playwright.mjs';
import { benchProjector } from './projector.mjs';
import { benchPhone } from './phone.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const clientWeb = path.resolve(here, '../../client-web');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ops: { type: 'string', default: '140' },
    taps: { type: 'string', default: '20' },
    quick: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    client: { type: 'string', default: clientWeb },
  },
});
if (positionals.length !== 1) {
  console.error('usage: node benchmarks/browser/bench.mjs RUCHE_BINARY [--ops N] [--taps N] [--quick] [--strict] [--client DIR]');
  process.exit(2);
}
const quick = values.quick;
const ops = quick ? 14 : Number(values.ops);
const taps = quick ? 3 : Number(values.taps);
const TARGETS = { frame: 16, longTask: 50, tap: 100 };

const server = await startServer(path.resolve(positionals[0]), path.resolve(values.client));
const browser = await chromium.launch(launchOptions());
let failed = false;
const check = (ok, what) => {
  if (!ok) failed = true;
  return ok ? 'ok' : `OVER THE TARGET (${what})`;
};
try {
  console.log(`Chromium ${browser.version()}, browser ${pinned ? 'on CPU 1, server on CPU 0' : 'not pinned'}`);
  const board = { notes: 300, themes: 12, ops };
  const incremental = await benchProjector(browser, server.url, { ...board, full: false });
  const full = await benchProjector(browser, server.url, { ...board, full: true });
  console.log(`\nprojector 1920×1080, ${board.notes} notes in ${board.themes} themes, ${ops} ops from another connection`);
  console.log('ms per op: script + the frame that shows it (latency: from the message to that frame\'s end)');
  console.log('rendering    p50    p95    max   latency p50/max   longest task  tasks > 50 ms');
  for (const [name, r] of [['incremental', incremental], ['full', full]]) {
    console.log(`${name.padEnd(11)} ${ms(r.work.p50).padStart(5)}  ${ms(r.work.p95).padStart(5)}  ${ms(r.work.max).padStart(5)}`
      + `   ${`${ms(r.latency.p50)}/${ms(r.latency.max)}`.padStart(15)}   ${ms(r.longestTask).padStart(10)}  ${String(r.longTasks).padStart(13)}`);
  }
  for (const [name, r] of [['incremental', incremental], ['full', full]]) {
    console.log(`  ${name}: script p50 ${ms(r.script.p50)} max ${ms(r.script.max)}, frame p50 ${ms(r.frame.p50)} max ${ms(r.frame.max)}`);
  }
  console.log(`incremental/full: p50 ×${(incremental.work.p50 / full.work.p50).toFixed(3)}, max ×${(incremental.work.max / full.work.max).toFixed(3)}`);
  console.log('by op (incremental p50/max, full p50/max):');
  for (const k of incremental.kinds) {
    const f = full.kinds.find((x) => x.kind === k.kind);
    console.log(`  ${k.kind.padEnd(13)} ${ms(k.work.p50)}/${ms(k.work.max)}   ${ms(f.work.p50)}/${ms(f.work.max)}`);
  }
  console.log(`target ≤ ${TARGETS.frame} ms per op: ${check(incremental.work.max <= TARGETS.frame, `max ${ms(incremental.work.max)} ms`)}; `
    + `no task > ${TARGETS.longTask} ms: ${check(incremental.longTasks === 0, `${incremental.longTasks} tasks, longest ${ms(incremental.longestTask)} ms`)}`);

  const slowdown = 4;
  const phone = await benchPhone(browser, server.url, { themes: 10, notes: 140, taps, slowdown });
  console.log(`\nphone 360×740, CPU ${slowdown}× slower, ${phone.items} items in the vote list, ${taps} taps`);
  console.log(`tap → updated row: p50 ${ms(phone.tap.p50)} ms, max ${ms(phone.tap.max)} ms; the server's echo: p50 ${ms(phone.echo.p50)} ms, max ${ms(phone.echo.max)} ms`);
  console.log(`  tap script p50 ${ms(phone.tapScript.p50)} max ${ms(phone.tapScript.max)}, its frame p50 ${ms(phone.tapFrame.p50)} max ${ms(phone.tapFrame.max)}`);
  console.log(`target ≤ ${TARGETS.tap} ms: ${check(phone.tap.max <= TARGETS.tap, `max ${ms(phone.tap.max)} ms`)}`);
} finally {
  await browser.close();
  await server.stop();
}
process.exitCode = failed && values.strict ? 1 : 0;
