// Voting on a small phone, at workshop scale: the notes grouped under their
// themes (which fold away), each note's text at the whole width, the dots
// left always in sight, and a tap that updates its row in place and keeps
// the focus on the button tapped. Each test opens its own phone contexts at
// 360×740 and 412×915: they run once, from the phone project.
import { test, expect } from '@playwright/test';
import { createSessionByApi, joinByLink, phoneContextOptions } from './helpers.js';
import { openWire } from './wire.js';

const SMALL = { width: 360, height: 740 };
const LARGE = { width: 412, height: 915 };

const THEMES = ['Rendre visite', 'Se déplacer', 'Se retrouver'];
// Theme index (or null) of each idea, in the order they are written.
const IDEAS = [
  ['Des visites de convivialité à domicile, avec des bénévoles formés', 0],
  ['Un minibus pour aller au marché le mardi', 1],
  ['Un repas intergénérationnel chaque mois avec les élèves de l’école', 2],
  ['Appeler chaque semaine les personnes seules', 0],
  ['Du covoiturage entre voisins', 1],
  ['Un café des aidants le samedi matin', 2],
  ['Un banc', null],
  ['Un goûter partagé à la résidence', 0],
  ['Des bons de taxi pour les rendez-vous médicaux', 1],
  ['Un atelier informatique pour garder le contact avec les petits-enfants', 2],
  ['Un annuaire des activités du quartier, distribué dans les boîtes aux lettres', null],
  ['Un voisin référent par immeuble', 0],
  ['Accompagner à pied les personnes qui ont peur de tomber', 1],
  ['Une fête des voisins en juin', 2],
];
const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];

test.beforeEach(({}, testInfo) => {
  test.skip(testInfo.project.name !== 'phone', 'one run is enough: it opens its own phone contexts');
});

const plus = (page, label) => page.getByRole('button', { name: `Ajouter une gommette à : ${label}`, exact: true });
const minus = (page, label) => page.getByRole('button', { name: `Retirer une gommette de : ${label}`, exact: true });
const toggle = (page, title) => page.getByRole('button', { name: new RegExp(`^Thème : ${title}\\b`) });
const row = (page, text) => page.locator('#vote-list > li', { hasText: text });

// A session in the voting phase whose notes are `ideas` ([text, theme index
// or null]) in `themes`, sent over the wire by several facilitator seats (each
// keeps under the per-connection rate limit). Returns the session and a
// facilitator seat for more ops.
async function seedVote(browser, request, { themes = THEMES, ideas = IDEAS, budget = 5 } = {}) {
  const session = await createSessionByApi(request, { title: 'Atelier du 25 novembre', vote_budget: budget, private_writing: false });
  const wire = await openWire(browser);
  const seats = Math.max(1, Math.ceil((2 * ideas.length + themes.length + 1) / 50));
  const hosts = await Promise.all(Array.from({ length: seats }, () => wire.join({ facilitator_token: session.facilitator_token })));
  const themeIds = [];
  for (const [i, title] of themes.entries()) {
    themeIds.push((await hosts[0].op({ kind: 'theme.create', title, x: 1300, y: i * 700 })).op.theme);
  }
  const noteIds = {};
  await Promise.all(hosts.map(async (host, h) => {
    for (const [i, [text, theme]] of ideas.entries()) {
      if (i % seats !== h) continue;
      const added = await host.op({ kind: 'note.add', text, color: COLORS[i % COLORS.length] });
      noteIds[text] = added.op.note;
      if (theme !== null) await host.op({ kind: 'note.group', note: added.op.note, theme: themeIds[theme] });
    }
  }));
  await hosts[0].op({ kind: 'phase.set', phase: 'voting' });
  return { session, wire, facilitator: hosts[0], themeIds, noteIds };
}

async function openPhoneAt(browser, session, viewport) {
  const context = await browser.newContext({ ...phoneContextOptions(), viewport });
  const page = await context.newPage();
  await joinByLink(page, session.join_code, { name: 'Josiane' });
  await expect(page.locator('#dots-left')).toBeVisible();
  return { context, page };
}

// What the list says, row by row: theme headings and note texts.
async function listedRows(page) {
  return page.locator('#vote-list > li').evaluateAll((rows) => rows.map((li) => {
    const title = li.querySelector('.vote-theme-title');
    return title ? `# ${title.textContent} (${li.querySelector('.vote-theme-count').textContent})` : li.querySelector('.vote-text').textContent;
  }));
}

