'use strict';
// The load benchmarks' baseline: a minimal relay on `ws` speaking the subset of
// Ruche's protocol they use (POST /api/sessions, hello/welcome, op/ack/event).
// No op log, no validation, no rate limiting: only what a relay cannot skip.
const http = require('http');
const crypto = require('crypto');
const { WebSocketServer, WebSocket } = require('ws');

const argi = process.argv.indexOf('--port');
const port = Number(argi >= 0 ? process.argv[argi + 1] : process.env.PORT || 0);

// Same shapes as Ruche's identifiers, so clients cannot tell the servers apart.
const randomString = (n, alphabet) =>
  Array.from(crypto.randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';
const CODE = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const TOKEN = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const normaliseCode = (c) => String(c).toUpperCase().replace(/[\s.-]/g, '');

const byCode = new Map();  // normalised join code -> session
const byToken = new Map(); // facilitator token -> session

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/healthz') return res.end('ok');
  req.resume(); // bodies are ignored, but drained so keep-alive connections stay usable
  if (req.method !== 'POST' || req.url !== '/api/sessions') return json(res, 404, { error: { code: 'not_found' } });
  req.on('end', () => {
    const c = randomString(9, CODE);
    const s = { id: randomString(16, LOWER), seq: 0, nextParticipant: 1, sockets: new Set(),
      joinCode: `${c.slice(0, 3)}-${c.slice(3, 6)}-${c.slice(6)}`, facilitatorToken: randomString(32, TOKEN) };
    byCode.set(normaliseCode(s.joinCode), s);
    byToken.set(s.facilitatorToken, s);
    json(res, 201, { session_id: s.id, join_code: s.joinCode, facilitator_token: s.facilitatorToken });
  });
});

// Compression off: Ruche does not compress either, and deflate would dominate.
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  if (req.url.split('?')[0] !== '/ws') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

// A socket that closed between two events is skipped rather than thrown at.
const send = (ws, text) => { if (ws.readyState === WebSocket.OPEN) ws.send(text); };
const error = (ws, code, message, extra) =>
  send(ws, JSON.stringify({ type: 'error', code, message, ...extra }));

wss.on('connection', (ws) => {
  let session = null, who = null; // set by hello: the session and the participant id
  ws.on('message', (data) => {
    let m;
    try { m = JSON.parse(data.toString()); } catch { m = undefined; }
    if (m === null || typeof m !== 'object') return error(ws, 'not_json', 'the message is not valid JSON');
    if (m.type === 'hello') {
      if (session) return error(ws, 'already_joined', 'already joined');
      const facilitator = m.facilitator_token != null;
      const s = facilitator ? byToken.get(m.facilitator_token) : byCode.get(normaliseCode(m.join_code));
      if (!s) return error(ws, 'unknown_join_code', 'no session has this code');
      session = s;
      who = facilitator ? 'f1' : `p${s.nextParticipant++}`; // Ruche: every facilitator is f1
      s.sockets.add(ws); // a Set iterates in insertion order: join order
      return send(ws, JSON.stringify({
        type: 'welcome', session_id: s.id, participant_id: who,
        participant_token: randomString(32, TOKEN), role: facilitator ? 'facilitator' : 'participant',
        seq: s.seq, state: { seq: s.seq, notes: {} },
      }));
    }
    if (m.type === 'op') {
      if (!session) return error(ws, 'hello_required', 'say hello first', { op_id: m.op_id });
      const seq = ++session.seq;
      const op = m.op && m.op.kind === 'note.add' ? { ...m.op, note: `n${seq}` } : m.op;
      send(ws, JSON.stringify({ type: 'ack', op_id: m.op_id, seq }));
      // Serialised once, sent to everyone: the cost per recipient is the write alone.
      const event = JSON.stringify({ type: 'event', seq, time: Date.now(), by: who, op });
      for (const peer of session.sockets) send(peer, event);
    }
  });
  ws.on('close', () => { if (session) session.sockets.delete(ws); });
  ws.on('error', () => {}); // a broken socket closes; it must not crash the relay
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
