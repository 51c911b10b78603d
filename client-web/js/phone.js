// The participant's phone: join with the code in the link, write notes (kept
// and sent again if the network drops), see and change one's own notes, vote,
// and once the session is closed see its results. Someone who opens the link
// of a closed session sees the results only: the server makes them a
// "viewer", not counted, who sends nothing.

import { loadLanguage, setupLanguageSwitch, t, currentLanguage } from './i18n.js';
import { Connection } from './connection.js';
import { el, setText } from './dom.js';
import { votesHidden } from './board-state.js';
import { COLORS, LIMITS } from './vocabulary.js';
import { renderResults } from './results.js';
import { VoteList, voteItems, dotsLeft } from './phone-vote.js';
import { createWalkFields } from './phone-walk.js';
import { stopLabels, categoryLabel, isWalk } from './walk.js';
import { createPhotoField, createPhotoSender, showLocalPhoto, releaseLocalPhotos } from './phone-photo.js';
import { createPhotoCache } from './photos.js';

const $ = (id) => document.getElementById(id);
const code = decodeURIComponent(location.pathname.split('/')[2] || '').toUpperCase();
const storageKey = `ruche.participant.${code}`;
const helloKey = `${storageKey}.hello`;  // kept once joined: the next visit goes straight in
const mineKey = `${storageKey}.mine`;    // one's own notes as last seen, shown when reopened offline
let savedMine = localStorage.getItem(mineKey);
let info = null;         // public session info (title, question, profiles)
let connection = null;
let editing = null;      // id of the note being edited
let bannerDue = false;   // connecting takes a moment: no "offline" flash at every page load
let visitor = false;     // came to a closed session to see its results (no form, no notes of one's own)
let lastNote = null;     // { opId, refused }: the note just added, whose fate shows next to the button
let votes = null;        // the voting list (js/phone-vote.js), made when the vote first shows
let shownMine = null;    // what "Mes notes" shows now, to draw it only when that changes
const walk = createWalkFields(`${storageKey}.walk`);  // a walk's stop banner and note fields (js/phone-walk.js)
const photoField = createPhotoField();  // a walk's note photo (js/phone-photo.js)
let photoSender = null;  // uploads the photos of the notes that wait for theirs
// One's own notes' photos from the server, with this phone's token.
const photos = createPhotoCache({ sessionId: () => connection?.sessionId, token: () => connection?.saved.participant_token });


async function fetchInfo() {
  const response = await fetch(`/api/join/${encodeURIComponent(code)}`);
  if (!response.ok) return null;
  return response.json();
}

function renderJoin() {
  $('session-title').textContent = info.title;
  $('session-question').textContent = info.question;
  const select = $('profile');
  const current = select.value;
  select.replaceChildren(
    el('option', { value: '', textContent: t('phone.profile_none') }),
    ...info.profiles.map((p) => el('option', { value: p, textContent: t(`profile.${p}`) })),
  );
  select.value = current;
}

function renderColors() {
  const box = $('colors');
  const chosen = box.querySelector('input:checked')?.value ?? 'yellow';
  box.replaceChildren(box.querySelector('legend'), ...COLORS.map((c) => {
    const input = el('input', { type: 'radio', name: 'color', value: c, checked: c === chosen });
    input.setAttribute('aria-label', t(`color.${c}`));
    return el('label', { className: 'swatch' }, input, el('span', { className: c }));
  }));
}

