// The board: what the projector shows and where the facilitator runs the
// session. Notes move by dragging, by the keyboard (arrows) or through the
// "Déplacer vers…" menu, so nothing needs a pointer (WCAG 2.5.7).

import { loadLanguage, setupLanguageSwitch, t, formatDate, formatDuration, translatePage, currentLanguage } from './i18n.js';
import { Connection } from './connection.js';
import { presentCount, votesHidden } from './board-state.js';
import { COLORS, LAYOUT, LIMITS, PHASES } from './vocabulary.js';
import { rememberSession, forgetSession, boardStorageKey } from './recent.js';
import { createWorldView } from './board-view.js';
import { createPanZoom, followDrag } from './pan-zoom.js';
import { el, replaceKeepingEdits } from './dom.js';
import { createUndo, renderBin } from './board-bin.js';
import { actionPlan } from './board-plan.js';
import { renderAttendance, attendanceChanges } from './board-attendance.js';
import { askToDeleteSession } from './session-delete.js';
import { createJoinPanel } from './board-join.js';
import { createFocus } from './board-focus.js';
import { createWalkPanel } from './board-walk.js';
import { createBoardPhotos } from './board-photos.js';
import { route, stopLabels, categoriesOf, categoryColor } from './walk.js';

const $ = (id) => document.getElementById(id);
const token = location.hash.slice(1);
// ?render=full draws the whole board again at every render: the baseline of
// the browser benchmark (benchmarks/browser).
const fullRender = new URLSearchParams(location.search).get('render') === 'full';
let connection = null;
let peek = false;
let dragging = false;
let menuNote = null;


function send(op) {
  connection.send(op);
}

const undo = createUndo({ region: $('undo'), send, whenGone: () => $('bin-summary') });
const join = createJoinPanel({
  panel: $('join-panel'), badge: $('join-badge'), badgeCode: $('join-badge-code'), badgeUrl: $('join-badge-url'),
  toggle: $('toggle-join'), shrink: $('join-shrink'), onChange: () => render(),
});
const walkPanel = createWalkPanel({ send });
const focus = createFocus({
  overlay: $('focus'), heading: $('focus-title'), count: $('focus-count'), body: $('focus-body'), pageLabel: $('focus-page'),
  board: [$('world'), document.querySelector('.zoom')],
  buttons: {
    enterPrev: $('focus-prev'), enterNext: $('focus-next'), enterOverview: $('focus-overview'),
    prev: $('focus-nav-prev'), next: $('focus-nav-next'), pagePrev: $('focus-page-prev'), pageNext: $('focus-page-next'),
    overview: $('focus-nav-overview'), close: $('focus-close'),
  },
});

// The controls are on the facilitator's screen only; projecting hides them.
const projecting = () => document.body.classList.contains('projecting');
// What the projector must not show: private notes during the writing phase,
// unless the facilitator peeks (on their own screen, never while projecting).
const dotsPlaced = (state) => [...Object.values(state.notes), ...Object.values(state.themes)]
  .reduce((sum, x) => sum + x.vote_total, 0);
const textsHidden = (state) => state.phase === 'writing' && !peek;

// ---------------------------------------------------------------- layout

// Below this zoom a note's "⋯" (40 px high in the world) would be under the
// 24 px a target needs on the screen (WCAG 2.5.8): the buttons are hidden,
// and a click on the note itself (a far bigger target) opens its menu, as
// Enter does from the keyboard.
const MENU_BUTTON_ZOOM = 0.6;

// Dragging the background pans; notes, themes and panels have drags of their own.
const panZoom = createPanZoom({
  viewport: $('viewport'), world: $('world'), view: { x: 40, y: 40, zoom: 1 },
  ignore: '.board-note, .theme-box, .join-panel, .zoom, .focus, button',
  onChange: (v) => $('world').classList.toggle('small-targets', v.zoom < MENU_BUTTON_ZOOM),
});
const view = panZoom.view;

