// The client's copy of the board: the state the server sent (welcome or a
// resync) with the server's events applied in order. The server has already
// validated every event, so this only mirrors its effects; it never decides.
//
// For a facilitator (viewer.bin) this is the server's `apply` exactly: folding
// a session's log from `emptyBoard()` gives the server's canonical state
// (`to_json(board)`), field for field. client-web/tests/reducer-contract.mjs checks it
// against the C++ fold of recorded sessions that use every op kind; the
// replay page relies on it.

import { EMPTY_BOARD } from './vocabulary.js';

// The state of a board before its first op, as the server's `board{}`
// serialises: the default settings, which a session's first op
// (settings.set) then replaces.
export const emptyBoard = () => structuredClone(EMPTY_BOARD);

// viewer.bin: the viewer is a facilitator, whose state keeps deleted notes
// and themes (the bin, for undo). Everyone else just drops them, as the
// server's projection does.
export function applyEvent(state, event, viewer = {}) {
  if (event.state) return event.state;  // a resync (restores too) replaces everything
  if (event.seq <= state.seq) return state;  // already part of the state we have
  const op = event.op;
  const by = event.by ?? null;
  const handler = handlers[op.kind];
  // States from servers older than the bin and the action plans lack these.
  state.deleted_notes ??= {};
  state.deleted_themes ??= {};
  state.actions ??= {};
  state.scribe_attendance ??= {};
  if (handler) handler(state, op, by, event, viewer);
  if (state.seq === 0) state.created_time = event.time;
  state.seq = event.seq;
  state.updated_time = event.time;
  return state;
}

const addVote = (tally, target, by, delta) => {
  target.vote_total = Math.max(0, (target.vote_total ?? 0) + delta);
  if (by) {
    const next = (tally[by] ?? 0) + delta;
    if (next > 0) tally[by] = next;
    else delete tally[by];
  }
};

const tallyTotal = (votes) => Object.values(votes).reduce((sum, dots) => sum + dots, 0);

// Dots coming back with a restored note or theme, as far as each voter's
// budget still allows (they may have spent them elsewhere meanwhile): the
// server's reclaim_dots. Only the full state knows everyone's dots, so this
// is exact for facilitators; participants get a fresh state with a restore.
function reclaimDots(state, votes) {
  const budget = state.settings.vote_budget;
  const kept = {};
  for (const [voter, dots] of Object.entries(votes)) {
    const back = Math.min(dots, Math.max(0, budget - dotsUsed(state, voter)));
    if (back > 0) kept[voter] = back;
  }
  return kept;
}

const voteTarget = (state, op) => (op.note ? state.notes[op.note] : state.themes[op.theme]);

