// A walk ("diagnostic en marchant"), end to end: the facilitator creates it
// from the start page with its categories, adds the stops of the route and
// moves the group along; a phone at 360×740 shows the current stop, writes a
// note with a category and its position, then loses the network at the next
// stop, writes on, reloads without network and comes back: every note
// reaches the board once, with the stop shown when it was written and its
// category. Runs in the projector project only: it opens its own phone.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { serverUrl, phoneContextOptions, fillJoinForm, boardNote, boardNotes, recordFrames, createSessionByApi, openBoard } from './helpers.js';
import { sessionState } from './wire.js';

const PHONE = { width: 360, height: 740 };
// Somewhere on the Place de la République, as a phone's GPS gives it: more
// digits than the server keeps, an accuracy in fractions of a metre.
const HERE = { latitude: 48.8673049, longitude: 2.3636217, accuracy: 12.4 };
// Where the group stands at stop 2.
const THERE = { latitude: 48.8691, longitude: 2.3701, accuracy: 8 };
const STOPS = [
  { name: 'Place du marché', question: 'Que voyez-vous qui aide à se retrouver ici ?', lat: '48,86731', lon: '2.36362' },
  { name: 'Arrêt de bus Jaurès', question: 'Peut-on attendre le bus assis, à l\'abri ?' },
  { name: 'Square des Tilleuls', question: '' },
];
const AT_STOP_1 = 'Des bancs à l\'ombre, on peut se poser';
const OFFLINE = [
  { text: 'Le trottoir est trop étroit pour un fauteuil', category: 'Difficulté' },
  { text: 'Un abri avec des sièges devant l\'arrêt', category: 'Proposition' },
];
const AFTER_RELOAD = { text: 'Le chauffeur attend que l\'on soit assis', category: 'Atout' };

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'RGAAv4'];
async function expectNoViolations(page, what) {
  const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const described = violations.map((v) => `• ${v.id}: ${v.help}\n${v.nodes.map((n) => `  - ${n.target.join(' ')}`).join('\n')}`).join('\n');
  expect(violations, `accessibility violations on ${what}:\n${described}`).toEqual([]);
}

// The session behind the board that is open: its token is the page's
// fragment, its id is in the QR code's address.
async function sessionOfBoard(page) {
  await expect(page.locator('#qr')).toHaveAttribute('src', /\/api\/sessions\/\w+\/qr\.svg/);
  const src = await page.locator('#qr').getAttribute('src');
  return { session_id: src.split('/')[3], facilitator_token: new URL(page.url()).hash.slice(1) };
}

async function createWalkFromStartPage(page) {
  await page.goto(serverUrl('/'));
  const create = page.locator('#create-form');
  await expect(create.getByLabel('Catégories des observations')).toBeHidden();
  await create.getByLabel('Diagnostic en marchant').check();
  await expect(create.getByLabel('Catégories des observations')).toHaveValue('Atout\nDifficulté\nProposition');
  // On a walk, notes are seen as they come: no silent writing first.
  await expect(create.getByLabel(/Écriture silencieuse/)).not.toBeChecked();
  await create.getByLabel('Titre').fill('Diagnostic du quartier des Tilleuls');
  await create.getByLabel('Question posée').fill('Comment se déplace-t-on dans le quartier ?');
  await create.getByRole('button', { name: "Créer l'atelier" }).click();
  await expect(page.locator('#join-code')).not.toBeEmpty();
  await expect(page.getByRole('heading', { name: 'Parcours' })).toBeVisible();
}

async function addStop(page, { name, question, lat, lon }) {
  const form = page.locator('#stop-new');
  await form.getByLabel("Nom de l'arrêt").fill(name);
  if (question) await form.getByLabel('Question à cet arrêt (facultatif)').fill(question);
  if (lat) {
    await form.getByLabel('Latitude').fill(lat);
    await form.getByLabel('Longitude').fill(lon);
  }
  const before = await page.locator('#stop-list > li').count();
  await form.getByRole('button', { name: "Ajouter l'arrêt" }).click();
  await expect(page.locator('#stop-list > li')).toHaveCount(before + 1);
  await expect(page.locator('#stop-list > li').last()).toContainText(name);
  // Emptied for the next one, the focus back in its first field.
  await expect(form.getByLabel("Nom de l'arrêt")).toHaveValue('');
  await expect(form.getByLabel("Nom de l'arrêt")).toBeFocused();
}

