// Replaying a session: a timeline over every op, played at the original pace
// or faster, with jumps to the phase markers. Each position shows the board
// exactly as the server folds its log up to that op; the minutes are
// downloaded from here too.

import { loadLanguage, setupLanguageSwitch, t, formatDuration } from './i18n.js';
import { createWorldView } from './board-view.js';
import { createPanZoom } from './pan-zoom.js';
import { presentCount } from './board-state.js';
import { downloadWithToken } from './download.js';

const $ = (id) => document.getElementById(id);
const [sessionId, token] = location.hash.slice(1).split(':');
const auth = { Authorization: `Bearer ${token}` };
let timeline = null;
let shownSeq = 0;
let wantedSeq = 0;
let loading = false;
let playing = null;  // { startedAt, fromTime, speed }
const worldView = createWorldView($('world'));

async function api(path) {
  const response = await fetch(`/api/sessions/${sessionId}/${path}`, { headers: auth });
  if (!response.ok) throw new Error(`${response.status}`);
  return response;
}

function timeOf(seq) {
  return timeline.ops[Math.max(0, Math.min(seq, timeline.ops.length) - 1)][1];
}

function clockText(seq) {
  const time = timeOf(seq);
  const clock = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short' }).format(new Date(time));
  return `${clock} (+${formatDuration((time - timeline.start) / 1000)})`;
}

// Shows the board at `seq`; only the newest wish is fetched when they pile up.
async function show(seq) {
  wantedSeq = seq;
  $('slider').value = String(seq);
  $('clock').textContent = clockText(seq);
  $('slider').setAttribute('aria-valuetext', clockText(seq));
  if (loading) return;
  loading = true;
  try {
    while (shownSeq !== wantedSeq) {
      const target = wantedSeq;
      const state = await (await api(`state?seq=${target}`)).json();
      shownSeq = target;
      draw(state);
    }
  } catch (e) {
    $('fatal').hidden = false;
    $('fatal').textContent = t('replay.load_failed');
  } finally {
    loading = false;
  }
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
    timeline = await (await api('timeline')).json();
    $('slider').max = String(timeline.head);
    renderMarkers();
    await show(timeline.head);
  } catch {
    $('fatal').hidden = false;
    $('fatal').textContent = t('replay.load_failed');
  }
}
setupLanguageSwitch($('lang-switch'), async () => {
  if (!timeline) return;
  renderMarkers();
  if (!playing) $('play').textContent = t('replay.play');
  const state = await (await api(`state?seq=${shownSeq}`)).json();
  draw(state);
  $('clock').textContent = clockText(shownSeq);
});