function start(hello) {
  connection = new Connection({ hello, storageKey });
  photoSender = createPhotoSender(connection, {
    prefix: storageKey,
    onRefused: (code) => { $('note-error').textContent = t(`photo.sent_without_${photoRefusal(code)}`); },
  });
  photoSender.tidy();
  let joinRefusal = '';  // said while the hello was refused for now
  connection.addEventListener('state', (e) => {
    if (e.detail?.event?.op?.kind === 'stop.go') walk.moved();
    if (e.detail?.welcome) {
      rememberWho();
      if (joinRefusal && $('note-error').textContent === joinRefusal) $('note-error').textContent = '';
      joinRefusal = '';
    }
    renderSoon();
  });
  connection.addEventListener('outbox', renderSoon);
  connection.addEventListener('status', renderBanner);
  connection.addEventListener('servererror', (e) => {
    const error = e.detail;
    if (error.code === 'invalid_token' || error.code === 'unknown_join_code') return;
    if (resendWithout(error)) return;
    $('note-error').textContent = t(`error.${error.code}`);
    if (!error.op_id && !connection.online) joinRefusal = $('note-error').textContent;
    // Refused, so not "sent": the error above says why.
    if (error.op_id && error.op_id === lastNote?.opId) {
      lastNote.refused = true;
      renderNoteStatus();
    }
  });
  connection.addEventListener('deleted', () => {
    $('phase-message').textContent = t('phone.deleted');
    $('phase-message').hidden = false;
  });
  $('join').hidden = true;
  $('board').hidden = false;
  connection.start();
  photoSender.pump();
  render();
  // Offline from the very start (e.g. a reload without network): say so.
  setTimeout(() => { bannerDue = true; renderBanner(); }, 2500);
}

// The welcome says who this phone is. A viewer's hello is not kept, so that
// the next visit asks the server again (the session may have been reopened);
// a participant's is, even when the person came only to see the results and
// the session reopened meanwhile: they joined, and stay the same person.
function rememberWho() {
  if (connection.role === 'viewer') localStorage.removeItem(helloKey);
  else localStorage.setItem(helloKey, JSON.stringify(connection.hello));
}

// What the page shows before joining, from the session's public info: the
// results of a closed session (seen as a viewer), otherwise the join form.
async function showEntrance() {
  info = await fetchInfo();
  if (!info) {
    $('unknown').hidden = false;
  } else if (info.phase === 'closed') {
    visitor = true;
    start({ join_code: code });
  } else {
    visitor = false;
    renderJoin();
    $('join').hidden = false;
  }
}

// The facilitator reopened the session. A viewer's connection stays a
// viewer's: to take part, the person joins afresh, from the join form.
function leaveAsViewer() {
  connection.stop();
  connection = null;
  $('board').hidden = true;
  showEntrance();
}

function renderBanner() {
  const banner = $('offline');
  if (connection?.online) bannerDue = true;  // from now on, a drop shows at once
  const offline = bannerDue && connection && !connection.online;
  banner.hidden = !offline;
  if (offline) {
    // Notes only: a dot placed offline waits too, but is not a note.
    // Photos are said apart: they are what takes long once back.
    const waiting = pendingAdds().length;
    const photosWaiting = connection.waitingForPhotos.length;
    if (photosWaiting) {
      banner.textContent = t('phone.offline_pending_photos', {
        notes: t('phone.notes_count', { n: waiting }), photos: t('phone.photos_count', { n: photosWaiting }),
      });
    } else {
      banner.textContent = waiting
        ? t('phone.offline_pending', { n: waiting })
        : t('phone.offline');
    }
  }
}

function phaseMessage(state, viewer) {
  if (state.phase === 'closed') return t(viewer ? 'phone.closed_viewer' : 'phone.closed');
  if (state.locked) return t('phone.locked');
  return t(`phone.phase.${state.phase}`);
}

function isPending(opId) {
  return connection.pending.some((e) => e.op_id === opId);
}

// Next to the button, so that nobody has to look for their note further
// down: "sent" once the server has it, "waiting" while it is in the outbox.
function renderNoteStatus() {
  const status = $('note-status');
  const waiting = Boolean(lastNote) && isPending(lastNote.opId);
  const shown = Boolean(lastNote) && !lastNote.refused;
  setText(status, shown ? t(waiting ? 'phone.note_waiting' : 'phone.note_sent') : '');
  status.classList.toggle('sent', shown && !waiting);
}