// Zooms so that every note and theme shows whole. Sizes are measured, not
// assumed: a note's height depends on its text. Keeps clear of the zoom
// buttons (bottom left) and of what the join panel or badge covers: beside
// it or below it, whichever leaves the notes bigger.
function fitAll() {
  const items = [...$('world').children];
  if (!items.length) return;
  const minX = Math.min(...items.map((n) => n.offsetLeft));
  const minY = Math.min(...items.map((n) => n.offsetTop));
  const maxX = Math.max(...items.map((n) => n.offsetLeft + n.offsetWidth));
  const maxY = Math.max(...items.map((n) => n.offsetTop + n.offsetHeight));
  const box = $('viewport').getBoundingClientRect();
  const pad = { side: 40, top: 40, bottom: 100 };
  // The zoom bar may take two rows on a narrow screen.
  const bottom = Math.min(box.bottom - pad.bottom, document.querySelector('.zoom').getBoundingClientRect().top - 20);
  const area = { left: box.left + pad.side, top: box.top + pad.top, right: box.right - pad.side, bottom };
  const covered = join.covered();
  const areas = covered
    ? [{ ...area, right: Math.min(area.right, covered.left - pad.side) }, { ...area, top: Math.max(area.top, covered.bottom + pad.side) }]
    : [area];
  // No lower bound worth the name: a board too big to read whole is still
  // shown whole (the focus mode is there to read it).
  const zoomFor = (a) => Math.min(1.4, Math.max(0.02, Math.min((a.right - a.left) / (maxX - minX), (a.bottom - a.top) / (maxY - minY))));
  const best = areas.reduce((a, b) => (zoomFor(b) > zoomFor(a) ? b : a));
  const zoom = zoomFor(best);
  panZoom.set({ zoom, x: best.left - box.left - minX * zoom, y: best.top - box.top - minY * zoom });
}

// ---------------------------------------------------------------- rendering

// Each note's "⋯"; its clicks, like the notes' drags and keys, are heard on
// the world element (see "moving notes").
function menuButton() {
  const button = el('button', { type: 'button', className: 'note-menu-button', textContent: '⋯' });
  button.setAttribute('aria-label', t('board.note_actions'));
  return button;
}

// A walk's photos, fetched with this board's token (js/board-photos.js).
const photos = createBoardPhotos({
  sessionId: () => connection?.sessionId, token: () => token, send,
  noteOf: (id) => connection?.state?.notes[id],
});
const worldView = createWorldView($('world'), { menuButton, photos });

// The controls' lists are drawn again only when what they show changed: on a
// big board, every op would otherwise cost milliseconds for nothing (always,
// with ?render=full).
const drawnFrom = new Map();
function changed(part, inputs) {
  const key = JSON.stringify([currentLanguage(), inputs]);
  if (drawnFrom.get(part) === key && !fullRender) return false;
  drawnFrom.set(part, key);
  return true;
}

// What the server says and what this board sends are drawn once per frame:
// a burst of events (a table's notes revealed, a vote) costs one render.
// then: called after that render (e.g. to measure what it drew).
let renderDue = false;
const afterRender = [];
function renderSoon(then = null) {
  if (then) afterRender.push(then);
  if (renderDue) return;
  renderDue = true;
  requestAnimationFrame(() => {
    renderDue = false;
    render();
    for (const callback of afterRender.splice(0)) callback();
  });
}

