// Convergence: the web client's own Connection and reducer (js/connection.js,
// js/board-state.js), driven in Node against a real server on 127.0.0.1
// through a network that drops, duplicates and delays messages and cuts
// connections. Each seed is one session: a facilitator and three
// participants act at random (some ops are refused, some people reload their
// page); then the network heals and every client's board must equal what
// the server shows that person (a fresh welcome with their own token).
//
//   node tests/sim/convergence.mjs ../build/ci/server/ruche --seeds 2000
//   node tests/sim/convergence.mjs ../build/ci/server/ruche --seed 1234 --seeds 1 --verbose
//
// Seeded: a seed fixes every fault and every action. The order in which the
// server's replies arrive still depends on timing; the verdict must not.
// Exits non-zero, printing the seed and the first difference, on any
// divergence.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import RealWebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));

// ---- options
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const binary = args[0];
if (!binary || binary.startsWith('--')) {
  console.error('usage: node tests/sim/convergence.mjs RUCHE_BINARY [--seeds N] [--seed FIRST] [--parallel K] [--verbose]');
  process.exit(2);
}
const SEEDS = Number(option('seeds', 200));
const FIRST = Number(option('seed', 1));
const PARALLEL = Number(option('parallel', 20));
const VERBOSE = args.includes('--verbose');
const SETTLE_MS = 20000;  // per seed, once the network is healed

// The client's backoff (0.5 to 8 s) and retry delays, 20 times shorter, so
// that a seed takes about a second; the faults' own delays are real time.
const SPEEDUP = 20;
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms = 0, ...rest) => realSetTimeout(fn, ms / SPEEDUP, ...rest);

// ---- the browser around Connection: one window, one localStorage
const storage = new Map();
globalThis.localStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null),
  setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};
globalThis.window = new EventTarget();

// mulberry32: small, seedable, good enough to pick faults and actions.
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One direction of a connection: messages leave in the order they were
// put in, each no sooner than its own delay allows (timers alone do not
// keep that order).
class Lane {
  constructor() {
    this.queue = [];
    this.timer = null;
  }

  push(delay, deliver) {
    this.queue.push({ at: Date.now() + delay, deliver });
    this.schedule();
  }

  clear() {
    this.queue = [];
  }

  schedule() {
    if (this.timer || !this.queue.length) return;
    this.timer = realSetTimeout(() => {
      this.timer = null;
      while (this.queue.length && this.queue[0].at <= Date.now()) this.queue.shift().deliver();
      this.schedule();
    }, Math.max(0, this.queue[0].at - Date.now()));
  }
}

// ---- the faulty network: one per simulated person, read by the socket
// their Connection opens (set just before it does, see Person.connect).
let opening = null;

class SimSocket extends EventTarget {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  constructor(url) {
    super();
    this.net = opening;
    this.readyState = SimSocket.CONNECTING;
    this.out = new Lane();
    this.in = new Lane();
    this.cut = false;
    this.ws = new RealWebSocket(url);
    this.ws.on('open', () => {
      if (this.cut) return;
      this.readyState = SimSocket.OPEN;
      this.dispatchEvent(new Event('open'));
      const net = this.net;
      if (net.faulty() && net.rng() < net.cutChance) {
        realSetTimeout(() => this.sever('cut at random'), net.rng() * 400);
      }
    });
    this.ws.on('message', (data) => this.arrive(data.toString()));
    this.ws.on('close', (code, reason) => this.closed(code, reason.toString()));
    this.ws.on('error', () => {});
  }

  send(text) {
    if (this.readyState !== SimSocket.OPEN) return;
    const net = this.net;
    const copies = net.faulty() && text.includes('"type":"op"') && net.rng() < net.duplicateChance ? 2 : 1;
    if (net.faulty() && net.rng() < net.dropChance) {
      this.sever('message to the server lost');
      return;
    }
    const delay = net.faulty() ? net.delay() : 0;
    for (let i = 0; i < copies; i += 1) {
      this.out.push(delay, () => {
        if (!this.cut && this.ws.readyState === RealWebSocket.OPEN) this.ws.send(text);
      });
    }
  }

