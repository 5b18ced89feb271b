// Issue 8, item 3: bodyTimeout only measures pauses, so a body trickling in one byte at a time
// held a connection for ever. requestTimeout caps a request from its first byte to its body's end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServer } from '../../src/server/index.js';
import { connect, start } from './harness.js';

test('a body that trickles in without ever pausing long gets 408 after requestTimeout', { timeout: 15_000 }, async () => {
  let code = '';
  const server = await start(
    async (req) => {
      try {
        for await (const chunk of req.body) void chunk;
      } catch (error) {
        code = (error as { code?: string }).code ?? '';
        throw error;
      }
      return { status: 200 };
    },
    { requestTimeout: 400, bodyTimeout: 10_000 },
  );
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
  const timer = setInterval(() => client.socket.writable && client.write('a'), 20);
  try {
    await client.closedByPeer();
  } finally {
    clearInterval(timer);
  }
  assert.equal(client.replies[0]?.head.statusCode, 408);
  assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
  assert.equal(code, 'SERVER_REQUEST_TIMEOUT');
  assert.deepEqual(server.errors, []);
  await server.close();
});

test('a head that trickles in gets 408 after requestTimeout when headersTimeout is off', { timeout: 15_000 }, async () => {
  const server = await start(() => ({ status: 200 }), { requestTimeout: 300, headersTimeout: 0 });
  const client = await connect(server);
  client.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const timer = setInterval(() => client.socket.writable && client.write('a'), 20);
  try {
    await client.closedByPeer();
  } finally {
    clearInterval(timer);
  }
  assert.equal(client.replies[0]?.head.statusCode, 408);
  await server.close();
});

test('requestTimeout counts from the first byte of each request, not of the connection', { timeout: 15_000 }, async () => {
  const server = await start(() => ({ status: 200, body: 'ok' }), { requestTimeout: 600, keepAliveTimeout: 10_000 });
  const client = await connect(server);
  // Three requests spread over more than requestTimeout, each one quick: all answered.
  for (let i = 1; i <= 3; i++) {
    client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi');
    await client.replyCount(i);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.deepEqual(
    client.replies.map((r) => r.head.statusCode),
    [200, 200, 200],
  );
  client.destroy();
  await server.close();
});

test('requestTimeout defaults to 300 000 ms like node:http and is validated', () => {
  assert.equal(createServer(() => ({ status: 200 })).limits.requestTimeout, 300_000);
  assert.equal(createServer(() => ({ status: 200 }), { requestTimeout: 0 }).limits.requestTimeout, 0);
  assert.throws(() => createServer(() => ({ status: 200 }), { requestTimeout: -1 }), { code: 'SERVER_INVALID_OPTION' });
});
