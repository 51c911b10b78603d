// The phone on a walk: a banner with the stop the group is at (updated live),
// and in the writing form the note's category (big radio buttons), its stop
// (the current one unless the person picks another) and, if they tick it,
// where they are. Each note carries the stop shown when it was written: a
// phone offline for a while sends it later with the stop it was written at.
// What the walk is (categories, stops, the current stop) is kept on the
// phone, so that a page reopened without network still offers them, and so
// is "Joindre ma position" once ticked.

import { t } from './i18n.js';
import { el, setText } from './dom.js';
import { route, stopLabels, categoriesOf, categoryColor, isWalk, foundWords } from './walk.js';
import { createPositionTracker, positionSupport } from './position.js';

const $ = (id) => document.getElementById(id);

// The part of a state the fields need, kept in localStorage under `storageKey`.
const walkOf = (state) => ({ settings: { categories: state.settings.categories ?? [] }, stops: state.stops ?? {}, current_stop: state.current_stop ?? null });

export function createWalkFields(storageKey) {
  let shown = null;          // what the fields were last drawn from
  let stopTouched = false;   // the person picked a stop: kept until the note is sent
  let state = null;          // walkOf(the latest state), or as last kept
  let kept = localStorage.getItem(storageKey);
  const geoKey = `${storageKey}.geo`;
  $('note-geo').checked = localStorage.getItem(geoKey) === 'on';
  const keepGeoChoice = () => {
    if ($('note-geo').checked) localStorage.setItem(geoKey, 'on');
    else localStorage.removeItem(geoKey);
  };
  let geoNote = null;        // the last word about the position: [key, params]
  let geoResumed = false;    // a box ticked before a reload asks again once shown

  const tracker = createPositionTracker(({ place, problem, asking }) => {
    if (asking) geoNote = ['walk.geo_asking', {}];
    else if (place) geoNote = foundWords(place);
    else geoNote = [`walk.geo_${problem}`, {}];
    // Refused: the box is unticked, and the stop's place is offered instead.
    if (problem === 'denied') {
      $('note-geo').checked = false;
      keepGeoChoice();
    }
    renderGeo();
  });

  $('note-stop').addEventListener('change', () => {
    stopTouched = true;
    renderGeo();
  });
  $('note-geo').addEventListener('change', () => {
    if ($('note-geo').checked) tracker.refresh();
    else geoNote = null;
    keepGeoChoice();
    renderGeo();
  });
  $('category-choices').addEventListener('change', renderCategoryClear);
  $('category-clear').addEventListener('click', () => {
    for (const input of $('category-choices').querySelectorAll('input')) input.checked = false;
    renderCategoryClear();
    $('category-choices').querySelector('input')?.focus();
  });

  function chosenStop() {
    const id = $('note-stop').value;
    return id && state?.stops?.[id] ? state.stops[id] : null;
  }

  function renderBanner() {
    const banner = $('stop-banner');
    const current = state.current_stop && state.stops[state.current_stop];
    if (!current) {
      if (banner.childElementCount) banner.replaceChildren();
      return;
    }
    const label = stopLabels(state).get(current.id);
    const key = JSON.stringify([label, current.question]);
    if (banner.dataset.shows === key) return;
    banner.dataset.shows = key;
    banner.replaceChildren(
      el('p', { className: 'stop-banner-name', textContent: label }),
      current.question ? el('p', { className: 'stop-banner-question', textContent: current.question }) : null,
    );
  }

  function renderCategories() {
    const categories = categoriesOf(state);
    $('categories').hidden = categories.length === 0;
    // The note's colour follows its category on a walk: one choice, not two.
    $('colors').hidden = categories.length > 0;
    const box = $('category-choices');
    const chosen = box.querySelector('input:checked')?.value;
    box.replaceChildren(...categories.map((label, i) => {
      const input = el('input', { type: 'radio', name: 'category', value: String(i), checked: String(i) === chosen });
      return el('label', { className: `category-choice ${categoryColor(i)}` }, input, el('span', { textContent: label }));
    }));
    renderCategoryClear();
  }

  function renderCategoryClear() {
    $('category-clear').hidden = !$('category-choices').querySelector('input:checked');
  }

  function renderStops() {
    const stops = route(state);
    $('stop-choice').hidden = stops.length === 0;
    const select = $('note-stop');
    const labels = stopLabels(state);
    // Untouched, it follows the group; a stop that is gone falls back to it.
    const kept = stopTouched && (select.value === '' || state.stops[select.value]) ? select.value : state.current_stop ?? '';
    select.replaceChildren(
      ...stops.map((stop) => el('option', { value: stop.id, textContent: labels.get(stop.id) })),
      el('option', { value: '', textContent: t('walk.no_stop') }),
    );
    select.value = kept;
  }

  // The position: the device's if the browser can give it, otherwise (or
  // once refused or not found) the place of the chosen stop, when it has one.
  function renderGeo() {
    if (!state) return;
    const support = positionSupport();
    const refused = Boolean(tracker.problem) || support !== 'ok';
    $('geo-choice').hidden = support !== 'ok';
    const place = chosenStop()?.place;
    $('stop-place-choice').hidden = !(refused && place);
    if (refused && place) setText($('stop-place-label'), t('walk.stop_place_attach', { name: chosenStop().name }));
    if (!(refused && place)) $('note-stop-place').checked = false;
    const why = support !== 'ok' ? t(`walk.geo_${support}`) : geoNote && t(...geoNote);
    setText($('geo-status'), why || '');
  }

  return {
    // next: the board's state, or null before the server has said anything
    // (the walk as this phone last knew it is then used).
    render(next) {
      if (next) {
        state = walkOf(next);
        const json = JSON.stringify(state);
        if (json !== kept) {
          kept = json;
          localStorage.setItem(storageKey, json);
        }
      } else {
        state ??= kept ? JSON.parse(kept) : null;
        if (!state) return;
      }
      const walk = isWalk(state);
      $('geo').hidden = !walk;
      if (walk && !geoResumed && $('note-geo').checked && positionSupport() === 'ok') {
        geoResumed = true;
        tracker.refresh();
      }
      renderBanner();
      const key = JSON.stringify([state.settings.categories, route(state), state.current_stop, document.documentElement.lang]);
      if (key === shown) return;
      shown = key;
      renderCategories();
      renderStops();
      renderGeo();
    },

    // Someone starts a note: a position ticked for is refreshed if it is old.
    startNote() {
      if ($('note-geo').checked && !$('geo-choice').hidden) tracker.refreshIfStale();
    },

    // What a walk adds to a note, read when it is written: { stop, category,
    // location, color } (only those that apply), and whether a position was
    // wanted but could not be had.
    async noteFields() {
      if (!state || !isWalk(state)) return { fields: {} };
      const fields = {};
      const stop = chosenStop();
      if (stop) fields.stop = stop.id;
      const category = $('category-choices').querySelector('input:checked')?.value;
      if (category !== undefined && !$('categories').hidden) {
        fields.category = Number(category);
        fields.color = categoryColor(fields.category);
      }
      const wanted = $('note-geo').checked && !$('geo-choice').hidden;
      if (wanted) {
        const place = await tracker.current();
        if (place) fields.location = place;
      }
      // The stop's place, ticked as the fallback, when the device gave none.
      if (!fields.location && $('note-stop-place').checked && !$('stop-place-choice').hidden && stop?.place) {
        fields.location = stop.place;
      }
      return { fields, missedPlace: wanted && !fields.location };
    },

    // The note is in the outbox: the next one starts from the group's stop
    // and no category.
    sent() {
      stopTouched = false;
      for (const input of $('category-choices').querySelectorAll('input')) input.checked = false;
      renderCategoryClear();
      if (state) {
        $('note-stop').value = state.stops?.[state.current_stop] ? state.current_stop : '';
        renderGeo();
      }
    },

    // The walk as the fields show it (categories, stops), for labels; null
    // when not known yet.
    get walk() { return state; },

    // The stop the group is at, as this phone knows it; null when none.
    get currentStop() { return state?.stops?.[state.current_stop] ?? null; },

    // The group moved on: a position ticked for is refreshed for the next note.
    moved() {
      if ($('note-geo').checked && !$('geo-choice').hidden) tracker.refresh({ anew: true });
    },
  };
}