  arrive(text) {
    if (this.cut) return;
    const net = this.net;
    if (VERBOSE) net.log(`receives ${text.slice(0, 1500)}`);
    if (net.faulty() && net.rng() < net.dropChance) {
      this.sever('message from the server lost');
      return;
    }
    // A welcome is never duplicated: no network repeats a message, and only
    // a resent op or an event seen twice is the client's to cope with.
    const copies = net.faulty() && !text.includes('"type":"welcome"') && net.rng() < net.duplicateChance ? 2 : 1;
    const delay = net.faulty() ? net.delay() : 0;
    for (let i = 0; i < copies; i += 1) {
      this.in.push(delay, () => {
        if (!this.cut) this.dispatchEvent(Object.assign(new Event('message'), { data: text }));
      });
    }
  }

  // The connection breaks: what was in flight is lost both ways.
  sever(why) {
    if (this.cut || this.readyState === SimSocket.CLOSED) return;
    this.net.log(`socket: ${why}`);
    this.cut = true;
    this.in.clear();
    this.out.clear();
    this.ws.terminate();
    this.finish(1006, '');
  }

  close(code = 1000) {
    if (this.readyState >= SimSocket.CLOSING) return;
    this.readyState = SimSocket.CLOSING;
    if (this.ws.readyState === RealWebSocket.CONNECTING) {
      this.cut = true;
      this.ws.terminate();
      this.finish(1006, '');
    } else {
      this.ws.close(code);
    }
  }

  closed(code, reason) {
    if (this.cut) return;
    // After the messages that arrived before it, as a browser does.
    this.in.push(0, () => this.finish(code, reason));
  }

  finish(code, reason) {
    if (this.readyState === SimSocket.CLOSED) return;
    this.readyState = SimSocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event('close'), { code, reason }));
  }
}
globalThis.WebSocket = SimSocket;

const { Connection } = await import(path.join(here, '../../js/connection.js'));

// ---- the server
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruche-convergence-'));

function startServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(binary, [
      '--port', '0', '--data-dir', dataDir, '--log-level', 'warn',
      '--static-dir', path.join(here, '../..'),
      '--max-connections', '20000', '--connections-per-address', '20000', '--unjoined-per-address', '20000',
      '--reserved-for-joined', '0', '--ops-per-second', '100000', '--joins-per-minute', '1000000',
      '--sessions-per-hour', '1000000',
    ], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve({ proc, port: Number(m[1]) });
    });
    proc.on('exit', (code) => reject(new Error(`ruche exited (${code}) before it was ready: ${out}`)));
  });
}

