import assert from 'node:assert/strict';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';

test('close() finishes in-flight requests (none lost), closes idle connections, then resolves', { timeout: 20_000 }, async () => {
  let started = 0;
  // The second request of each connection finishes only after close() was called: a fixed sleep
  // here let a loaded machine answer both before close(), and the test then saw keep-alive answers.
  let release = (): void => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await start(async (req) => {
    started++;
    if (req.path.startsWith('/b')) await released;
    await sleep(20);
    return { status: 200, body: req.path };
  });
  const busy = await Promise.all(Array.from({ length: 10 }, () => connect(server)));
  const idle = await connect(server);
  busy.forEach((c, i) => c.write(get(`/a${i}`) + get(`/b${i}`)));
  while (started < 20) await sleep(5); // both requests of every connection are being handled
  const closed = server.close();
  release();
  await idle.closedByPeer();
  await closed;
  for (const [i, c] of busy.entries()) {
    await c.closedByPeer();
    const bodies = c.replies.map((r) => r.body.toString());
    // Both pipelined requests were parsed before close(): both are answered, the last says close.
    assert.deepEqual(bodies, [`/a${i}`, `/b${i}`]);
    assert.equal(c.replies[c.replies.length - 1]?.head.headers.get('connection'), 'close');
  }
  await assert.rejects(
    new Promise((resolve, reject) => {
      const s = net.connect(server.port, '127.0.0.1', () => resolve(s));
      s.on('error', reject);
    }),
    { code: 'ECONNREFUSED' },
  );
});

test('close() destroys connections still busy after shutdownTimeout', { timeout: 10_000 }, async () => {
  const server = await start(() => new Promise(() => {}), { shutdownTimeout: 200, handlerTimeout: 0 });
  const client = await connect(server);
  client.write(get());
  await sleep(20);
  await server.close();
  await client.until(() => client.closed || client.ended);
  assert.equal(client.replies.length, 0);
});
