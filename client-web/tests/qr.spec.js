// The QR code on the board leads to the join page: decoded from the pixels
// the projector shows, it is exactly the join URL written under it.
// Runs in the projector project only (see playwright.config.js).
import { test, expect } from '@playwright/test';
import jsQR from 'jsqr';
import { createSessionByApi, openBoard, phoneContextOptions, QUESTION } from './helpers.js';

// The <img> as the browser rendered it, drawn on a canvas on white (an SVG
// may be transparent), returned as RGBA bytes.
async function qrPixels(page, size) {
  const rgba = await page.locator('#qr').evaluate(async (img, side) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, side, side);
    g.imageSmoothingEnabled = false;
    g.drawImage(img, 0, 0, side, side);
    return Array.from(g.getImageData(0, 0, side, side).data);
  }, size);
  return Uint8ClampedArray.from(rgba);
}

test('the QR code on the board decodes to the join URL, which opens the join page', async ({ page, browser, request }) => {
  const session = await createSessionByApi(request, { title: 'Diagnostic en marchant' });
  await openBoard(page, session);
  const img = page.locator('#qr');
  await expect(img).toBeVisible();
  await expect(img).toHaveJSProperty('complete', true);
  expect(await img.evaluate((i) => i.naturalWidth)).toBeGreaterThan(0);
  // Big enough on the projector to be read from the back of the room.
  const box = await img.boundingBox();
  expect(box.width).toBeGreaterThanOrEqual(300);

  const shown = await page.locator('#join-url').textContent();
  expect(shown).toBe(session.join_url);
  await expect(img).toHaveAttribute('alt', `QR code pour rejoindre l'atelier : ${shown}`);

  const size = 400;
  const code = jsQR(await qrPixels(page, size), size, size);
  expect(code, 'jsQR found a QR code in the image').not.toBeNull();
  expect(code.data).toBe(shown);

  // What a phone does after scanning: open the URL.
  const phoneContext = await browser.newContext(phoneContextOptions());
  try {
    const phone = await phoneContext.newPage();
    await phone.goto(code.data);
    await expect(phone.getByRole('heading', { name: 'Bienvenue !' })).toBeVisible();
    await expect(phone.locator('#session-title')).toHaveText('Diagnostic en marchant');
    await expect(phone.locator('#session-question')).toHaveText(QUESTION);
    await expect(phone.getByRole('button', { name: 'Participer' })).toBeVisible();
  } finally {
    await phoneContext.close();
  }
});
