// A walk's photos, end to end: a phone at 360×740 attaches a photo to a
// note online (shrunk on the phone before it goes), then another offline,
// reloads without network and comes back: both notes reach the board once,
// each with its photo; the board shows the thumbnails and opens a photo
// whole; "Masquer la photo" takes it off the board and the phone. Then the
// server's "not now" (429, 503 with Retry-After) and "never" (413). Runs in
// the projector project only: it opens its own phone.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { serverUrl, phoneContextOptions, fillJoinForm, boardNote, recordFrames, createSessionByApi, openBoard, openNoteMenu } from './helpers.js';
import { sessionState } from './wire.js';

const PHONE = { width: 360, height: 740 };
const ONLINE = { text: 'Le banc près de la fontaine est cassé', category: 'Difficulté' };
const OFFLINE = { text: 'Une belle fresque sur le mur du gymnase', category: 'Atout' };

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'RGAAv4'];
async function expectNoViolations(builder, what) {
  const { violations } = await builder.withTags(TAGS).analyze();
  const described = violations.map((v) => `• ${v.id}: ${v.help}\n${v.nodes.map((n) => `  - ${n.target.join(' ')}`).join('\n')}`).join('\n');
  expect(violations, `accessibility violations on ${what}:\n${described}`).toEqual([]);
}

// A camera-sized JPEG drawn in the page (bands of colour and a disc, so
// that it is not trivially small once encoded), larger than what is kept.
async function cameraJpeg(page, { width, height, hue }) {
  const base64 = await page.evaluate(async ({ width, height, hue }) => {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    for (let i = 0; i < 24; i += 1) {
      context.fillStyle = `hsl(${(hue + i * 15) % 360} 70% ${30 + (i % 5) * 10}%)`;
      context.fillRect(0, (i * height) / 24, width, height / 24 + 1);
    }
    context.fillStyle = '#fff';
    context.beginPath();
    context.arc(width / 2, height / 2, Math.min(width, height) / 4, 0, Math.PI * 2);
    context.fill();
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }, { width, height, hue });
  return Buffer.from(base64, 'base64');
}

