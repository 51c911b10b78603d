// The projector at workshop scale: the join panel that shrinks to a corner
// badge, private notes kept off the projected screen, a compact header on
// 1366×768 and 1280×720 projectors, and the focus mode that shows one theme
// at a time at a size read from the back of the room.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionByApi, openBoard, boardNotes, setPhase } from './helpers.js';
import { openWire, noteIds } from './wire.js';
import { THEMES, ideaText } from './ideas.js';

// The contexts below set their own screen sizes: once, from the projector project.
test.skip(({ isMobile }) => isMobile, 'projector screens only');

const screensDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screens');

const LONG_TITLE = 'Atelier participatif du centre communal d’action sociale : bien vieillir dans le quartier des Tilleuls';
const LONG_QUESTION = 'Comment lutter ensemble contre l’isolement des personnes âgées qui vivent seules chez elles, '
  + 'surtout l’hiver, quand sortir devient difficile ?';

// A session with `notes` notes dealt round-robin into `themes` themes (none
// when 0), through the wire: each facilitator seat sends at most ~50 ops, so
// that no connection hits the per-connection rate limit.
async function seedBoard(browser, request, { notes, themes, phase = 'clustering', settings = {} }) {
  const session = await createSessionByApi(request, { private_writing: phase !== 'reveal', ...settings });
  const wire = await openWire(browser);
  try {
    const seats = Math.max(1, Math.ceil((2 * notes + themes) / 50));
    const hosts = await Promise.all(Array.from({ length: seats }, () => wire.join({ facilitator_token: session.facilitator_token })));
    const themeIds = [];
    for (let i = 0; i < themes; i += 1) {
      const created = await hosts[0].op({ kind: 'theme.create', title: THEMES[i], x: (i % 4) * 360, y: Math.floor(i / 4) * 2000 });
      themeIds.push(created.op.theme);
    }
    const mine = (h) => Array.from({ length: notes }, (_, i) => i).filter((i) => i % seats === h);
    await Promise.all(hosts.map(async (host, h) => {
      for (const i of mine(h)) {
        const added = await host.op({ kind: 'note.add', text: ideaText(i), color: ['yellow', 'pink', 'blue', 'green'][i % 4] });
        if (themes) await host.op({ kind: 'note.group', note: added.op.note, theme: themeIds[i % themes] });
      }
    }));
    if (phase !== 'writing' && phase !== 'reveal') await hosts[0].op({ kind: 'phase.set', phase });
  } finally {
    await wire.close();
  }
  return session;
}

async function boardPage(browser, session, { width = 1920, height = 1080 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'fr-FR' });
  const page = await context.newPage();
  await openBoard(page, session);
  return { context, page };
}

async function shoot(page, name) {
  const size = page.viewportSize();
  await page.screenshot({ path: path.join(screensDir, `projector-${size.width}x${size.height}-${name}.png`), animations: 'disabled', caret: 'hide' });
}

// As in a11y.spec.js (WCAG 2.2 AA and RGAA 4), for one part of the page: the
// board behind, zoomed out to show 120 notes, has notes too small to use.
async function expectNoViolations(page, part, what) {
  const { violations } = await new AxeBuilder({ page }).include(part)
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'RGAAv4']).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `accessibility of ${what}`).toEqual([]);
}

const apart = (a, b) => a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;

// "Tout voir" from the keyboard, as someone without a mouse.
async function fitAll(page) {
  await page.getByRole('button', { name: 'Tout voir' }).focus();
  await page.keyboard.press('Enter');
}

async function expectClearOfBadge(page) {
  const badge = await page.locator('#join-badge').boundingBox();
  const boxes = await boardNotes(page).evaluateAll((nodes) => nodes.map((n) => {
    const r = n.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height, text: n.textContent.slice(0, 30) };
  }));
  expect(boxes.length).toBeGreaterThan(0);
  for (const box of boxes) expect(apart(box, badge), `"${box.text}" is clear of the join badge`).toBe(true);
}

