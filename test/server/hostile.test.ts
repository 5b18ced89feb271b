import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { connect, get, start, text } from './harness.js';

const pieces = [
  'GET / HTTP/1.1\r\n', 'POST /p HTTP/1.1\r\n', 'Host: x\r\n', 'Content-Length: 3\r\n', 'Content-Length: 0\r\n',
  'Transfer-Encoding: chunked\r\n', 'Connection: close\r\n', 'Expect: 100-continue\r\n', '\r\n', 'abc', '3\r\nabc\r\n',
  '0\r\n\r\n', 'HTTP/1.0', ' ', '\n', '\r', '\x00', 'zz\r\n', 'X: \x7f\r\n', 'GET /\r\n',
];

test('any mix of request fragments gets answers or a close, never a crash or a hang', { timeout: 60_000 }, async () => {
  const server = await start(async (req) => ({ status: 200, body: `${req.method} ${(await text(req.body)).length}` }), {
    headersTimeout: 300,
    bodyTimeout: 300,
    keepAliveTimeout: 300,
  });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 25 }), fc.boolean(), async (parts, endAfter) => {
      const client = await connect(server);
      client.write(parts.join(''));
      if (endAfter) client.socket.end();
      await client.closedByPeer();
      for (const reply of client.replies) assert.ok(reply.head.statusCode >= 200 && reply.head.statusCode < 600);
      client.destroy();
    }),
    { numRuns: 60 },
  );
  // The server still works for a well-behaved client.
  const client = await connect(server);
  client.write(get('/', 'Connection: close\r\n'));
  await client.closedByPeer();
  assert.equal(client.replies[0]?.body.toString(), 'GET 0');
  assert.equal(server.errors.length, 0);
  await server.close();
});
