// The phone's voting list: each theme (in creation order) heads its notes and
// can be folded away, then come the notes without a theme. A workshop may
// have 150 ideas and a cheap phone, so the list is updated in place, row by
// row (keyed by the note's or theme's id), never rebuilt: a tap costs only
// the rows that changed, and the button just tapped keeps the focus.
//
// The list stays flat, one <li> per thing one can vote on (a theme's own row
// is its heading), so that it reads as one list of choices.

import { el, setText } from './dom.js';
import { t, currentLanguage } from './i18n.js';
import { dotsUsed } from './board-state.js';

const keyOf = (kind, id) => `${kind}:${id}`;

// Dots sent but not yet acknowledged count as placed, keyed like the rows.
function pendingDeltas(pending) {
  const deltas = new Map();
  for (const { op } of pending) {
    const step = op.kind === 'vote.add' ? 1 : op.kind === 'vote.remove' ? -1 : 0;
    if (!step) continue;
    const key = op.note ? keyOf('note', op.note) : keyOf('theme', op.theme);
    deltas.set(key, (deltas.get(key) ?? 0) + step);
  }
  return deltas;
}

export function dotsLeft(state, me, pending) {
  let used = dotsUsed(state, me);
  for (const delta of pendingDeltas(pending).values()) used += delta;
  return Math.max(0, state.settings.vote_budget - used);
}

// What the list shows, in order. A note whose theme is gone counts as
// without a theme.
export function voteItems(state, me, pending) {
  const deltas = pendingDeltas(pending);
  const byCreation = (a, b) => a.created_seq - b.created_seq;
  const item = (kind, source, extra) => {
    const key = keyOf(kind, source.id);
    return { key, kind, id: source.id, mine: (source.votes[me] ?? 0) + (deltas.get(key) ?? 0), ...extra };
  };
  const themes = Object.values(state.themes).sort(byCreation);
  const notesOf = new Map(themes.map((th) => [th.id, []]));
  const loose = [];
  for (const note of Object.values(state.notes).sort(byCreation)) {
    (notesOf.get(note.theme) ?? loose).push(note);
  }
  const noteItem = (note, theme) => item('note', note, { label: note.text, color: note.color, theme });
  const items = [];
  for (const theme of themes) {
    const inside = notesOf.get(theme.id);
    items.push(item('theme', theme, { label: t('phone.theme_label', { title: theme.title }), count: inside.length }));
    for (const note of inside) items.push(noteItem(note, theme.id));
  }
  for (const note of loose) items.push(noteItem(note, null));
  return items;
}

// Writes only what changed: a cheap phone then redoes little layout.
function setAttr(node, name, value) {
  if (value === null) node.removeAttribute(name);
  else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

export class VoteList {
  // send(op): places or takes back a dot.
  constructor(list, send) {
    this.list = list;
    this.send = send;
    this.rows = new Map();
    this.folded = new Set();  // ids of the themes folded away by this person
    this.items = [];
    this.budget = { left: 0, locked: false };
  }

  // budget: { left: dots left, locked: the board is locked }.
  update(items, budget) {
    this.items = items;
    this.budget = budget;
    const wanted = new Set(items.map((i) => i.key));
    for (const [key, row] of this.rows) {
      if (!wanted.has(key)) {
        row.li.remove();
        this.rows.delete(key);
      }
    }
    // Moving a row (a note regrouped) would take the focus from its button.
    const active = document.activeElement;
    let previous = null;
    let firstLoose = true;
    const looseHeading = t('phone.vote_loose');
    for (const item of items) {
      const row = this.rows.get(item.key) ?? this.create(item);
      this.fill(row, item);
      const loose = item.kind === 'note' && !item.theme;
      // The notes without a theme get a heading of their own when themes come first.
      setAttr(row.li, 'data-group', loose && firstLoose && items[0].kind === 'theme' ? looseHeading : null);
      if (loose) firstLoose = false;
      if (row.li.parentNode !== this.list || row.li.previousElementSibling !== previous) {
        this.list.insertBefore(row.li, previous ? previous.nextElementSibling : this.list.firstElementChild);
      }
      previous = row.li;
    }
    if (active !== document.activeElement && this.list.contains(active)) active.focus({ preventScroll: true });
  }

  create(item) {
    const row = { kind: item.kind, id: item.id };
    row.minus = this.voteButton(row, '−', 'vote.remove');
    row.plus = this.voteButton(row, '+', 'vote.add');
    row.out = el('output');
    const controls = el('div', { className: 'vote-controls' }, row.minus, row.out, row.plus);
    if (item.kind === 'theme') {
      row.title = el('span', { className: 'vote-theme-title' });
      row.count = el('span', { className: 'vote-theme-count' });
      const chevron = el('span', { className: 'chevron' });
      chevron.setAttribute('aria-hidden', 'true');
      // The comma makes the name read "Thème : X, 4 idées".
      row.toggle = el('button', { type: 'button', className: 'vote-toggle' }, chevron, row.title, ', ', row.count);
      row.toggle.addEventListener('click', () => this.fold(row.id));
      row.box = el('div', { className: 'vote-theme-box' }, el('h3', {}, row.toggle), controls);
      row.li = el('li', { className: 'vote-theme' }, row.box);
    } else {
      row.text = el('span', { className: 'vote-text' });
      row.box = el('div', {}, row.text, controls);
      row.li = el('li', { className: 'vote-item' }, row.box);
    }
    row.li.dataset.key = item.key;
    this.rows.set(item.key, row);
    return row;
  }

  // aria-disabled rather than disabled: a button that spends the last dot
  // stays focused (a disabled one would drop the focus to the page).
  voteButton(row, sign, kind) {
    const button = el('button', { type: 'button', textContent: sign });
    button.addEventListener('click', () => {
      if (button.getAttribute('aria-disabled') === 'true') return;
      this.send({ kind, [row.kind]: row.id });
    });
    return button;
  }

  // Texts are made again only when what they say changed (or the language):
  // formatting 150 counts at every tap would cost a slow phone a lot.
  fill(row, item) {
    const { left, locked } = this.budget;
    const lang = currentLanguage();
    const last = row.last ?? {};
    const relabel = lang !== last.lang;
    if (relabel || item.mine !== last.mine) {
      setText(row.out, String(item.mine));
      setAttr(row.out, 'aria-label', t('phone.my_dots', { n: item.mine }));
    }
    if (relabel || item.label !== last.label) {
      setAttr(row.minus, 'aria-label', t('phone.vote_remove', { label: item.label }));
      setAttr(row.plus, 'aria-label', t('phone.vote_add', { label: item.label }));
      setText(row.kind === 'theme' ? row.title : row.text, item.label);
    }
    setAttr(row.minus, 'aria-disabled', String(item.mine <= 0 || locked));
    setAttr(row.plus, 'aria-disabled', String(left <= 0 || locked));
    if (row.kind === 'theme') {
      if (relabel || item.count !== last.count) setText(row.count, t('phone.theme_count', { n: item.count }));
      setAttr(row.toggle, 'aria-expanded', String(!this.folded.has(row.id)));
    } else {
      const color = `note ${item.color}`;
      if (row.box.className !== color) row.box.className = color;
      const hidden = Boolean(item.theme) && this.folded.has(item.theme);
      if (row.li.hidden !== hidden) row.li.hidden = hidden;
    }
    row.last = { lang, mine: item.mine, label: item.label, count: item.count };
  }

  fold(themeId) {
    if (this.folded.has(themeId)) this.folded.delete(themeId);
    else this.folded.add(themeId);
    this.update(this.items, this.budget);
  }
}
