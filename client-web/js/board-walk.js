// The walk's panel in the board's controls ("Parcours"): the stops in the
// order of the route, the group's current stop and "Arrêt suivant", adding,
// correcting and deleting stops (a place from the device or typed), and the
// categories people sort their observations into. Shown for a session that
// has stops or categories; any other session opens it from "Outils".
// Lists are redrawn through replaceKeepingEdits (js/dom.js): what is being
// typed and the focus survive the events that keep arriving.

import { t, currentLanguage } from './i18n.js';
import { el, replaceKeepingEdits, setText } from './dom.js';
import { LIMITS } from './vocabulary.js';
import { route, stopLabels, nextStop, categoriesOf, isWalk, formatPlace, foundWords, typedPlace, checkCategories, oneLine } from './walk.js';
import { askPosition } from './position.js';

const $ = (id) => document.getElementById(id);

export function createWalkPanel({ send }) {
  let state = null;
  let opened = false;        // shown on demand for a session that is not a walk (yet)
  let editing = null;        // id of the stop whose form is open
  let deleting = null;       // id of the stop the dialog asks about
  let drawn = null;          // what the lists were drawn from
  let newFormLanguage = null;
  // Per stop form (by its prefix): the device's last fix, kept so that its
  // accuracy goes with it unless the coordinates are typed over, and the
  // last word about the position.
  const fixes = new Map();
  const geoWords = new Map();

  // ------------------------------------------------------------ stop forms

  function field(prefix, name, control, label) {
    control.id = `${prefix}-${name}`;
    control.dataset.key = control.id;
    return el('div', { className: 'walk-field' }, el('label', { htmlFor: control.id, textContent: label }), control);
  }

  // Name, question and place of a stop; values: the stop as it is (editing)
  // or nothing (a new one). extra: more buttons, on a line of their own.
  function stopForm(prefix, values, { submitLabel, submitName, onSubmit, onCancel, extra = null }) {
    const name = el('input', { defaultValue: values.name ?? '', maxLength: LIMITS.title_chars, autocomplete: 'off' });
    const question = el('textarea', { defaultValue: values.question ?? '', rows: 2, maxLength: LIMITS.question_chars });
    const place = values.place ?? null;
    const lat = el('input', { defaultValue: place ? String(place.lat) : '', inputMode: 'decimal', autocomplete: 'off' });
    const lon = el('input', { defaultValue: place ? String(place.lon) : '', inputMode: 'decimal', autocomplete: 'off' });
    const status = el('p', { className: 'hint geo-status', id: `${prefix}-geo-status` });
    status.setAttribute('role', 'status');
    const word = geoWords.get(prefix);
    status.textContent = word ? t(...word) : '';
    const here = el('button', { type: 'button', textContent: t('walk.my_position') });
    here.dataset.key = `${prefix}-here`;
    here.setAttribute('aria-describedby', status.id);
    here.addEventListener('click', async () => {
      geoWords.set(prefix, ['walk.geo_asking', {}]);
      status.textContent = t('walk.geo_asking');
      const answer = await askPosition();
      if (answer.place) {
        fixes.set(prefix, answer.place);
        // Found in a moment, or after the form was drawn again: the fields
        // of the form as it is now.
        const latNow = $(`${prefix}-lat`) ?? lat;
        const lonNow = $(`${prefix}-lon`) ?? lon;
        latNow.value = String(answer.place.lat);
        lonNow.value = String(answer.place.lon);
        geoWords.set(prefix, foundWords(answer.place));
      } else {
        geoWords.set(prefix, [`walk.board_geo_${answer.problem}`, {}]);
      }
      const statusNow = $(status.id) ?? status;
      statusNow.textContent = t(...geoWords.get(prefix));
    });
    const placeBox = el('fieldset', { className: 'stop-place' },
      el('legend', { textContent: t('walk.place_legend') }),
      el('div', { className: 'row' }, here),
      status,
      el('div', { className: 'stop-coordinates' },
        field(prefix, 'lat', lat, t('walk.latitude')), field(prefix, 'lon', lon, t('walk.longitude'))));
    const error = el('p', { className: 'hint', id: `${prefix}-error` });
    error.setAttribute('role', 'alert');
    const submit = el('button', { type: 'submit', className: 'primary', textContent: submitLabel });
    submit.dataset.key = `${prefix}-submit`;
    if (submitName) submit.setAttribute('aria-label', submitName);
    const buttons = el('div', { className: 'row' }, submit);
    if (onCancel) {
      const cancel = el('button', { type: 'button', textContent: t('board.cancel') });
      cancel.dataset.key = `${prefix}-cancel`;
      cancel.addEventListener('click', onCancel);
      buttons.append(cancel);
    }
    const form = el('form', { className: 'stop-form', noValidate: true },
      field(prefix, 'name', name, t('walk.stop_name')),
      field(prefix, 'question', question, t('walk.stop_question')),
      placeBox, error, buttons, extra);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const fail = (key, focus) => {
        error.textContent = t(key);
        focus.focus();
      };
      const values = { name: oneLine(name.value), question: question.value.replace(/\r\n?/g, '\n').trim() };
      if (!values.name) return fail('walk.stop_name_missing', name);
      const typed = typedPlace(lat.value, lon.value);
      if (typed?.error) return fail(typed.error, typed.error === 'walk.place_lon' ? lon : lat);
      // The device's accuracy only goes with the coordinates it gave.
      const fix = fixes.get(prefix);
      if (typed) values.place = fix && fix.lat === typed.lat && fix.lon === typed.lon ? fix : typed;
      error.textContent = '';
      onSubmit(values, { name, question, lat, lon });
      return undefined;
    });
    return form;
  }

  function newStopForm() {
    const prefix = 'stop-new';
    return el('section', { className: 'stop-new' },
      el('h4', { textContent: t('walk.new_stop') }),
      stopForm(prefix, {}, {
        submitLabel: t('walk.add_stop'),
        onSubmit(values, fields) {
          if (Object.keys(state.stops).length >= LIMITS.stops) {
            $(`${prefix}-error`).textContent = t('error.too_many_stops');
            return;
          }
          // Emptied before sending: sending draws the panel again at once.
          for (const input of Object.values(fields)) input.value = '';
          fixes.delete(prefix);
          geoWords.delete(prefix);
          $(`${prefix}-geo-status`).textContent = '';
          fields.name.focus();
          send({ kind: 'stop.add', ...values });
        },
      }));
  }

  // ------------------------------------------------------------ the route

  function stopItem(stop, label) {
    const current = state.current_stop === stop.id;
    const li = el('li', { className: current ? 'current' : '' });
    li.dataset.stop = stop.id;
    if (current) li.setAttribute('aria-current', 'step');
    const prefix = `stop-${stop.id}`;
    const button = (part, text, name, onClick, className = '') => {
      const b = el('button', { type: 'button', className, textContent: text });
      b.id = `${prefix}-${part}`;
      b.dataset.key = b.id;
      b.setAttribute('aria-label', name);
      b.addEventListener('click', onClick);
      return b;
    };
    if (editing === stop.id) {
      // Deleting is offered with the stop's correction, not in the list:
      // the route stays compact, and a stop is not deleted by a slip.
      li.append(stopForm(prefix, stop, {
        submitLabel: t('walk.save_stop'),
        submitName: t('walk.save_stop_of', { label }),
        onSubmit(values) {
          editing = null;
          send({ kind: 'stop.edit', stop: stop.id, question: '', ...values });
          focusLater(`${prefix}-edit`);
        },
        onCancel() {
          editing = null;
          draw(true);
          $(`${prefix}-edit`)?.focus();
        },
        extra: el('div', { className: 'row stop-delete' },
          button('delete', t('walk.delete'), t('walk.delete_of', { label }), () => askToDelete(stop.id, label), 'danger')),
      }));
      return li;
    }
    const heading = el('p', { className: 'stop-name' }, el('strong', { textContent: label }));
    if (current) heading.append(' ', el('span', { className: 'stop-here', textContent: t('walk.current_badge') }));
    li.append(heading);
    if (stop.question) li.append(el('p', { className: 'stop-question', textContent: stop.question }));
    if (stop.place) li.append(el('p', { className: 'stop-where hint', textContent: t('walk.place_is', { where: formatPlace(stop.place) }) }));
    // The group's stop has no "go": the focus then waits on "Arrêt suivant".
    const go = current ? null : button('go', t('walk.go'), t('walk.go_to', { label }), () => {
      send({ kind: 'stop.go', stop: stop.id });
      focusLater('walk-next');
    });
    li.append(el('div', { className: 'row stop-actions' },
      go,
      button('edit', t('walk.edit'), t('walk.edit_of', { label }), () => {
        editing = stop.id;
        draw(true);
        $(`${prefix}-name`)?.focus();
      })));
    return li;
  }

  // The focus goes to a control once it is drawn again (after the event).
  function focusLater(id) {
    requestAnimationFrame(() => $(id)?.focus());
  }

  function askToDelete(id, label) {
    deleting = id;
    const count = Object.values(state.notes).filter((n) => n.stop === id).length;
    $('stop-delete-what').textContent = [t('walk.delete_what', { label }), count ? t('walk.delete_notes', { n: count }) : ''].join(' ').trim();
    $('stop-delete-dialog').showModal();
  }
  $('stop-delete-cancel').addEventListener('click', () => $('stop-delete-dialog').close());
  $('stop-delete-confirm').addEventListener('click', () => {
    if (deleting && state.stops[deleting]) send({ kind: 'stop.delete', stop: deleting });
    const gone = deleting;
    deleting = null;
    if (editing === gone) editing = null;
    $('stop-delete-dialog').close();
    // Its line goes: the focus waits on the list's summary.
    if (gone) $('walk-stops-summary').focus();
  });
  $('stop-delete-dialog').addEventListener('close', () => {
    if (deleting) $(`stop-${deleting}-delete`)?.focus();
    deleting = null;
  });

  // Where the group is, and the one button the facilitator needs most.
  function drawProgress(labels) {
    const stops = route(state);
    const current = state.current_stop;
    const next = nextStop(state);
    setText($('walk-current'), current
      ? t('walk.current', { label: labels.get(current) })
      : t(stops.length ? 'walk.not_started' : 'walk.no_stops'));
    const go = $('walk-next');
    setText(go, t(current ? 'walk.next' : 'walk.start'));
    go.hidden = stops.length === 0;
    // aria-disabled, not disabled: the button keeps the focus at the last stop.
    go.setAttribute('aria-disabled', String(!next));
    setText($('walk-then'), next ? t('walk.then', { label: labels.get(next.id) }) : (current ? t('walk.last_stop') : ''));
    $('walk-end').hidden = !current;
    $('walk-arrange').hidden = stops.length === 0;
    $('walk-arrange-hint').hidden = stops.length === 0;
  }
  $('walk-next').addEventListener('click', () => {
    const next = state && nextStop(state);
    if (next) send({ kind: 'stop.go', stop: next.id });
  });
  // The board read stop by stop: the server lays each stop's notes out in
  // its column (board.arrange by_stop), so the replay shows it too.
  $('walk-arrange').addEventListener('click', () => send({ kind: 'board.arrange', by_stop: true }));
  $('walk-end').addEventListener('click', () => {
    send({ kind: 'stop.go', stop: null });
    $('walk-next').focus();
  });

  // ------------------------------------------------------------ categories

  // One field per category, renamed in place, and one for a new one: no
  // reordering, since a note's category is its place in the list.
  function drawCategories() {
    const categories = categoriesOf(state);
    const fields = categories.map((label, i) => {
      const input = el('input', { defaultValue: label, maxLength: LIMITS.category_chars, autocomplete: 'off' });
      return field('category', String(i), input, t('walk.category_n', { n: i + 1 }));
    });
    if (categories.length < LIMITS.categories) {
      fields.push(field('category', 'new', el('input', { defaultValue: '', maxLength: LIMITS.category_chars, autocomplete: 'off' }), t('walk.category_new')));
    }
    replaceKeepingEdits($('category-fields'), fields);
    $('walk-categories-summary').textContent = t('walk.categories_summary', { n: categories.length });
  }
  $('category-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const inputs = [...$('category-fields').querySelectorAll('input')];
    const labels = inputs.map((input) => oneLine(input.value));
    while (labels.length && !labels.at(-1)) labels.pop();
    const fail = (message, input) => {
      $('walk-error').textContent = message;
      input?.focus();
    };
    const hole = labels.indexOf('');
    if (hole >= 0) return fail(t('walk.category_hole'), inputs[hole]);
    const checked = checkCategories(labels);
    if (checked.error) return fail(t(checked.error, checked.detail), inputs[labels.indexOf(checked.detail.label)]);
    $('walk-error').textContent = '';
    if (JSON.stringify(labels) === JSON.stringify(categoriesOf(state))) return undefined;
    const added = $('category-new');
    if (added) added.value = '';
    send({ kind: 'settings.set', categories: labels });
    return undefined;
  });

  // ------------------------------------------------------------ drawing

  function draw(force = false) {
    const labels = stopLabels(state);
    drawProgress(labels);
    $('stop-pill').hidden = !state.current_stop;
    setText($('stop-pill'), state.current_stop ? labels.get(state.current_stop) : '');
    const stops = route(state);
    // A stop being corrected that someone else deleted: its form goes.
    if (editing && !state.stops[editing]) editing = null;
    const key = JSON.stringify([currentLanguage(), stops, state.current_stop, editing, categoriesOf(state)]);
    if (key !== drawn || force) {
      drawn = key;
      $('walk-stops-summary').textContent = t('walk.stops_summary', { n: stops.length });
      replaceKeepingEdits($('stop-list'), stops.map((stop) => stopItem(stop, labels.get(stop.id))));
      drawCategories();
    }
    if (newFormLanguage !== currentLanguage()) {
      newFormLanguage = currentLanguage();
      replaceKeepingEdits($('stop-new'), [newStopForm()]);
    }
  }

  $('walk-open').addEventListener('click', () => {
    opened = !opened;
    if (state) update(state);
    if (opened) $('walk-heading').focus();
  });

  function update(next) {
    state = next;
    const walk = isWalk(state);
    $('walk-open').hidden = walk;
    $('walk-open').setAttribute('aria-expanded', String(opened));
    $('walk-section').hidden = !(walk || opened);
    if (!walk) $('stop-pill').hidden = true;
    if ($('walk-section').hidden) return;
    draw();
  }

  return {
    update,
    // A refusal of a walk's op, said in the panel where it was made.
    showError(message) {
      $('walk-error').textContent = message;
    },
  };
}