async function createSession(port, rng) {
  const reply = await fetch(`http://127.0.0.1:${port}/api/sessions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title: 'Convergence', private_writing: rng() < 0.5 }),
  });
  if (!reply.ok) throw new Error(`session not created: ${reply.status} ${await reply.text()}`);
  return reply.json();
}

// ---- people
const PHASES = ['writing', 'reveal', 'clustering', 'voting', 'synthesis'];
const COLORS = ['yellow', 'pink', 'blue', 'green'];

class Person {
  constructor(name, hello, seed, storageKey, trace) {
    this.name = name;
    this.hello = hello;
    this.storageKey = storageKey;
    this.rng = random(seed);
    this.trace = trace;
    this.healed = false;
    const rng = this.rng;
    this.net = {
      rng,
      faulty: () => !this.healed,
      dropChance: 0.02,
      duplicateChance: 0.05,
      cutChance: 0.3,
      delay: () => (rng() < 0.3 ? rng() * 40 : 0),
      log: (line) => trace(`${name} ${line}`),
    };
    this.open();
  }

  open() {
    const person = this;
    class SimConnection extends Connection {
      connect() {
        opening = person.net;
        super.connect();
        opening = null;
      }
    }
    this.conn = new SimConnection({ hello: this.hello, storageKey: this.storageKey });
    this.seen = [];  // the last events applied, for the report of a failure
    this.conn.addEventListener('state', (e) => {
      const event = e.detail.event;
      if (event) this.seen = [...this.seen.slice(-4), `${event.seq}:${event.op.kind}`];
    });
    this.conn.start();
  }

  // A page reload: the state is gone, the token and the outbox are not.
  reload() {
    this.trace(`${this.name} reloads`);
    const old = this.conn;
    old.stopped = true;
    clearTimeout(old.timer);
    old.socket?.close();
    this.open();
  }

  send(op) {
    this.trace(`${this.name} sends ${JSON.stringify(op)}`);
    // A returning hello's name is the person's name again (the server takes
    // it): a client that renames someone says the new name from then on.
    if (op.kind === 'participant.rename') this.hello.name = op.name;
    this.conn.send(op);
  }
}

const pick = (rng, list) => list[Math.floor(rng() * list.length)];

// One random action of `p`, chosen from what they see.
function act(p, facilitator, counter) {
  const { rng } = p;
  const state = p.conn.state;
  if (!state || p.conn.role === 'viewer') return;
  if (rng() < 0.04) return p.reload();
  const notes = Object.values(state.notes);
  const mine = notes.filter((n) => n.author === p.conn.me);
  const themes = Object.values(state.themes);
  const text = () => `${p.name} ${counter.next++}`;
  if (facilitator) {
    const r = rng();
    if (r < 0.12) return p.send({ kind: 'phase.set', phase: pick(rng, PHASES) });
    if (r < 0.25) {
      // Placed by the client or, like the board does, by the server.
      return p.send({ kind: 'theme.create', title: text(), ...(rng() < 0.5 ? {} : { x: Math.floor(rng() * 900), y: 0 }) });
    }
    if (r < 0.4 && notes.length) {
      return p.send({ kind: 'note.group', note: pick(rng, notes).id, theme: themes.length && rng() < 0.8 ? pick(rng, themes).id : null });
    }
    if (r < 0.47 && notes.length) return p.send({ kind: 'note.delete', note: pick(rng, notes).id });
    if (r < 0.52) {
      const bin = Object.keys(state.deleted_notes ?? {});
      if (bin.length) return p.send({ kind: 'note.restore', note: pick(rng, bin) });
    }
    if (r < 0.58 && notes.length > 1) {
      const a = pick(rng, notes);
      const b = pick(rng, notes);
      return p.send({ kind: 'note.merge', note: a.id, into: b.id });
    }
    if (r < 0.63 && themes.length) return p.send({ kind: 'theme.rename', theme: pick(rng, themes).id, title: text() });
    if (r < 0.67 && themes.length) return p.send({ kind: 'theme.delete', theme: pick(rng, themes).id });
    if (r < 0.7) {
      const bin = Object.keys(state.deleted_themes ?? {});
      if (bin.length) return p.send({ kind: 'theme.restore', theme: pick(rng, bin) });
    }
    if (r < 0.74 && themes.length) return p.send({ kind: 'theme.synthesis', theme: pick(rng, themes).id, text: text() });
    if (r < 0.77 && themes.length) return p.send({ kind: 'action.add', theme: pick(rng, themes).id, what: text(), who: 'CCAS', when: 'mars' });
    if (r < 0.8) return p.send({ kind: 'settings.set', anonymous: rng() < 0.5, vote_budget: 1 + Math.floor(rng() * 4) });
    if (r < 0.83) return p.send({ kind: 'board.lock', locked: rng() < 0.3 });
    if (r < 0.86) return p.send(rng() < 0.5 ? { kind: 'timer.start', seconds: 60 } : { kind: 'timer.stop' });
    if (r < 0.9) return p.send({ kind: 'attendance.set', profile: 'elu', count: Math.floor(rng() * 3) });
    if (r < 0.93) return p.send({ kind: 'board.arrange' });
  }
  const r = rng();
  if (r < 0.35) return p.send({ kind: 'note.add', text: text(), color: pick(rng, COLORS), ...(rng() < 0.5 ? {} : { x: Math.floor(rng() * 600), y: Math.floor(rng() * 400) }) });
  if (r < 0.45 && mine.length) return p.send({ kind: 'note.edit', note: pick(rng, mine).id, text: text() });
  if (r < 0.55 && mine.length) return p.send({ kind: 'note.move', note: pick(rng, mine).id, x: Math.floor(rng() * 600), y: 10 });
  if (r < 0.6 && mine.length) return p.send({ kind: 'note.color', note: pick(rng, mine).id, color: pick(rng, COLORS) });
  if (r < 0.8 && (notes.length || themes.length)) {
    const onTheme = themes.length && rng() < 0.3;
    const target = onTheme ? { theme: pick(rng, themes).id } : notes.length ? { note: pick(rng, notes).id } : null;
    if (target) return p.send({ kind: rng() < 0.75 ? 'vote.add' : 'vote.remove', ...target });
  }
  if (r < 0.85) return p.send({ kind: 'participant.rename', name: `${p.name} ${Math.floor(rng() * 3)}` });
  if (r < 0.9 && mine.length) return p.send({ kind: 'note.delete', note: pick(rng, mine).id });
  return undefined;
}

// What the server shows this person now: a fresh welcome with their token.
function serverView(port, hello) {
  return new Promise((resolve, reject) => {
    const ws = new RealWebSocket(`ws://127.0.0.1:${port}/ws`);
    const timer = realSetTimeout(() => { ws.terminate(); reject(new Error('no welcome')); }, 10000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', ...hello })));
    ws.on('message', (data) => {
      for (const line of data.toString().split('\n')) {
        const m = JSON.parse(line);
        if (m.type === 'welcome' || m.type === 'error') {
          clearTimeout(timer);
          ws.close();
          resolve(m);
        }
      }
    });
    ws.on('error', reject);
  });
}