// What the server says (events, acks) and what this phone sends are drawn
// once per frame: a tap, its ack and its echo then cost one render, not
// three, on a phone that may take 20 ms for each (150 ideas, a slow CPU).
let renderDue = false;
function renderSoon() {
  if (renderDue) return;
  renderDue = true;
  requestAnimationFrame(() => {
    renderDue = false;
    render();
  });
}

function render() {
  renderBanner();
  if (connection) renderNoteStatus();
  const state = connection?.state;
  if (!state) {
    // No word from the server yet (say, reopened without network): the notes
    // waiting in this phone are still shown, so nobody thinks they are lost.
    if (connection) {
      walk.render(null);
      renderPhotoField();
      renderMine(null, null, false);
    }
    $('mine').hidden = visitor;
    return;
  }
  const viewer = connection.role === 'viewer';
  if (viewer && state.phase !== 'closed') {
    leaveAsViewer();
    return;
  }
  const me = connection.me;
  setText($('session-title'), state.settings.title);
  setText($('session-question'), state.settings.question);
  setText($('phase-message'), phaseMessage(state, viewer));
  walk.render(state);
  renderPhotoField();
  // At a stop of a walk its banner says what matters now, on a small screen
  // where the writing field must stay in sight: the stop's question stands
  // for the session's, and "the ideas are on the board" goes.
  const stop = walk.currentStop;
  $('session-question').hidden = Boolean(stop?.question);
  $('phase-message').hidden = Boolean(stop) && state.phase === 'reveal' && !state.locked;

  const canWrite = state.phase !== 'closed' && !state.locked;
  $('write').hidden = !canWrite;
  const max = state.settings.note_max_length;
  $('note-text').maxLength = max;
  setText($('note-counter'), t('phone.counter', { n: [...$('note-text').value].length, max }));

  renderMine(state, me, canWrite);
  renderVote(state, me);

  const closed = state.phase === 'closed';
  // Just closed: the vote list is gone and the page starts with the thanks
  // and the results; show it from the top.
  if (closed && $('results').hidden) window.scrollTo(0, 0);
  $('results').hidden = !closed;
  if (closed) renderResults($('results'), state);
  // Once closed, "Mes notes" only when there are some.
  $('mine').hidden = viewer || (closed && $('my-notes').childElementCount === 0);
}

// A photo with the note: on a walk only.
function renderPhotoField() {
  const on = Boolean(walk.walk) && isWalk(walk.walk);
  $('photo-field').hidden = !on;
  if (!on) photoField.clear();
  $('photo-preview-img').alt = t('photo.preview_alt');
}

// What the phone says when a photo could not go (its note went without it).
function photoRefusal(code) {
  if (code === 'too_large' || code === 'too_many_pixels') return 'too_large';
  if (code === 'not_an_image') return 'not_an_image';
  return 'other';
}

function pendingAdds() {
  return connection.pending.filter((e) => e.op.kind === 'note.add');
}

// Kept on the phone, so that a reload without network still lists the notes
// already sent, not "no note yet".
function rememberMine(notes) {
  const json = JSON.stringify(notes.map(({ id, text, color, stop, category, photo }) => ({ id, text, color, stop, category, photo })));
  if (json === savedMine) return;
  savedMine = json;
  localStorage.setItem(mineKey, json);
}

