// Issue 8, item 5: a graceful close() dropped pipelined requests that had fully arrived (bytes
// waiting in the parser's buffer or the socket). They are now answered, the last one with
// Connection: close; only requests that arrive later may be refused.
import assert from 'node:assert/strict';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { Client, connect, get, start } from './harness.js';

test('close() answers every pipelined request already received, the last with Connection: close', { timeout: 20_000 }, async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let began: () => void = () => {};
  const first = new Promise<void>((resolve) => (began = resolve));
  const server = await start(
    async (req) => {
      if (req.path === '/0') {
        began();
        await gate;
      }
      return { status: 200, body: req.path };
    },
    { shutdownTimeout: 0 },
  );
  const client = await connect(server);
  const count = 100;
  let text = '';
  for (let i = 0; i < count; i++) text += get(`/${i}`);
  await new Promise<void>((resolve) => client.socket.write(text, () => resolve()));
  await first;
  const closing = server.close();
  release();
  await client.closedByPeer();
  await closing;
  assert.equal(client.replies.length, count);
  assert.deepEqual(
    client.replies.map((r) => r.body.toString()),
    Array.from({ length: count }, (_, i) => `/${i}`),
  );
  const closes = client.replies.map((r) => r.head.headers.get('connection') ?? '');
  assert.equal(closes.at(-1), 'close');
  assert.equal(closes.filter((c) => c === 'close').length, 1, 'only the last answer says close');
});

test('close() under pipelined keep-alive load on 64 connections answers every request written before it', { timeout: 60_000 }, async () => {
  const server = await start(
    async (req) => {
      if (req.path.endsWith('7')) await new Promise((resolve) => setImmediate(resolve));
      return { status: 200, body: req.path };
    },
    { shutdownTimeout: 20_000 },
  );
  const depth = 8;
  let isClosing = false;
  let total = 0;
  const conns = await Promise.all(
    Array.from({ length: 64 }, async () => {
      const client = await connect(server);
      // Without Nagle's algorithm a completed write is on its way, not held back in the kernel.
      client.socket.setNoDelay(true);
      const state = { client, sent: 0, writtenBeforeClose: 0 };
      const send = (): void => {
        if (isClosing || !client.socket.writable) return;
        const n = state.sent++;
        client.socket.write(get(`/${n}`), () => {
          if (!isClosing) state.writtenBeforeClose = Math.max(state.writtenBeforeClose, n + 1);
        });
      };
      for (let i = 0; i < depth; i++) send();
      // Keep `depth` requests in flight: one more for every answer.
      client.socket.on('data', () => {
        while (state.sent - client.replies.length < depth && !isClosing) {
          total++;
          send();
        }
      });
      return state;
    }),
  );
  // Connections still in the kernel's accept queue at close() are not the server's yet: wait
  // until it accepted all 64.
  while (server.connectionCount < 64) await sleep(10);
  while (total < 6000) await sleep(20);
  isClosing = true;
  // Requests whose write completed before this point are in the server's socket buffers.
  const written = conns.map((c) => c.writtenBeforeClose);
  await server.close();
  await Promise.all(conns.map((c) => c.client.closedByPeer()));
  for (const [i, c] of conns.entries()) {
    const answered = c.client.replies.length;
    assert.ok(answered >= (written[i] as number), `connection ${i}: ${answered} answers for ${written[i]} requests written before close()`);
    const paths = c.client.replies.map((r) => r.body.toString());
    assert.deepEqual(paths, Array.from({ length: answered }, (_, n) => `/${n}`), `connection ${i}: answers in order`);
  }
});

test('close() on an idle keep-alive connection still closes it', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200 }), { shutdownTimeout: 0 });
  const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const client = new Client(socket);
  client.write(get());
  await client.replyCount(1);
  await server.close();
  await client.closedByPeer();
  assert.equal(client.replies.length, 1);
});
