// A walk's photos, for the phone and the board: shrinking a photo on the
// phone before it goes (a phone's camera gives 3 to 12 MB; weak mobile data
// carries 300 KB far better), uploading it, and showing the server's copies.
// The photo URLs want a bearer token, which an <img src> cannot carry: the
// bytes are fetched and shown through object URLs, kept per photo and let go
// when no longer shown.

const LONG_SIDE = 1600;     // as the server keeps them: more would be thrown away
const QUALITY = 0.8;
const TARGET_BYTES = 400 * 1024;

function toBlob(canvas, quality) {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode'))), 'image/jpeg', quality);
  });
}

// The image the person chose, upright (its EXIF orientation applied), its
// long side at most 1600 px, as a JPEG of usually less than 400 KB; its
// metadata (place, phone, time) is not copied. Throws when the browser
// cannot read it (a format it does not know).
export async function shrinkPhoto(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  // A transparent PNG would turn black in a JPEG.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  let blob = await toBlob(canvas, QUALITY);
  // A busy scene (leaves, gravel) may weigh more: a little less quality.
  if (blob.size > TARGET_BYTES) blob = await toBlob(canvas, 0.65);
  canvas.width = 0;  // lets a small phone have its memory back at once
  return { blob, width, height };
}

// Uploads a photo. Resolves with one of:
//   { photo, width, height }  stored
//   { wait: seconds }         not now (another upload under way, the server busy), try again then
//   { refused: code }         never (too large, not an image, no such session)
//   { offline: true }         the network failed: try again later
export async function uploadPhoto(sessionId, token, blob) {
  let response;
  try {
    response = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/photos`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': blob.type || 'image/jpeg' },
      body: blob,
      cache: 'no-store',
    });
  } catch {
    return { offline: true };
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 201 && body.photo) return body;
  if (response.status === 429 || response.status === 503 || response.status >= 500) {
    const after = Number(response.headers.get('Retry-After'));
    return { wait: Number.isFinite(after) && after > 0 ? after : 2, code: body.code };
  }
  if (response.status === 401) return { wait: 5, code: 'invalid_token' };
  return { refused: body.code || 'not_an_image' };
}

// Object URLs of a session's photos, fetched with a token, one per photo
// (and per size) however many elements show it.
export function createPhotoCache({ sessionId, token }) {
  const urls = new Map();   // `${id}/${size}` → Promise<url|null>
  const made = new Map();   // same key → the object URL once made
  function load(id, size = 'thumb') {
    const key = `${id}/${size}`;
    // Not joined yet (a reload without network): nothing to ask.
    if (!sessionId() || !token()) return Promise.resolve(null);
    if (!urls.has(key)) {
      const path = `/api/sessions/${encodeURIComponent(sessionId())}/photos/${encodeURIComponent(id)}${size === 'thumb' ? '/thumb' : ''}`;
      const promise = fetch(path, { headers: { Authorization: `Bearer ${token()}` } })
        .then((r) => (r.ok ? r.blob() : null))
        .catch(() => null)
        .then((blob) => {
          if (!blob) {
            urls.delete(key);  // tried again next time it is shown
            return null;
          }
          if (!urls.has(key)) return null;  // let go meanwhile
          const url = URL.createObjectURL(blob);
          made.set(key, url);
          return url;
        });
      urls.set(key, promise);
    }
    return urls.get(key);
  }
  return {
    // Sets img.src to the photo once fetched (unless the img shows another one by then).
    show(img, id, size = 'thumb') {
      img.dataset.photo = id;
      load(id, size).then((url) => {
        if (url && img.dataset.photo === id) img.src = url;
      });
    },
    load,
    // Lets go of one photo's URL (a full photo once its dialog is closed).
    release(id, size) {
      const key = `${id}/${size}`;
      if (made.has(key)) URL.revokeObjectURL(made.get(key));
      made.delete(key);
      urls.delete(key);
    },
    // Lets go of every photo not in `ids` (those no note holds any more).
    keepOnly(ids) {
      for (const key of [...urls.keys()]) {
        if (ids.has(key.split('/')[0])) continue;
        if (made.has(key)) URL.revokeObjectURL(made.get(key));
        made.delete(key);
        urls.delete(key);
      }
    },
  };
}
