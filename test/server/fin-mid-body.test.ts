// Issue 8, item 7: a client that half-closes inside a request body made the handler's body
// iterator throw an error the engine answered with 500, as if the server had failed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serve, ServerError } from '../../src/server/index.js';
import { Client, connect, start } from './harness.js';
import * as net from 'node:net';

test('a FIN inside a Content-Length body is the client fault: 400, and not reported to onError', { timeout: 15_000 }, async () => {
  let began: () => void = () => {};
  const reading = new Promise<void>((resolve) => (began = resolve));
  let seen: unknown = null;
  const server = await start(async (req) => {
    try {
      for await (const chunk of req.body) if (chunk.length > 0) began();
    } catch (error) {
      seen = error;
      throw error;
    }
    return { status: 200 };
  });
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b');
  await reading;
  client.socket.end();
  await client.closedByPeer();
  assert.equal(client.replies[0]?.head.statusCode, 400);
  assert.ok(ServerError.is(seen), `a ServerError, got ${String(seen)}`);
  assert.equal((seen as ServerError).code, 'SERVER_CLIENT_ABORTED');
  assert.deepEqual(server.errors, []);
  await server.close();
});

test('a FIN inside a chunked body gets 400 too', { timeout: 15_000 }, async () => {
  let began: () => void = () => {};
  const reading = new Promise<void>((resolve) => (began = resolve));
  const server = await start(async (req) => {
    for await (const chunk of req.body) if (chunk.length > 0) began();
    return { status: 200 };
  });
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
  await reading;
  client.socket.end();
  await client.closedByPeer();
  assert.equal(client.replies[0]?.head.statusCode, 400);
  assert.deepEqual(server.errors, []);
  await server.close();
});

test('a fetch handler whose request.text() meets a FIN is not reported as a server error', { timeout: 15_000 }, async () => {
  const errors: unknown[] = [];
  let seen: unknown = null;
  let began: () => void = () => {};
  const reading = new Promise<void>((resolve) => (began = resolve));
  const server = await serve({
    lightResponse: false,
    onError: (error) => errors.push(error),
    fetch: async (request) => {
      try {
        const text = request.text();
        began();
        return new Response(await text);
      } catch (error) {
        seen = error;
        throw error;
      }
    },
  });
  const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true });
  await new Promise((resolve) => socket.once('connect', resolve));
  const client = new Client(socket);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b');
  await reading;
  client.socket.end();
  await client.closedByPeer();
  assert.equal(client.replies[0]?.head.statusCode, 400);
  assert.notEqual(seen, null);
  assert.deepEqual(errors, []);
  await server.close();
});
