// Drawing a board state into a "world" element: themes as named areas with
// their notes, free notes where they were put, vote counts. Used read-only by
// the replay; the live board adds its controls on top.

import { t } from './i18n.js';
import { el } from './dom.js';
import { actionsOf } from './board-state.js';


function votesBadge(count) {
  const badge = el('span', { className: 'votes', textContent: `● ${count}` });
  badge.setAttribute('aria-label', t('board.votes', { n: count }));
  return badge;
}

// hidden: draw private notes without their text (the projector during private writing).
export function noteView(n, { hidden = false, extra = null } = {}) {
  const node = el('article', { className: `note board-note ${n.color}${hidden ? ' private' : ''}` });
  node.dataset.note = n.id;
  if (!n.theme) {
    node.style.left = `${n.x}px`;
    node.style.top = `${n.y}px`;
  }
  if (hidden) {
    node.setAttribute('aria-label', t('board.private_note'));
    node.append(el('span', { className: 'visually-hidden', textContent: t('board.private_note') }));
  } else {
    node.append(el('span', { className: 'note-text', textContent: n.text }));
  }
  const badges = el('div', { className: 'badges' });
  if (n.vote_total > 0) badges.append(votesBadge(n.vote_total));
  if (n.merged.length > 0) badges.append(el('span', { textContent: t('board.written_by', { n: n.merged.length + 1 }) }));
  if (extra) badges.append(extra);
  node.append(badges);
  return node;
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

// makeNote(n) builds each note's element; onThemeHeading(h3, theme) may decorate headings.
export function renderWorld(world, state, { makeNote, onThemeHeading } = {}) {
  const build = makeNote ?? ((n) => noteView(n));
  const themes = Object.values(state.themes).sort((a, b) => a.created_seq - b.created_seq);
  const notes = Object.values(state.notes).sort((a, b) => a.created_seq - b.created_seq);
  const children = [];
  for (const th of themes) {
    const box = el('section', { className: 'theme-box' });
    box.dataset.theme = th.id;
    box.style.left = `${th.x}px`;
    box.style.top = `${th.y}px`;
    const heading = el('h3', {}, el('span', { textContent: th.title }));
    if (th.vote_total > 0) heading.append(votesBadge(th.vote_total));
    onThemeHeading?.(heading, th);
    box.append(heading, el('div', { className: 'theme-notes' },
      ...notes.filter((n) => n.theme === th.id).map(build)));
    if (th.synthesis) box.append(el('p', { className: 'synthesis', textContent: th.synthesis }));
    const plan = actionsOf(state, th.id);
    if (plan.length) box.append(actionList(plan));
    children.push(box);
  }
  for (const n of notes.filter((x) => !x.theme || !state.themes[x.theme])) children.push(build(n));
  world.replaceChildren(...children);
}
