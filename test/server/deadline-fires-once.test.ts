// Found in the adversarial pass of issue 8: when bodyTimeout fired on a request whose response
// was already streaming, the deadline stayed armed and the next sweep of the timers read a
// request that was gone: a TypeError thrown from a timer, which ends the server's process.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, start } from './harness.js';

test('a body timeout under a streaming response ends that response and nothing else', { timeout: 30_000 }, async () => {
  let aborted: unknown = null;
  const server = await start(
    (req) => {
      if (req.method === 'GET') return { status: 200, body: 'still here' };
      async function* answer(): AsyncGenerator<Buffer> {
        while (!req.signal.aborted) {
          yield Buffer.from('tick\n');
          await sleep(20);
        }
        aborted = req.signal.reason;
        // Still sending for several sweeps of the timers after the deadline fired.
        for (let i = 0; i < 20; i++) {
          yield Buffer.from('after\n');
          await sleep(20);
        }
      }
      return { status: 200, body: answer() };
    },
    { bodyTimeout: 200 },
  );
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part');
  await client.closedByPeer();
  assert.equal((aborted as { code?: string } | null)?.code, 'SERVER_BODY_TIMEOUT');
  assert.equal(client.replies.length, 1);
  assert.match(client.replies[0]?.body.toString() ?? '', /after\n$/);
  // The server still answers.
  const again = await connect(server);
  again.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  await again.closedByPeer();
  assert.equal(again.replies[0]?.body.toString(), 'still here');
  assert.deepEqual(server.errors, []);
  await server.close();
});
