// The reducer contract: the web client's reducer (js/board-state.js) folds a
// session's log exactly as the server's `apply` does, for a facilitator, who
// sees the full canonical state. The C++ side (tests/reducer_contract_fold)
// folds each session and prints the canonical state after every op; this
// folds the same ops from `emptyBoard()` and compares the two JSON texts byte
// for byte, at every seq.
//
// One canonical serialisation on both sides: objects with their keys sorted,
// arrays in order, no spaces. That is what nlohmann::json's dump() writes
// (its default object is a std::map, so keys come out sorted by bytes), and
// here `canonicalJson` below (keys sorted by UTF-16 code units, which is the
// same order for the ASCII keys and ids of a state). The C++ text is
// compared as it is, not parsed and written again, so a difference in how
// either side writes a value is caught too.
//
//   node tests/reducer-contract.mjs <reducer_contract_fold> <repository root> [random seeds] [ops each]
//
// Sessions: the contract fixture (every op kind, with restores that get back
// only the dots budgets allow, merges of a note by its own author, hidden
// votes switched off during the vote), a real workshop's export, and seeded
// random sessions.

import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { applyEvent, emptyBoard } = await import(path.join(here, '../js/board-state.js'));
// Every op kind of the protocol (js/vocabulary.js is written from it): the
// fixture must use each, so a kind nobody folds cannot pass unnoticed.
const { KINDS } = await import(path.join(here, '../js/vocabulary.js'));

const [fold, root, seedsArg = '30', opsArg = '400'] = process.argv.slice(2);
if (!fold || !root) {
  console.error('usage: node tests/reducer-contract.mjs <reducer_contract_fold> <repository root> [seeds] [ops]');
  process.exit(2);
}

function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  if (value === undefined) throw new Error('undefined in a state');
  return JSON.stringify(value);
}

// Where two canonical texts first differ, as a path into the states.
function firstDifference(a, b, where = '') {
  if (canonicalJson(a) === canonicalJson(b)) return null;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return `${where || '(root)'}: C++ ${canonicalJson(a)} | JS ${b === undefined ? 'missing' : canonicalJson(b)}`;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(k in a)) return `${where}.${k}: only in JS: ${canonicalJson(b[k])}`;
    if (!(k in b)) return `${where}.${k}: missing in JS (C++ ${canonicalJson(a[k])})`;
    const d = firstDifference(a[k], b[k], `${where}.${k}`);
    if (d) return d;
  }
  return `${where}: same keys, different text`;
}

function check(name, args) {
  const lines = execFileSync(fold, args, { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const kinds = new Set();
  let state = emptyBoard();
  if (canonicalJson(state) !== lines[0]) {
    throw new Error(`${name}: empty board differs: ${firstDifference(JSON.parse(lines[0]), state)}`);
  }
  for (let i = 1; i < lines.length; i += 2) {
    const entry = JSON.parse(lines[i]);
    kinds.add(entry.op.kind);
    state = applyEvent(state, entry, { bin: true });
    const js = canonicalJson(state);
    if (js !== lines[i + 1]) {
      const diff = firstDifference(JSON.parse(lines[i + 1]), JSON.parse(js));
      throw new Error(`${name}: after seq ${entry.seq} (${lines[i]}):\n  ${diff}`);
    }
  }
  return { ops: (lines.length - 1) / 2, kinds };
}

let failed = false;
const run = (name, args, mustCover) => {
  try {
    const { ops, kinds } = check(name, args);
    if (mustCover) {
      const missing = mustCover.filter((k) => !kinds.has(k));
      if (missing.length) throw new Error(`${name}: uses no ${missing.join(', ')}`);
    }
    return ops;
  } catch (e) {
    failed = true;
    console.error(`FAIL ${e.message}`);
    return 0;
  }
};

let total = 0;
total += run('reducer-contract.json', ['file', path.join(root, 'tests/fixtures/reducer-contract.json')], KINDS);
total += run('atelier-isolement.json', ['file', path.join(root, 'tests/fixtures/atelier-isolement.json')]);
for (let seed = 1; seed <= Number(seedsArg); seed += 1) {
  total += run(`random seed ${seed}`, ['random', String(seed), opsArg]);
}
if (failed) process.exit(1);
console.log(`reducer contract: ${total} ops folded to the same canonical state by C++ and JS`);