test.describe('the join panel', () => {
  for (const size of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
    test(`shrinks to a badge after writing, clear of the notes at ${size.width}×${size.height}`, async ({ browser, request }) => {
      const session = await seedBoard(browser, request, { notes: 30, themes: 3, phase: 'writing' });
      const { context, page } = await boardPage(browser, session, size);
      try {
        // While people join: the whole panel, no badge.
        await expect(page.locator('#join-panel')).toBeInViewport({ ratio: 1 });
        await expect(page.locator('#join-badge')).toBeHidden();
        await setPhase(page, '2. Révélation');
        const badge = page.getByRole('button', { name: /afficher en grand le code et le QR code/ });
        await expect(badge).toBeVisible();
        await expect(badge).toContainText(session.join_code);
        await expect(page.locator('#join-panel')).toBeHidden();
        await expect(page.getByRole('button', { name: 'Code et QR' })).toHaveAttribute('aria-pressed', 'false');
        await fitAll(page);
        await expectClearOfBadge(page);
        const box = await badge.boundingBox();
        expect(box.height, 'the badge is small').toBeLessThanOrEqual(110);
        await shoot(page, 'badge');
      } finally {
        await context.close();
      }
    });
  }

  test('shows full and big on demand, and shrinks again with a button or Escape', async ({ browser, request }) => {
    const session = await seedBoard(browser, request, { notes: 5, themes: 0, phase: 'reveal' });
    const { context, page } = await boardPage(browser, session, { width: 1366, height: 768 });
    try {
      const badge = page.locator('#join-badge');
      await expect(badge).toBeVisible();
      await badge.click();
      const panel = page.locator('#join-panel');
      await expect(panel).toBeInViewport({ ratio: 1 });
      await expect(page.getByRole('button', { name: 'Réduire' })).toBeFocused();
      const qr = await page.locator('#qr').boundingBox();
      expect(qr.width, 'a big QR code').toBeGreaterThanOrEqual(340);
      await expect(page.locator('#qr')).toHaveJSProperty('complete', true);
      await shoot(page, 'join-overlay');
      await page.keyboard.press('Escape');
      await expect(panel).toBeHidden();
      await expect(badge).toBeFocused();

      // The header's toggle does the same, and the focus comes back to it.
      const toggle = page.getByRole('button', { name: 'Code et QR' });
      await toggle.click();
      await expect(panel).toBeVisible();
      await expect(toggle).toHaveAttribute('aria-pressed', 'true');
      await page.getByRole('button', { name: 'Réduire' }).click();
      await expect(panel).toBeHidden();
      await expect(toggle).toBeFocused();
      await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    } finally {
      await context.close();
    }
  });

  test('the facilitator can shrink it during the writing phase', async ({ browser, request }) => {
    const session = await seedBoard(browser, request, { notes: 0, themes: 0, phase: 'writing' });
    const { context, page } = await boardPage(browser, session);
    try {
      await page.getByRole('button', { name: 'Réduire' }).click();
      await expect(page.locator('#join-panel')).toBeHidden();
      await expect(page.locator('#join-badge')).toBeFocused();
      await page.locator('#join-badge').click();
      await expect(page.locator('#join-panel')).toBeInViewport({ ratio: 1 });
    } finally {
      await context.close();
    }
  });
});

test.describe('private notes', () => {
  test('never show on the projector, and peeking warns and stops when projecting', async ({ browser, request }) => {
    const session = await seedBoard(browser, request, { notes: 6, themes: 2, phase: 'writing' });
    const { context, page } = await boardPage(browser, session);
    const texts = Array.from({ length: 6 }, (_, i) => ideaText(i));
    const worldText = () => page.locator('#world').evaluate((w) => w.textContent);
    try {
      await expect(boardNotes(page)).toHaveCount(6);
      await expect(page.locator('#peek-warning')).toBeHidden();

      // Peeking, on the facilitator's own screen: the texts and a warning.
      const peek = page.getByRole('button', { name: 'Voir les notes privées' });
      await peek.click();
      await expect(page.locator('#peek-warning')).toHaveText('Notes privées visibles sur cet écran — ne le projetez pas');
      await expect(page.locator('#world')).toContainText(texts[0]);

      // Projecting stops peeking at once.
      await page.getByRole('button', { name: 'Commandes' }).click();
      await expect(page.locator('#controls')).toBeHidden();
      await expect(page.locator('#peek-warning')).toBeHidden();
      await expect(page.locator('.board-note.private')).toHaveCount(6);
      const shown = await worldText();
      for (const text of texts) expect(shown).not.toContain(text);
      const visible = await page.locator('body').innerText();
      for (const text of texts) expect(visible).not.toContain(text);
      // No menu either: it would show the text.
      await expect(page.locator('#world .note-menu-button')).toHaveCount(0);

      // Nor in the focus mode.
      await page.getByRole('button', { name: 'Thème suivant' }).click();
      await expect(page.locator('#focus-title')).toHaveText(THEMES[0]);
      await expect(page.locator('#focus-body')).toHaveText("Les notes restent privées pendant l'écriture silencieuse.");
      const focusText = await page.locator('#focus').evaluate((f) => f.textContent);
      for (const text of texts) expect(focusText).not.toContain(text);
      await page.keyboard.press('Escape');

      // Back on the facilitator's screen, peeking starts again only on demand.
      await page.getByRole('button', { name: 'Commandes' }).click();
      await expect(peek).toHaveAttribute('aria-pressed', 'false');
      expect(await worldText()).not.toContain(texts[0]);
    } finally {
      await context.close();
    }
  });
});

