import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Agent, request } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

type Framing = 'length' | 'chunked' | 'close';

function encode(body: Uint8Array, framing: Framing, chunkSizes: number[]): Buffer {
  if (framing === 'length') return Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
  if (framing === 'close') return Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n'), body]);
  const parts: Buffer[] = [Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')];
  let at = 0;
  let k = 0;
  while (at < body.length) {
    const size = Math.max(1, Math.min(chunkSizes[k++ % chunkSizes.length] ?? 1, body.length - at));
    parts.push(Buffer.from(`${size.toString(16)}\r\n`), Buffer.from(body.subarray(at, at + size)), Buffer.from('\r\n'));
    at += size;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

test('any body, framed any way and cut into any writes, arrives byte for byte', { timeout: 60_000 }, async () => {
  let wire: Buffer = Buffer.alloc(0);
  let cuts: number[] = [];
  let framing: Framing = 'length';
  const { server, url } = await rawServer((socket) => {
    // Write the response in the pieces the property chose, each a separate write.
    let at = 0;
    const pieces: Buffer[] = [];
    for (const cut of cuts) {
      if (cut <= at || cut >= wire.length) continue;
      pieces.push(wire.subarray(at, cut));
      at = cut;
    }
    pieces.push(wire.subarray(at));
    const next = (): void => {
      const piece = pieces.shift();
      if (piece === undefined) {
        if (framing === 'close') socket.end();
        return;
      }
      socket.write(piece, () => setImmediate(next));
    };
    next();
  });
  const agent = new Agent();
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ minLength: 0, maxLength: 5000 }),
      fc.constantFrom<Framing>('length', 'chunked', 'close'),
      fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
      fc.array(fc.integer({ min: 1, max: 6000 }), { maxLength: 6 }),
      async (body, f, chunkSizes, writeCuts) => {
        framing = f;
        wire = encode(body, f, chunkSizes);
        cuts = [...writeCuts].sort((a, b) => a - b);
        const res = await request(url, { agent });
        assert.deepEqual(Buffer.from(await res.body.bytes()), Buffer.from(body));
      },
    ),
    { numRuns: 60 },
  );
  await agent.close();
  await close(server);
});