function render() {
  const state = connection?.state;
  $('offline').hidden = !connection || connection.online;
  if (!state || dragging) return;
  const focused = document.activeElement?.dataset?.note;

  // The header may cut them short (one line on a laptop): whole in a tooltip.
  $('title').textContent = state.settings.title;
  $('title').title = state.settings.title;
  $('question').textContent = state.settings.question;
  $('question').title = state.settings.question;
  $('phase-label').textContent = t(`phase.${state.phase}`);
  $('people').textContent = t('board.people', { n: presentCount(state) });
  // During a hidden vote the room sees how many dots are placed, not where.
  $('votes-hidden').hidden = !votesHidden(state);
  if (votesHidden(state)) $('votes-hidden').textContent = t('board.votes_hidden', { n: dotsPlaced(state) });
  $('locked').hidden = !state.locked;
  $('lock').setAttribute('aria-pressed', String(state.locked));
  $('lock').textContent = t(state.locked ? 'board.unlock' : 'board.lock');
  if (state.phase !== 'writing' || projecting()) peek = false;
  $('peek').setAttribute('aria-pressed', String(peek));
  $('peek').hidden = state.phase !== 'writing';
  $('peek-warning').hidden = !peek;

  renderJoinPanel(state);
  if (fullRender) worldView.reset();
  // The menu shows a note's text: none for a private note on the projector.
  const hidden = textsHidden(state);
  worldView.render(state, { hidden, menu: !(hidden && projecting()) });
  photos.keep(state);
  renderControls(state);
  walkPanel.update(state);
  if (changed('bin', [state.phase, state.deleted_notes, state.deleted_themes])) {
    renderBin({ summary: $('bin-summary'), list: $('bin-list'), empty: $('bin-empty'), closedHint: $('bin-closed') }, state, send);
  }
  if (changed('attendance', [state.settings.profiles, state.scribe_attendance])) {
    renderAttendance($('attendance'), $('attendance-total'), state);
  }
  renderTimer();
  focus.update(state);

  if (focused) document.querySelector(`[data-note="${focused}"]`)?.focus();
}

function renderJoinPanel(state) {
  join.update(state, connection);
  if (connection.joinCode && changed('join', [connection.joinCode, connection.joinUrl, connection.sessionId])) {
    $('join-code').textContent = connection.joinCode;
    // Line breaks only after a slash, never inside the code.
    const parts = connection.joinUrl.split(/(?<=\/)/);
    $('join-url').replaceChildren(...parts.flatMap((part) => [part, document.createElement('wbr')]));
    const src = `/api/sessions/${connection.sessionId}/qr.svg`;
    if ($('qr').getAttribute('src') !== src) $('qr').src = src;
    $('qr').alt = t('board.qr_alt', { url: connection.joinUrl });
  }
  const count = Object.keys(state.notes).length;
  $('private-count').hidden = !textsHidden(state) || count === 0;
  $('private-count').textContent = t('board.private_count', { n: count });
}

// When the server erases the session: its period after the last activity
// (the server may keep sessions for less; the minutes give its own date).
function renderRetention(state) {
  const days = state.settings.retention_days;
  if (document.activeElement !== $('retention')) $('retention').value = days || '';
  $('erase-date').textContent = days > 0
    ? t('board.erase_date', { date: formatDate(state.updated_time + days * 86400000) })
    : t('board.kept_until_deleted');
}

function renderControls(state) {
  if (changed('phases', state.phase)) renderPhases(state);
  if (document.activeElement !== $('budget')) $('budget').value = state.settings.vote_budget;
  renderRetention(state);
  renderProxyCategories(state);
  const profiles = $('proxy-profile');
  if (profiles.options.length !== state.settings.profiles.length + 1) {
    profiles.replaceChildren(el('option', { value: '', textContent: t('phone.profile_none') }),
      ...state.settings.profiles.map((p) => el('option', { value: p, textContent: t(`profile.${p}`) })));
  }
  // Synthesis and action plan: from the synthesis phase on (also once closed:
  // they are often finished after the meeting).
  const showSynthesis = state.phase === 'synthesis' || state.phase === 'closed';
  const themes = Object.values(state.themes).sort((a, b) => a.created_seq - b.created_seq);
  if (!changed('themes', [state.phase, themes.map((th) => [th.id, th.title, th.synthesis]), state.actions])) return;
  // Not drawn while someone composes an accent there: drawn at the next render.
  if (!replaceKeepingEdits($('theme-list'), themes.map((th) => themeControls(state, th, showSynthesis)))) drawnFrom.delete('themes');
}