test.describe('the header on a laptop or a small projector', () => {
  for (const size of [{ width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
    test(`is one compact band at ${size.width}×${size.height}`, async ({ browser, request }) => {
      const session = await seedBoard(browser, request, {
        notes: 0, themes: 0, phase: 'writing', settings: { title: LONG_TITLE, question: LONG_QUESTION },
      });
      const { context, page } = await boardPage(browser, session, size);
      try {
        await expect(page.locator('#title')).toHaveText(LONG_TITLE);
        await expect(page.locator('#title')).toHaveAttribute('title', LONG_TITLE);
        await expect(page.locator('#question')).toHaveAttribute('title', LONG_QUESTION);
        for (const projecting of [false, true]) {
          const head = await page.locator('.board-head').boundingBox();
          expect(head.height, `header height (controls ${projecting ? 'hidden' : 'shown'})`).toBeLessThanOrEqual(110);
          const area = await page.locator('#viewport').boundingBox();
          if (size.width === 1366) expect(area.height, 'board area height').toBeGreaterThanOrEqual(560);
          await shoot(page, `header-${projecting ? 'projecting' : 'controls'}`);
          await expect(page.locator('#join-panel')).toBeInViewport({ ratio: 1 });
          await page.getByRole('button', { name: 'Commandes' }).click();
        }
      } finally {
        await context.close();
      }
    });
  }
});

// Every page of every theme, in order, with PageDown: the texts shown, each
// checked to be readable (≥ 24 px) and whole on the screen.
async function readEveryTheme(page, themes) {
  const seen = [];
  const size = page.viewportSize();
  for (let i = 0; i < themes; i += 1) {
    await expect(page.locator('#focus-title')).toHaveText(THEMES[i]);
    const label = page.locator('#focus-page');
    const pages = (await label.isVisible()) ? Number((await label.textContent()).split('/')[1]) : 1;
    const texts = [];
    for (let p = 1; p <= pages; p += 1) {
      if (pages > 1) await expect(label).toHaveText(`Page ${p}/${pages}`);
      const shown = await page.locator('#focus-body .note-text').evaluateAll((nodes) => nodes.map((n) => {
        const r = n.getBoundingClientRect();
        return { text: n.textContent, font: parseFloat(getComputedStyle(n).fontSize), top: r.top, left: r.left, bottom: r.bottom, right: r.right };
      }));
      expect(shown.length, `notes on page ${p} of ${THEMES[i]}`).toBeGreaterThan(0);
      for (const s of shown) {
        expect(s.font, `font size of "${s.text}"`).toBeGreaterThanOrEqual(24);
        const inside = s.top >= 0 && s.left >= 0 && s.bottom <= size.height && s.right <= size.width;
        expect(inside, `"${s.text}" is whole on the screen`).toBe(true);
      }
      texts.push(...shown.map((s) => s.text));
      await page.keyboard.press('PageDown');
    }
    seen.push(texts);
  }
  return seen;
}

test.describe('the focus mode', () => {
  test.setTimeout(180_000);
  for (const [notes, themes] of [[120, 8], [300, 12]]) {
    test(`shows ${notes} notes in ${themes} themes readable, page by page`, async ({ browser, request }) => {
      const session = await seedBoard(browser, request, { notes, themes, phase: 'synthesis' });
      const expected = THEMES.slice(0, themes).map((_, t) => Array.from({ length: notes }, (__, i) => i)
        .filter((i) => i % themes === t).map(ideaText));
      for (const [size, projecting] of [[{ width: 1920, height: 1080 }, true], [{ width: 1366, height: 768 }, false], [{ width: 1366, height: 768 }, true]]) {
        const { context, page } = await boardPage(browser, session, size);
        try {
          await expect(boardNotes(page)).toHaveCount(notes);
          if (projecting) await page.getByRole('button', { name: 'Commandes' }).click();
          const enter = page.getByRole('button', { name: 'Thème suivant' });
          await enter.click();
          await expect(page.locator('#focus')).toBeFocused();
          if (notes === 120) await shoot(page, `focus-${projecting ? 'projecting' : 'controls'}`);
          const seen = await readEveryTheme(page, themes);
          // Created in parallel: the board's order is the server's, not the index's.
          expect(seen.map((texts) => [...texts].sort()), 'every note of every theme').toEqual(expected.map((texts) => [...texts].sort()));

          // After the last theme: the overview, a tile per theme.
          await expect(page.locator('#focus-title')).toHaveText("Vue d'ensemble");
          await expect(page.locator('.focus-tile')).toHaveCount(themes);
          await expect(page.locator('.focus-tile').first()).toContainText(`${expected[0].length} notes`);
          if (notes === 120) await shoot(page, `overview-${projecting ? 'projecting' : 'controls'}`);
          await page.keyboard.press('Escape');
          await expect(page.locator('#focus')).toBeHidden();
          await expect(enter).toBeFocused();
        } finally {
          await context.close();
        }
      }
    });
  }

  test('the overview shows the dots once the vote is over, and opens a theme', async ({ browser, request }) => {
    const session = await seedBoard(browser, request, { notes: 8, themes: 2, phase: 'voting', settings: { vote_budget: 5 } });
    const wire = await openWire(browser);
    try {
      const host = await wire.join({ facilitator_token: session.facilitator_token });
      const noteId = (await noteIds(request, session))[ideaText(0)];
      await host.op({ kind: 'vote.add', note: noteId });
      await host.op({ kind: 'vote.add', note: noteId });
      const { context, page } = await boardPage(browser, session);
      try {
        await page.getByRole('button', { name: "Vue d'ensemble" }).click();
        const tile = page.locator('.focus-tile', { hasText: THEMES[0] });
        await expect(tile).toContainText('4 notes');
        await expect(tile.locator('.votes')).toHaveCount(0);
        await host.op({ kind: 'phase.set', phase: 'synthesis' });
        await expect(tile.locator('.votes')).toHaveText('● 2');
        await tile.click();
        await expect(page.locator('#focus-title')).toHaveText(THEMES[0]);
        await expect(page.locator('#focus-count')).toHaveText('4 notes · 2 gommettes');
        await page.getByRole('button', { name: 'Retour au tableau' }).click();
        await expect(page.locator('#focus')).toBeHidden();
        await expect(page.getByRole('button', { name: "Vue d'ensemble" })).toBeFocused();
      } finally {
        await context.close();
      }
    } finally {
      await wire.close();
    }
  });
});

// Every screen at the three projector sizes, with a few notes and with a
// workshop's worth, saved for a person to look at. The badge stays clear of
// the notes at each size.
test.describe('at every projector size', () => {
  test.setTimeout(180_000);
  for (const [notes, themes] of [[5, 2], [120, 8]]) {
    test(`the board, the badge, the join overlay and the focus mode with ${notes} notes`, async ({ browser, request }) => {
      const session = await seedBoard(browser, request, {
        notes, themes, phase: 'clustering', settings: { title: 'Atelier du 25 novembre' },
      });
      for (const size of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
        const { context, page } = await boardPage(browser, session, size);
        try {
          await expect(boardNotes(page)).toHaveCount(notes);
          await fitAll(page);
          await expectClearOfBadge(page);
          await shoot(page, `board-${notes}`);
          await page.locator('#join-badge').click();
          await expect(page.locator('#join-panel')).toBeInViewport({ ratio: 1 });
          await expect(page.locator('#qr')).toHaveJSProperty('complete', true);
          await shoot(page, `join-${notes}`);
          await expectNoViolations(page, '#join-panel', 'the join overlay');
          await page.keyboard.press('Escape');
          await page.getByRole('button', { name: 'Commandes' }).click();
          await page.getByRole('button', { name: 'Thème suivant' }).click();
          await expect(page.locator('#focus-title')).toHaveText(THEMES[0]);
          await expect(page.locator('#focus-body .note-text').first()).toBeInViewport();
          await shoot(page, `focus-${notes}`);
          await expectNoViolations(page, '#focus', 'the focus mode');
          await page.getByRole('button', { name: "Vue d'ensemble" }).click();
          await expect(page.locator('.focus-tile')).toHaveCount(themes);
          await shoot(page, `overview-${notes}`);
          await expectNoViolations(page, '#focus', 'the overview');
        } finally {
          await context.close();
        }
      }
    });
  }
});