test('the notes are grouped under their themes, in the themes’ order, then those without a theme', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request);
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    const inTheme = (k) => IDEAS.filter(([, theme]) => theme === k).map(([text]) => text);
    await expect.poll(() => listedRows(page)).toEqual([
      '# Thème : Rendre visite (4 idées)', ...inTheme(0),
      '# Thème : Se déplacer (4 idées)', ...inTheme(1),
      '# Thème : Se retrouver (4 idées)', ...inTheme(2),
      ...inTheme(null),
    ]);
    // The notes without a theme say so.
    const firstLoose = row(page, inTheme(null)[0]);
    expect(await firstLoose.evaluate((li) => getComputedStyle(li, '::before').content)).toBe('"Idées sans thème"');
    // Each theme heading is a button saying whether its notes show; a theme
    // takes dots of its own too.
    await expect(toggle(page, 'Se déplacer')).toHaveAttribute('aria-expanded', 'true');
    await expect(toggle(page, 'Se déplacer')).toHaveAccessibleName('Thème : Se déplacer, 4 idées');
    await expect(plus(page, 'Thème : Se déplacer')).toBeVisible();
    await expect(page.getByRole('heading', { name: /Thème : Se déplacer/ })).toBeVisible();
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});

test('a theme folds away and opens again, and stays as left while the votes come in', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request);
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    const travel = IDEAS.filter(([, theme]) => theme === 1).map(([text]) => text);
    await toggle(page, 'Se déplacer').click();
    await expect(toggle(page, 'Se déplacer')).toHaveAttribute('aria-expanded', 'false');
    for (const text of travel) await expect(row(page, text)).toBeHidden();
    await expect(row(page, IDEAS[0][0])).toBeVisible();
    // The theme itself can still get a dot.
    await plus(page, 'Thème : Se déplacer').click();
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 4 gommettes');
    // Someone else's dot (an event) leaves the theme folded.
    await seeded.facilitator.op({ kind: 'vote.add', note: seeded.noteIds[travel[0]] });
    await seeded.facilitator.op({ kind: 'vote.add', note: seeded.noteIds[IDEAS[0][0]] });
    await expect(toggle(page, 'Se déplacer')).toHaveAttribute('aria-expanded', 'false');
    await expect(row(page, travel[0])).toBeHidden();
    // From the keyboard, as with the finger.
    await toggle(page, 'Se déplacer').focus();
    await page.keyboard.press('Enter');
    await expect(toggle(page, 'Se déplacer')).toHaveAttribute('aria-expanded', 'true');
    for (const text of travel) await expect(row(page, text)).toBeVisible();
    await expect(toggle(page, 'Se déplacer')).toBeFocused();
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});

for (const viewport of [SMALL, LARGE]) {
  test(`at ${viewport.width}×${viewport.height}, every note's text uses the whole width and no word is cut`, async ({ browser, request }) => {
    const seeded = await seedVote(browser, request);
    const phone = await openPhoneAt(browser, seeded.session, viewport);
    try {
      const page = phone.page;
      await expect(page.locator('#vote-list .vote-text')).toHaveCount(IDEAS.length);
      const layout = await page.locator('#vote-list .vote-item').evaluateAll((items) => items.map((li) => {
        const box = li.querySelector('.note');
        const text = li.querySelector('.vote-text');
        const inner = box.clientWidth - parseFloat(getComputedStyle(box).paddingLeft) - parseFloat(getComputedStyle(box).paddingRight);
        const lines = new Set(Array.from(text.getClientRects(), (r) => Math.round(r.top))).size;
        // A word cut in two has its letters on two lines.
        const cut = [];
        const node = text.firstChild;
        // A line may end after a hyphen ("rendez-/vous"): only the parts between count.
        for (const match of node.textContent.matchAll(/[^\s-]+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          if (new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1) cut.push(match[0]);
        }
        return { text: text.textContent, width: text.getBoundingClientRect().width, inner, lines, cut };
      }));
      for (const note of layout) {
        expect(note.cut, `words cut in "${note.text}"`).toEqual([]);
        // A text on several lines has the whole width of its note to itself.
        if (note.lines > 1) expect(note.width, `width of "${note.text}"`).toBeGreaterThan(note.inner - 30);
      }
      const long = layout.find((n) => n.text.startsWith('Un repas intergénérationnel'));
      expect(long.width).toBeGreaterThan(long.inner - 30);
      const { scroll, client } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      }));
      expect(scroll).toBeLessThanOrEqual(client);
    } finally {
      await phone.context.close();
      await seeded.wire.close();
    }
  });
}

test('the dots left stay on screen while scrolling down the list', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request);
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    const last = IDEAS.at(-1)[0];
    await plus(page, last).scrollIntoViewIfNeeded();
    await expect(page.locator('#vote-heading')).not.toBeInViewport();
    await expect(page.locator('#dots-left')).toBeInViewport();
    const box = await page.locator('#dots-left').boundingBox();
    expect(box.y).toBeGreaterThanOrEqual(0);
    // Nothing of the list shows through it.
    await expect(page.locator('#dots-left')).toHaveCSS('background-color', 'rgb(255, 255, 255)');
    await plus(page, last).click();
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 4 gommettes');
    await expect(page.locator('#dots-left')).toBeInViewport();
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});