// On a walk, a note written for someone gets a category too (its colour
// follows, as on the phones).
function renderProxyCategories(state) {
  const categories = categoriesOf(state);
  $('proxy-category-field').hidden = categories.length === 0;
  if (!changed('proxy-categories', categories)) return;
  const select = $('proxy-category');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '', textContent: t('walk.category_none') }),
    ...categories.map((label, i) => el('option', { value: String(i), textContent: label })));
  select.value = Number(chosen) < categories.length ? chosen : '';
}

function renderPhases(state) {
  replaceKeepingEdits($('phases'), PHASES.map((p, i) => {
    const b = el('button', { type: 'button', textContent: `${i + 1}. ${t(`phase.${p}`)}` });
    b.dataset.key = p;
    b.setAttribute('aria-pressed', String(state.phase === p));
    b.addEventListener('click', () => {
      // Closing freezes the board for everyone: say so first.
      if (p === 'closed' && connection.state.phase !== 'closed') $('close-dialog').showModal();
      else send({ kind: 'phase.set', phase: p });
    });
    return b;
  }));
}

function themeControls(state, th, showSynthesis) {
  const li = el('li');
  li.dataset.theme = th.id;
  const keyed = (node, part) => {
    node.dataset.key = `theme-${th.id}-${part}`;
    return node;
  };
  // Once closed the server refuses renaming and deleting themes; the
  // synthesis and the action plan stay open (often finished afterwards).
  const closed = state.phase === 'closed';
  const input = keyed(el('input', { defaultValue: th.title, maxLength: LIMITS.title_chars, readOnly: closed }), 'title');
  input.setAttribute('aria-label', t('board.theme_title_of', { title: th.title }));
  const rename = keyed(el('button', { type: 'button', textContent: t('board.rename'), disabled: closed }), 'rename');
  rename.addEventListener('click', () => {
    const title = input.value.trim();
    if (title && title !== th.title) send({ kind: 'theme.rename', theme: th.id, title });
    rename.focus();
  });
  const remove = keyed(el('button', { type: 'button', className: 'danger', textContent: t('board.delete'), disabled: closed }), 'delete');
  remove.setAttribute('aria-label', t('board.delete_theme', { title: th.title }));
  // No "are you sure?": the deletion can be undone (the offer, then the bin).
  remove.addEventListener('click', () => {
    send({ kind: 'theme.delete', theme: th.id });
    undo.offer('theme', th.id, th.title);
  });
  li.append(el('div', { className: 'row' }, input, rename, remove));
  if (showSynthesis) {
    const area = keyed(el('textarea', { defaultValue: th.synthesis, rows: 3 }), 'synthesis');
    area.setAttribute('aria-label', t('board.synthesis_of', { title: th.title }));
    const save = keyed(el('button', { type: 'button', textContent: t('board.save_synthesis') }), 'save-synthesis');
    save.addEventListener('click', () => {
      send({ kind: 'theme.synthesis', theme: th.id, text: area.value });
      save.focus();
    });
    li.append(area, save, actionPlan(state, th, send));
  }
  return li;
}

function renderTimer() {
  const timer = connection?.state?.timer;
  $('timer').hidden = !timer;
  if (!timer) return;
  const left = (timer.started_time + timer.seconds * 1000 - Date.now()) / 1000;
  $('timer').textContent = left > 0 ? `⏱ ${formatDuration(left)}` : t('board.time_up');
}

// ---------------------------------------------------------------- moving notes

// One set of listeners for every note and theme heading of the world.
$('world').addEventListener('pointerdown', (e) => {
  if (e.button !== 0) return;
  const note = e.target.closest('.board-note');
  const heading = e.target.closest('.theme-box > h3');
  if (note && !e.target.closest('button')) dragNote(note, e);
  else if (!note && heading) dragTheme(heading, e);
  else return;
  e.stopPropagation();
});
$('world').addEventListener('keydown', (e) => {
  // A photo's thumbnail is a button of its own: Enter opens the photo.
  if (e.target.closest('.note-photo')) return;
  const note = e.target.closest('.board-note');
  if (note) onNoteKey(e, note.dataset.note);
});
$('world').addEventListener('click', (e) => {
  const button = e.target.closest('.note-menu-button');
  if (button) openMenu(button.closest('.board-note').dataset.note);
  const thumb = e.target.closest('.note-photo');
  if (thumb) photos.open(thumb.closest('.board-note').dataset.note, thumb);
});

