// Drawing a board state into a "world" element: themes as named areas with
// their notes, free notes where they were put, vote counts. Used read-only by
// the replay; the live board adds its controls on top (its listeners are on
// the world element, so drawn elements carry none).
//
// The world is kept, not rebuilt: one element per note id and per theme id,
// and each render writes only what differs from what that element shows. An
// op on a board of 300 notes then costs the few elements it changed.

import { t, currentLanguage } from './i18n.js';
import { el } from './dom.js';
import { votesHidden } from './board-state.js';
import { rankedThemes, topIdeas, votingOver } from './results.js';
import { stopLabels, categoryLabel } from './walk.js';

const byCreation = (a, b) => a.created_seq - b.created_seq;

// Once the vote is over: id → place, for the themes with dots in the
// results' order and for the results' top ideas (results.js ranks as the
// minutes do), and each theme's score (its dots and its notes').
function ranksOf(state) {
  const ranks = new Map();
  const scores = new Map();
  rankedThemes(state).forEach((r, i) => {
    scores.set(r.theme.id, r.score);
    if (r.score > 0) ranks.set(r.theme.id, i + 1);
  });
  topIdeas(state).forEach((n, i) => ranks.set(n.id, i + 1));
  return { ranks, scores };
}

// rank: the place among the best, once the vote is over (0: none).
function setVotes(badge, count, rank) {
  badge.textContent = rank ? `● ${count} · ${t('board.rank', { n: rank })}` : `● ${count}`;
  badge.setAttribute('aria-label', rank
    ? `${t('board.votes', { n: count })}, ${t('board.rank_label', { n: rank })}`
    : t('board.votes', { n: count }));
}

// Puts `child` in `parent` before `next` (the end when null) when `wanted`,
// takes it out when not; a child already there stays put (and keeps focus).
function keep(parent, child, wanted, next = null) {
  if (!wanted) child.remove();
  else if (child.parentNode !== parent) parent.insertBefore(child, next?.parentNode === parent ? next : null);
}

// Makes `container`'s children exactly `nodes`, in order, moving as few as
// possible: what does not belong goes first, so that a removal moves nothing.
function arrange(container, nodes) {
  let same = container.childElementCount === nodes.length;
  for (let i = 0, child = container.firstElementChild; same && i < nodes.length; i += 1, child = child.nextElementSibling) {
    same = child === nodes[i];
  }
  if (same) return;  // the usual case
  const wanted = new Set(nodes);
  for (const child of [...container.children]) if (!wanted.has(child)) child.remove();
  let cursor = container.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(node, cursor);
  }
}

// What a note element shows, kept to compare with the next render.
// votes: whether counts show (not while a hidden vote goes on); ranks: the
// places of the best notes and themes once it is over; walk: the labels of a
// walk's notes (their category, their stop).
function noteLook(n, free, { hidden, menu, votes, ranks, walk, photos }) {
  return {
    color: n.color, hidden, text: n.text, free, x: n.x, y: n.y,
    votes: votes ? n.vote_total : 0, rank: ranks.get(n.id) ?? 0, authors: n.merged.length + 1, menu,
    category: hidden ? '' : walk.category(n), stop: hidden ? '' : walk.stops.get(n.stop) ?? '',
    photo: hidden || !photos ? '' : n.photo ?? '',
  };
}

const sameLook = (a, b) => Object.keys(a).every((key) => a[key] === b[key]);

function createNote(n, menuButton, photos) {
  const node = el('article');
  node.dataset.note = n.id;
  if (menuButton) node.tabIndex = 0;
  const parts = {
    node, look: {}, content: el('span'), badges: el('div', { className: 'badges' }),
    votes: el('span', { className: 'votes' }), authors: el('span'), menu: menuButton?.() ?? null,
    stop: el('p', { className: 'walk-stop' }), category: el('span', { className: 'walk-category' }),
    photo: null, photoImg: null,
  };
  if (photos) {
    // A walk's photo, small in the badges (the projector reads the text);
    // a button, which opens it whole (js/board-photos.js).
    parts.photoImg = el('img', { alt: '' });
    parts.photo = el('button', { type: 'button', className: 'note-photo' }, parts.photoImg);
  }
  node.append(parts.content, parts.badges);
  return parts;
}

