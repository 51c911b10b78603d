// Replaying a session: a timeline over every op, played at the original pace
// or faster, with jumps to the phase markers. The page downloads the
// session's log once (its JSON export, the facilitator's) and folds it in
// the browser with the live board's reducer, which folds exactly as the
// server does: each position shows the board as the server had it after
// that op. Moving along the timeline asks the server nothing. The minutes
// are downloaded from here too.

import { loadLanguage, setupLanguageSwitch, t, formatDuration } from './i18n.js';
import { createWorldView } from './board-view.js';
import { createPanZoom } from './pan-zoom.js';
import { presentCount, emptyBoard, applyEvent } from './board-state.js';
import { downloadWithToken } from './download.js';

const $ = (id) => document.getElementById(id);
const [sessionId, token] = location.hash.slice(1).split(':');
const auth = { Authorization: `Bearer ${token}` };
let timeline = null;
let shownSeq = 0;
let wantedSeq = 0;
let playing = null;  // { startedAt, fromTime, speed }
const worldView = createWorldView($('world'));

// A copy of the state every SNAPSHOT_EVERY ops, so that any position is at
// most that many ops away from one: jumping back on a 300-note session does
// not fold the whole log again.
const SNAPSHOT_EVERY = 100;
let log = [];           // the stamped ops, log[i] has seq i + 1
let snapshots = [];     // snapshots[k]: the state after seq k * SNAPSHOT_EVERY
let current = null;     // the state shown, folded up to current.seq

async function api(path) {
  const response = await fetch(`/api/sessions/${sessionId}/${path}`, { headers: auth });
  if (!response.ok) throw new Error(`${response.status}`);
  return response;
}

// What the page needs of the timeline, from the log itself: every op's
// time, the phase changes and the locks (as GET .../timeline gives them).
function timelineOf(ops) {
  const markers = [];
  for (const { seq, time, op } of ops) {
    if (op.kind === 'phase.set') markers.push({ kind: 'phase', phase: op.phase, seq, time });
    else if (op.kind === 'board.lock') markers.push({ kind: op.locked ? 'locked' : 'unlocked', seq, time });
  }
  return {
    head: ops.length ? ops.at(-1).seq : 0,
    start: ops.length ? ops[0].time : 0,
    ops: ops.map(({ seq, time }) => [seq, time]),
    markers,
  };
}

function loadLog(ops) {
  ops.forEach((entry, i) => {
    if (entry.seq !== i + 1) throw new Error(`the log has seq ${entry.seq} at ${i + 1}`);
  });
  log = ops;
  snapshots = [emptyBoard()];
  const state = emptyBoard();
  for (const entry of log) {
    applyEvent(state, entry, { bin: true });
    if (entry.seq % SNAPSHOT_EVERY === 0) snapshots.push(structuredClone(state));
  }
  current = null;
}

// The board right after op `seq` (0: before the first op).
function stateAt(seq) {
  if (!current || current.seq > seq || seq - current.seq > SNAPSHOT_EVERY) {
    current = structuredClone(snapshots[Math.floor(seq / SNAPSHOT_EVERY)]);
  }
  while (current.seq < seq) applyEvent(current, log[current.seq], { bin: true });
  return current;
}

function timeOf(seq) {
  return timeline.ops[Math.max(0, Math.min(seq, timeline.ops.length) - 1)][1];
}

function clockText(seq) {
  const time = timeOf(seq);
  const clock = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(new Date(time));
  return `${clock} (+${formatDuration((time - timeline.start) / 1000)})`;
}

// Shows the board at `seq`, folded here from the log.
function show(seq) {
  wantedSeq = seq;
  $('slider').value = String(seq);
  $('clock').textContent = clockText(seq);
  $('slider').setAttribute('aria-valuetext', clockText(seq));
  shownSeq = seq;
  draw(stateAt(seq));
}

function draw(state) {
  $('title').textContent = state.settings.title;
  $('question').textContent = state.settings.question;
  $('phase-label').textContent = t(`phase.${state.phase}`);
  $('people').textContent = t('board.people', { n: presentCount(state) });
  worldView.render(state);
}

function renderMarkers() {
  $('markers').replaceChildren(...timeline.markers.filter((m) => m.kind === 'phase').map((m) => {
    const b = document.createElement('button');
    b.type = 'button';
    const clock = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(new Date(m.time));
    b.textContent = `${t(`phase.${m.phase}`)} · ${clock}`;
    b.dataset.seq = m.seq;
    b.addEventListener('click', () => { pause(); show(m.seq); });
    return b;
  }));
}

function tick() {
  if (!playing) return;
  const elapsed = (performance.now() - playing.startedAt) * playing.speed;
  const now = playing.fromTime + elapsed;
  let seq = wantedSeq;
  while (seq < timeline.head && timeOf(seq + 1) <= now) seq += 1;
  if (seq !== wantedSeq) show(seq);
  if (seq >= timeline.head) {
    pause();
    return;
  }
  requestAnimationFrame(tick);
}

function play() {
  if (wantedSeq >= timeline.head) show(1);
  playing = { startedAt: performance.now(), fromTime: timeOf(wantedSeq), speed: Number($('speed').value) };
  $('play').textContent = t('replay.pause');
  requestAnimationFrame(tick);
}

function pause() {
  playing = null;
  $('play').textContent = t('replay.play');
}

async function download(format) {
  const lang = $('minutes-lang').value;
  try {
    await downloadWithToken(`/api/sessions/${sessionId}/minutes.${format}?lang=${lang}`, token, `compte-rendu.${format}`);
    $('download-error').textContent = '';
  } catch {
    $('download-error').textContent = t('replay.download_failed');
  }
}

$('play').addEventListener('click', () => (playing ? pause() : play()));
$('speed').addEventListener('change', () => { if (playing) play(); });
$('slider').addEventListener('input', () => { pause(); show(Number($('slider').value)); });
for (const button of document.querySelectorAll('[data-format]')) {
  button.addEventListener('click', () => download(button.dataset.format));
}
createPanZoom({ viewport: $('viewport'), world: $('world'), view: { x: 40, y: 40, zoom: 0.7 } });

await loadLanguage();
$('minutes-lang').value = document.documentElement.lang;
$('back-to-board').href = `/tableau#${token}`;
if (!sessionId || !token) {
  $('fatal').hidden = false;
  $('fatal').textContent = t('board.no_token');
} else {
  try {
    // The session's export: its whole log (and the state it folds into).
    const session = await (await api('minutes.json')).json();
    loadLog(session.log);
    // A walk's stops and notes also go on a map.
    $('download-geojson').hidden = Object.keys(session.state?.stops ?? {}).length === 0;
    timeline = timelineOf(log);
    $('slider').max = String(timeline.head);
    renderMarkers();
    show(timeline.head);
  } catch {
    $('fatal').hidden = false;
    $('fatal').textContent = t('replay.load_failed');
  }
}
setupLanguageSwitch($('lang-switch'), async () => {
  if (!timeline) return;
  renderMarkers();
  if (!playing) $('play').textContent = t('replay.play');
  draw(stateAt(shownSeq));
  $('clock').textContent = clockText(shownSeq);
});
