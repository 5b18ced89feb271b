import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';

test('a head that arrives too slowly (slowloris) gets 408 and the connection closes', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200 }), { headersTimeout: 200 });
  const client = await connect(server);
  client.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const timer = setInterval(() => client.socket.writable && client.write('a'), 50);
  await client.closedByPeer();
  clearInterval(timer);
  assert.equal(client.replies[0]?.head.statusCode, 408);
  await server.close();
});

test('an idle keep-alive connection is closed after keepAliveTimeout', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 204 }), { keepAliveTimeout: 200 });
  const client = await connect(server);
  client.write(get());
  await client.replyCount(1);
  await client.closedByPeer();
  assert.equal(client.replies.length, 1);
  await server.close();
});

test('a connection that never sends a request is closed after headersTimeout', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 204 }), { headersTimeout: 200 });
  const client = await connect(server);
  await client.closedByPeer();
  assert.equal(client.replies.length, 0);
  await server.close();
});

test('a request body that stalls gets 408 and the handler sees SERVER_BODY_TIMEOUT', { timeout: 10_000 }, async () => {
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
    { bodyTimeout: 200 },
  );
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part');
  await client.closedByPeer();
  assert.equal(client.replies[0]?.head.statusCode, 408);
  assert.equal(code, 'SERVER_BODY_TIMEOUT');
  await server.close();
});

test('a handler that takes too long gets 503 and its signal aborts', { timeout: 10_000 }, async () => {
  let reason: unknown = null;
  const server = await start(
    (req) =>
      new Promise((resolve) => {
        req.signal.addEventListener('abort', () => {
          reason = req.signal.reason;
          setTimeout(() => resolve({ status: 200, body: 'late' }), 10);
        });
      }),
    { handlerTimeout: 200 },
  );
  const client = await connect(server);
  client.write(get('/slow') + get('/slow'));
  const replies = await client.replyCount(2);
  assert.deepEqual(
    replies.map((r) => r.head.statusCode),
    [503, 503],
  );
  assert.equal((reason as { code?: string } | null)?.code, 'SERVER_HANDLER_TIMEOUT');
  client.destroy();
  await server.close();
});

test('invalid limits are rejected with SERVER_INVALID_OPTION', async () => {
  await assert.rejects(start(() => ({ status: 200 }), { keepAliveTimeout: -1 }), { code: 'SERVER_INVALID_OPTION' });
});

test('a client that stops reading a response is dropped after sendTimeout', { timeout: 10_000 }, async () => {
  let aborted = false;
  const server = await start(
    (req) => {
      req.signal.addEventListener('abort', () => (aborted = true));
      return {
        status: 200,
        body: (async function* endless() {
          const block = Buffer.alloc(64 * 1024, 0x73);
          for (;;) yield block;
        })(),
      };
    },
    { sendTimeout: 200 },
  );
  const client = await connect(server);
  client.socket.pause();
  client.write(get());
  while (server.connectionCount > 0) await new Promise((r) => setTimeout(r, 20));
  assert.equal(aborted, true);
  client.destroy();
  await server.close();
});