// A walk's note says where it was written, above its text (the whole width
// for the stop's name), and what it is, first in its badges (a short label,
// beside the "⋯" that leaves the rest of that line empty).
function drawTags(parts, look, was) {
  if (look.category !== was.category) parts.category.textContent = look.category;
  if (look.stop !== was.stop) parts.stop.textContent = look.stop;
  keep(parts.badges, parts.category, Boolean(look.category), parts.badges.firstElementChild);
  keep(parts.node, parts.stop, Boolean(look.stop), parts.content);
}

// hidden: a private note without its text (the projector during private writing).
function drawNote(parts, look, photos) {
  const { node, look: was } = parts;
  if (sameLook(look, was)) return;
  const tagged = Boolean(look.category || look.stop);
  if (look.color !== was.color || look.hidden !== was.hidden || tagged !== Boolean(was.category || was.stop)) {
    node.className = `note board-note ${look.color}${look.hidden ? ' private' : ''}${tagged ? ' tagged' : ''}`;
  }
  if (look.category !== was.category || look.stop !== was.stop) drawTags(parts, look, was);
  // In a theme a note takes its place in the theme's flow.
  if (look.free && (!was.free || look.x !== was.x || look.y !== was.y)) {
    node.style.left = `${look.x}px`;
    node.style.top = `${look.y}px`;
  } else if (!look.free && was.free) {
    node.style.left = '';
    node.style.top = '';
  }
  if (look.hidden !== was.hidden || (!look.hidden && look.text !== was.text)) {
    if (look.hidden) {
      node.setAttribute('aria-label', t('board.private_note'));
      parts.content.className = 'visually-hidden';
      parts.content.textContent = t('board.private_note');
    } else {
      node.removeAttribute('aria-label');
      parts.content.className = 'note-text';
      parts.content.textContent = look.text;
    }
  }
  if ((look.votes !== was.votes || look.rank !== was.rank) && look.votes > 0) setVotes(parts.votes, look.votes, look.rank);
  if (parts.photo && look.photo && (look.photo !== was.photo || look.text !== was.text)) {
    parts.photoImg.alt = t('photo.alt', { text: look.text });
    if (look.photo !== was.photo) photos.show(parts.photoImg, look.photo);
  }
  if (look.authors !== was.authors && look.authors > 1) parts.authors.textContent = t('board.written_by', { n: look.authors });
  // The badges in their order (dots, authors, photo, menu): the menu button is never
  // moved, so it keeps the focus.
  if (parts.menu) keep(parts.badges, parts.menu, look.menu);
  if (parts.photo) keep(parts.badges, parts.photo, Boolean(look.photo), parts.menu);
  keep(parts.badges, parts.authors, look.authors > 1, parts.photo?.parentNode ? parts.photo : parts.menu);
  const afterVotes = [parts.authors, parts.photo].find((part) => part?.parentNode) ?? parts.menu;
  keep(parts.badges, parts.votes, look.votes > 0, afterVotes);
  parts.look = look;
}

// The action plan as the room reads it: what, then who and when if given.
function actionList(plan) {
  const list = el('ul', { className: 'plan-board' }, ...plan.map((a) => {
    const details = [a.who && t('board.plan_who_is', { who: a.who }), a.when && t('board.plan_when_is', { when: a.when })];
    return el('li', {}, el('strong', { textContent: a.what }),
      details.some(Boolean) ? el('span', { className: 'plan-details', textContent: details.filter(Boolean).join(' · ') }) : null);
  }));
  list.setAttribute('aria-label', t('board.plan_label'));
  return list;
}