async function openPhone(browser, joinCode) {
  const context = await browser.newContext({ ...phoneContextOptions(), viewport: PHONE });
  await context.grantPermissions(['geolocation'], { origin: serverUrl('/') });
  await context.setGeolocation(HERE);
  const page = await context.newPage();
  const frames = recordFrames(page);
  await page.goto(serverUrl(`/j/${joinCode.replace(/-/g, '')}`));
  await fillJoinForm(page, { name: 'Odile' });
  return { context, page, frames };
}

// Writes a note in the given category; with acknowledged, waits until the
// server has it.
async function writeWalkNote(phone, { text, category }, { acknowledged = true } = {}) {
  await phone.getByLabel('Votre idée').fill(text);
  await phone.getByRole('radio', { name: category }).check();
  await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
  const mine = phone.locator('#my-notes > li', { hasText: text });
  await expect(mine).toHaveCount(1);
  // The choice starts again for the next note.
  await expect(phone.getByRole('radio', { name: category })).not.toBeChecked();
  if (acknowledged) await expect(mine.locator('.pending')).toHaveCount(0);
  return mine;
}

test('a walk: stops, the current stop on the phone, notes with category, stop and place, offline at a stop and back', async ({ browser, page }) => {
  await createWalkFromStartPage(page);
  const session = await sessionOfBoard(page);
  for (const stop of STOPS) await addStop(page, stop);
  await expect(page.locator('#stop-list > li').first()).toContainText('Lieu : 48.86731, 2.36362');
  await expect(page.locator('#walk-current')).toHaveText("Le parcours n'a pas commencé.");

  const joinCode = await page.locator('#join-code').textContent();
  const { context, page: phone, frames } = await openPhone(browser, joinCode);
  try {
    await expect(page.locator('#people')).toHaveText('1 participant');
    // No stop yet: no banner; the categories and the stops are offered.
    await expect(phone.locator('#stop-banner')).toBeEmpty();
    await expect(phone.getByRole('radio')).toHaveCount(3);
    await expect(phone.getByRole('group', { name: 'Couleur de la note' })).toBeHidden();

    // The group sets off: the phone follows.
    await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
    await expect(page.locator('#walk-current')).toHaveText('Le groupe est à : Arrêt 1 · Place du marché');
    await expect(page.locator('#stop-pill')).toHaveText('Arrêt 1 · Place du marché');
    await expect(page.locator('#stop-list > li[aria-current="step"]')).toContainText('Place du marché');
    await expect(phone.locator('#stop-banner')).toHaveText(`Arrêt 1 · Place du marché${STOPS[0].question}`);
    await expect(phone.getByLabel('Arrêt', { exact: true })).toHaveValue(/^s\d+$/);
    await expect(phone.getByLabel('Arrêt', { exact: true }).locator('option:checked')).toHaveText('Arrêt 1 · Place du marché');

    // A note with its category and where its author stands.
    await phone.getByLabel('Joindre ma position').check();
    await expect(phone.locator('#geo-status')).toHaveText('Position trouvée, à 12 m près.');
    await writeWalkNote(phone, { text: AT_STOP_1, category: 'Atout' });
    const first = boardNote(page, AT_STOP_1);
    await expect(first.locator('.walk-category')).toHaveText('Atout');
    await expect(first.locator('.walk-stop')).toHaveText('Arrêt 1 · Place du marché');
    await expect(first).toHaveClass(/\bgreen\b/);
    await expect(phone.locator('#my-notes > li', { hasText: AT_STOP_1 })).toContainText('Atout · Arrêt 1 · Place du marché');
    const sentFirst = frames.sent.find((m) => m.type === 'op' && m.op.text === AT_STOP_1);
    expect(sentFirst.op).toMatchObject({ kind: 'note.add', category: 0, location: { lat: 48.8673, lon: 2.36362, accuracy: 12 } });

    // Next stop, then the phone loses the network there. Its position is
    // asked again when the group moves on.
    await context.setGeolocation(THERE);
    await page.getByRole('button', { name: 'Arrêt suivant' }).click();
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 2 · Arrêt de bus Jaurès');
    await expect(phone.locator('#geo-status')).toHaveText('Position trouvée, à 8 m près.');
    // The page's files are kept by its service worker once it controls the page.
    await phone.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => phone.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await context.setOffline(true);
    await expect(phone.locator('#offline')).toHaveText(/Hors connexion/);
    for (const note of OFFLINE) {
      const mine = await writeWalkNote(phone, note, { acknowledged: false });
      await expect(mine.locator('.pending')).toHaveText("En attente d'envoi…");
      await expect(mine).toContainText(`${note.category} · Arrêt 2 · Arrêt de bus Jaurès`);
    }
    await expect(phone.locator('#offline')).toHaveText(/2 notes en attente/);

    // Meanwhile the group walks on: what was written at stop 2 stays at stop 2.
    await page.getByRole('button', { name: 'Arrêt suivant' }).click();
    await expect(page.locator('#walk-current')).toHaveText('Le groupe est à : Arrêt 3 · Square des Tilleuls');

    // Reopened without network: the notes wait, the walk is still known, and
    // "Joindre ma position" is still ticked.
    await phone.reload();
    await expect(phone.getByRole('heading', { name: 'Écrire une idée' })).toBeVisible();
    await expect(phone.getByLabel('Joindre ma position')).toBeChecked();
    await expect(phone.locator('#my-notes .pending')).toHaveCount(2);
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 2 · Arrêt de bus Jaurès');
    await expect(phone.locator('#offline')).toHaveText(/2 notes en attente/);
    await writeWalkNote(phone, AFTER_RELOAD, { acknowledged: false });
    await expect(phone.locator('#offline')).toHaveText(/3 notes en attente/);
    await expect(boardNotes(page)).toHaveCount(1);

    await context.setOffline(false);
    await expect(phone.locator('#my-notes .pending')).toHaveCount(0, { timeout: 20_000 });
    await expect(phone.locator('#offline')).toBeHidden();
    for (const note of [...OFFLINE, AFTER_RELOAD]) {
      const onBoard = boardNote(page, note.text);
      await expect(onBoard).toHaveCount(1);
      await expect(onBoard.locator('.walk-category')).toHaveText(note.category);
      await expect(onBoard.locator('.walk-stop')).toHaveText('Arrêt 2 · Arrêt de bus Jaurès');
    }
    await expect(boardNotes(page)).toHaveCount(4);
    // Back online, the phone shows where the group is now.
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 3 · Square des Tilleuls');

    // What the server keeps: each note once, its stop, its category, and
    // where its author stood (the box stayed ticked).
    const state = await sessionState(page.request, session);
    const stops = Object.values(state.stops).sort((a, b) => a.created_seq - b.created_seq);
    expect(stops.map((s) => s.name)).toEqual(STOPS.map((s) => s.name));
    expect(stops[0].place).toEqual({ lat: 48.86731, lon: 2.36362 });
    const notes = Object.values(state.notes).sort((a, b) => a.created_seq - b.created_seq);
    expect(notes.map((n) => [n.text, n.stop, n.category])).toEqual([
      [AT_STOP_1, stops[0].id, 0],
      [OFFLINE[0].text, stops[1].id, 1],
      [OFFLINE[1].text, stops[1].id, 2],
      [AFTER_RELOAD.text, stops[1].id, 0],
    ]);
    const there = { lat: 48.8691, lon: 2.3701, accuracy: 8 };
    expect(notes.map((n) => n.location)).toEqual([{ lat: 48.8673, lon: 2.36362, accuracy: 12 }, there, there, there]);
  } finally {
    await context.close();
  }
});

