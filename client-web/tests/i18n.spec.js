// The message catalogs: French and English say the same things, every key the
// pages and scripts ask for exists, and the language switch works and sticks.
import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverUrl } from './helpers.js';
import { COLORS, PHASES, PROFILES } from '../js/vocabulary.js';

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (...parts) => readFileSync(path.join(clientDir, ...parts), 'utf8');
const catalogs = { fr: JSON.parse(read('i18n', 'fr.json')), en: JSON.parse(read('i18n', 'en.json')) };
const htmlFiles = readdirSync(clientDir).filter((f) => f.endsWith('.html'));
const jsFiles = readdirSync(path.join(clientDir, 'js')).filter((f) => f.endsWith('.js'));

// A key is known when it exists as is, or as plural forms (key.one / key.other).
function missingIn(catalog, keys) {
  return [...keys].filter((k) => !(k in catalog) && !(`${k}.other` in catalog && `${k}.one` in catalog)).sort();
}

function placeholders(text) {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

function htmlKeys() {
  const keys = new Set();
  for (const file of htmlFiles) {
    const html = read(file);
    for (const m of html.matchAll(/data-i18n(?:-placeholder|-aria-label|-title)?="([^"]+)"/g)) keys.add(m[1]);
    for (const m of html.matchAll(/<meta name="ruche-title" content="([^"]+)"/g)) keys.add(m[1]);
  }
  return keys;
}

// Literal keys in t('…') calls, and both keys of t(cond ? '…' : '…').
function scriptKeys() {
  const keys = new Set();
  for (const file of jsFiles) {
    const code = read('js', file).replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(/\bt\(\s*'([^'$]+)'/g)) keys.add(m[1]);
    for (const m of code.matchAll(/\bt\([^()'`]*\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) keys.add(m[1]).add(m[2]);
  }
  return keys;
}

// The stable error codes of the wire contract, from its tables.
function protocolErrorCodes() {
  const doc = readFileSync(path.join(clientDir, '..', 'protocol', 'README.md'), 'utf8');
  const errors = doc.slice(doc.indexOf('\n## Errors'), doc.indexOf('\n## Limits'));
  return new Set([...errors.matchAll(/^\| `([a-z_]+)` \|/gm)].map((m) => m[1]));
}

test.describe('catalogs', () => {
  test('French and English have the same keys, none empty, same placeholders', () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.fr).sort());
    for (const [lang, catalog] of Object.entries(catalogs)) {
      const empty = Object.entries(catalog).filter(([, v]) => typeof v !== 'string' || v.trim() === '');
      expect(empty.map(([k]) => k), `empty values in ${lang}.json`).toEqual([]);
    }
    const mismatched = Object.keys(catalogs.fr)
      .filter((k) => placeholders(catalogs.fr[k]).join() !== placeholders(catalogs.en[k] ?? '').join());
    expect(mismatched, 'keys whose {placeholders} differ between fr and en').toEqual([]);
    // A plural has both forms.
    const keys = Object.keys(catalogs.fr);
    const halfPlurals = keys.filter((k) => /\.(one|other)$/.test(k))
      .map((k) => k.replace(/\.(one|other)$/, ''))
      .filter((base) => !keys.includes(`${base}.one`) || !keys.includes(`${base}.other`));
    expect(halfPlurals).toEqual([]);
  });

  test('every key used by the HTML pages exists', () => {
    const keys = htmlKeys();
    expect(keys.size).toBeGreaterThan(50);
    for (const [lang, catalog] of Object.entries(catalogs)) {
      expect(missingIn(catalog, keys), `keys missing from ${lang}.json`).toEqual([]);
    }
  });

  test('every key used by the scripts exists, dynamic ones included', () => {
    const keys = scriptKeys();
    expect(keys.size).toBeGreaterThan(30);
    expect(keys).toContain('board.private_count');
    expect(keys).toContain('board.unlock');
    // Keys built from a value: every value they can take.
    const values = { profile: PROFILES, color: COLORS, phase: PHASES };
    for (const [prefix, list] of Object.entries(values)) for (const v of list) keys.add(`${prefix}.${v}`);
    for (const p of values.phase) keys.add(`phone.phase.${p}`);
    // t(`error.${code}`) shows any error the server sends.
    const codes = protocolErrorCodes();
    expect(codes.size).toBeGreaterThan(30);  // the README table was found and read
    for (const c of codes) keys.add(`error.${c}`);
    for (const [lang, catalog] of Object.entries(catalogs)) {
      expect(missingIn(catalog, keys), `keys missing from ${lang}.json`).toEqual([]);
    }
  });
});

test('the language switch turns the start page to English and back, and is remembered', async ({ page }) => {
  await page.goto(serverUrl('/'));
  const heading = page.getByRole('heading', { level: 1 });
  const toggle = page.locator('#lang-switch');
  await expect(heading).toHaveText(catalogs.fr['start.heading']);
  await expect(page).toHaveTitle(catalogs.fr['start.page_title']);
  await expect(toggle).toHaveText('English');

  await toggle.click();
  await expect(heading).toHaveText(catalogs.en['start.heading']);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle(catalogs.en['start.page_title']);
  await expect(page.getByRole('button', { name: catalogs.en['start.join_button'], exact: true })).toBeVisible();
  await expect(page.locator('#profiles')).toContainText(catalogs.en['profile.habitant']);
  await expect(page.getByLabel(catalogs.en['start.title_label'])).toHaveAttribute('placeholder', catalogs.en['start.title_placeholder']);
  await expect(toggle).toHaveText('Français');
  await expect(toggle).toHaveAttribute('lang', 'fr');

  await page.reload();
  await expect(heading).toHaveText(catalogs.en['start.heading']);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(toggle).toHaveText('Français');

  await toggle.click();
  await expect(heading).toHaveText(catalogs.fr['start.heading']);
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.locator('#profiles')).toContainText(catalogs.fr['profile.habitant']);
  await page.reload();
  await expect(heading).toHaveText(catalogs.fr['start.heading']);
  await expect(toggle).toHaveText('English');
});
