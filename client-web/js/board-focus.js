// Projection focus: one theme at a time over the whole board area, so that
// notes stay readable from the back of the room (120 notes fitted on one
// screen shrink to a few pixels). A theme too big for the screen is paged,
// never shrunk below the readable size. The overview shows every theme as a
// big tile with its count (and its dots once the vote is over). During
// private writing no note text is ever shown here.

import { t } from './i18n.js';
import { el } from './dom.js';
import { votingOver } from './results.js';
import { stopLabels, categoryLabel } from './walk.js';

// Text sizes tried from the largest (a short theme fills the screen); the
// last is the readable minimum (see --focus-base in board.css).
const SCALES = [1.6, 1.3, 1];
const NEXT_KEYS = ['ArrowRight', 'ArrowDown', 'PageDown'];
const PREVIOUS_KEYS = ['ArrowLeft', 'ArrowUp', 'PageUp'];


// The themes in creation order, then the notes outside any theme. A theme's
// dots are its own and its notes' (as in the results).
function groupsOf(state) {
  const notes = Object.values(state.notes).sort((a, b) => a.created_seq - b.created_seq);
  const group = (id, title, own, members) => ({
    id, title, notes: members, votes: members.reduce((sum, n) => sum + n.vote_total, own),
  });
  const groups = Object.values(state.themes)
    .sort((a, b) => a.created_seq - b.created_seq)
    .map((th) => group(th.id, th.title, th.vote_total, notes.filter((n) => n.theme === th.id)));
  const loose = notes.filter((n) => !n.theme || !state.themes[n.theme]);
  if (loose.length) groups.push(group('', t('board.no_theme'), 0, loose));
  return groups;
}

function votesBadge(n) {
  const badge = el('span', { className: 'votes', textContent: `● ${n}` });
  badge.setAttribute('aria-label', t('board.votes', { n }));
  return badge;
}

// tags: a walk's labels of the note (its category, its stop), if any.
function card(n, showVotes, tags) {
  return el('article', { className: `note focus-note ${n.color}` },
    tags ? el('span', { className: 'focus-tags', textContent: tags }) : null,
    el('span', { className: 'note-text', textContent: n.text }),
    showVotes && n.vote_total > 0 ? votesBadge(n.vote_total) : null);
}

