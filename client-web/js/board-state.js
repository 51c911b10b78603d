// The client's copy of the board: the state the server sent (welcome or a
// resync) with the server's events applied in order. The server has already
// validated every event, so this only mirrors its effects; it never decides.

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
  // note.restore and theme.restore always come with a state (see applyEvent).
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
    for (const key of ['title', 'question', 'vote_budget', 'anonymous', 'note_max_length', 'profiles', 'time_zone', 'hidden_votes']) {
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

export const PHASES = ['writing', 'reveal', 'clustering', 'voting', 'synthesis', 'closed'];
export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];
export const PROFILES = ['habitant', 'agent', 'association', 'institution', 'elu', 'autre'];
