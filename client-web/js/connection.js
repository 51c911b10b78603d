// The WebSocket conversation with the server, built so that no note is lost:
// every op gets a client id and waits in an outbox kept in localStorage until
// the server acknowledges it (it is then in the server's op log). After a drop
// or a page reload the outbox is sent again with the same ids; the server
// never applies an op twice. On reconnect the client says the last seq it
// saw and receives exactly what it missed.

import { applyEvent } from './board-state.js';

const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
// Refusals that say "not now": the op, or the hello, is tried again later.
const TRANSIENT = new Set(['rate_limited', 'storage_unavailable', 'too_many_joins']);

function newOpId() {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Connection extends EventTarget {
  // hello: {join_code, name, profile} or {facilitator_token}.
  // storageKey: where this device keeps its token and outbox for the session.
  // The token kept is the participant's, or a facilitator's own seat (each
  // facilitator connection is a participant of its own, f1, f2…): sent back
  // in every hello, it keeps the same id across reloads and reconnections.
  constructor({ hello, storageKey }) {
    super();
    this.hello = hello;
    this.storageKey = storageKey;
    this.saved = JSON.parse(localStorage.getItem(storageKey) || '{}');
    this.saved.outbox ??= [];
    this.state = null;
    this.me = null;
    this.role = null;
    this.online = false;
    this.socket = null;
    this.attempt = 0;
    this.stopped = false;
    window.addEventListener('online', () => this.reconnectSoon(0));
    // The browser knows the network is gone long before TCP does: a socket
    // left open through a lost Wi-Fi would swallow ops until it times out.
    window.addEventListener('offline', () => this.drop());
  }

  get pending() {
    return this.saved.outbox;
  }

  // What the reducer needs to know about who is looking: facilitators keep a bin.
  get viewer() {
    return { bin: this.role === 'facilitator' };
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.socket?.close(1000);
  }

  // Queues an op and sends it when possible. Returns its op id.
  send(op) {
    const entry = { op_id: newOpId(), op };
    this.saved.outbox.push(entry);
    this.persist();
    this.transmit(entry);
    this.emit('outbox');
    return entry.op_id;
  }

  // Queues a note whose photo waits in this phone (js/photo-store.js under
  // `photoKey`): it is held back until the photo is uploaded
  // (photoUploaded), then sent with its photo's id, under the same op id.
  sendAfterPhoto(op, photoKey) {
    const entry = { op_id: newOpId(), op, photo_key: photoKey };
    this.saved.outbox.push(entry);
    this.persist();
    this.emit('outbox');
    return entry.op_id;
  }

  // The photo of a held-back note is on the server (its id), or could not
  // go (null: the note goes without it). The note is sent now.
  photoUploaded(opId, photoId) {
    const entry = this.saved.outbox.find((e) => e.op_id === opId);
    if (!entry || !entry.photo_key) return;
    delete entry.photo_key;
    if (photoId) entry.op = { ...entry.op, photo: photoId };
    this.persist();
    this.transmit(entry);
    this.emit('outbox');
  }

  // The notes held back for their photo, in the order they were written.
  get waitingForPhotos() {
    return this.saved.outbox.filter((e) => e.photo_key);
  }

  forget() {
    localStorage.removeItem(this.storageKey);
    this.saved = { outbox: [] };
  }

  persist() {
    localStorage.setItem(this.storageKey, JSON.stringify(this.saved));
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  transmit(entry) {
    // A viewer (someone new to a closed session) may send nothing: whatever
    // waits in the outbox stays there, in case the person joins later.
    if (this.role === 'viewer') return;
    // A note whose photo is not uploaded yet waits for it.
    if (entry.photo_key) return;
    if (this.online && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ type: 'op', op_id: entry.op_id, op: entry.op }));
    }
  }

  connect() {
    if (this.stopped) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.addEventListener('open', () => {
      // lines: the server may put several messages in one frame, one per
      // line, which saves a weak phone many small frames after a reconnection.
      const hello = { type: 'hello', ...this.hello, lines: true };
      if (this.saved.participant_token) hello.participant_token = this.saved.participant_token;
      // Within one page life we hold the state, so only the missed events are
      // needed; the server resumes only someone it knows (token), not a viewer.
      const known = hello.participant_token || hello.facilitator_token;
      if (this.state && known) hello.last_seq = this.state.seq;
      socket.send(JSON.stringify(hello));
    });
    socket.addEventListener('message', (message) => {
      if (this.socket !== socket) return;
      for (const line of message.data.split('\n')) {
        if (this.socket === socket) this.receive(JSON.parse(line));
      }
    });
    socket.addEventListener('close', (e) => {
      if (this.socket !== socket) return;
      this.setOnline(false);
      if (e.code === 1000 && e.reason === 'session deleted') {
        this.stopped = true;
        this.emit('deleted');
        return;
      }
      this.reconnectSoon();
    });
  }

  // Forgets the current socket (its late events are ignored), shows the
  // session as offline and keeps trying with the usual backoff.
  drop() {
    const socket = this.socket;
    if (!socket) return;
    this.socket = null;
    socket.close();
    this.setOnline(false);
    this.reconnectSoon();
  }

  reconnectSoon(delay) {
    if (this.stopped) return;
    if (this.socket && this.socket.readyState <= WebSocket.OPEN && this.online) return;
    clearTimeout(this.timer);
    // Spread out, so that a room refused at the same moment does not come
    // back at the same moment.
    const wait = delay ?? RETRY_DELAYS_MS[Math.min(this.attempt, RETRY_DELAYS_MS.length - 1)] * (0.75 + Math.random() / 2);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      if (this.socket && this.socket.readyState === WebSocket.CONNECTING) return;
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.close();
      this.connect();
    }, wait);
  }

  setOnline(online) {
    if (this.online === online) return;
    this.online = online;
    this.emit('status', { online });
  }

  receive(message) {
    switch (message.type) {
      case 'welcome': return this.onWelcome(message);
      case 'event': return this.onEvent(message);
      case 'ack': return this.settle(message.op_id);
      case 'error': return this.onError(message);
      default: return undefined;
    }
  }

  onWelcome(welcome) {
    this.attempt = 0;
    this.me = welcome.participant_id;
    this.role = welcome.role;
    this.sessionId = welcome.session_id;
    this.joinCode = welcome.join_code ?? this.joinCode;
    this.joinUrl = welcome.join_url ?? this.joinUrl;
    if (welcome.participant_token) {
      this.saved.participant_token = welcome.participant_token;
      this.persist();
    }
    if (welcome.state) {
      this.state = welcome.state;
    } else {
      for (const e of welcome.events ?? []) this.state = applyEvent(this.state, e, this.viewer);
      this.state.seq = Math.max(this.state.seq, welcome.seq);
    }
    this.setOnline(true);
    this.emit('state', { welcome: true });
    // Whatever was written while offline goes now, with its original ids.
    for (const entry of this.saved.outbox) this.transmit(entry);
  }

  onEvent(event) {
    if (!this.state) return;
    this.state = applyEvent(this.state, event, this.viewer);
    this.emit('state', { event });
  }

  settle(opId) {
    const before = this.saved.outbox.length;
    this.saved.outbox = this.saved.outbox.filter((e) => e.op_id !== opId);
    if (this.saved.outbox.length !== before) {
      this.persist();
      this.emit('outbox');
    }
  }

  onError(error) {
    if (!error.op_id && !this.online && TRANSIENT.has(error.code)) {
      // The hello itself was refused for now (many people joining at once,
      // the server's disk full): join again with the usual backoff.
      this.emit('servererror', error);
      this.drop();
      return;
    }
    if (error.op_id) {
      const entry = this.saved.outbox.find((e) => e.op_id === error.op_id);
      if (TRANSIENT.has(error.code)) {
        // Not applied, not lost: sent again a little later with the same id.
        if (entry) setTimeout(() => this.transmit(entry), 1500);
        return;
      }
      this.settle(error.op_id);
      // The refused op goes with the error, so that a page can send what it
      // still can of it (a note whose stop was deleted meanwhile).
      if (entry) error = { ...error, op: entry.op };
    }
    if (error.code === 'invalid_token') {
      if (this.saved.participant_token) {
        // A stale token (the server forgot us): join afresh.
        delete this.saved.participant_token;
        this.persist();
        this.state = null;
        this.socket?.close();
      } else {
        this.stopped = true;
      }
    }
    this.emit('servererror', error);
  }
}
