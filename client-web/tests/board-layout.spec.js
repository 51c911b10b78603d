// The board's layout at workshop scale: notes dropped anywhere by people,
// themes created one after the other, "Ranger le tableau", and drops. After
// each, no note or theme covers another, and "Tout voir" shows them all.
import { test, expect } from '@playwright/test';
import { createSessionByApi, openBoard, boardNote, createTheme, recordFrames } from './helpers.js';
import { openWire } from './wire.js';

// The board's own sizes are what is tested: laptop and projector, in their
// own contexts (the phone project has its own layout tests).
test.skip(({ isMobile }) => isMobile, 'board screens only');

const SIZES = [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }];

// Pairs of notes or themes (outside themes: a theme's notes are in its box)
// whose boxes on screen intersect.
function overlapping(page) {
  return page.evaluate(() => {
    const items = [...document.querySelectorAll('#world > .board-note, #world > .theme-box')]
      .map((node) => ({ id: node.dataset.note ?? node.dataset.theme, box: node.getBoundingClientRect() }));
    const pairs = [];
    for (let i = 0; i < items.length; i += 1) {
      for (let j = i + 1; j < items.length; j += 1) {
        const [a, b] = [items[i].box, items[j].box];
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
          pairs.push(`${items[i].id}/${items[j].id}`);
        }
      }
    }
    return pairs;
  });
}

// Notes and themes not wholly inside the board's area.
function outOfView(page) {
  return page.evaluate(() => {
    const area = document.getElementById('viewport').getBoundingClientRect();
    return [...document.querySelectorAll('#world > .board-note, #world > .theme-box')]
      .filter((node) => {
        const box = node.getBoundingClientRect();
        return box.left < area.left || box.top < area.top || box.right > area.right || box.bottom > area.bottom;
      })
      .map((node) => node.dataset.note ?? node.dataset.theme);
  });
}

const LONG = 'Créer un lieu de rencontre ouvert le dimanche après-midi, avec un café, des jeux '
  + 'de société et une navette pour les personnes qui ne conduisent plus, animé par des bénévoles '
  + 'du quartier et les jeunes du service civique';

for (const size of SIZES) {
  test(`a heap of notes and new themes, tidied with "Ranger le tableau", then a drop, at ${size.width}×${size.height}`, async ({ browser, request }) => {
    test.setTimeout(120_000);
    const session = await createSessionByApi(request, { private_writing: false });
    const wire = await openWire(browser);
    const context = await browser.newContext({ viewport: size, locale: 'fr-FR' });
    try {
      // People put their notes wherever they liked: a heap, some long.
      const writer = await wire.join({ join_code: session.join_code, name: 'Odile' });
      const texts = [];
      for (let i = 0; i < 14; i += 1) {
        const text = i % 5 === 0 ? `${LONG} (${i})` : `Idée numéro ${i}`;
        texts.push(text);
        await writer.op({ kind: 'note.add', text, color: 'yellow', x: 30 * i, y: 20 * i });
      }
      const page = await context.newPage();
      const frames = recordFrames(page);
      await openBoard(page, session);
      await expect(page.locator('#world > .board-note')).toHaveCount(14);
      expect((await overlapping(page)).length).toBeGreaterThan(0);  // the heap

      // New themes go right of everything, side by side.
      for (const title of ['Mobilité', 'Rencontres', 'Santé']) await createTheme(page, title);
      const themeOps = frames.sent.filter((m) => m.type === 'op' && m.op.kind === 'theme.create');
      expect(themeOps.map((m) => Object.keys(m.op).sort())).toEqual(Array(3).fill(['kind', 'title']));
      const themePairs = (await overlapping(page)).filter((pair) => /t\d/.test(pair));
      expect(themePairs).toEqual([]);

      // Tidied: a grid and columns, then the whole board in view.
      await page.getByRole('button', { name: 'Ranger le tableau' }).click();
      await expect.poll(() => overlapping(page)).toEqual([]);
      await expect.poll(() => outOfView(page)).toEqual([]);
      const arranged = frames.sent.filter((m) => m.type === 'op' && m.op.kind === 'board.arrange');
      expect(arranged.map((m) => m.op)).toEqual([{ kind: 'board.arrange' }]);

      // A note dropped on top of another (the first one, onto the last)
      // lands in the nearest free cell: the one after the last note.
      await page.getByRole('button', { name: 'Tout voir' }).click();
      const moved = boardNote(page, texts[0]);
      const target = await boardNote(page, texts[13]).boundingBox();
      const from = await moved.boundingBox();
      await page.mouse.move(from.x + from.width / 2, from.y + 10);
      await page.mouse.down();
      await page.mouse.move(target.x + target.width / 2, target.y + 12, { steps: 8 });
      await page.mouse.up();
      await expect.poll(async () => (await moved.boundingBox()).y).not.toBe(from.y);
      const landed = await moved.boundingBox();
      expect(landed.x).toBeGreaterThan(target.x);
      expect(Math.abs(landed.y - target.y)).toBeLessThan(2);
      await expect.poll(() => overlapping(page)).toEqual([]);
      await expect(page.locator('#world > .board-note')).toHaveCount(14);  // still free, not grouped
    } finally {
      await context.close();
      await wire.close();
    }
  });
}

test('the replay shows the tidied board as it was', async ({ browser, request, page }) => {
  const session = await createSessionByApi(request, { private_writing: false });
  const wire = await openWire(browser);
  try {
    const facilitator = await wire.join({ facilitator_token: session.facilitator_token });
    const writer = await wire.join({ join_code: session.join_code });
    for (let i = 0; i < 6; i += 1) {
      await writer.op({ kind: 'note.add', text: `Note ${i}`, color: 'blue', x: 5 * i, y: 5 * i });
    }
    await facilitator.op({ kind: 'theme.create', title: 'Transport' });
    const event = await facilitator.op({ kind: 'board.arrange' });
    expect(event.op.notes).toHaveLength(6);
    expect(event.op.themes).toHaveLength(1);
    await page.goto(`/rejouer#${session.session_id}:${session.facilitator_token}`);
    for (const placed of event.op.notes) {
      const note = page.locator(`#world [data-note="${placed.note}"]`);
      await expect(note).toHaveCSS('left', `${placed.x}px`);
      await expect(note).toHaveCSS('top', `${placed.y}px`);
    }
  } finally {
    await wire.close();
  }
});
