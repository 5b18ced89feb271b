// Issue 8, item 4: a client that pipelines many requests and never reads made the server run
// every handler and buffer every response (10 connections x 100 requests x 4 MiB grew the server
// by 1.4 GB). Handlers of pipelined requests now wait while earlier responses do not drain.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { ResponseParser } from '../../src/wire/index.js';
import type { Handler } from '../../src/server/types.js';
import { start } from './harness.js';

const SIZE = 1024 * 1024;

/** settle waits until `read()` stops changing for a while (a generous pause, no assertion on time). */
async function settle(read: () => number): Promise<number> {
  let last = -1;
  let still = 0;
  while (still < 6) {
    await sleep(100);
    const now = read();
    still = now === last && now > 0 ? still + 1 : 0;
    last = now;
  }
  return last;
}

for (const kind of ['sync', 'async'] as const) {
  test(`a ${kind} handler is not run for requests piling up behind responses a client does not read`, { timeout: 60_000 }, async (t) => {
    const REQUESTS = 64;
    let calls = 0;
    const answer = (): { status: number; body: Buffer } => {
      calls++;
      return { status: 200, body: Buffer.alloc(SIZE, 0x61) };
    };
    const handler: Handler =
      kind === 'sync'
        ? answer
        : async () => {
            await new Promise((resolve) => setImmediate(resolve));
            return answer();
          };
    const server = await start(handler, { sendTimeout: 0 });
    const baseline = process.memoryUsage().arrayBuffers;
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    // Never read: no 'data' listener, so Node stops reading once its small buffer is full.
    socket.write('GET /big HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(REQUESTS));
    const settled = await settle(() => calls);
    const grown = process.memoryUsage().arrayBuffers - baseline;
    t.diagnostic(`${settled} handlers ran for ${REQUESTS} requests; buffers grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
    // The kernel's socket buffers absorb a few responses; the engine holds one or two more.
    const bound = 12;
    assert.ok(settled <= bound, `${settled} handlers ran for ${REQUESTS} requests (bound ${bound})`);
    assert.ok(grown < bound * SIZE, `buffers grew by ${grown} bytes (bound ${bound * SIZE})`);

    // Once the client reads, every response arrives, in order and whole.
    let complete = 0;
    let bytes = 0;
    const parser = new ResponseParser({
      onHead: () => {},
      onBody: (chunk) => {
        bytes += chunk.length;
      },
      onComplete: () => {
        complete++;
      },
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('data', (chunk: Buffer) => {
        try {
          parser.execute(chunk);
        } catch (error) {
          reject(error);
        }
        if (complete === REQUESTS) resolve();
      });
      socket.once('close', () => reject(new Error(`closed after ${complete} responses`)));
    });
    assert.equal(calls, REQUESTS);
    assert.equal(bytes, REQUESTS * SIZE);
    socket.destroy();
    await server.close();
  });
}
