// Issue 8, item 1: a chunked body that turns malformed after the handler began reading it used
// to leave the connection hanging (no answer, no close, and close() never resolved).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireError } from '../../src/wire/index.js';
import { connect, start } from './harness.js';

const HEAD = 'POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n';

const cases = [
  { name: 'a bad chunk size', rest: 'zz\r\n', code: 'WIRE_INVALID_CHUNK_SIZE' },
  { name: 'a bad trailer line', rest: '0\r\nBad Trailer\r\n\r\n', code: 'WIRE_INVALID_HEADER_NAME' },
  { name: 'chunk data not followed by CRLF', rest: '3\r\nabcXY', code: 'WIRE_INVALID_CHUNK_DATA' },
];

for (const c of cases) {
  for (const handlerRethrows of [true, false]) {
    const how = handlerRethrows ? 'rethrows' : 'answers 200 anyway';
    test(`a body that breaks after reading began (${c.name}; the handler ${how}) gets 400 and the connection closes`, { timeout: 15_000 }, async () => {
      let began: () => void = () => {};
      const reading = new Promise<void>((resolve) => (began = resolve));
      let seen: unknown = null;
      // shutdownTimeout 0: close() resolves only if the connection really ends by itself.
      const server = await start(
        async (req) => {
          try {
            for await (const chunk of req.body) if (chunk.length > 0) began();
          } catch (error) {
            seen = error;
            if (handlerRethrows) throw error;
          }
          return { status: 200, body: 'read' };
        },
        { shutdownTimeout: 0 },
      );
      const client = await connect(server);
      client.write(`${HEAD}5\r\nhello\r\n`);
      await reading;
      client.write(c.rest);
      await client.closedByPeer();
      assert.equal(client.replies.length, 1);
      assert.equal(client.replies[0]?.head.statusCode, 400);
      assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
      assert.ok(WireError.is(seen), `the handler's body iterator throws a WireError, got ${String(seen)}`);
      assert.equal((seen as WireError).reason, c.code);
      assert.deepEqual(server.errors, [], 'a client fault is not a server error');
      await server.close();
    });
  }
}

test('a body that breaks behind a request still being answered gets its 400 in order', { timeout: 15_000 }, async () => {
  let releaseFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (releaseFirst = resolve));
  let began: () => void = () => {};
  const firstBegan = new Promise<void>((resolve) => (began = resolve));
  const server = await start(
    async (req) => {
      if (req.path === '/first') {
        began();
        await first;
        return { status: 200, body: 'first' };
      }
      for await (const chunk of req.body) void chunk;
      return { status: 200 };
    },
    { shutdownTimeout: 0 },
  );
  const client = await connect(server);
  client.write(`GET /first HTTP/1.1\r\nHost: x\r\n\r\n${HEAD}5\r\nhello\r\n`);
  await firstBegan;
  await new Promise<void>((resolve) => client.socket.write('zz\r\n', () => resolve()));
  releaseFirst();
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => r.head.statusCode),
    [200, 400],
  );
  await server.close();
});