// Whether an <img> has its picture (an object URL fetched with the token).
async function expectLoaded(img) {
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((i) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
}

async function choosePhoto(phone, note, jpeg) {
  await phone.getByLabel('Votre idée').fill(note.text);
  await phone.getByRole('radio', { name: note.category }).check();
  await phone.locator('#note-photo').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  // Shrunk and shown before it goes, with a way to take it back.
  await expectLoaded(phone.getByRole('img', { name: 'Aperçu de la photo jointe à votre note' }));
  await expect(phone.getByRole('button', { name: 'Retirer la photo' })).toBeFocused();
}

test('a walk\'s photos: one online, one offline across a reload, on the board, opened whole, then hidden', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Diagnostic du quartier', private_writing: false, categories: ['Atout', 'Difficulté'] });
  await openBoard(page, session);
  const context = await browser.newContext({ ...phoneContextOptions(), viewport: PHONE });
  try {
    // The bodies of the phone's uploads, as its page hands them to fetch().
    await context.addInitScript(() => {
      window.photoUploads = [];
      const original = window.fetch;
      window.fetch = (url, options) => {
        if (String(url).endsWith('/photos') && options?.body instanceof Blob) {
          window.photoUploads.push({ size: options.body.size, type: options.body.type });
        }
        return original(url, options);
      };
    });
    const phone = await context.newPage();
    const frames = recordFrames(phone);
    await phone.goto(serverUrl(`/j/${session.join_code.replace(/-/g, '')}`));
    await fillJoinForm(phone, { name: 'Odile' });
    await expect(phone.getByText('Ajouter une photo')).toBeVisible();
    await expect(phone.locator('#photo-consent')).toContainText('sans son accord');

    // A photo chosen, then taken back: the note would go without it.
    const landscape = await cameraJpeg(phone, { width: 2400, height: 1800, hue: 20 });
    await choosePhoto(phone, ONLINE, landscape);
    await phone.getByRole('button', { name: 'Retirer la photo' }).click();
    await expect(phone.locator('#photo-preview')).toBeHidden();
    await expect(phone.locator('#note-photo')).toBeFocused();

    // Online: the photo goes first, shrunk to 1600 px on its long side.
    await choosePhoto(phone, ONLINE, landscape);
    await expectNoViolations(new AxeBuilder({ page: phone }), 'the phone\'s form with a photo');
    const uploaded = phone.waitForResponse((r) => r.url().endsWith('/photos') && r.request().method() === 'POST');
    await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
    const upload = await uploaded;
    expect(upload.status()).toBe(201);
    const kept = await upload.json();
    expect(Math.max(kept.width, kept.height)).toBe(1600);
    expect(kept.width).toBeGreaterThan(kept.height);
    // What the phone sent was already shrunk: a JPEG of at most 400 KB.
    const [body] = await phone.evaluate(() => window.photoUploads);
    expect(body.type).toBe('image/jpeg');
    expect(body.size).toBeGreaterThan(1000);
    expect(body.size).toBeLessThan(400 * 1024);
    const first = phone.locator('#my-notes > li', { hasText: ONLINE.text });
    await expect(first.locator('.pending')).toHaveCount(0);
    await expectLoaded(first.getByRole('img', { name: `Photo jointe à la note : ${ONLINE.text}` }));
    await expect(phone.locator('#photo-preview')).toBeHidden();
    await expectLoaded(boardNote(page, ONLINE.text).getByRole('button', { name: `Photo jointe à la note : ${ONLINE.text}` }).locator('img'));

    // Offline: the note and its photo wait on the phone, across a reload.
    await context.setOffline(true);
    await expect(phone.locator('#offline')).toHaveText(/Hors connexion/);
    const portrait = await cameraJpeg(phone, { width: 1500, height: 2000, hue: 200 });
    await choosePhoto(phone, OFFLINE, portrait);
    await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
    const second = phone.locator('#my-notes > li', { hasText: OFFLINE.text });
    await expect(second.locator('.pending')).toHaveCount(1);
    await expectLoaded(second.getByRole('img', { name: `Photo jointe à la note : ${OFFLINE.text}` }));
    await expect(phone.locator('#offline')).toHaveText(/1 note et 1 photo en attente/);
    await phone.reload();
    await expect(phone.locator('#offline')).toHaveText(/1 note et 1 photo en attente/);
    await expect(second.locator('.pending')).toHaveCount(1);
    // The photo kept on the phone (IndexedDB) shows after the reload.
    await expectLoaded(second.getByRole('img', { name: `Photo jointe à la note : ${OFFLINE.text}` }));
    await expect(phone.locator('#note-error')).toBeEmpty();

    // Back online: the photo goes, then its note, once.
    const uploadedLater = phone.waitForResponse((r) => r.url().endsWith('/photos') && r.request().method() === 'POST');
    await context.setOffline(false);
    const later = await uploadedLater;
    expect(later.status()).toBe(201);
    const keptLater = await later.json();
    expect(Math.max(keptLater.width, keptLater.height)).toBe(1600);
    expect(keptLater.height).toBeGreaterThan(keptLater.width);
    await expect(phone.locator('#offline')).toBeHidden();
    await expect(phone.locator('#my-notes .pending')).toHaveCount(0);
    await expectLoaded(second.getByRole('img', { name: `Photo jointe à la note : ${OFFLINE.text}` }));
    await expectLoaded(boardNote(page, OFFLINE.text).locator('.note-photo img'));

    // Each note once, with its photo; the offline one under its first op id.
    const state = await sessionState(request, session);
    for (const note of [ONLINE, OFFLINE]) {
      const found = Object.values(state.notes).filter((n) => n.text === note.text);
      expect(found).toHaveLength(1);
      expect(found[0].photo).toBeTruthy();
      const ops = frames.sent.filter((m) => m.type === 'op' && m.op.kind === 'note.add' && m.op.text === note.text);
      expect(new Set(ops.map((m) => m.op_id)).size).toBe(1);
      expect(ops.every((m) => m.op.photo === found[0].photo)).toBe(true);
    }
    expect(Object.values(state.notes).find((n) => n.text === OFFLINE.text).photo).toBe(keptLater.photo);

    // The board opens the photo whole: a click, then Escape, back on the thumbnail.
    const thumb = boardNote(page, ONLINE.text).getByRole('button', { name: `Photo jointe à la note : ${ONLINE.text}` });
    await thumb.click();
    const dialog = page.getByRole('dialog', { name: 'Photo de la note' });
    await expect(dialog).toBeVisible();
    const full = dialog.getByRole('img', { name: `Photo jointe à la note : ${ONLINE.text}` });
    await expectLoaded(full);
    const size = await full.evaluate((i) => [i.naturalWidth, i.naturalHeight]);
    expect(Math.max(...size)).toBe(1600);
    await expectNoViolations(new AxeBuilder({ page }).include('#photo-dialog'), 'the photo dialog');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(thumb).toBeFocused();
    // From the keyboard: Enter on the thumbnail.
    const otherThumb = boardNote(page, OFFLINE.text).locator('.note-photo');
    await otherThumb.focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await expectLoaded(dialog.getByRole('img', { name: `Photo jointe à la note : ${OFFLINE.text}` }));
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await expect(dialog).toBeHidden();
    await expect(otherThumb).toBeFocused();

    // "Masquer la photo", confirmed: gone from the board and from the phone.
    const menu = await openNoteMenu(page, ONLINE.text);
    await menu.getByRole('button', { name: 'Masquer la photo' }).click();
    const confirm = page.getByRole('dialog', { name: 'Masquer cette photo ?' });
    await expect(confirm).toBeVisible();
    await confirm.getByRole('button', { name: 'Masquer la photo' }).click();
    await expect(confirm).toBeHidden();
    await expect(boardNote(page, ONLINE.text).locator('.note-photo')).toHaveCount(0);
    await expect(first.locator('img')).toHaveCount(0);
    await expect(boardNote(page, OFFLINE.text).locator('.note-photo')).toHaveCount(1);
    // A note without a photo offers nothing to hide.
    const again = await openNoteMenu(page, ONLINE.text);
    await expect(again.getByRole('button', { name: 'Masquer la photo' })).toBeHidden();
  } finally {
    await context.close();
  }
});

