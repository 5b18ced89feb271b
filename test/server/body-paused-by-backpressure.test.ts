// Found in the adversarial pass of issue 8: while a response does not drain, the server stops
// reading the request body (its own backpressure), and bodyTimeout used to count that pause
// against the client, cutting a response that was being sent with a 408 path and a reset.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { connect, start } from './harness.js';

test('a body the server stops reading while its response does not drain is not timed out', { timeout: 30_000 }, async () => {
  const server = await start(
    async (req) => {
      async function* answer(): AsyncGenerator<Buffer> {
        for (let i = 0; i < 64; i++) yield Buffer.alloc(64 * 1024, 0x61);
        let received = 0;
        for await (const chunk of req.body) received += chunk.length;
        yield Buffer.from(`|read ${received}`);
      }
      return { status: 200, body: answer() };
    },
    { bodyTimeout: 200, sendTimeout: 20_000 },
  );
  const client = await connect(server);
  // Not reading for several bodyTimeouts: the pause is the server's (its response is stuck).
  client.socket.pause();
  const body = Buffer.alloc(256 * 1024, 0x62);
  client.write(Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
  await sleep(1500);
  client.socket.resume();
  await client.closedByPeer();
  assert.equal(client.isCut, false, 'the whole answer arrived');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.status, 200);
  assert.ok(reply?.body.toString('latin1').endsWith(`|read ${body.length}`), `the whole answer arrived: ...${JSON.stringify(reply?.body.toString('latin1').slice(-40))}`);
  assert.deepEqual(server.errors, []);
  await server.close();
});