function dragNote(node, e) {
  followDrag(node, e, {
    slop: 6,
    onMove: (at) => {
      dragging = true;
      node.classList.add('dragging');
      node.style.transform = `translate(${at.dx / view.zoom}px, ${at.dy / view.zoom}px)`;
      highlightTheme(themeAt(at.x, at.y, node));
    },
    onEnd: (moved, at) => {
      highlightTheme(null);
      dragging = false;
      if (!moved) {
        if ($('world').classList.contains('small-targets')) openMenu(node.dataset.note);
        return;
      }
      const theme = themeAt(at.x, at.y, node);
      const box = node.getBoundingClientRect();
      // Back in its place until the server's event moves it.
      node.classList.remove('dragging');
      node.style.transform = '';
      dropNote(node.dataset.note, theme, panZoom.toWorld(box.left, box.top));
      render();
    },
  });
}

function themeAt(x, y, except) {
  for (const target of document.elementsFromPoint(x, y)) {
    if (except.contains(target)) continue;
    const box = target.closest?.('.theme-box');
    if (box) return box.dataset.theme;
  }
  return null;
}

function highlightTheme(id) {
  for (const box of document.querySelectorAll('.theme-box')) {
    box.classList.toggle('drop-target', box.dataset.theme === id);
  }
}

function dropNote(noteId, theme, at) {
  const n = connection.state.notes[noteId];
  if (!n) return;
  if (theme) {
    if (n.theme !== theme) send({ kind: 'note.group', note: noteId, theme });
    return;
  }
  if (n.theme) send({ kind: 'note.group', note: noteId, theme: null });
  const spot = freeCellNear(noteId, at);
  send({ kind: 'note.move', note: noteId, x: spot.x, y: spot.y });
}

// The server's grid for notes outside a theme.
const CELL = { width: LAYOUT.spot_width, height: LAYOUT.spot_height };

// Where a dropped note lands: the cell of the grid nearest to where it was
// let go that no other note or theme covers, so a drop never hides a note.
// Boxes are measured in the world (a note's height depends on its text).
function freeCellNear(noteId, at) {
  const boxes = [...$('world').children]
    .filter((item) => item.dataset.note !== noteId)
    .map((item) => ({ x: item.offsetLeft, y: item.offsetTop, w: item.offsetWidth, h: item.offsetHeight }));
  const height = document.querySelector(`.world > [data-note="${noteId}"]`)?.offsetHeight ?? CELL.height - 20;
  const free = (x, y) => boxes.every((b) => x + CELL.width - 20 <= b.x || b.x + b.w <= x || y + height <= b.y || b.y + b.h <= y);
  const column = Math.round(at.x / CELL.width);
  const row = Math.round(at.y / CELL.height);
  // Rings of cells around the drop, nearest first; a board has far fewer
  // than 40 rings of notes around any point.
  for (let ring = 0; ring < 40; ring += 1) {
    for (let dy = -ring; dy <= ring; dy += 1) {
      for (let dx = -ring; dx <= ring; dx += 1) {
        if (Math.max(Math.abs(dx), Math.abs(dy)) !== ring) continue;
        const x = (column + dx) * CELL.width;
        const y = (row + dy) * CELL.height;
        if (free(x, y)) return { x, y };
      }
    }
  }
  return { x: Math.round(at.x), y: Math.round(at.y) };
}

