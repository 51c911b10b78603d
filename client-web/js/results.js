// What a closed session decided, as the phones show it: the themes ranked by
// their dots, each with its best ideas and its action plan, then the ideas
// with the most dots. The ranking is the minutes' (protocol/minutes/src/minutes_model.cpp),
// so that the phone and the compte-rendu never disagree.

import { t } from './i18n.js';
import { el } from './dom.js';
import { actionsOf } from './board-state.js';

export const TOP_IDEAS = 5;        // as many as the minutes' "top ideas"
export const IDEAS_PER_THEME = 3;  // enough to recall a theme on a small screen; the rest is in the minutes

// The counts are final from the synthesis on: shown, and ranked.
export const votingOver = (state) => state.phase === 'synthesis' || state.phase === 'closed';

// More dots first; equal dots keep the order in which things were created.
const byDots = (a, b) => b.vote_total - a.vote_total || a.created_seq - b.created_seq;

// [{ theme, score, notes }], best first. A theme's score is its own dots plus
// the dots of its notes; its notes come ranked the same way.
export function rankedThemes(state) {
  const notes = Object.values(state.notes);
  return Object.values(state.themes)
    .map((theme) => {
      const own = notes.filter((n) => n.theme === theme.id).sort(byDots);
      const score = own.reduce((sum, n) => sum + n.vote_total, theme.vote_total);
      return { theme, score, notes: own };
    })
    .sort((a, b) => b.score - a.score || a.theme.created_seq - b.theme.created_seq);
}

// The notes with the most dots (at least one), best first.
export function topIdeas(state, limit = TOP_IDEAS) {
  return Object.values(state.notes).filter((n) => n.vote_total > 0).sort(byDots).slice(0, limit);
}

const dotCount = (n) => el('span', { className: 'result-dots', textContent: t('results.dots', { n }) });

function ideaItem(note, context = null) {
  const dots = note.vote_total > 0 ? dotCount(note.vote_total) : null;
  return el('li', { className: `note ${note.color}` },
    note.text,
    dots || context ? el('div', { className: 'meta' }, dots, context) : null);
}

function actionItem(action) {
  return el('li', {},
    el('p', { className: 'action-what', textContent: action.what }),
    action.who ? el('p', { textContent: t('results.who', { who: action.who }) }) : null,
    action.when ? el('p', { textContent: t('results.when', { when: action.when }) }) : null);
}

function themeItem(state, { theme, score, notes }) {
  const li = el('li', { className: 'result-theme' },
    el('h3', { textContent: theme.title }),
    el('p', { className: 'result-count' }, dotCount(score), ` · ${t('results.ideas', { n: notes.length })}`));
  const shown = notes.slice(0, IDEAS_PER_THEME);
  if (shown.length) li.append(el('ul', { className: 'result-ideas' }, ...shown.map((n) => ideaItem(n))));
  if (notes.length > shown.length) {
    li.append(el('p', { className: 'hint', textContent: t('results.more_ideas', { n: notes.length - shown.length }) }));
  }
  const plan = actionsOf(state, theme.id);
  if (plan.length) {
    li.append(
      el('h4', { textContent: t('results.plan_heading') }),
      el('ul', { className: 'result-actions' }, ...plan.map(actionItem)));
  }
  return li;
}

function section(id, heading, ...content) {
  const box = el('section', { className: 'card' }, el('h2', { id, textContent: heading }), ...content);
  box.setAttribute('aria-labelledby', id);
  return box;
}

// Fills `container` with the results of `state`, replacing what was there.
export function renderResults(container, state) {
  const parts = [el('p', { className: 'message', textContent: t('results.minutes') })];
  const themes = rankedThemes(state);
  if (themes.length) {
    parts.push(section('results-themes-heading', t('results.themes_heading'),
      el('ol', { className: 'result-themes' }, ...themes.map((entry) => themeItem(state, entry)))));
  }
  const themeOf = (n) => {
    const theme = n.theme && state.themes[n.theme];
    return theme ? el('span', { textContent: t('phone.theme_label', { title: theme.title }) }) : null;
  };
  const best = topIdeas(state);
  parts.push(section('results-top-heading', t('results.top_heading'), best.length
    ? el('ol', { className: 'top-ideas' }, ...best.map((n) => ideaItem(n, themeOf(n))))
    : el('p', { className: 'hint', textContent: t('results.no_votes') })));
  container.replaceChildren(...parts);
}
