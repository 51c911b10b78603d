// Boards of workshop size, filled through the WebSocket protocol as the
// phones and the board would fill them (./wire.mjs), spread over several
// facilitator seats so that no connection nears its rate limit.
import { openWire } from './wire.mjs';
import { THEMES, ideaText } from '../../client-web/tests/ideas.js';

export { THEMES, ideaText };

export const COLORS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'];
const OPS_PER_SEAT = 50;

// vote_budget is the most a session allows; the counts are shown during the
// vote (hidden_votes false), as they are once it is over.
export async function createSession(baseUrl, settings = {}) {
  const response = await fetch(new URL('/api/sessions', baseUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      title: 'Atelier du 25 novembre', question: 'Comment lutter contre l’isolement des personnes âgées ?',
      vote_budget: 100, private_writing: false, hidden_votes: false, ...settings,
    }),
  });
  if (response.status !== 201) throw new Error(`creating a session: ${response.status}`);
  return response.json();
}

// `notes` notes dealt round-robin into `themes` themes placed by the server,
// then the phase. Returns the session, the theme ids and the note ids in order.
export async function seedBoard(baseUrl, { notes, themes, phase }) {
  const session = await createSession(baseUrl);
  const wire = openWire(baseUrl);
  try {
    const seats = Math.max(1, Math.ceil((2 * notes + themes) / OPS_PER_SEAT));
    const hosts = await Promise.all(Array.from({ length: seats }, () => wire.join({ facilitator_token: session.facilitator_token })));
    const themeIds = [];
    for (let i = 0; i < themes; i += 1) themeIds.push((await hosts[0].op({ kind: 'theme.create', title: THEMES[i % THEMES.length] })).op.theme);
    const noteIds = new Array(notes);
    await Promise.all(hosts.map(async (host, h) => {
      for (let i = h; i < notes; i += seats) {
        const added = await host.op({ kind: 'note.add', text: ideaText(i), color: COLORS[i % COLORS.length] });
        noteIds[i] = added.op.note;
        if (themes) await host.op({ kind: 'note.group', note: added.op.note, theme: themeIds[i % themes] });
      }
    }));
    await hosts[0].op({ kind: 'phase.set', phase });
    return { session, themeIds, noteIds };
  } finally {
    await wire.close();
  }
}

// Seats that send the measured ops, in turn.
export async function openSeats(baseUrl, session, count) {
  const wire = openWire(baseUrl);
  const seats = await Promise.all(Array.from({ length: count }, () => wire.join({ facilitator_token: session.facilitator_token })));
  let next = 0;
  return {
    op: (op) => seats[(next++) % seats.length].op(op),
    close: () => wire.close(),
  };
}
