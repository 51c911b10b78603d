// The photos a phone took offline, kept until they are uploaded: their
// blobs in IndexedDB (localStorage holds strings only, and too few of them),
// so that a photo taken at a stop without network survives a reload. Where
// IndexedDB cannot be opened (a private window of some browsers), the blobs
// are kept in memory: they then survive everything but a reload.

const DB = 'ruche-photos';
const STORE = 'photos';
const memory = new Map();
let opened = null;

function open() {
  opened ??= new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(DB, 1);
    } catch {
      resolve(null);
      return;
    }
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
  return opened;
}

// One request in its own transaction; resolves with its result once the
// transaction is done (written to disk for a put).
async function run(mode, make) {
  const db = await open();
  if (!db) return undefined;
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = make(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export async function putPhoto(key, blob) {
  memory.set(key, blob);
  try {
    await run('readwrite', (store) => store.put(blob, key));
  } catch {
    // Full or refused: the copy in memory still goes when the network is back.
  }
}

export async function getPhoto(key) {
  if (memory.has(key)) return memory.get(key);
  try {
    return (await run('readonly', (store) => store.get(key))) ?? null;
  } catch {
    return null;
  }
}

export async function deletePhoto(key) {
  memory.delete(key);
  try {
    await run('readwrite', (store) => store.delete(key));
  } catch {
    // Left behind: a few hundred KB, replaced by nothing.
  }
}

// The keys kept, to remove the photos no waiting note needs any more.
export async function photoKeys() {
  try {
    return (await run('readonly', (store) => store.getAllKeys())) ?? [...memory.keys()];
  } catch {
    return [...memory.keys()];
  }
}
