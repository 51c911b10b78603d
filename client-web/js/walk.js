// A walk ("diagnostic en marchant"): a session with stops (the route, in the
// order they were added) and categories of what people observe on the way.
// What the phone, the board and the replay share about it; nothing here
// talks to the server or to the browser's position.

import { t } from './i18n.js';
import { LIMITS } from './vocabulary.js';

// The route: stops in the order they were added (the server's order too).
export const route = (state) => Object.values(state.stops ?? {}).sort((a, b) => a.created_seq - b.created_seq);

export const categoriesOf = (state) => state.settings.categories ?? [];

// A session is shown as a walk once it has categories or stops.
export const isWalk = (state) => categoriesOf(state).length > 0 || Object.keys(state.stops ?? {}).length > 0;

// id → "Arrêt 2 · Place du marché", computed once per render (a board of
// 300 notes asks for it 300 times).
export function stopLabels(state) {
  return new Map(route(state).map((stop, i) => [stop.id, t('walk.stop_label', { n: i + 1, name: stop.name })]));
}

export function stopLabel(state, id) {
  return stopLabels(state).get(id) ?? '';
}

// The stop after the current one; the first when the walk has not begun.
export function nextStop(state) {
  const stops = route(state);
  const at = stops.findIndex((stop) => stop.id === state.current_stop);
  return stops[at + 1] ?? null;
}

export function categoryLabel(state, index) {
  return index === undefined ? '' : categoriesOf(state)[index] ?? '';
}

// Each category has its colour, so that a board of notes reads by category
// at a glance (Atout green, Difficulté pink, Proposition blue with the usual
// list); after six they come round again. Notes without one stay yellow.
const CATEGORY_COLORS = ['green', 'pink', 'blue', 'purple', 'orange', 'yellow'];
export const categoryColor = (index) => (index === undefined ? 'yellow' : CATEGORY_COLORS[index % CATEGORY_COLORS.length]);

// A place as the server keeps it: degrees to 1/geo_scale (about a metre),
// the accuracy in whole metres within the codec's bound, left out when not
// known (a typed place).
export function roundedPlace({ lat, lon, accuracy }) {
  const scale = LIMITS.geo_scale;
  const place = { lat: Math.round(lat * scale) / scale, lon: Math.round(lon * scale) / scale };
  if (Number.isFinite(accuracy) && accuracy > 0) place.accuracy = Math.min(Math.max(1, Math.round(accuracy)), LIMITS.geo_accuracy);
  return place;
}

// "48.85661, 2.35222" (± 12 m): dots, as maps and GPS apps write them.
export function formatPlace(place) {
  const where = `${place.lat.toFixed(5)}, ${place.lon.toFixed(5)}`;
  return place.accuracy ? t('walk.place_accuracy', { where, m: place.accuracy }) : where;
}

// What a person is told once their position is found: how close it is
// (the coordinates mean little to most people; the board shows them in its
// fields).
export const foundWords = (place) => (place.accuracy ? ['walk.geo_found', { m: place.accuracy }] : ['walk.geo_found_plain', {}]);

// Latitude and longitude typed by someone ("48,8566" or "48.8566"): a place,
// null when both are empty, or { error } naming what is wrong.
export function typedPlace(latText, lonText) {
  const read = (text) => Number(text.trim().replace(',', '.'));
  if (!latText.trim() && !lonText.trim()) return null;
  if (!latText.trim() || !lonText.trim()) return { error: 'walk.place_both' };
  const lat = read(latText);
  const lon = read(lonText);
  if (!Number.isFinite(lat) || Math.abs(lat) > 90) return { error: 'walk.place_lat' };
  if (!Number.isFinite(lon) || Math.abs(lon) > 180) return { error: 'walk.place_lon' };
  return roundedPlace({ lat, lon });
}

// Category labels as the codec takes them: single lines, each at most
// category_chars long, each once, at most `categories` of them. Returns
// { labels } or { error, detail }.
export function checkCategories(labels) {
  if (labels.length > LIMITS.categories) return { error: 'walk.categories_too_many', detail: { n: LIMITS.categories } };
  const seen = new Set();
  for (const label of labels) {
    if ([...label].length > LIMITS.category_chars) return { error: 'walk.category_too_long', detail: { label, n: LIMITS.category_chars } };
    if (seen.has(label)) return { error: 'walk.category_twice', detail: { label } };
    seen.add(label);
  }
  return { labels };
}

// Removes what the wire refuses in a single-line label (control characters).
export const oneLine = (text) => text.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