function dragTheme(handle, e) {
  const box = handle.parentElement;
  followDrag(handle, e, {
    slop: 6,
    onMove: (at) => {
      dragging = true;
      box.style.transform = `translate(${at.dx / view.zoom}px, ${at.dy / view.zoom}px)`;
    },
    onEnd: (moved, at) => {
      dragging = false;
      box.style.transform = '';
      const th = connection.state.themes[box.dataset.theme];
      if (moved && th) {
        send({ kind: 'theme.move', theme: th.id, x: Math.round(th.x + at.dx / view.zoom), y: Math.round(th.y + at.dy / view.zoom) });
      }
      render();
    },
  });
}

function onNoteKey(e, noteId) {
  const step = e.shiftKey ? 100 : 20;
  const n = connection.state.notes[noteId];
  const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
  if (e.key in moves && n && !n.theme) {
    e.preventDefault();
    const [dx, dy] = moves[e.key];
    send({ kind: 'note.move', note: noteId, x: n.x + dx, y: n.y + dy });
  } else if (e.key === 'Enter' || e.key === ' ') {
    e.preventDefault();
    openMenu(noteId);
  }
}

// ---------------------------------------------------------------- note menu

function openMenu(noteId) {
  const state = connection.state;
  const n = state.notes[noteId];
  if (!n || (textsHidden(state) && projecting())) return;
  menuNote = noteId;
  $('menu-note').className = `note ${n.color}`;
  $('menu-note').textContent = n.text;
  // Once closed the server refuses every change to a note: say it, offer none.
  $('menu-closed').hidden = state.phase !== 'closed';
  $('menu-actions').disabled = state.phase === 'closed';
  $('menu-delete').disabled = state.phase === 'closed';
  $('menu-text').value = n.text;
  $('menu-text').maxLength = state.settings.note_max_length;
  $('menu-error').textContent = '';
  renderMenuColors(n.color);
  const target = (label, theme) => {
    const b = el('button', { type: 'button', textContent: label });
    if ((n.theme ?? null) === theme) b.setAttribute('aria-current', 'true');
    b.addEventListener('click', () => {
      send({ kind: 'note.group', note: noteId, theme });
      closeMenu();
    });
    return b;
  };
  $('menu-themes').replaceChildren(
    ...Object.values(state.themes).sort((a, b) => a.created_seq - b.created_seq).map((th) => target(th.title, th.id)),
    target(t('board.no_theme'), null),
  );
  $('menu-merge').replaceChildren(...Object.values(state.notes)
    .filter((o) => o.id !== noteId)
    .sort((a, b) => a.created_seq - b.created_seq)
    .map((o) => el('option', { value: o.id, textContent: o.text.slice(0, 80) })));
  $('menu-merge-go').disabled = $('menu-merge').options.length === 0;
  renderMenuStop(state, n);
  $('menu-photo-part').hidden = !n.photo;
  $('note-menu').showModal();
}

// A facilitator fixing a note written for someone picks the colour here too.
function renderMenuColors(current) {
  const box = $('menu-colors');
  box.replaceChildren(box.querySelector('legend'), ...COLORS.map((c) => {
    const input = el('input', { type: 'radio', name: 'menu-color', value: c, checked: c === current });
    input.setAttribute('aria-label', t(`color.${c}`));
    input.addEventListener('change', () => {
      if (!menuNote || !input.checked) return;
      send({ kind: 'note.color', note: menuNote, color: c });
      $('menu-note').className = `note ${c}`;
    });
    return el('label', { className: 'swatch' }, input, el('span', { className: c }));
  }));
}

// On a walk: the stop the note belongs to, which the facilitator may change
// (a note written at the wrong stop, or offline after the group moved on).
function renderMenuStop(state, n) {
  const stops = route(state);
  $('menu-stop-part').hidden = stops.length === 0;
  const labels = stopLabels(state);
  $('menu-stop').replaceChildren(...stops.map((stop) => el('option', { value: stop.id, textContent: labels.get(stop.id) })),
    el('option', { value: '', textContent: t('walk.no_stop') }));
  $('menu-stop').value = n.stop ?? '';
}

function closeMenu() {
  const id = menuNote;
  menuNote = null;
  $('note-menu').close();
  document.querySelector(`[data-note="${id}"]`)?.focus();
}

