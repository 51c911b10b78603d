// Protocol clients for tests that play part of a session over the wire: the
// facilitator and participants who need no screen of their own. They run in
// a page of the server's origin (Node 20 has no WebSocket, and a browser
// sends the Origin the server expects).
import { serverUrl } from './helpers.js';

// Runs in the page: one WebSocket per client, every message kept.
function installWire() {
  const clients = [];
  // The first message (already received or to come) that `matches`.
  const waitFor = (client, matches) => new Promise((resolve) => {
    const found = client.messages.find(matches);
    if (found) return resolve(found);
    const listener = (message) => {
      if (!matches(message)) return;
      client.listeners.delete(listener);
      resolve(message);
    };
    client.listeners.add(listener);
  });
  let opCount = 0;
  window.wire = {
    async join(hello) {
      const ws = new WebSocket(`ws://${location.host}/ws`);
      const client = { ws, messages: [], listeners: new Set() };
      ws.addEventListener('message', (m) => {
        const message = JSON.parse(m.data);
        client.messages.push(message);
        for (const listener of [...client.listeners]) listener(message);
      });
      await new Promise((resolve, reject) => {
        ws.addEventListener('open', resolve);
        ws.addEventListener('error', () => reject(new Error('WebSocket failed')));
      });
      ws.send(JSON.stringify({ type: 'hello', ...hello }));
      const reply = await waitFor(client, (m) => m.type === 'welcome' || m.type === 'error');
      if (reply.type === 'error') return { error: reply.code };
      clients.push(client);
      return { index: clients.length - 1, welcome: reply };
    },
    // Sends an op; resolves with its event once it has come back (the event
    // follows the ack), or with { error } when it was refused.
    async op(index, op) {
      const client = clients[index];
      opCount += 1;
      const opId = `w${opCount}-${Date.now().toString(36)}`;
      client.ws.send(JSON.stringify({ type: 'op', op_id: opId, op }));
      const reply = await waitFor(client, (m) => m.op_id === opId && (m.type === 'ack' || m.type === 'error'));
      if (reply.type === 'error') return { error: reply.code };
      return waitFor(client, (m) => m.type === 'event' && m.seq === reply.seq);
    },
    // Every event this client has received so far.
    events(index) {
      return clients[index].messages.filter((m) => m.type === 'event');
    },
  };
}

// A page holding protocol clients. join() gives a client: its welcome, and
// op() that resolves with the op's event (throws on a refusal).
export async function openWire(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(serverUrl('/healthz'));
  await page.evaluate(installWire);
  return {
    async join(hello) {
      const joined = await page.evaluate((h) => window.wire.join(h), hello);
      if (joined.error) throw new Error(`hello refused: ${joined.error}`);
      const { index, welcome } = joined;
      return {
        welcome,
        async op(op) {
          const reply = await page.evaluate(([i, o]) => window.wire.op(i, o), [index, op]);
          if (reply.error) throw new Error(`${op.kind} refused: ${reply.error}`);
          return reply;
        },
        events: () => page.evaluate((i) => window.wire.events(i), index),
      };
    },
    close: () => context.close(),
  };
}

// The facilitator's view of the session now (GET /api/sessions/{id}/state).
export async function sessionState(request, session) {
  const response = await request.get(serverUrl(`/api/sessions/${session.session_id}/state`), {
    headers: { Authorization: `Bearer ${session.facilitator_token}` },
  });
  if (!response.ok()) throw new Error(`state: ${response.status()}`);
  return response.json();
}

// The ids of the session's notes, by their text.
export async function noteIds(request, session) {
  const state = await sessionState(request, session);
  return Object.fromEntries(Object.values(state.notes).map((n) => [n.text, n.id]));
}
