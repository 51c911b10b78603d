// A walk's photos on the board: each note's thumbnail, fetched with the
// facilitator's token when the note comes on screen (a board of a hundred
// notes does not ask for a hundred photos at once), the whole photo in a
// dialog, and "Masquer la photo" (a face, a number plate), after a
// confirmation, which detaches it from the note for everyone.

import { t } from './i18n.js';
import { setText } from './dom.js';
import { createPhotoCache } from './photos.js';

const $ = (id) => document.getElementById(id);

export function createBoardPhotos({ sessionId, token, send, noteOf }) {
  const cache = createPhotoCache({ sessionId, token });
  // Asked for once on screen (or near it).
  const observer = 'IntersectionObserver' in window
    ? new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        observer.unobserve(entry.target);
        const id = entry.target.dataset.want;
        if (id) cache.show(entry.target, id);
      }
    }, { rootMargin: '300px' })
    : null;

  let opener = null;      // the thumbnail that opened the dialog, focused again on closing
  let shown = null;       // the photo id the dialog shows
  let hiding = null;      // the note whose photo the confirmation is about

  function openPhoto(noteId, from) {
    const n = noteOf(noteId);
    if (!n?.photo) return;
    opener = from ?? null;
    shown = n.photo;
    const img = $('photo-full');
    img.removeAttribute('src');
    img.alt = t('photo.alt', { text: n.text });
    img.hidden = true;
    setText($('photo-dialog-note'), n.text);
    setText($('photo-dialog-status'), t('photo.loading'));
    $('photo-dialog').showModal();
    const id = n.photo;
    cache.load(id, 'full').then((url) => {
      if (shown !== id) return;
      if (!url) {
        setText($('photo-dialog-status'), t('photo.failed'));
        return;
      }
      img.src = url;
      img.hidden = false;
      setText($('photo-dialog-status'), '');
    });
  }

  $('photo-close').addEventListener('click', () => $('photo-dialog').close());
  $('photo-dialog').addEventListener('close', () => {
    // The whole photo weighs: let go at once (the thumbnail stays).
    if (shown) cache.release(shown, 'full');
    shown = null;
    $('photo-full').removeAttribute('src');
    opener?.focus();
    opener = null;
  });

  function askToHide(noteId, back) {
    const n = noteOf(noteId);
    if (!n?.photo) return;
    hiding = { note: noteId, back };
    setText($('photo-hide-note'), n.text);
    $('photo-hide-dialog').showModal();
  }
  $('photo-hide-cancel').addEventListener('click', () => $('photo-hide-dialog').close());
  $('photo-hide-confirm').addEventListener('click', () => {
    const n = hiding && noteOf(hiding.note);
    if (n?.photo) send({ kind: 'note.photo', note: n.id, photo: null });
    $('photo-hide-dialog').close();
  });
  $('photo-hide-dialog').addEventListener('close', () => {
    const back = hiding?.back;
    hiding = null;
    back?.();
  });

  return {
    // For js/board-view.js: a thumbnail asked for once it is on screen.
    show(img, id) {
      img.dataset.want = id;
      if (img.dataset.photo !== id) img.removeAttribute('src');
      if (!observer) {
        cache.show(img, id);
        return;
      }
      observer.unobserve(img);
      observer.observe(img);
    },
    // After a render: the photos no note holds any more are let go.
    keep(state) {
      cache.keepOnly(new Set(Object.values(state.notes).map((n) => n.photo).filter(Boolean)));
    },
    open: openPhoto,
    askToHide,
  };
}