$('menu-close').addEventListener('click', closeMenu);
$('note-menu').addEventListener('close', () => { menuNote = null; });
$('menu-text-save').addEventListener('click', () => {
  const n = connection.state.notes[menuNote];
  if (!n) return;
  // Carriage returns are refused on the wire: line breaks are \n alone.
  const text = $('menu-text').value.replace(/\r\n?/g, '\n');
  if (!text.trim()) {
    $('menu-error').textContent = t('board.text_missing');
    $('menu-text').focus();
    return;
  }
  if (text !== n.text) send({ kind: 'note.edit', note: menuNote, text });
  closeMenu();
});
// No "are you sure?": the deletion can be undone (the offer, then the bin).
$('menu-delete').addEventListener('click', () => {
  const n = menuNote && connection.state.notes[menuNote];
  if (!n) return;
  send({ kind: 'note.delete', note: n.id });
  menuNote = null;
  $('note-menu').close();
  undo.offer('note', n.id, n.text);
});
// A face or a number plate on a walk's photo: detached from the note, after
// a confirmation (the photo is then shown to nobody but the facilitators).
$('menu-photo-hide').addEventListener('click', () => {
  const id = menuNote;
  if (!id) return;
  menuNote = null;
  $('note-menu').close();
  photos.askToHide(id, () => document.querySelector(`[data-note="${id}"]`)?.focus());
});
$('menu-stop-go').addEventListener('click', () => {
  const n = menuNote && connection.state.notes[menuNote];
  const stop = $('menu-stop').value || null;
  if (n && (n.stop ?? null) !== stop) send({ kind: 'note.stop', note: n.id, stop });
  closeMenu();
});
$('menu-merge-go').addEventListener('click', () => {
  const into = $('menu-merge').value;
  // The chosen note stays and keeps every author and vote of this one.
  if (menuNote && into) send({ kind: 'note.merge', note: menuNote, into });
  closeMenu();
});

// ---------------------------------------------------------------- controls

// Projecting turns peeking off (render) before the room can see anything.
$('toggle-controls').addEventListener('click', () => {
  document.body.classList.toggle('projecting');
  $('toggle-controls').setAttribute('aria-pressed', String(!projecting()));
  render();
});
$('peek').addEventListener('click', () => { peek = !peek; render(); });
$('lock').addEventListener('click', () => send({ kind: 'board.lock', locked: !connection.state.locked }));
// The server works out the tidy places (one op in the log, so the replay
// shows the same board); once they are here, show the whole board.
$('arrange').addEventListener('click', () => send({ kind: 'board.arrange' }));
$('timer-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const minutes = Number($('timer-minutes').value);
  if (minutes > 0) send({ kind: 'timer.start', seconds: Math.round(minutes * 60) });
});
$('timer-stop').addEventListener('click', () => send({ kind: 'timer.stop' }));
// Back to the "Clôture" button either way (the phase buttons may have been
// drawn again meanwhile, so the dialog's own focus return could miss it).
$('close-dialog').addEventListener('close', () => $('phases').querySelector('[data-key="closed"]')?.focus());
$('close-cancel').addEventListener('click', () => $('close-dialog').close());
$('close-confirm').addEventListener('click', () => {
  send({ kind: 'phase.set', phase: 'closed' });
  $('close-dialog').close();
});
$('attendance-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const ops = attendanceChanges($('attendance'), connection.state);
  $('control-error').textContent = ops ? '' : t('board.attendance_invalid');
  for (const op of ops ?? []) send(op);
});
$('delete-session').addEventListener('click', async () => {
  const outcome = await askToDeleteSession({
    sessionId: connection.sessionId, token, title: connection.state?.settings.title ?? '',
  });
  if (outcome) showDeleted();
});
$('theme-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const title = $('theme-title').value.trim();
  if (!title) return;
  // No x or y: the server puts the theme right of everything, as a column
  // of its own that no other theme or note runs into.
  send({ kind: 'theme.create', title });
  $('theme-title').value = '';
});
$('proxy-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const text = $('proxy-text').value.trim();
  if (!text) return;
  // No x or y: the server puts the note in the first free spot, so it never
  // lands on another one.
  const op = { kind: 'note.add', text, color: 'yellow' };
  if ($('proxy-profile').value) op.profile = $('proxy-profile').value;
  // On a walk: written at the stop the group is at, in the chosen category.
  const { current_stop: stop } = connection.state;
  if (stop) op.stop = stop;
  if ($('proxy-category').value !== '' && !$('proxy-category-field').hidden) {
    op.category = Number($('proxy-category').value);
    op.color = categoryColor(op.category);
  }
  send(op);
  $('proxy-text').value = '';
});
$('budget-form').addEventListener('submit', (e) => {
  e.preventDefault();
  send({ kind: 'settings.set', vote_budget: Number($('budget').value) });
});
$('retention').max = LIMITS.retention_days;
$('retention-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const days = Number($('retention').value);
  if (Number.isInteger(days) && days >= 1) send({ kind: 'settings.set', retention_days: days });
});
$('copy-link').addEventListener('click', async () => {
  $('board-link').select();
  try { await navigator.clipboard.writeText($('board-link').value); } catch { document.execCommand?.('copy'); }
});
$('zoom-in').addEventListener('click', () => panZoom.zoomBy(1.25));
$('zoom-out').addEventListener('click', () => panZoom.zoomBy(0.8));
$('zoom-fit').addEventListener('click', fitAll);