function renderMine(state, me, canWrite) {
  const mine = state
    ? Object.values(state.notes)
      .filter((n) => me && n.author === me)  // a viewer is nobody: no note is theirs
      .sort((a, b) => a.created_seq - b.created_seq)
    : JSON.parse(savedMine || '[]');
  if (state && me) rememberMine(mine);
  // Drawn again only when what it shows changed: a vote tap leaves it be
  // (and a focused "Modifier" keeps the focus).
  const adds = pendingAdds();
  // Labels from the walk as last known: also after a reload without network.
  const known = walk.walk;
  const labels = known ? stopLabels(known) : new Map();
  const tagsOf = (n) => walkTags(known, labels, n);
  const shows = JSON.stringify([currentLanguage(), canWrite, editing, Boolean(state) && votesHidden(state), Boolean(connection?.sessionId),
    mine.map((n) => [n.id, n.text, n.color, n.vote_total, tagsOf(n), n.photo]),
    adds.map((e) => [e.op.text, e.op.color, tagsOf(e.op), e.photo_key, e.op.photo])]);
  if (shows === shownMine) return;
  shownMine = shows;
  const items = mine.map((n) => noteItem(n, canWrite, tagsOf(n)));
  for (const entry of adds) {
    items.push(el('li', { className: `note ${entry.op.color}` },
      photoThumb(entry.op, entry.photo_key),
      entry.op.text,
      tagsLine(tagsOf(entry.op)),
      el('div', { className: 'meta pending', textContent: t('phone.pending') })));
  }
  $('my-notes').replaceChildren(...items);
  // The photos no longer shown are let go.
  photos.keepOnly(new Set([...mine.map((n) => n.photo), ...adds.map((e) => e.op.photo)].filter(Boolean)));
  releaseLocalPhotos(new Set(adds.map((e) => e.photo_key).filter(Boolean)));
  $('mine-empty').hidden = items.length > 0;
}

// A note's photo, small, beside its text: the server's thumbnail, or the
// phone's own copy while the photo waits to go (key).
function photoThumb(n, key) {
  if (!n.photo && !key) return null;
  const img = el('img', { className: 'my-note-photo', alt: t('photo.alt', { text: n.text }) });
  if (key) showLocalPhoto(img, key);
  else photos.show(img, n.photo);
  return img;
}

// On a walk, a note's category and stop ("Atout · Arrêt 2 · Place du
// marché"); nothing for a note without them, or before the walk is known.
function walkTags(known, labels, n) {
  if (!known) return '';
  return [categoryLabel(known, n.category), labels.get(n.stop)].filter(Boolean).join(' · ');
}

function tagsLine(tags) {
  return tags ? el('div', { className: 'meta walk-meta', textContent: tags }) : null;
}

function noteItem(n, canWrite, tags) {
  const li = el('li', { className: `note ${n.color}` });
  if (editing === n.id) {
    const area = el('textarea', { value: n.text, rows: 3, maxLength: connection.state.settings.note_max_length });
    area.setAttribute('aria-label', t('phone.edit_label'));
    const save = el('button', { type: 'button', className: 'primary', textContent: t('phone.save') });
    save.addEventListener('click', () => {
      const text = area.value.trim();
      if (text && text !== n.text) connection.send({ kind: 'note.edit', note: n.id, text });
      editing = null;
      render();
    });
    const cancel = el('button', { type: 'button', textContent: t('phone.cancel') });
    cancel.addEventListener('click', () => { editing = null; render(); });
    li.append(area, el('div', { className: 'actions' }, save, cancel));
    queueMicrotask(() => area.focus());
    return li;
  }
  const thumb = photoThumb(n);
  if (thumb) li.append(thumb);
  li.append(n.text);
  if (tags) li.append(tagsLine(tags));
  if (n.vote_total > 0 && !votesHidden(connection.state)) li.append(el('div', { className: 'meta' }, t('phone.votes_received', { n: n.vote_total })));
  if (canWrite) {
    const edit = el('button', { type: 'button', textContent: t('phone.edit') });
    edit.addEventListener('click', () => { editing = n.id; render(); });
    const remove = el('button', { type: 'button', className: 'danger', textContent: t('phone.delete') });
    remove.addEventListener('click', () => {
      if (confirm(t('phone.delete_confirm'))) connection.send({ kind: 'note.delete', note: n.id });
    });
    li.append(el('div', { className: 'actions' }, edit, remove));
  }
  return li;
}

