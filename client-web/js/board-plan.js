// A theme's action plan, under its synthesis in the controls: what is to be
// done ("Quoi"), by whom ("Qui"), by when ("Quand"). Several lines per
// theme; each can be corrected or removed. The server numbers the lines.
// Fields carry data-key so that a re-render (any event on the board) keeps
// what the facilitator is typing (see replaceKeepingEdits).

import { t } from './i18n.js';
import { el } from './dom.js';
import { actionsOf } from './board-state.js';
import { LIMITS } from './vocabulary.js';

const MAX_CHARS = { what: LIMITS.action_chars, who: LIMITS.action_detail_chars, when: LIMITS.action_detail_chars };
const FIELDS = ['what', 'who', 'when'];

// Problems to show under a theme's plan, kept across re-renders.
const problems = new Map();

export function actionPlan(state, th, send) {
  const section = el('section', { className: 'plan' });
  const headingId = `plan-heading-${th.id}`;
  section.setAttribute('aria-labelledby', headingId);
  const error = el('p', { className: 'hint plan-error', textContent: problems.get(th.id) ?? '' });
  error.setAttribute('role', 'alert');
  const fail = (message) => {
    problems.set(th.id, message);
    error.textContent = message;
  };
  const clear = () => {
    problems.delete(th.id);
    error.textContent = '';
  };
  const lines = actionsOf(state, th.id).map((a, i) => actionLine(th, a, i + 1, { send, fail, clear }));
  section.append(
    el('h4', { id: headingId, textContent: t('board.plan_heading', { title: th.title }) }),
    ...(lines.length ? [el('ol', { className: 'plan-lines' }, ...lines)] : []),
    newActionForm(th, { send, fail, clear }),
    error,
  );
  return section;
}

function fieldsOf(prefix, values) {
  const inputs = {};
  const labelled = FIELDS.map((name) => {
    const input = el('input', { id: `${prefix}-${name}`, defaultValue: values[name] ?? '', maxLength: MAX_CHARS[name] });
    input.dataset.key = `${prefix}-${name}`;
    inputs[name] = input;
    const label = el('label', { htmlFor: input.id, textContent: t(`board.plan_${name}`) });
    return el('div', { className: `plan-field plan-${name}` }, label, input);
  });
  return { inputs, labelled };
}

// Single-line fields: the wire refuses line breaks and other control characters.
const readFields = (inputs) => Object.fromEntries(FIELDS.map((name) => [name, inputs[name].value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()]));

// The fields of a line once "Quoi" is given; otherwise says so, focuses it
// and gives null.
function validFields(inputs, { fail, clear }) {
  const values = readFields(inputs);
  if (!values.what) {
    fail(t('board.plan_what_missing'));
    inputs.what.focus();
    return null;
  }
  clear();
  return values;
}

function actionLine(th, action, number, { send, fail, clear }) {
  const prefix = `action-${action.id}`;
  const { inputs, labelled } = fieldsOf(prefix, action);
  const save = el('button', { type: 'submit', textContent: t('board.plan_save') });
  save.setAttribute('aria-label', t('board.plan_save_n', { n: number }));
  save.dataset.key = `${prefix}-save`;
  const remove = el('button', { type: 'button', className: 'danger', textContent: t('board.delete') });
  remove.setAttribute('aria-label', t('board.plan_delete_n', { n: number }));
  remove.dataset.key = `${prefix}-delete`;
  const form = el('form', { className: 'plan-line', noValidate: true },
    el('fieldset', {}, el('legend', { textContent: t('board.plan_line', { n: number }) }),
      ...labelled, el('div', { className: 'row' }, save, remove)));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = validFields(inputs, { fail, clear });
    if (!values) return;
    if (values.what !== action.what || values.who !== action.who || values.when !== action.when) {
      send({ kind: 'action.edit', action: action.id, ...values });
    }
  });
  remove.addEventListener('click', () => {
    // This line goes away: the focus waits in the new line's first field.
    document.getElementById(`plan-new-${th.id}-what`)?.focus();
    send({ kind: 'action.delete', action: action.id });
  });
  return el('li', {}, form);
}

function newActionForm(th, { send, fail, clear }) {
  const prefix = `plan-new-${th.id}`;
  const { inputs, labelled } = fieldsOf(prefix, {});
  const add = el('button', { type: 'submit', className: 'primary', textContent: t('board.plan_add') });
  add.dataset.key = `${prefix}-add`;
  add.setAttribute('aria-label', t('board.plan_add_to', { title: th.title }));
  const form = el('form', { className: 'plan-line plan-new', noValidate: true },
    el('fieldset', {}, el('legend', { textContent: t('board.plan_new') }), ...labelled, add));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const values = validFields(inputs, { fail, clear });
    if (!values) return;
    // Emptied before sending: sending draws the controls again at once, and
    // what is still typed then would be kept in the new form.
    for (const input of Object.values(inputs)) input.value = '';
    inputs.what.focus();
    send({ kind: 'action.add', theme: th.id, ...values });
  });
  return form;
}
