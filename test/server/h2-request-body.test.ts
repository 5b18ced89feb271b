// Request bodies over HTTP/2 reach the handler without a copy (views of the socket's reads, or
// of the parser's own joined payloads): a handler that keeps every chunk as it is, uncopied, must
// still see the whole body intact once it arrived, over TLS records and over odd cleartext splits.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import http2 from 'node:http2';
import { before, test } from 'node:test';
import type { ServerRequest, ServerResponse } from '../../src/server/index.js';
import { selfSigned, type SelfSigned } from '../support/tls.js';
import { start } from './harness.js';
import { FrameType, type FrameInit } from '../../src/h2/index.js';
import { fetchH2, pattern, run, sha256 } from './h2-peers.js';
import { rawH2 } from './h2-raw.js';

const OPTS = { timeout: 60_000 };
const BODY = pattern(3 * 1024 * 1024 + 777);
let tls: SelfSigned;
before(() => {
  tls = selfSigned();
});

// Keeps the chunks as handed over and checks them only after the last one came.
async function keep(req: ServerRequest): Promise<ServerResponse> {
  const kept: Uint8Array[] = [];
  for await (const chunk of req.body) kept.push(chunk);
  const all = Buffer.concat(kept);
  return { status: 200, body: `${all.length} ${sha256(all)}` };
}

test('3 MiB uploaded by curl over TLS (16 KiB records, every DATA frame split) are intact when kept uncopied', OPTS, async () => {
  const server = await start(keep, { tls });
  const { stdout } = await run('curl', ['-sSk', '--http2', '--data-binary', '@-', `https://127.0.0.1:${server.port}/`], BODY);
  assert.equal(stdout.toString(), `${BODY.length} ${sha256(BODY)}`);
});

test('3 MiB uploaded by node:http2 in writes of 1,000 octets over cleartext are intact when kept uncopied', OPTS, async () => {
  const server = await start(keep);
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    const got = await new Promise<string>((resolve, reject) => {
      const stream = session.request({ ':path': '/', ':method': 'POST' });
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks).toString()));
      stream.on('error', reject);
      for (let at = 0; at < BODY.length; at += 1000) stream.write(BODY.subarray(at, at + 1000));
      stream.end();
    });
    assert.equal(got, `${BODY.length} ${sha256(BODY)}`);
    const again = await fetchH2(session, { ':path': '/', ':method': 'POST' }, BODY);
    assert.equal(again.body.toString(), `${BODY.length} ${sha256(BODY)}`);
  } finally {
    session.close();
  }
});

test('DATA of two streams, padded frames among them, in one write: each body intact, the pieces of a read joined per stream', OPTS, async () => {
  const server = await start(async (req) => {
    const kept: Uint8Array[] = [];
    for await (const chunk of req.body) kept.push(chunk);
    const all = Buffer.concat(kept);
    return { status: 200, body: `${all.length} ${sha256(all)} ${kept.length}` };
  });
  const c = await rawH2(server.port);
  const bodies = new Map([[1, pattern(60_000)], [3, Buffer.from(pattern(60_001)).reverse()]]);
  const frames: FrameInit[] = [c.headers(1, '/', false, 'POST'), c.headers(3, '/', false, 'POST')];
  const at = new Map([[1, 0], [3, 0]]);
  // Sizes from 1 octet to 16,384, four frames of a stream then four of the other, every fifth frame
  // padded (unless full). Only frames next to each other in a read can be joined.
  for (let i = 0; at.get(1)! < 60_000 || at.get(3)! < 60_001; i++) {
    const id = Math.floor(i / 4) % 2 === 0 ? 1 : 3;
    const body = bodies.get(id)!;
    const from = at.get(id)!;
    if (from >= body.length) continue;
    const size = Math.min([1, 9, 700, 16384, 4000, 10][i % 6]!, body.length - from);
    at.set(id, from + size);
    const frame: FrameInit = { type: FrameType.DATA, streamId: id, data: body.subarray(from, from + size), endStream: from + size === body.length };
    frames.push(i % 5 === 4 && size < 16384 ? { ...frame, padLength: 3 } : frame);
  }
  c.write(...frames);
  await c.until((got) => [1, 3].every((id) => got.some((f) => f.type === FrameType.DATA && f.streamId === id && f.endStream)));
  for (const [id, body] of bodies) {
    const text = Buffer.concat(c.frames.flatMap((f) => (f.type === FrameType.DATA && f.streamId === id ? [f.data] : []))).toString();
    const [length, digest, chunks] = text.split(' ');
    assert.equal(`${length} ${digest}`, `${body.length} ${sha256(body)}`);
    // Without joining, a handler gets at least one chunk per frame.
    const sent = frames.filter((f) => f.type === FrameType.DATA && f.streamId === id).length;
    assert.ok(Number(chunks) < sent, `stream ${id}: ${chunks} chunks for ${sent} frames`);
  }
  c.socket.destroy();
  await server.close();
});
