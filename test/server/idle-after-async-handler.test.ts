// Issue 8, item 2: the keep-alive idle timeout was never armed when an asynchronous handler
// emptied the queue of requests in flight, so a client could hold the connection for ever.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { serve } from '../../src/server/index.js';
import { Client, connect, get, start } from './harness.js';
import * as net from 'node:net';

test('an idle connection is closed after keepAliveTimeout when an async handler answered', { timeout: 15_000 }, async () => {
  const server = await start(
    async () => {
      await sleep(5);
      return { status: 200, body: 'later' };
    },
    { keepAliveTimeout: 200 },
  );
  const client = await connect(server);
  client.write(get());
  await client.replyCount(1);
  await client.closedByPeer();
  assert.equal(client.replies.length, 1);
  await server.close();
});

test('the idle timeout fires again after each of several async answers on one connection', { timeout: 15_000 }, async () => {
  const server = await start(
    async (req) => {
      await sleep(5);
      return { status: 200, body: req.path };
    },
    { keepAliveTimeout: 300 },
  );
  const client = await connect(server);
  for (let i = 1; i <= 3; i++) {
    client.write(get(`/${i}`));
    await client.replyCount(i);
  }
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => r.body.toString()),
    ['/1', '/2', '/3'],
  );
  await server.close();
});

test('serve({ fetch }) with an async fetch handler closes an idle connection after keepAliveTimeout', { timeout: 15_000 }, async () => {
  const server = await serve({
    lightResponse: false,
    keepAliveTimeout: 200,
    fetch: async () => {
      await sleep(5);
      return new Response('ok');
    },
  });
  const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const client = new Client(socket);
  client.write(get());
  await client.replyCount(1);
  await client.closedByPeer();
  assert.equal(client.replies[0]?.body.toString(), 'ok');
  await server.close();
});