// board: the elements under the overlay, hidden while it is shown (out of
// reach of the keyboard and of screen readers too).
export function createFocus({ overlay, heading, count, body, pageLabel, buttons, board }) {
  let state = null;
  let mode = null; // null (the board), 'overview' or 'theme'
  let groupId = null;
  let page = 0;
  let lastPage = 0;
  let opener = null;

  // How many of the first items fit whole in the body as drawn now.
  function fitting(items) {
    body.replaceChildren(...items);
    const limit = body.clientHeight;
    const over = items.findIndex((item) => item.offsetTop + item.offsetHeight > limit);
    return over === -1 ? items.length : over;
  }

  // The largest text size at which everything fits on one page, else pages
  // at the smallest size (at least one note a page).
  function paginate(notes, build) {
    for (const scale of SCALES) {
      body.style.setProperty('--focus-scale', scale);
      if (fitting(notes.map(build)) === notes.length) return [notes];
    }
    const pages = [];
    for (let rest = notes; rest.length;) {
      const n = Math.max(1, fitting(rest.map(build)));
      pages.push(rest.slice(0, n));
      rest = rest.slice(n);
    }
    return pages;
  }

  function drawTheme(group) {
    heading.textContent = group.title;
    const counts = [t('board.focus_notes', { n: group.notes.length })];
    if (votingOver(state) && group.votes > 0) counts.push(t('board.votes', { n: group.votes }));
    count.textContent = counts.join(' · ');
    if (state.phase === 'writing') {
      body.replaceChildren(el('p', { className: 'focus-private', textContent: t('board.focus_private') }));
      showPages(1);
      return;
    }
    const stops = stopLabels(state);
    const build = (n) => card(n, votingOver(state), [categoryLabel(state, n.category), stops.get(n.stop)].filter(Boolean).join(' · '));
    const pages = paginate(group.notes, build);
    page = Math.min(page, pages.length - 1);
    body.replaceChildren(...pages[page].map(build));
    showPages(pages.length);
  }

  // The page buttons stay enabled (a disabled button would drop the focus):
  // past the first or last page they move on to the next theme, as PageUp
  // and PageDown do.
  function showPages(pages) {
    pageLabel.textContent = t('board.focus_page', { page: page + 1, pages });
    for (const part of [pageLabel, buttons.pagePrev, buttons.pageNext]) part.hidden = pages < 2;
    lastPage = pages - 1;
  }

  function drawOverview(groups) {
    heading.textContent = t('board.focus_overview');
    count.textContent = t('board.focus_themes', { n: groups.length });
    const tile = (g) => {
      const b = el('button', { type: 'button', className: 'focus-tile' },
        el('span', { className: 'focus-tile-title', textContent: g.title }),
        el('span', { className: 'focus-tile-count', textContent: t('board.focus_notes', { n: g.notes.length }) }),
        votingOver(state) && g.votes > 0 ? votesBadge(g.votes) : null);
      b.dataset.key = `tile-${g.id}`;
      b.addEventListener('click', () => showGroup(g.id, 0));
      return b;
    };
    // Measuring replaces the tiles: the focused one gets the focus back.
    const focused = body.contains(document.activeElement) ? document.activeElement.dataset.key : null;
    const fits = (scale) => {
      body.style.setProperty('--focus-scale', scale);
      return fitting(groups.map(tile)) === groups.length;
    };
    if (!SCALES.some(fits)) body.style.setProperty('--focus-scale', SCALES.at(-1));
    body.replaceChildren(...groups.map(tile));
    if (focused) body.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    showPages(1);
  }

  function draw() {
    // On the board itself (at every op) there is nothing to group.
    const groups = mode && state ? groupsOf(state) : [];
    const group = groups.find((g) => g.id === groupId);
    // A theme deleted meanwhile: back to the overview.
    if (mode === 'theme' && !group) mode = 'overview';
    overlay.hidden = !mode;
    overlay.classList.toggle('overview', mode === 'overview');
    for (const part of board) part.hidden = Boolean(mode);
    if (mode === 'theme') drawTheme(group);
    else if (mode === 'overview') drawOverview(groups);
    // A page button just hidden had the focus: keep it in the overlay.
    if (mode && document.activeElement === document.body) overlay.focus();
  }

  function showGroup(id, at) {
    mode = 'theme';
    groupId = id;
    page = at;
    draw();
  }

  function showOverview() {
    mode = 'overview';
    draw();
  }

  // Themes come one after the other, then the overview, then the first
  // theme again; pages move within a theme before moving on.
  function step(delta, { byPage }) {
    const groups = groupsOf(state);
    const at = mode === 'theme' ? groups.findIndex((g) => g.id === groupId) : -1;
    if (byPage && at !== -1 && page + delta >= 0 && page + delta <= lastPage) {
      page += delta;
      draw();
      return;
    }
    const next = at === -1 ? (delta > 0 ? 0 : groups.length - 1) : at + delta;
    if (next < 0 || next >= groups.length) showOverview();
    else showGroup(groups[next].id, byPage && delta < 0 ? Infinity : 0);
  }

  function open(from, show) {
    if (!mode) opener = from;
    show();
    overlay.focus();
  }

  function close() {
    mode = null;
    draw();
    opener?.focus();
  }

  buttons.enterPrev.addEventListener('click', () => open(buttons.enterPrev, () => step(-1, { byPage: false })));
  buttons.enterNext.addEventListener('click', () => open(buttons.enterNext, () => step(1, { byPage: false })));
  buttons.enterOverview.addEventListener('click', () => open(buttons.enterOverview, showOverview));
  buttons.prev.addEventListener('click', () => step(-1, { byPage: false }));
  buttons.next.addEventListener('click', () => step(1, { byPage: false }));
  buttons.pagePrev.addEventListener('click', () => step(-1, { byPage: true }));
  buttons.pageNext.addEventListener('click', () => step(1, { byPage: true }));
  buttons.overview.addEventListener('click', showOverview);
  buttons.close.addEventListener('click', close);

  // A presenter's remote sends PageDown and PageUp; typing stays typing.
  document.addEventListener('keydown', (e) => {
    if (!mode || e.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (e.target.closest?.('input, textarea, select')) return;
    if (e.key === 'Escape') close();
    else if (NEXT_KEYS.includes(e.key)) step(1, { byPage: true });
    else if (PREVIOUS_KEYS.includes(e.key)) step(-1, { byPage: true });
    else return;
    e.preventDefault();
  });
  window.addEventListener('resize', draw);

  return {
    // Called at every render of the board.
    update(next) {
      state = next;
      const empty = Object.keys(state.themes).length === 0 && Object.keys(state.notes).length === 0;
      for (const b of [buttons.enterPrev, buttons.enterNext, buttons.enterOverview]) b.hidden = empty;
      draw();
    },
  };
}
