// The client's copy of the board: the state the server sent (welcome or a
// resync) with the server's events applied in order. The server has already
// validated every event, so this only mirrors its effects; it never decides.

export function applyEvent(state, event) {
  if (event.state) return event.state;  // a resync replaces everything
  if (event.seq <= state.seq) return state;  // already part of the state we have
  const op = event.op;
  const by = event.by ?? null;
  const handler = handlers[op.kind];
  if (handler) handler(state, op, by, event);
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

const voteTarget = (state, op) => (op.note ? state.notes[op.note] : state.themes[op.theme]);

const handlers = {
  'note.add'(state, op, by, event) {
    state.notes[op.note] = {
      id: op.note, text: op.text, color: op.color, x: op.x, y: op.y,
      author: by, authors: by ? [by] : [], author_count: 1, profile: op.profile ?? null,
      theme: null, votes: {}, vote_total: 0, merged: [],
      created_seq: event.seq, created_time: event.time,
    };
  },
  'note.edit'(state, op) { if (state.notes[op.note]) state.notes[op.note].text = op.text; },
  'note.move'(state, op) {
    const n = state.notes[op.note];
    if (n) { n.x = op.x; n.y = op.y; }
  },
  'note.color'(state, op) { if (state.notes[op.note]) state.notes[op.note].color = op.color; },
  'note.delete'(state, op) { delete state.notes[op.note]; },
  'note.merge'(state, op) {
    const gone = state.notes[op.note];
    const keep = state.notes[op.into];
    if (!gone || !keep) return;
    for (const a of gone.authors) if (!keep.authors.includes(a)) keep.authors.push(a);
    keep.author_count += gone.author_count;
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
  'theme.move'(state, op) {
    const t = state.themes[op.theme];
    if (t) { t.x = op.x; t.y = op.y; }
  },
  'theme.delete'(state, op) {
    for (const n of Object.values(state.notes)) if (n.theme === op.theme) n.theme = null;
    delete state.themes[op.theme];
  },
  'theme.synthesis'(state, op) { if (state.themes[op.theme]) state.themes[op.theme].synthesis = op.text; },
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
  },
  'board.lock'(state, op) { state.locked = op.locked; },
  'timer.start'(state, op, by, event) { state.timer = { started_time: event.time, seconds: op.seconds }; },
  'timer.stop'(state) { state.timer = null; },
  'settings.set'(state, op) {
    for (const key of ['title', 'question', 'vote_budget', 'anonymous', 'note_max_length', 'profiles']) {
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

export function presentCount(state) {
  return Object.values(state.participants).filter((p) => p.present && p.role === 'participant').length;
}

export const PHASES = ['writing', 'reveal', 'clustering', 'voting', 'synthesis', 'closed'];
export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];
export const PROFILES = ['habitant', 'agent', 'association', 'institution', 'elu', 'autre'];