test('a tap updates its row in place: same rows, the focus stays on the button, even on the last dot', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request, { budget: 2 });
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    const [first, second] = [IDEAS[1][0], IDEAS[2][0]];
    await expect(page.locator('#vote-list > li')).toHaveCount(THEMES.length + IDEAS.length);
    // Every row and button gets a mark that only survives if it is not redrawn.
    await page.locator('#vote-list').evaluate((list) => {
      for (const node of list.querySelectorAll('li, button')) node.keptMark = true;
    });
    const unmarked = () => page.locator('#vote-list').evaluate((list) =>
      Array.from(list.querySelectorAll('li, button')).filter((n) => !n.keptMark).length);

    await plus(page, first).click();
    await expect(row(page, first).locator('output')).toHaveText('1');
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 1 gommette');
    await expect(plus(page, first)).toBeFocused();
    // The last dot: every "+" turns unavailable, the one tapped keeps the focus.
    await plus(page, first).click();
    await expect(row(page, first).locator('output')).toHaveText('2');
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 0 gommette');
    await expect(plus(page, second)).toBeDisabled();
    await expect(plus(page, first)).toBeDisabled();
    await expect(plus(page, first)).toBeFocused();
    // A tap on an unavailable "+" does nothing.
    await plus(page, first).dispatchEvent('click');
    await expect(row(page, first).locator('output')).toHaveText('2');
    // Back with the keyboard.
    await minus(page, first).focus();
    await page.keyboard.press('Enter');
    await expect(row(page, first).locator('output')).toHaveText('1');
    await expect(minus(page, first)).toBeFocused();
    await expect(plus(page, second)).toBeEnabled();
    // Someone else's votes change the counts, not the rows, nor the focus.
    await seeded.facilitator.op({ kind: 'vote.add', note: seeded.noteIds[second] });
    await expect(minus(page, first)).toBeFocused();
    expect(await unmarked()).toBe(0);
    await expect(row(page, first).locator('output')).toHaveAttribute('aria-label', '1 de vos gommettes');
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});

test('notes added, regrouped and deleted during the vote come and go without losing the focus', async ({ browser, request }) => {
  const seeded = await seedVote(browser, request);
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    const { facilitator, themeIds, noteIds } = seeded;
    const focused = IDEAS[13][0];  // the last theme's last note
    await plus(page, focused).click();
    await expect(plus(page, focused)).toBeFocused();

    const added = await facilitator.op({ kind: 'note.add', text: 'Une navette pour le cimetière', color: 'green' });
    await facilitator.op({ kind: 'note.group', note: added.op.note, theme: themeIds[0] });
    await expect(toggle(page, 'Rendre visite')).toHaveAccessibleName('Thème : Rendre visite, 5 idées');
    const visit = IDEAS.filter(([, theme]) => theme === 0).map(([text]) => text);
    await expect.poll(async () => (await listedRows(page)).slice(0, 6)).toEqual([
      '# Thème : Rendre visite (5 idées)', ...visit, 'Une navette pour le cimetière']);

    // Moved to another theme: it goes under its new heading.
    await facilitator.op({ kind: 'note.group', note: added.op.note, theme: themeIds[2] });
    const loose = IDEAS.filter(([, theme]) => theme === null).map(([text]) => text);
    await expect.poll(async () => (await listedRows(page)).slice(-4)).toEqual([focused, 'Une navette pour le cimetière', ...loose]);
    await expect(toggle(page, 'Se retrouver')).toHaveAccessibleName('Thème : Se retrouver, 5 idées');

    await facilitator.op({ kind: 'note.delete', note: noteIds[IDEAS[0][0]] });
    await expect(row(page, IDEAS[0][0])).toHaveCount(0);
    await expect(toggle(page, 'Rendre visite')).toHaveAccessibleName('Thème : Rendre visite, 3 idées');
    await expect(page.locator('#vote-list > li')).toHaveCount(THEMES.length + IDEAS.length);
    await expect(plus(page, focused)).toBeFocused();
    await expect(row(page, focused).locator('output')).toHaveText('1');
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});

test('with 150 ideas in 10 themes, the list is grouped and a tap counts at once', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const themes = Array.from({ length: 10 }, (_, i) => `Thème n°${i + 1}`);
  const ideas = Array.from({ length: 140 }, (_, i) => [`Idée n°${i + 1} : ${IDEAS[i % IDEAS.length][0]}`, i % 10]);
  const seeded = await seedVote(browser, request, { themes, ideas });
  const phone = await openPhoneAt(browser, seeded.session, SMALL);
  try {
    const page = phone.page;
    await expect(page.locator('#vote-list > li')).toHaveCount(150);
    await expect(page.locator('#vote-list .vote-theme')).toHaveCount(10);
    await expect(toggle(page, 'Thème n°10')).toHaveAccessibleName('Thème : Thème n°10, 14 idées');
    const target = ideas[139][0];
    await plus(page, target).click();
    await expect(row(page, target).locator('output')).toHaveText('1');
    await expect(plus(page, target)).toBeFocused();
    await expect(page.locator('#dots-left')).toHaveText('Il vous reste 4 gommettes');
    await expect(page.locator('#dots-left')).toBeInViewport();
  } finally {
    await phone.context.close();
    await seeded.wire.close();
  }
});
