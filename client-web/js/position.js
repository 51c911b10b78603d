// Where this device is, from the browser (navigator.geolocation), for a
// walk's notes and stops. Asked only when someone ticks or taps for it, and
// never for long: a phone without a fix must not hold a note back. Browsers
// give a position only in a secure context (HTTPS, or localhost) and where
// the page's Permissions-Policy allows it (the server allows it on the
// phone's page).

import { roundedPlace } from './walk.js';

const TIMEOUT_MS = 10_000;
// A fix this recent is as good as a new one for a group that walks (a new
// stop asks again anyway).
const FRESH_MS = 60_000;
// What the browser may answer from its own cache: a few seconds' worth.
const CACHED_MS = 5_000;

// 'ok', or why the position cannot be asked for at all: 'insecure' (plain
// http:// on a network address), 'blocked' (this page's policy forbids it),
// 'missing' (a browser without it).
export function positionSupport() {
  if (!window.isSecureContext) return 'insecure';
  if (!('geolocation' in navigator)) return 'missing';
  // Chromium says it up front; other browsers refuse when asked ('denied').
  if (document.featurePolicy?.allowsFeature?.('geolocation') === false) return 'blocked';
  return 'ok';
}

// One request: resolves to { place } ({lat, lon, accuracy}, rounded as the
// server keeps it) or { problem }: the reasons above, or 'denied' (by the
// person or the browser), 'unavailable' (no fix, e.g. indoors), 'timeout'.
// maximumAgeMs: how old an answer from the browser's cache may be.
export function askPosition({ timeoutMs = TIMEOUT_MS, maximumAgeMs = CACHED_MS } = {}) {
  const support = positionSupport();
  if (support !== 'ok') return Promise.resolve({ problem: support });
  return new Promise((resolve) => {
    navigator.geolocation.getCurrentPosition(
      ({ coords }) => resolve({ place: roundedPlace({ lat: coords.latitude, lon: coords.longitude, accuracy: coords.accuracy }) }),
      (error) => resolve({ problem: ({ 1: 'denied', 2: 'unavailable', 3: 'timeout' })[error.code] ?? 'unavailable' }),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: maximumAgeMs },
    );
  });
}

// Keeps the latest fix while someone wants their position on their notes:
// refreshed when they start a note or the group moves on, so that it is
// usually ready when they press the button. onChange({ place, problem,
// asking }) after each answer.
export function createPositionTracker(onChange) {
  let fix = null;       // { place, time }
  let asking = null;    // the request under way
  let problem = null;

  const fresh = () => (fix && Date.now() - fix.time < FRESH_MS ? fix.place : null);

  // anew: nothing from the browser's cache (the group has just moved on).
  function refresh({ anew = false } = {}) {
    if (asking) return asking;
    asking = askPosition(anew ? { maximumAgeMs: 0 } : {}).then((answer) => {
      asking = null;
      problem = answer.problem ?? null;
      if (answer.place) fix = { place: answer.place, time: Date.now() };
      onChange({ place: answer.place ?? null, problem, asking: false });
      return answer;
    });
    onChange({ place: fresh(), problem, asking: true });
    return asking;
  }

  return {
    refresh,
    // Refreshes unless the fix is recent or a request is under way.
    refreshIfStale() {
      if (!fresh() && !asking) refresh();
    },
    // The place to attach now: the answer of the request under way (the
    // group may just have moved on), else a recent fix, else a new one; each
    // wait bounded by the request's timeout. null when there is none.
    async current() {
      if (asking) await asking;
      else if (!fresh()) await refresh();
      return fresh();
    },
    get problem() { return problem; },
    forget() {
      fix = null;
      problem = null;
    },
  };
}