test('correcting and deleting a stop: its notes stay, on no stop; a note moves to another stop', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout', 'Difficulté'] });
  await openBoard(page, session);
  for (const stop of STOPS.slice(0, 2)) await addStop(page, stop);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  const { context, page: phone } = await openPhone(browser, session.join_code);
  try {
    await writeWalkNote(phone, { text: 'Une fontaine à eau qui marche', category: 'Atout' });
    await expect(boardNote(page, 'Une fontaine à eau qui marche').locator('.walk-stop')).toHaveText('Arrêt 1 · Place du marché');

    // Corrected: the new name everywhere, the place taken off.
    await page.getByRole('button', { name: 'Modifier : Arrêt 1 · Place du marché' }).click();
    const edit = page.locator('#stop-list > li').first();
    await expect(edit.getByLabel("Nom de l'arrêt")).toBeFocused();
    await edit.getByLabel("Nom de l'arrêt").fill('Place du marché couvert');
    await edit.getByLabel('Latitude').fill('');
    await edit.getByLabel('Longitude').fill('');
    await edit.getByRole('button', { name: "Enregistrer l'arrêt : Arrêt 1 · Place du marché" }).click();
    await expect(page.getByRole('button', { name: 'Modifier : Arrêt 1 · Place du marché couvert' })).toBeFocused();
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 1 · Place du marché couvert');
    await expect(boardNote(page, 'Une fontaine à eau qui marche').locator('.walk-stop')).toHaveText('Arrêt 1 · Place du marché couvert');
    await expect(page.locator('#stop-list > li').first()).not.toContainText('Lieu :');

    // The facilitator moves the note to the other stop from its menu.
    await boardNote(page, 'Une fontaine à eau qui marche').getByRole('button', { name: 'Actions sur la note' }).click();
    const menu = page.getByRole('dialog', { name: 'Que faire de cette note ?' });
    await menu.getByLabel('Arrêt du parcours').selectOption({ label: 'Arrêt 2 · Arrêt de bus Jaurès' });
    await menu.getByRole('button', { name: "Changer d'arrêt" }).click();
    await expect(boardNote(page, 'Une fontaine à eau qui marche').locator('.walk-stop')).toHaveText('Arrêt 2 · Arrêt de bus Jaurès');

    // Deleting, offered with the stop's correction, asks first and says what
    // becomes of its notes.
    await page.getByRole('button', { name: 'Modifier : Arrêt 2 · Arrêt de bus Jaurès' }).click();
    await page.getByRole('button', { name: "Supprimer l'arrêt : Arrêt 2 · Arrêt de bus Jaurès" }).click();
    const dialog = page.getByRole('dialog', { name: 'Supprimer cet arrêt ?' });
    await expect(dialog).toContainText('Ses notes restent sur le tableau, sans arrêt. 1 note y est rattachée.');
    await dialog.getByRole('button', { name: "Supprimer l'arrêt" }).click();
    await expect(page.locator('#stop-list > li')).toHaveCount(1);
    await expect(boardNote(page, 'Une fontaine à eau qui marche').locator('.walk-stop')).toHaveCount(0);
    await expect(boardNote(page, 'Une fontaine à eau qui marche').locator('.walk-category')).toHaveText('Atout');
    await expect(phone.getByLabel('Arrêt', { exact: true }).locator('option')).toHaveText(['Arrêt 1 · Place du marché couvert', 'Aucun arrêt']);

    // A category in use cannot be taken off; the refusal is said in the panel.
    await page.locator('#walk-categories-summary').click();
    await page.getByLabel('Catégorie 2').fill('Difficulté rencontrée');
    await page.getByLabel('Catégorie 1').fill('');
    await page.getByRole('button', { name: 'Enregistrer les catégories' }).click();
    await expect(page.locator('#walk-error')).toContainText('ne peut pas être vidée');
    await page.getByLabel('Catégorie 1').fill('Atout');
    await page.getByRole('button', { name: 'Enregistrer les catégories' }).click();
    await expect(phone.getByRole('radio', { name: 'Difficulté rencontrée' })).toHaveCount(1);
  } finally {
    await context.close();
  }
});

