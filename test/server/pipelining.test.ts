import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, get, start, text } from './harness.js';

test('a pipelined batch of 100 requests in one write is answered in request order', { timeout: 20_000 }, async () => {
  const server = await start(async (req) => {
    const n = Number(req.path.slice(1));
    // Later requests finish first: order must come from the engine, not from timing.
    if (n % 3 === 0) await sleep((100 - n) % 7);
    return { status: 200, body: `r${n}` };
  });
  const client = await connect(server);
  let batch = '';
  for (let i = 0; i < 100; i++) batch += get(`/${i}`);
  client.write(batch);
  const replies = await client.replyCount(100);
  assert.deepEqual(
    replies.map((r) => r.body.toString()),
    Array.from({ length: 100 }, (_, i) => `r${i}`),
  );
  client.destroy();
  await server.close();
});

test('requests written one byte at a time are parsed and answered', { timeout: 20_000 }, async () => {
  const server = await start(async (req) => ({ status: 200, body: `${req.method} ${req.path} ${await text(req.body)}` }));
  const client = await connect(server);
  const wire = get('/a') + 'POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' + 'PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';
  for (const byte of Buffer.from(wire)) {
    client.write(Buffer.from([byte]));
    await sleep(0);
  }
  const replies = await client.replyCount(3);
  assert.deepEqual(
    replies.map((r) => r.body.toString()),
    ['GET /a ', 'POST /b hello', 'PUT /c abc'],
  );
  client.destroy();
  await server.close();
});

test('pipelined requests with bodies each get their own body', { timeout: 10_000 }, async () => {
  const server = await start(async (req) => ({ status: 200, body: await text(req.body) }));
  const client = await connect(server);
  let batch = '';
  for (let i = 0; i < 20; i++) batch += `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${String(i).length}\r\n\r\n${i}`;
  client.write(batch);
  const replies = await client.replyCount(20);
  assert.deepEqual(
    replies.map((r) => r.body.toString()),
    Array.from({ length: 20 }, (_, i) => String(i)),
  );
  client.destroy();
  await server.close();
});

test('a client that half-closes after its requests still gets every response', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }));
  const client = await connect(server);
  client.socket.end(get('/one') + get('/two'));
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => r.body.toString()),
    ['/one', '/two'],
  );
  await server.close();
});

test('reading ahead stops at maxPipelinedRequests and resumes as responses go out', { timeout: 10_000 }, async () => {
  let inFlight = 0;
  let maxInFlight = 0;
  const server = await start(
    async () => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await sleep(2);
      inFlight--;
      return { status: 204 };
    },
    { maxPipelinedRequests: 4 },
  );
  const client = await connect(server);
  let batch = '';
  for (let i = 0; i < 40; i++) batch += get();
  client.write(batch);
  await client.replyCount(40);
  assert.ok(maxInFlight <= 4, `at most 4 handlers at once, saw ${maxInFlight}`);
  client.destroy();
  await server.close();
});
