// Protocol clients run by the benchmark itself, in Node (the npm package
// `ws`, installed for the browser tests): the seats that fill a board and
// send the measured ops are other devices in the room, so they stay off the
// pinned browser's CPU, which is left to the page being measured.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../client-web/package.json', import.meta.url));
const WebSocket = require('ws');

// One connection, joined with `hello`: op() resolves with the op's event
// (it follows the ack) and throws on a refusal.
async function join(baseUrl, hello) {
  const url = new URL('/ws', baseUrl);
  url.protocol = 'ws:';
  const ws = new WebSocket(url);
  const waiting = new Map();  // op_id → { ack, resolve, reject }
  const bySeq = new Map();    // seq of an acked op → resolve
  let welcomed;
  const welcome = new Promise((resolve, reject) => { welcomed = { resolve, reject }; });
  ws.on('message', (data) => {
    for (const line of data.toString().split('\n')) {
      const message = JSON.parse(line);
      if (message.type === 'welcome') welcomed.resolve(message);
      else if (message.type === 'error' && !message.op_id) welcomed.reject(new Error(`hello refused: ${message.code}`));
      else if (message.type === 'error') waiting.get(message.op_id)?.reject(new Error(`refused: ${message.code}`));
      else if (message.type === 'ack') {
        const sent = waiting.get(message.op_id);
        waiting.delete(message.op_id);
        if (sent) bySeq.set(message.seq, sent.resolve);
      } else if (message.type === 'event') {
        bySeq.get(message.seq)?.(message);
        bySeq.delete(message.seq);
      }
    }
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', ...hello }));
  await welcome;
  let count = 0;
  return {
    op(op) {
      count += 1;
      const opId = `bench-${count}`;
      return new Promise((resolve, reject) => {
        waiting.set(opId, { resolve, reject });
        ws.send(JSON.stringify({ type: 'op', op_id: opId, op }));
      });
    },
    close: () => ws.close(),
  };
}

// Connections to one server: join(hello) as often as needed, close() them all.
export function openWire(baseUrl) {
  const clients = [];
  return {
    async join(hello) {
      const client = await join(baseUrl, hello);
      clients.push(client);
      return client;
    },
    close: async () => { for (const client of clients) client.close(); },
  };
}