test('a note written offline at a stop deleted meanwhile still arrives, on no stop', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout', 'Difficulté'] });
  await openBoard(page, session);
  await addStop(page, STOPS[0]);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  const { context, page: phone } = await openPhone(browser, session.join_code);
  try {
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 1 · Place du marché');
    await context.setOffline(true);
    await expect(phone.locator('#offline')).toHaveText(/Hors connexion/);
    await writeWalkNote(phone, { text: 'Une boîte à livres', category: 'Atout' }, { acknowledged: false });
    await page.getByRole('button', { name: 'Modifier : Arrêt 1 · Place du marché' }).click();
    await page.getByRole('button', { name: "Supprimer l'arrêt : Arrêt 1 · Place du marché" }).click();
    await page.getByRole('dialog', { name: 'Supprimer cet arrêt ?' }).getByRole('button', { name: "Supprimer l'arrêt" }).click();
    await expect(page.locator('#stop-list > li')).toHaveCount(0);
    // The server refuses the note as written (its stop is gone): the phone
    // sends it again without it, and says so.
    await context.setOffline(false);
    await expect(phone.locator('#note-error')).toHaveText('Votre note a été envoyée sans arrêt : le sien a été supprimé entre-temps.');
    await expect(phone.locator('#my-notes .pending')).toHaveCount(0);
    const note = boardNote(page, 'Une boîte à livres');
    await expect(note).toHaveCount(1);
    await expect(note.locator('.walk-category')).toHaveText('Atout');
    await expect(note.locator('.walk-stop')).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test('the position refused on the phone: it says so and offers the stop\'s place', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout'] });
  await openBoard(page, session);
  await addStop(page, STOPS[0]);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  // No permission given: the browser refuses.
  const context = await browser.newContext({ ...phoneContextOptions(), viewport: PHONE });
  try {
    const phone = await context.newPage();
    await phone.goto(serverUrl(`/j/${session.join_code.replace(/-/g, '')}`));
    await fillJoinForm(phone, {});
    // Refused at once: the box does not stay ticked.
    await phone.getByLabel('Joindre ma position').click();
    await expect(phone.locator('#geo-status')).toHaveText(/a refusé de donner votre position/);
    await expect(phone.getByLabel('Joindre ma position')).not.toBeChecked();
    const stopPlace = phone.getByLabel("Joindre l'emplacement de l'arrêt « Place du marché »");
    await stopPlace.check();
    await phone.getByLabel('Votre idée').fill('Un plan du quartier en grand');
    await phone.getByRole('button', { name: 'Ajouter ma note' }).click();
    await expect(boardNote(page, 'Un plan du quartier en grand')).toHaveCount(1);
    const state = await sessionState(request, session);
    const note = Object.values(state.notes).find((n) => n.text === 'Un plan du quartier en grand');
    expect(note.location).toEqual({ lat: 48.86731, lon: 2.36362 });
  } finally {
    await context.close();
  }
});

test('"Ma position" on the board fills the place, or says plainly to type it', async ({ browser, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', categories: ['Atout'] });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' });
  try {
    await context.grantPermissions(['geolocation'], { origin: serverUrl('/') });
    await context.setGeolocation(HERE);
    const page = await context.newPage();
    await openBoard(page, session);
    const form = page.locator('#stop-new');
    await form.getByRole('button', { name: 'Ma position' }).click();
    // The server decides whether the board's page may ask (Permissions-Policy).
    const allowed = await page.evaluate(() => document.featurePolicy?.allowsFeature('geolocation') !== false);
    if (allowed) {
      await expect(form.getByLabel('Latitude')).toHaveValue('48.8673');
      await expect(form.getByLabel('Longitude')).toHaveValue('2.36362');
      await expect(form.locator('.geo-status')).toHaveText('Position trouvée, à 12 m près.');
    } else {
      await expect(form.locator('.geo-status')).toHaveText(/tapez la latitude et la longitude/);
    }
  } finally {
    await context.close();
  }
});