// Canonical JSON: keys sorted, so that the same board gives the same text.
function canonical(value) {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

// Where two boards first differ, with the object around the difference.
function firstDifference(a, b, where = '', around = null) {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference(a[k], b[k], `${where}.${k}`, [a, b]);
      if (d) return d;
    }
  }
  const show = (v) => JSON.stringify(v)?.slice(0, 600);
  return `${where || '(root)'}: client ${show(a)} / server ${show(b)}` +
    (around ? `\n  in client ${show(around[0])}\n  in server ${show(around[1])}` : '');
}

// Everyone is online with nothing left to send, and has seen the same last
// op (a participant does not see every op: during private writing, others'
// notes never reach them, so the last op must be one everyone sees).
function settled(people, { seq = 0, title = null, sameSeq = true }) {
  const seqs = people.map((p) => p.conn.state?.seq);
  return people.every((p) => p.conn.online && p.conn.pending.length === 0 && p.conn.state &&
                             (title === null || p.conn.state.settings.title === title)) &&
    (!sameSeq || seqs.every((s) => s === seqs[0] && s >= seq));
}

const untilSeq = (people, seq) => untilSettled(people, { seq });

// Resolves once `people` are settled, re-checking at each of their events.
function untilSettled(people, until) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!settled(people, until)) return;
      done();
      resolve();
    };
    const listeners = [];
    const watch = () => {
      for (const p of people) {
        for (const type of ['state', 'outbox', 'status']) {
          p.conn.addEventListener(type, check);
          listeners.push([p.conn, type]);
        }
      }
    };
    const timer = realSetTimeout(() => {
      done();
      reject(new Error(`not settled within ${SETTLE_MS} ms: ${people.map((p) =>
        `${p.name} online=${p.conn.online} outbox=${p.conn.pending.length} seq=${p.conn.state?.seq} ` +
        `last events ${p.seen.join(' ')}`).join(', ')}`));
    }, SETTLE_MS);
    const done = () => {
      clearTimeout(timer);
      for (const [conn, type] of listeners) conn.removeEventListener(type, check);
    };
    watch();
    check();
  });
}