const handlers = {
  'note.add'(state, op, by, event) {
    state.notes[op.note] = {
      id: op.note, text: op.text, color: op.color, x: op.x, y: op.y,
      author: by, authors: by ? [by] : [], author_count: 1, profile: op.profile ?? null,
      theme: null, votes: {}, vote_total: 0, merged: [],
      created_seq: event.seq, created_time: event.time,
    };
    // A walk's keys are only on the notes of a walk (and a place only for
    // those who may see it).
    const n = state.notes[op.note];
    if (op.stop) n.stop = op.stop;
    if (op.category !== undefined) n.category = op.category;
    if (op.location) n.location = op.location;
    if (op.photo) n.photo = op.photo;
  },
  'note.photo'(state, op) {
    const n = state.notes[op.note];
    if (!n) return;
    if (op.photo) n.photo = op.photo;
    else delete n.photo;
  },
  'note.stop'(state, op) {
    const n = state.notes[op.note];
    if (!n) return;
    if (op.stop) n.stop = op.stop;
    else delete n.stop;
  },
  'stop.add'(state, op, by, event) {
    state.stops[op.stop] = {
      id: op.stop, name: op.name, question: op.question ?? '', place: op.place ?? null, created_seq: event.seq,
    };
  },
  'stop.edit'(state, op) {
    const st = state.stops[op.stop];
    if (!st) return;
    st.name = op.name;
    st.question = op.question ?? '';
    st.place = op.place ?? null;
  },
  // Its notes stay, on no stop (those in the bin too).
  'stop.delete'(state, op) {
    delete state.stops[op.stop];
    for (const n of [...Object.values(state.notes), ...Object.values(state.deleted_notes ?? {})]) {
      if (n.stop === op.stop) delete n.stop;
    }
    if (state.current_stop === op.stop) state.current_stop = null;
  },
  'stop.go'(state, op) { state.current_stop = op.stop ?? null; },
  'note.edit'(state, op) { if (state.notes[op.note]) state.notes[op.note].text = op.text; },
  'note.move'(state, op) {
    const n = state.notes[op.note];
    if (n) { n.x = op.x; n.y = op.y; }
  },
  'note.color'(state, op) { if (state.notes[op.note]) state.notes[op.note].color = op.color; },
  // The note keeps its dots in the bin (a restore gives back what budgets
  // allow), but they no longer count: it is not in state.notes any more.
  'note.delete'(state, op, by, event, viewer) {
    const n = state.notes[op.note];
    if (n && viewer.bin) state.deleted_notes[op.note] = { ...n, deleted_seq: event.seq };
    delete state.notes[op.note];
  },
  'note.merge'(state, op, by, event) {
    const gone = state.notes[op.note];
    const keep = state.notes[op.into];
    if (!gone || !keep) return;
    for (const a of gone.authors) if (!keep.authors.includes(a)) keep.authors.push(a);
    // The server counts the distinct authors (someone who wrote both notes
    // counts once), which authors hidden by anonymity do not tell.
    keep.author_count = event.author_count ?? keep.authors.length;
    for (const [voter, dots] of Object.entries(gone.votes)) keep.votes[voter] = (keep.votes[voter] ?? 0) + dots;
    keep.vote_total += gone.vote_total;
    keep.merged.push({ id: gone.id, text: gone.text, author: gone.author }, ...gone.merged);
    delete state.notes[op.note];
  },
  'note.group'(state, op) { if (state.notes[op.note]) state.notes[op.note].theme = op.theme ?? null; },
  'theme.create'(state, op, by, event) {
    state.themes[op.theme] = {
      id: op.theme, title: op.title, x: op.x, y: op.y, synthesis: '', votes: {}, vote_total: 0,
      created_seq: event.seq,
    };
  },
  'theme.rename'(state, op) { if (state.themes[op.theme]) state.themes[op.theme].title = op.title; },
  // "Ranger": the server worked out every place; the viewer is told only
  // about the notes they may see.
  'board.arrange'(state, op) {
    for (const p of op.notes) {
      const n = state.notes[p.note];
      if (n) { n.x = p.x; n.y = p.y; }
    }
    for (const p of op.themes) {
      const t = state.themes[p.theme];
      if (t) { t.x = p.x; t.y = p.y; }
    }
  },
  'theme.move'(state, op) {
    const t = state.themes[op.theme];
    if (t) { t.x = op.x; t.y = op.y; }
  },
  'theme.delete'(state, op, by, event, viewer) {
    const held = [];
    for (const n of Object.values(state.notes)) {
      if (n.theme === op.theme) {
        n.theme = null;
        held.push(n.id);
      }
    }
    const th = state.themes[op.theme];
    // Sorted like the server's (its notes are keyed by id).
    if (th && viewer.bin) state.deleted_themes[op.theme] = { ...th, notes: held.sort(), deleted_seq: event.seq };
    delete state.themes[op.theme];
  },
  'theme.synthesis'(state, op) { if (state.themes[op.theme]) state.themes[op.theme].synthesis = op.text; },
  // The live client gets a fresh state with a restore (see applyEvent); these
  // two serve folds of the log (the replay), which see the bin.
  'note.restore'(state, op) {
    const binned = state.deleted_notes[op.note];
    if (!binned) return;
    delete state.deleted_notes[op.note];
    const { deleted_seq: _, ...n } = binned;
    if (n.theme !== null && !state.themes[n.theme]) n.theme = null;
    n.votes = reclaimDots(state, n.votes);
    n.vote_total = tallyTotal(n.votes);
    state.notes[op.note] = n;
  },
  'theme.restore'(state, op) {
    const binned = state.deleted_themes[op.theme];
    if (!binned) return;
    delete state.deleted_themes[op.theme];
    const { deleted_seq: _, notes, ...th } = binned;
    // Its notes come back into it unless they have found another theme since.
    for (const id of notes) {
      const n = state.notes[id];
      if (n && n.theme === null) n.theme = op.theme;
    }
    th.votes = reclaimDots(state, th.votes);
    th.vote_total = tallyTotal(th.votes);
    state.themes[op.theme] = th;
  },
  'action.add'(state, op, by, event) {
    state.actions[op.action] = {
      id: op.action, theme: op.theme, what: op.what, who: op.who ?? '', when: op.when ?? '',
      created_seq: event.seq,
    };
  },
  'action.edit'(state, op) {
    const a = state.actions[op.action];
    if (a) Object.assign(a, { what: op.what, who: op.who, when: op.when });
  },
  'action.delete'(state, op) { delete state.actions[op.action]; },
  'attendance.set'(state, op) {
    if (op.count > 0) state.scribe_attendance[op.profile] = op.count;
    else delete state.scribe_attendance[op.profile];
  },
  'vote.add'(state, op, by) {
    const target = voteTarget(state, op);
    if (target) addVote(target.votes, target, by, +1);
  },
  'vote.remove'(state, op, by) {
    const target = voteTarget(state, op);
    if (target) addVote(target.votes, target, by, -1);
  },
  'phase.set'(state, op, by, event) {
    if (state.phase !== op.phase || state.phases.length === 0) {
      state.phases.push({ phase: op.phase, seq: event.seq, time: event.time });
    }
    state.phase = op.phase;
    // Nobody writes or votes any more: the server stops the countdown.
    if (op.phase === 'closed') state.timer = null;
  },
  'board.lock'(state, op) { state.locked = op.locked; },
  'timer.start'(state, op, by, event) { state.timer = { started_time: event.time, seconds: op.seconds }; },
  'timer.stop'(state) { state.timer = null; },
  'settings.set'(state, op) {
    for (const key of ['title', 'question', 'vote_budget', 'anonymous', 'note_max_length', 'profiles', 'time_zone', 'hidden_votes', 'retention_days', 'categories']) {
      if (key in op) state.settings[key] = op[key];
    }
  },
  'participant.join'(state, op, by, event) {
    const known = state.participants[op.participant];
    state.participants[op.participant] = {
      id: op.participant,
      role: op.role,
      name: op.name || known?.name || '',
      profile: op.profile ?? known?.profile ?? null,
      present: true,
      joined_time: known?.joined_time ?? event.time,
    };
  },
  'participant.rename'(state, op, by) {
    const p = by && state.participants[by];
    if (!p) return;
    p.name = op.name;
    if (op.profile) p.profile = op.profile;
  },
  'participant.leave'(state, op) {
    if (state.participants[op.participant]) state.participants[op.participant].present = false;
  },
};