test('axe: the phone\'s writing form on a walk and the board\'s "Parcours" panel', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout', 'Difficulté', 'Proposition'] });
  await openBoard(page, session);
  for (const stop of STOPS) await addStop(page, stop);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  const { context, page: phone } = await openPhone(browser, session.join_code);
  try {
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 1 · Place du marché');
    // The writing field, the categories and the button on the first screen,
    // the page not scrolled, with the stop's banner above them.
    expect(await phone.evaluate(() => window.scrollY)).toBe(0);
    for (const control of [phone.getByLabel('Votre idée'), phone.getByRole('radio', { name: 'Proposition' }), phone.getByRole('button', { name: 'Ajouter ma note' })]) {
      const box = await control.boundingBox();
      expect(box.y + box.height).toBeLessThanOrEqual(PHONE.height);
    }
    await phone.getByRole('radio', { name: 'Difficulté' }).check();
    await phone.getByLabel('Joindre ma position').check();
    await expect(phone.locator('#geo-status')).toHaveText(/Position trouvée/);
    await expectNoViolations(phone, 'the phone\'s writing form on a walk');
    await writeWalkNote(phone, { text: 'Pas de rampe pour la poussette', category: 'Difficulté' });
    await expectNoViolations(phone, 'the phone with a walk\'s note in "Mes notes"');

    await page.getByRole('button', { name: 'Arrêt suivant' }).click();
    await expect(page.locator('#stop-pill')).toHaveText('Arrêt 2 · Arrêt de bus Jaurès');
    await page.locator('#walk-categories-summary').click();
    await expectNoViolations(page, 'the board with the "Parcours" panel');
    await page.getByRole('button', { name: 'Modifier : Arrêt 3 · Square des Tilleuls' }).click();
    await expectNoViolations(page, 'the "Parcours" panel with a stop being corrected');
    await page.getByRole('button', { name: "Supprimer l'arrêt : Arrêt 3 · Square des Tilleuls" }).click();
    await expect(page.getByRole('dialog', { name: 'Supprimer cet arrêt ?' })).toBeVisible();
    await expectNoViolations(page, 'the confirmation before deleting a stop');
  } finally {
    await context.close();
  }
});