async function runSeed(port, seed) {
  const lines = [];
  const trace = (line) => { if (VERBOSE) console.log(`[${seed}] ${line}`); else lines.push(line); };
  const rng = random(seed * 7919);
  const session = await createSession(port, rng);
  const key = (name) => `sim-${seed}-${name}`;
  const people = [
    new Person('f1', { facilitator_token: session.facilitator_token }, seed * 31 + 1, key('f1'), trace),
    ...['Josiane', 'Karim', 'Lou'].map((name, i) =>
      new Person(name, { join_code: session.join_code, name }, seed * 31 + 2 + i, key(name), trace)),
  ];
  const counter = { next: 1 };
  // Acting: each person acts at random moments for a while, faults on.
  await Promise.all(people.map(async (p, i) => {
    const actions = 6 + Math.floor(p.rng() * 10);
    for (let n = 0; n < actions; n += 1) {
      await new Promise((r) => realSetTimeout(r, p.rng() * 60));
      act(p, i === 0, counter);
    }
  }));
  // The network heals; whatever waits is delivered and retried.
  for (const p of people) p.healed = true;
  for (const p of people) if (!p.conn.online) p.conn.reconnectSoon(0);
  await untilSettled(people, { sameSeq: false });
  // Then the facilitator renames the session, an op everyone sees, and
  // everyone waits for it: it comes after everything else they may see.
  const barrier = `Convergence ${seed} (fin)`;
  people[0].send({ kind: 'settings.set', title: barrier });
  await untilSettled(people, { title: barrier });
  let problem = null;
  for (const p of people) {
    const saved = JSON.parse(localStorage.getItem(p.storageKey) || '{}');
    const hello = { ...p.hello, lines: true };
    if (saved.participant_token) hello.participant_token = saved.participant_token;
    // Settled is seen from the clients: an op acknowledged to one of them may
    // still be on its way to the others. The server's seq says how far.
    let welcome = await serverView(port, hello);
    for (let tries = 0; welcome.type === 'welcome' && welcome.seq !== p.conn.state.seq && tries < 5; tries += 1) {
      await untilSeq(people, welcome.seq);
      welcome = await serverView(port, hello);
    }
    if (welcome.type !== 'welcome') {
      problem = `${p.name}: the server refused their own token: ${JSON.stringify(welcome)}`;
      break;
    }
    const diff = firstDifference(canonical(p.conn.state), canonical(welcome.state));
    if (diff) {
      problem = `${p.name} (${p.conn.role}) differs from the server at ${diff}`;
      break;
    }
  }
  for (const p of people) {
    p.conn.stop();
    storage.delete(p.storageKey);
  }
  const ops = people.reduce((sum, p) => Math.max(sum, p.conn.state?.seq ?? 0), 0);
  return { seed, problem, trace: lines, ops };
}

// ---- main
const { proc, port } = await startServer();
globalThis.location = { protocol: 'http:', host: `127.0.0.1:${port}` };
let failed = null;
let done = 0;
let ops = 0;
const started = Date.now();
try {
  const queue = Array.from({ length: SEEDS }, (_, i) => FIRST + i);
  await Promise.all(Array.from({ length: Math.min(PARALLEL, SEEDS) }, async () => {
    while (queue.length && !failed) {
      const seed = queue.shift();
      let result;
      try {
        result = await runSeed(port, seed);
      } catch (e) {
        result = { seed, problem: e.message, trace: [] };
      }
      done += 1;
      ops += result.ops ?? 0;
      if (result.problem && !failed) failed = result;
    }
  }));
} finally {
  proc.kill('SIGTERM');
  await new Promise((r) => proc.once('exit', r));
  fs.rmSync(dataDir, { recursive: true, force: true });
}
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (failed) {
  console.error(`convergence: seed ${failed.seed} diverged: ${failed.problem}`);
  console.error(failed.trace.slice(-40).join('\n'));
  console.error(`rerun: node tests/sim/convergence.mjs ${binary} --seed ${failed.seed} --seeds 1 --verbose`);
  process.exit(1);
}
console.log(`convergence: ${done} seeds, ${ops} ops in their logs, every client equal to the server (${seconds} s)`);
process.exit(0);