// A note written offline may arrive after its stop was deleted, or after its
// category was taken off the list: the server refuses it as it is. It is sent
// again without what is gone, so that the note itself is never lost.
function resendWithout(error) {
  const op = error.op;
  const field = { unknown_stop: 'stop', unknown_category: 'category', unknown_photo: 'photo' }[error.code];
  if (op?.kind !== 'note.add' || !field || !(field in op)) return false;
  const { [field]: _, ...rest } = op;
  const opId = connection.send(rest);
  if (lastNote?.opId === error.op_id) lastNote = { opId, refused: false };
  $('note-error').textContent = t({ stop: 'walk.resent_without_stop', category: 'walk.resent_without_category', photo: 'photo.resent_without' }[field]);
  return true;
}

function renderVote(state, me) {
  const voting = state.phase === 'voting';
  $('vote').hidden = !voting;
  if (!voting) return;
  const left = dotsLeft(state, me, connection.pending);
  setText($('dots-left'), t('phone.dots_left', { n: left }));
  $('votes-hidden').hidden = !votesHidden(state);
  votes ??= new VoteList($('vote-list'), (op) => connection.send(op));
  votes.update(voteItems(state, me, connection.pending), { left, locked: state.locked });
}

$('note-text').addEventListener('input', () => {
  // A new note begins: "sent" was about the previous one.
  if (lastNote && !isPending(lastNote.opId)) lastNote = null;
  render();
});
$('note-text').addEventListener('focus', () => walk.startNote());
let adding = false;  // a note waits for its position (a few seconds at most)
$('note-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (adding) return;
  const text = $('note-text').value.trim();
  if (!text) {
    $('note-error').textContent = t('phone.note_empty');
    return;
  }
  $('note-error').textContent = '';
  const color = $('colors').querySelector('input:checked')?.value ?? 'yellow';
  // On a walk: its stop and category as shown now, and the position if
  // ticked (which may take a moment: the text stays until the note is in the
  // outbox, so that nothing is lost meanwhile).
  adding = true;
  $('note-submit').setAttribute('aria-disabled', 'true');
  const { fields, missedPlace } = await walk.noteFields();
  // No x and y: the phone knows nothing of the board's layout, and the server
  // then puts the note in the first free cell, never on top of another one.
  // Its photo, if one was chosen, goes first: the note waits for it (kept
  // on the phone, which takes a moment).
  const photo = $('photo-field').hidden ? null : photoField.take();
  const op = { kind: 'note.add', text, color, ...fields };
  const opId = photo ? await photoSender.queue(op, photo) : connection.send(op);
  adding = false;
  $('note-submit').removeAttribute('aria-disabled');
  lastNote = { opId, refused: false };
  walk.sent();
  if (missedPlace) $('note-error').textContent = t('walk.sent_without_place');
  // Only what was sent is cleared: what was typed meanwhile stays.
  if ($('note-text').value.trim() === text) $('note-text').value = '';
  render();
  $('note-text').focus();
  // The offline banner pushes the page down: the word about the note must
  // still be in sight.
  $('note-status').scrollIntoView({ block: 'nearest' });
});

$('join-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const hello = { join_code: code };
  const name = $('name').value.trim();
  const profile = $('profile').value;
  if (name) hello.name = name;
  if (profile) hello.profile = profile;
  // Kept at once, so that notes written before the welcome (offline) survive
  // a reload. Forgotten if the session turns out to be closed (rememberWho).
  localStorage.setItem(helloKey, JSON.stringify(hello));
  start(hello);
});

// Lets the page open again without network (see sw.js).
navigator.serviceWorker?.register('/sw.js').catch(() => {});

$('name').maxLength = LIMITS.name_chars;
await loadLanguage();
renderColors();
setupLanguageSwitch($('lang-switch'), () => {
  renderColors();
  if (info) renderJoin();
  render();
});

const savedHello = JSON.parse(localStorage.getItem(helloKey) || 'null');
if (savedHello) {
  // Already joined from this phone: go straight back in, even offline.
  start(savedHello);
} else {
  await showEntrance();
}
