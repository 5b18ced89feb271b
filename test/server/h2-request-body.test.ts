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
import { fetchH2, pattern, run, sha256 } from './h2-peers.js';

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
