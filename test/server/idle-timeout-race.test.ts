// Found while fuzzing for issue 8: when the keep-alive (or first-request) deadline came due in
// the same turn of the event loop as a request's bytes, the timer won and the connection closed
// without reading them: a request the kernel had already received got no answer. The deadline
// now closes like close() does: what the socket holds is read and answered first.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';

/**
 * writeThenBlock writes from the check phase of the event loop, then blocks the loop: in the next
 * turn the timers (the server's sweep among them) run before the poll phase reads the request
 * waiting in the kernel.
 */
function writeThenBlock(client: { write(data: string): void }, data: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    setImmediate(() => {
      client.write(data);
      const until = Date.now() + ms;
      while (Date.now() < until) {
        // The server's deadline comes due while the request waits in the kernel.
      }
      resolve();
    });
  });
}

test('a request received as the idle deadline comes due is answered, then the connection closes', { timeout: 20_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }), { keepAliveTimeout: 200 });
  const client = await connect(server);
  client.write(get('/first'));
  await client.replyCount(1);
  await sleep(120); // a sweep of the timers starts the idle period
  await writeThenBlock(client, get('/second'), 600);
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => r.body.toString()),
    ['/first', '/second'],
  );
  assert.equal(client.replies[1]?.head.headers.get('connection'), 'close');
  await server.close();
});

test('a first request received as headersTimeout comes due on a new connection is answered', { timeout: 20_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }), { headersTimeout: 200 });
  const client = await connect(server);
  await writeThenBlock(client, get('/late'), 600);
  await client.closedByPeer().catch(() => {});
  await client.replyCount(1);
  assert.equal(client.replies[0]?.body.toString(), '/late');
  client.destroy();
  await server.close();
});
