// Scribe mode's headcount: how many people of each offered profile take part
// without a phone (the facilitator writes their notes). The minutes count
// them in the attendance. One number field per profile, saved together.

import { t } from './i18n.js';
import { el, replaceKeepingEdits } from './dom.js';
import { LIMITS } from './vocabulary.js';

const MAX = LIMITS.scribe_attendance;

const countOf = (state, profile) => state.scribe_attendance?.[profile] ?? 0;

export function renderAttendance(container, total, state) {
  replaceKeepingEdits(container, state.settings.profiles.map((profile) => {
    const input = el('input', {
      type: 'number', id: `attendance-${profile}`, min: 0, max: MAX, step: 1, inputMode: 'numeric',
      defaultValue: String(countOf(state, profile)),
    });
    input.dataset.key = `attendance-${profile}`;
    input.dataset.profile = profile;
    return el('div', { className: 'attendance-field' },
      el('label', { htmlFor: input.id, textContent: t(`profile.${profile}`) }), input);
  }));
  const sum = Object.values(state.scribe_attendance ?? {}).reduce((a, b) => a + b, 0);
  total.textContent = t('board.attendance_total', { n: sum });
}

// The ops for the fields that differ from the board; null if a field is not
// a whole number from 0 to 1000.
export function attendanceChanges(container, state) {
  const ops = [];
  for (const input of container.querySelectorAll('input[data-profile]')) {
    const text = input.value.trim();
    const count = text === '' ? 0 : Number(text);
    if (!Number.isInteger(count) || count < 0 || count > MAX) {
      input.focus();
      return null;
    }
    if (count !== countOf(state, input.dataset.profile)) {
      ops.push({ kind: 'attendance.set', profile: input.dataset.profile, count });
    }
  }
  return ops;
}