function createTheme(th) {
  const node = el('section', { className: 'theme-box' });
  node.dataset.theme = th.id;
  const parts = {
    node, look: {}, title: el('span'), heading: null, votes: el('span', { className: 'votes' }),
    notes: el('div', { className: 'theme-notes' }), synthesis: el('p', { className: 'synthesis' }), plan: null,
  };
  parts.heading = el('h3', {}, parts.title);
  node.append(parts.heading, parts.notes);
  return parts;
}

// Once the vote is over a theme shows its score, the sum the ranking uses.
function drawTheme(parts, th, plan, { votes, ranks, scores }) {
  const { node, look: was } = parts;
  const look = {
    x: th.x, y: th.y, title: th.title, votes: votes ? scores.get(th.id) ?? th.vote_total : 0, rank: ranks.get(th.id) ?? 0,
    synthesis: th.synthesis, plan: JSON.stringify(plan),
  };
  if (look.x !== was.x || look.y !== was.y) {
    node.style.left = `${look.x}px`;
    node.style.top = `${look.y}px`;
  }
  if (look.title !== was.title) parts.title.textContent = look.title;
  if ((look.votes !== was.votes || look.rank !== was.rank) && look.votes > 0) setVotes(parts.votes, look.votes, look.rank);
  keep(parts.heading, parts.votes, look.votes > 0);
  if (look.synthesis !== was.synthesis) parts.synthesis.textContent = look.synthesis;
  keep(node, parts.synthesis, Boolean(look.synthesis), parts.plan);
  if (look.plan !== was.plan) {
    parts.plan?.remove();
    parts.plan = plan.length ? actionList(plan) : null;
    if (parts.plan) node.append(parts.plan);
  }
  parts.look = look;
}

// menuButton: builds a note's "⋯" button (the live board); without it notes
// are read-only (the replay) and not focusable. photos: shows a walk's photos
// ({ show(img, id) }, js/board-photos.js); without it notes show none.
export function createWorldView(world, { menuButton = null, photos = null } = {}) {
  let notes = new Map();
  let themes = new Map();
  let language = null;

  // Forgets every element: the next render builds the whole world again.
  function reset() {
    notes = new Map();
    themes = new Map();
    world.replaceChildren();
  }

  // hidden: notes drawn without their text; menu: whether notes show their
  // "⋯". The counts stay off the board while a hidden vote goes on; once the
  // vote is over, the best notes and themes show their place.
  function render(state, { hidden = false, menu = true } = {}) {
    const votes = { votes: !votesHidden(state), ...(votingOver(state) ? ranksOf(state) : { ranks: new Map(), scores: new Map() }) };
    const walk = { stops: stopLabels(state), category: (n) => categoryLabel(state, n.category) };
    // The labels are in the page's language: a switch draws everything again.
    if (language !== currentLanguage()) reset();
    language = currentLanguage();
    const themeList = Object.values(state.themes).sort(byCreation);
    const inTheme = new Map(themeList.map((th) => [th.id, []]));
    const plans = new Map(themeList.map((th) => [th.id, []]));
    const loose = [];
    for (const n of Object.values(state.notes).sort(byCreation)) (inTheme.get(n.theme) ?? loose).push(n);
    for (const a of Object.values(state.actions ?? {}).sort(byCreation)) plans.get(a.theme)?.push(a);

    const drawn = new Map();
    const noteNode = (n, free) => {
      const parts = notes.get(n.id) ?? createNote(n, menuButton, photos);
      drawNote(parts, noteLook(n, free, { hidden, menu: Boolean(menuButton) && menu, walk, photos, ...votes }), photos);
      drawn.set(n.id, parts);
      return parts.node;
    };
    const drawnThemes = new Map();
    const top = themeList.map((th) => {
      const parts = themes.get(th.id) ?? createTheme(th);
      drawTheme(parts, th, plans.get(th.id), votes);
      arrange(parts.notes, inTheme.get(th.id).map((n) => noteNode(n, false)));
      drawnThemes.set(th.id, parts);
      return parts.node;
    });
    arrange(world, [...top, ...loose.map((n) => noteNode(n, true))]);
    notes = drawn;
    themes = drawnThemes;
  }

  return { render, reset };
}
