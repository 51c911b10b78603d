// Message catalogs (French first, English second), the language switch and
// French-aware formatting. Elements carry data-i18n="key" (text content),
// data-i18n-placeholder, data-i18n-aria-label or data-i18n-title.

const SUPPORTED = ['fr', 'en'];
const STORAGE_KEY = 'ruche.lang';
let catalog = {};
let lang = 'fr';

function pickLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (SUPPORTED.includes(saved)) return saved;
  return 'fr';
}

export async function loadLanguage(wanted = pickLanguage()) {
  lang = SUPPORTED.includes(wanted) ? wanted : 'fr';
  const response = await fetch(`/i18n/${lang}.json`, { cache: 'no-cache' });
  catalog = await response.json();
  document.documentElement.lang = lang;
  translatePage();
  return lang;
}

export function currentLanguage() {
  return lang;
}

// Making an Intl formatter costs far more than using one (a millisecond on
// a slow phone, for every count on the board): one of each per language.
const formatters = new Map();
function formattersOf(language) {
  if (!formatters.has(language)) {
    formatters.set(language, { plural: new Intl.PluralRules(language), number: new Intl.NumberFormat(language) });
  }
  return formatters.get(language);
}

// t('notes.count', { n: 3 }) → "3 notes"; keys with .one/.other pick a plural.
export function t(key, params = {}) {
  let text = catalog[key];
  if (text === undefined && 'n' in params) {
    const rule = formattersOf(lang).plural.select(params.n);
    text = catalog[`${key}.${rule}`] ?? catalog[`${key}.other`];
  }
  if (text === undefined) return key;
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    name in params ? formatValue(params[name]) : `{${name}}`);
}

function formatValue(value) {
  return typeof value === 'number' ? formattersOf(lang).number.format(value) : String(value);
}

export function formatDateTime(ms) {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(ms));
}

export function formatDate(ms) {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date(ms));
}

export function formatDuration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  const rest = String(s % 60).padStart(2, '0');
  return `${minutes}:${rest}`;
}

export function translatePage(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  const title = document.querySelector('meta[name="ruche-title"]');
  if (title) document.title = t(title.content);
}

// A button that switches between French and English, then re-renders.
export function setupLanguageSwitch(button, onChange) {
  const label = () => {
    button.textContent = lang === 'fr' ? 'English' : 'Français';
    button.lang = lang === 'fr' ? 'en' : 'fr';
  };
  label();
  button.addEventListener('click', async () => {
    const next = lang === 'fr' ? 'en' : 'fr';
    localStorage.setItem(STORAGE_KEY, next);
    await loadLanguage(next);
    label();
    onChange?.();
  });
}
