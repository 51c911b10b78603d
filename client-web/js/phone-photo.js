// The phone's photo on a walk: "Ajouter une photo" in the writing form (the
// camera, or a picture already taken), shrunk on the phone (js/photos.js)
// and shown before it goes, with "Retirer la photo"; then, once the note is
// written, the photo is kept on the phone (js/photo-store.js) and its note
// waits in the outbox until the photo is uploaded. With the network, that is
// at once; without it, when it is back (after a reload too), one photo after
// the other in the order they were taken, each note then sent with the id
// it was given when written: none lost, none twice.

import { t } from './i18n.js';
import { setText } from './dom.js';
import { shrinkPhoto, uploadPhoto } from './photos.js';
import { putPhoto, getPhoto, deletePhoto, photoKeys } from './photo-store.js';

const $ = (id) => document.getElementById(id);
const RETRY_MS = [2000, 4000, 8000, 15000, 30000];

function newKey() {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The form's part: returns { take(), clear() }. take() gives the chosen
// photo's blob (or null) and empties the field.
export function createPhotoField() {
  let chosen = null;     // { blob, url }
  let reading = 0;       // to drop a photo chosen before the next one is read

  function clear() {
    if (chosen) URL.revokeObjectURL(chosen.url);
    chosen = null;
    $('note-photo').value = '';
    $('photo-preview').hidden = true;
    $('photo-preview-img').removeAttribute('src');
    $('photo-add').hidden = false;
  }

  $('note-photo').addEventListener('change', async () => {
    const file = $('note-photo').files?.[0];
    if (!file) return;
    const mine = ++reading;
    setText($('photo-status'), t('photo.preparing'));
    let shrunk;
    try {
      shrunk = await shrinkPhoto(file);
    } catch {
      if (mine === reading) setText($('photo-status'), t('photo.unreadable'));
      return;
    }
    if (mine !== reading) return;
    if (chosen) URL.revokeObjectURL(chosen.url);
    chosen = { blob: shrunk.blob, url: URL.createObjectURL(shrunk.blob) };
    $('photo-preview-img').src = chosen.url;
    $('photo-preview').hidden = false;
    $('photo-add').hidden = true;
    setText($('photo-status'), '');
    $('photo-remove').focus();
  });
  $('photo-remove').addEventListener('click', () => {
    reading += 1;
    clear();
    setText($('photo-status'), t('photo.removed'));
    $('note-photo').focus();
  });

  return {
    take() {
      const blob = chosen?.blob ?? null;
      clear();
      setText($('photo-status'), '');
      return blob;
    },
    get chosen() { return Boolean(chosen); },
    clear,
  };
}

// Uploads the photos of the notes held back, one at a time (the server takes
// one per address), whenever the connection is up. onRefused(code): a photo
// the server will never take (too large, not an image): its note went without it.
// prefix: this session's, before the keys of its photos (a phone may have
// joined other sessions, whose waiting photos are theirs).
export function createPhotoSender(connection, { prefix, onRefused }) {
  let running = false;
  let failures = 0;
  let timer = null;
  const token = () => connection.saved.participant_token;

  async function pump() {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const entry = connection.waitingForPhotos[0];
        if (!entry || !connection.online || !connection.sessionId || !token()) return;
        const blob = await getPhoto(entry.photo_key);
        if (!blob) {
          // Gone from this phone (storage cleared): the note goes without it.
          connection.photoUploaded(entry.op_id, null);
          onRefused('photo_lost');
          continue;
        }
        const reply = await uploadPhoto(connection.sessionId, token(), blob);
        if (reply.photo) {
          failures = 0;
          const key = entry.photo_key;
          connection.photoUploaded(entry.op_id, reply.photo);
          await deletePhoto(key);
        } else if (reply.refused) {
          connection.photoUploaded(entry.op_id, null);
          await deletePhoto(entry.photo_key);
          onRefused(reply.refused);
        } else {
          // Not now: after Retry-After, or (the network failed) a while later.
          const wait = reply.wait ? reply.wait * 1000 : RETRY_MS[Math.min(failures, RETRY_MS.length - 1)];
          failures += 1;
          clearTimeout(timer);
          timer = setTimeout(pump, wait);
          return;
        }
      }
    } finally {
      running = false;
    }
  }

  connection.addEventListener('status', (e) => { if (e.detail.online) { failures = 0; pump(); } });
  connection.addEventListener('outbox', () => pump());

  return {
    // Keeps a note's photo on the phone and queues the note behind it; returns its op id.
    async queue(op, blob) {
      const key = `${prefix}:${newKey()}`;
      await putPhoto(key, blob);
      return connection.sendAfterPhoto(op, key);
    },
    pump,
    // Photos kept for notes that are no longer waiting (sent, or the
    // outbox forgotten): removed, so that nothing stays on the phone.
    async tidy() {
      const wanted = new Set(connection.waitingForPhotos.map((e) => e.photo_key));
      for (const key of await photoKeys()) {
        if (String(key).startsWith(`${prefix}:`) && !wanted.has(key)) await deletePhoto(key);
      }
    },
  };
}

// A waiting note's photo, shown from the phone's copy: an object URL per
// key, let go once the note no longer waits for it.
const localUrls = new Map();
export function showLocalPhoto(img, key) {
  img.dataset.photo = key;
  if (!localUrls.has(key)) {
    localUrls.set(key, getPhoto(key).then((blob) => (blob ? URL.createObjectURL(blob) : null)));
  }
  localUrls.get(key).then((url) => { if (url && img.dataset.photo === key) img.src = url; });
}
export function releaseLocalPhotos(keep) {
  for (const [key, promise] of localUrls) {
    if (keep.has(key)) continue;
    localUrls.delete(key);
    promise.then((url) => url && URL.revokeObjectURL(url));
  }
}