// The session is gone (deleted here or by a co-host): nothing of it stays on
// this computer, and the board says so instead of showing stale notes.
function showDeleted() {
  forgetSession(`/tableau#${token}`);
  for (const dialog of document.querySelectorAll('dialog[open]')) dialog.close();
  $('fatal').hidden = false;
  $('fatal').replaceChildren(t('board.deleted'), ' ', el('a', { href: '/', textContent: t('board.back_home') }));
  document.querySelector('.board-body').hidden = true;
}

// ---------------------------------------------------------------- start

$('theme-title').maxLength = LIMITS.title_chars;
await loadLanguage();
setupLanguageSwitch($('lang-switch'), render);
if (!token) {
  $('fatal').hidden = false;
  $('fatal').textContent = t('board.no_token');
} else {
  $('board-link').value = `${location.origin}/tableau#${token}`;
  // The storage keeps the outbox and this facilitator's own seat token (a
  // co-host on another computer has a seat of their own).
  connection = new Connection({ hello: { facilitator_token: token }, storageKey: boardStorageKey(token) });
  connection.addEventListener('state', (e) => {
    // Measured once the arranged board is drawn.
    renderSoon(e.detail?.event?.op?.kind === 'board.arrange' ? fitAll : null);
    if (e.detail?.welcome) {
      $('replay-link').href = `/rejouer#${connection.sessionId}:${token}`;
      rememberSession({
        title: connection.state.settings.title, board_url: `/tableau#${token}`,
        created: connection.state.created_time, session_id: connection.sessionId,
      });
    }
  });
  connection.addEventListener('outbox', () => renderSoon());
  connection.addEventListener('status', () => renderSoon());
  connection.addEventListener('servererror', (e) => {
    const error = e.detail;
    $('control-error').textContent = t(`error.${error.code}`);
    // A walk's refusals are also said in its panel, where they were made.
    const kind = error.op?.kind ?? '';
    if (kind.startsWith('stop.') || kind === 'note.stop' || (kind === 'settings.set' && 'categories' in error.op)) {
      walkPanel.showError(t(`error.${error.code}`));
    }
    // A stale seat token is retried without it (a new seat); only a refused
    // facilitator token stops the connection.
    if (error.code === 'invalid_token' && !error.op_id && connection.stopped) {
      $('fatal').hidden = false;
      $('fatal').textContent = t('board.bad_token');
    }
  });
  connection.addEventListener('deleted', showDeleted);
  connection.start();
  setInterval(renderTimer, 1000);
}
translatePage();