// Dots a participant has used, across notes and themes.
export function dotsUsed(state, participant) {
  let used = 0;
  for (const n of Object.values(state.notes)) used += n.votes[participant] ?? 0;
  for (const t of Object.values(state.themes)) used += t.votes[participant] ?? 0;
  return used;
}

// A theme's action plan, oldest line first. Actions of a deleted theme stay
// in the state (they come back with it) but are not shown.
export function actionsOf(state, themeId) {
  return Object.values(state.actions ?? {})
    .filter((a) => a.theme === themeId)
    .sort((a, b) => a.created_seq - b.created_seq);
}

// The bin, newest deletion first: [{ kind: 'note' | 'theme', item }].
export function binContents(state) {
  return [
    ...Object.values(state.deleted_notes ?? {}).map((item) => ({ kind: 'note', item })),
    ...Object.values(state.deleted_themes ?? {}).map((item) => ({ kind: 'theme', item })),
  ].sort((a, b) => b.item.deleted_seq - a.item.deleted_seq);
}

// During the vote of a session that hides votes, participants get only their
// own dots and the board shows no counts until the vote ends.
export const votesHidden = (state) => state.phase === 'voting' && state.settings.hidden_votes === true;

export function presentCount(state) {
  return Object.values(state.participants).filter((p) => p.present && p.role === 'participant').length;
}