test('a photo upload told "not now" is tried again after Retry-After; one refused lets its note go without it', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Diagnostic du quartier', private_writing: false, categories: ['Atout'] });
  await openBoard(page, session);
  // No service worker: the page's own requests are then routed by the test.
  const context = await browser.newContext({ ...phoneContextOptions(), viewport: PHONE, serviceWorkers: 'block' });
  try {
    const phone = await context.newPage();
    await phone.goto(serverUrl(`/j/${session.join_code.replace(/-/g, '')}`));
    await fillJoinForm(phone);
    const jpeg = await cameraJpeg(phone, { width: 800, height: 600, hue: 90 });
    // The server busy once (another phone's upload under way), then free.
    const replies = [
      { status: 429, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: '{"code":"upload_in_progress"}' },
      { status: 503, headers: { 'Retry-After': '1' }, contentType: 'application/json', body: '{"code":"busy"}' },
    ];
    let tries = 0;
    await phone.route('**/api/sessions/*/photos', (route) => {
      tries += 1;
      const reply = replies.shift();
      return reply ? route.fulfill(reply) : route.continue();
    });
    await choosePhoto(phone, { text: 'Des toilettes publiques ouvertes', category: 'Atout' }, jpeg);
    await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
    const note = phone.locator('#my-notes > li', { hasText: 'Des toilettes publiques ouvertes' });
    await expect(note).toHaveCount(1);
    await expect(note.locator('.pending')).toHaveCount(0);
    expect(tries).toBe(3);
    await expectLoaded(boardNote(page, 'Des toilettes publiques ouvertes').locator('.note-photo img'));
    await expect(phone.locator('#note-error')).toBeEmpty();

    // Refused for good (too large): the note goes without it, and the phone says so.
    await phone.unroute('**/api/sessions/*/photos');
    await phone.route('**/api/sessions/*/photos', (route) => route.fulfill({ status: 413, contentType: 'application/json', body: '{"code":"too_large"}' }));
    await choosePhoto(phone, { text: 'Un banc à l\'ombre', category: 'Atout' }, jpeg);
    await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
    await expect(phone.locator('#note-error')).toHaveText('Votre note est partie sans sa photo : la photo est trop lourde.');
    await expect(phone.locator('#my-notes > li', { hasText: 'Un banc à l\'ombre' })).toHaveCount(1);
    await expect(phone.locator('#my-notes .pending')).toHaveCount(0);
    await expect(boardNote(page, 'Un banc à l\'ombre')).toHaveCount(1);
    await expect(boardNote(page, 'Un banc à l\'ombre').locator('.note-photo')).toHaveCount(0);
    const state = await sessionState(request, session);
    expect(Object.values(state.notes).filter((n) => n.text === 'Un banc à l\'ombre')).toHaveLength(1);
  } finally {
    await context.close();
  }
});
