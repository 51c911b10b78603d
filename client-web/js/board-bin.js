// Undoing a deletion. For 10 s after a note or a theme is deleted, a message
// offers "Annuler"; after that (and at any time) the bin in the controls
// lists what was deleted, newest first, each with "Restaurer", so nobody
// has to be fast (WCAG 2.2.1). Only facilitators have a bin: the server never
// sends deleted items to anyone else.

import { t } from './i18n.js';
import { el, replaceKeepingEdits } from './dom.js';
import { binContents } from './board-state.js';

const UNDO_MS = 10_000;
const PREVIEW_CHARS = 120;

const preview = (text) => (text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text);

const restoreOp = (kind, id) => (kind === 'note' ? { kind: 'note.restore', note: id } : { kind: 'theme.restore', theme: id });

// region: the live region (role="status") that shows the offer.
// whenGone: where the focus goes if it was on "Annuler" when the offer ends.
export function createUndo({ region, send, whenGone }) {
  let timer = null;

  function end() {
    clearTimeout(timer);
    const hadFocus = region.contains(document.activeElement);
    region.replaceChildren();
    if (hadFocus) whenGone()?.focus();
  }

  return {
    // Called right after the delete is sent. The focus moves to "Annuler":
    // what had it (the note's menu, the theme's button) has just gone.
    offer(kind, id, title) {
      clearTimeout(timer);
      const message = kind === 'note'
        ? t('board.undo_note', { text: preview(title) })
        : t('board.undo_theme', { title });
      const button = el('button', { type: 'button', className: 'primary', textContent: t('board.undo') });
      button.addEventListener('click', () => {
        send(restoreOp(kind, id));
        end();
      });
      region.replaceChildren(el('div', { className: 'undo-toast' }, el('span', { textContent: message }), button));
      button.focus();
      timer = setTimeout(end, UNDO_MS);
    },
  };
}

// Fills the bin's list; restoring is refused once the session is closed.
export function renderBin({ summary, list, empty, closedHint }, state, send) {
  const items = binContents(state);
  const closed = state.phase === 'closed';
  summary.textContent = t('board.bin_summary', { n: items.length });
  empty.hidden = items.length > 0;
  closedHint.hidden = !closed || items.length === 0;
  replaceKeepingEdits(list, items.map(({ kind, item }) => binEntry(kind, item, closed, () => {
    summary.focus();  // the entry goes away with the restore
    send(restoreOp(kind, item.id));
  })));
}

function binEntry(kind, item, closed, restore) {
  const label = kind === 'note'
    ? el('span', { className: `note bin-note ${item.color}`, textContent: preview(item.text) })
    : el('span', { className: 'bin-theme', textContent: t('board.bin_theme', { title: item.title, n: item.notes.length }) });
  const button = el('button', { type: 'button', textContent: t('board.restore'), disabled: closed });
  button.dataset.key = `${kind}:${item.id}`;
  button.setAttribute('aria-label', kind === 'note'
    ? t('board.restore_note', { text: preview(item.text) })
    : t('board.restore_theme', { title: item.title }));
  button.addEventListener('click', restore);
  const li = el('li', {}, label, button);
  li.dataset.kind = kind;
  return li;
}