test('a brainstorm opens the "Parcours" panel from its tools', async ({ page, request }) => {
  const session = await createSessionByApi(request, { title: 'Atelier test' });
  await openBoard(page, session);
  await expect(page.locator('#walk-section')).toBeHidden();
  const open = page.getByRole('button', { name: 'Parcours (diagnostic en marchant)' });
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.click();
  await expect(page.getByRole('heading', { name: 'Parcours' })).toBeFocused();
  await expect(page.locator('#walk-current')).toHaveText('Ajoutez les arrêts du parcours ci-dessous.');
  await addStop(page, { name: 'Devant la mairie' });
  // Now a walk: the panel stays, the button that opened it goes.
  await expect(open).toBeHidden();
  await expect(page.locator('#walk-section')).toBeVisible();
});

test('the replay of a walk offers its map as GeoJSON; a brainstorm\'s does not', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout', 'Difficulté'] });
  await openBoard(page, session);
  await addStop(page, STOPS[0]);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  const { context, page: phone } = await openPhone(browser, session.join_code);
  try {
    await phone.getByLabel('Joindre ma position').check();
    await expect(phone.locator('#geo-status')).toHaveText('Position trouvée, à 12 m près.');
    await writeWalkNote(phone, { text: AT_STOP_1, category: 'Atout' });
  } finally {
    await context.close();
  }
  await page.goto(serverUrl(`/rejouer#${session.session_id}:${session.facilitator_token}`));
  const button = page.getByRole('button', { name: 'Carte du parcours (GeoJSON, pour QGIS ou uMap)' });
  await expect(button).toBeVisible();
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(file.suggestedFilename()).toMatch(/\.geojson$/);
  const map = JSON.parse(await (await import('node:fs/promises')).readFile(await file.path(), 'utf8'));
  expect(map.type).toBe('FeatureCollection');
  expect(map.features.map((f) => [f.properties.kind, f.geometry.coordinates])).toEqual([
    ['stop', [2.36362, 48.86731]],
    ['note', [2.36362, 48.8673]],
  ]);
  expect(map.features[1].properties).toMatchObject({ text: AT_STOP_1, stop: 'Place du marché', category: 'Atout', position: 'author' });

  const brainstorm = await createSessionByApi(request, { title: 'Remue-méninges' });
  // Another page: a change of fragment alone does not load the replay again.
  const other = await page.context().newPage();
  await other.goto(serverUrl(`/rejouer#${brainstorm.session_id}:${brainstorm.facilitator_token}`));
  await expect(other.locator('#slider')).toHaveAttribute('max', /^[1-9]/);
  await expect(other.getByRole('button', { name: 'Carte du parcours (GeoJSON, pour QGIS ou uMap)' })).toBeHidden();
});

test('"Ranger par arrêt" lays the board out stop by stop, in the route\'s order', async ({ browser, page, request }) => {
  const session = await createSessionByApi(request, { title: 'Marche exploratoire', private_writing: false, categories: ['Atout', 'Difficulté'] });
  await openBoard(page, session);
  await expect(page.getByRole('button', { name: 'Ranger par arrêt' })).toBeHidden();
  for (const stop of STOPS.slice(0, 2)) await addStop(page, stop);
  await page.getByRole('button', { name: 'Aller au premier arrêt' }).click();
  const { context, page: phone } = await openPhone(browser, session.join_code);
  try {
    await writeWalkNote(phone, { text: 'Une fontaine', category: 'Atout' });
    await page.getByRole('button', { name: 'Arrêt suivant' }).click();
    await expect(phone.locator('#stop-banner')).toContainText('Arrêt 2');
    await writeWalkNote(phone, { text: 'Pas d\'abri', category: 'Difficulté' });
    await writeWalkNote(phone, { text: 'Un banc cassé', category: 'Difficulté' });
  } finally {
    await context.close();
  }
  await page.getByRole('button', { name: 'Ranger par arrêt' }).click();
  await expect.poll(async () => {
    const state = await sessionState(page.request, session);
    return Object.values(state.notes).sort((a, b) => a.created_seq - b.created_seq).map((n) => [n.text, n.x, n.y]);
  }).toEqual([['Une fontaine', 0, 0], ['Pas d\'abri', 300, 0], ['Un banc cassé', 300, 260]]);
  // The board shows it as the server laid it out.
  const left = async (text) => (await boardNote(page, text).boundingBox()).x;
  await expect.poll(async () => (await left('Un banc cassé')) - (await left('Pas d\'abri'))).toBe(0);
  expect(await left('Une fontaine')).toBeLessThan(await left('Pas d\'abri'));
});
