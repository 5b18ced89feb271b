// Found in the adversarial pass of issue 8: while a response does not drain, the server stops
// reading the request body (its own backpressure), and bodyTimeout used to count that pause
// against the client, cutting a response that was being sent with a 408 path and a reset.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { start } from './harness.js';

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
  const socket = net.connect({ port: server.port, host: '127.0.0.1' });
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.on('error', () => {});
  const body = Buffer.alloc(256 * 1024, 0x62);
  socket.write(Buffer.concat([Buffer.from(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
  // Not reading for several bodyTimeouts: the pause is the server's (its response is stuck).
  await sleep(1500);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve) => socket.once('close', resolve));
  const text = Buffer.concat(chunks).toString('latin1');
  assert.match(text.slice(0, 20), /^HTTP\/1\.1 200 /);
  assert.ok(text.endsWith(`|read ${body.length}\r\n0\r\n\r\n`), `the whole answer arrived: ...${JSON.stringify(text.slice(-40))}`);
  assert.deepEqual(server.errors, []);
  await server.close();
});
