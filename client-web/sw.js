// The phone page must open even when the room's Wi-Fi drops, so that notes
// can still be written (they wait in the outbox until the network is back).
// Network first, so a working connection always gets the current files; the
// cache only answers when the network does not.

// Every module phone.js imports, directly or not, must be in SHELL.
const CACHE = 'ruche-shell-v6';
const SHELL = [
  '/phone.html', '/css/ruche.css', '/css/phone.css', '/favicon.svg',
  '/js/phone.js', '/js/connection.js', '/js/board-state.js', '/js/vocabulary.js', '/js/i18n.js', '/js/dom.js',
  '/js/results.js', '/js/phone-vote.js', '/js/phone-walk.js', '/js/walk.js', '/js/position.js',
  '/js/phone-photo.js', '/js/photos.js', '/js/photo-store.js',
  '/i18n/fr.json', '/i18n/en.json',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  // Only the page's own files; the API and the WebSocket always go to the
  // server. Never a photo: they want a token, and stay out of this cache
  // (a photo that waits to be uploaded is kept by js/photo-store.js).
  if (event.request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  // Every join link /j/CODE is the same page.
  const key = url.pathname.startsWith('/j/') ? '/phone.html' : url.pathname;
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    })
    .catch(() => caches.match(key).then((cached) => cached ?? Response.error())));
});
