// The HTTP/2 server against real clients over 127.0.0.1: curl over TLS (ALPN) and with prior
// knowledge (h2c), Node's node:http2 client for concurrency, big bodies both ways and resets.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { serve, type ServerRequest, type ServerResponse } from '../../src/server/index.js';
import { selfSigned, type SelfSigned } from '../support/tls.js';
import { start } from './harness.js';
import { fetchH2, pattern, run, sha256 } from './h2-peers.js';

const BIG = 5 << 20;
let dir = '';
let tls: SelfSigned;
const aborted: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-h2-'));
  await writeFile(join(dir, 'big.bin'), pattern(BIG));
  tls = selfSigned();
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function handler(req: ServerRequest): Promise<ServerResponse> {
  switch (req.path) {
    case '/hello':
      return { status: 200, headers: { 'content-type': 'text/plain', Connection: 'keep-alive', 'Keep-Alive': 'timeout=5', 'Transfer-Encoding': 'chunked' }, body: `hello ${req.httpVersion} ${req.method} ${req.headers.get('host')} ${req.query}` };
    case '/echo': {
      const chunks: Buffer[] = [];
      for await (const chunk of req.body) chunks.push(Buffer.from(chunk));
      const all = Buffer.concat(chunks);
      return { status: 200, body: `${all.length} ${sha256(all)}` };
    }
    case '/bytes':
      return { status: 200, body: pattern(BIG) };
    case '/file':
      return { status: 200, body: { kind: 'file', path: join(dir, 'big.bin'), start: 0, end: BIG } };
    case '/stream':
      return { status: 200, body: Readable.from([pattern(BIG).subarray(0, 1 << 20), pattern(BIG).subarray(1 << 20)]), trailers: { 'X-Checksum': sha256(pattern(BIG)) } };
    case '/head-length':
      // A bodiless copy of a GET response (as Hono answers HEAD) states the GET's length.
      return { status: 200, headers: { 'content-length': '1234' }, body: null };
    case '/no-content':
      return { status: 204, headers: { 'content-length': '0' }, body: 'ignored' };
    case '/throw':
      throw new Error('handler exploded');
    case '/wait':
      await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push(String((req.signal.reason as { code?: string }).code));
      return { status: 200, body: 'late' };
    default:
      return { status: 404, body: 'not found' };
  }
}

describe('curl', { timeout: 60_000 }, () => {
  test('curl --http2 over TLS: ALPN picks h2, a GET and a POST body on createServer', async () => {
    const server = await start(handler, { tls });
    try {
      const hello = await run('curl', ['-sSk', '--http2', '-w', ' %{http_version}', `https://127.0.0.1:${server.port}/hello?x=1`]);
      assert.equal(hello.stdout.toString(), `hello 2 GET 127.0.0.1:${server.port} x=1 2`);
      const upload = pattern(300_000);
      const echoed = await run('curl', ['-sSk', '--http2', '--data-binary', '@-', `https://127.0.0.1:${server.port}/echo`], upload);
      assert.equal(echoed.stdout.toString(), `${upload.length} ${sha256(upload)}`);
      // A client without h2 in ALPN still gets HTTP/1.1 on the same port.
      const h1 = await run('curl', ['-sSk', '--http1.1', '-w', ' %{http_version}', `https://127.0.0.1:${server.port}/hello`]);
      assert.equal(h1.stdout.toString(), `hello 1.1 GET 127.0.0.1:${server.port}  1.1`);
      assert.deepEqual(server.errors, []);
    } finally {
      await server.close();
    }
  });

  test('curl --http2-prior-knowledge (h2c) and plain HTTP/1.1 on the same cleartext port of serve({ fetch })', async () => {
    const server = await serve({
      fetch: async (request) => new Response(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('host')} ${request.method === 'POST' ? (await request.arrayBuffer()).byteLength : ''}`),
      onError: (error) => assert.fail(String(error)),
    });
    try {
      const h2 = await run('curl', ['-sS', '--http2-prior-knowledge', '-w', ' %{http_version}', `http://127.0.0.1:${server.port}/a`]);
      assert.equal(h2.stdout.toString(), `GET /a 127.0.0.1:${server.port}  2`);
      const post = await run('curl', ['-sS', '--http2-prior-knowledge', '--data-binary', '@-', '-w', ' %{http_version}', `http://127.0.0.1:${server.port}/up`], pattern(200_000));
      assert.equal(post.stdout.toString(), `POST /up 127.0.0.1:${server.port} 200000 2`);
      const h1 = await run('curl', ['-sS', '-w', ' %{http_version}', `http://127.0.0.1:${server.port}/b`]);
      assert.equal(h1.stdout.toString(), `GET /b 127.0.0.1:${server.port}  1.1`);
    } finally {
      await server.close();
    }
  });

  test('curl: HEAD and 204 carry no body, connection-specific fields are dropped, Date and content-length are added', async () => {
    const server = await start(handler);
    try {
      const head = await run('curl', ['-sSI', '--http2-prior-knowledge', `http://127.0.0.1:${server.port}/hello`]);
      const text = head.stdout.toString();
      assert.match(text, /^HTTP\/2 200 ?\r\n/);
      assert.match(text, /\r\ncontent-length: 29\r\n/);
      assert.match(text, /\r\ndate: /);
      assert.doesNotMatch(text, /connection|keep-alive|transfer-encoding/i);
      const headLength = await run('curl', ['-sSI', '--http2-prior-knowledge', `http://127.0.0.1:${server.port}/head-length`]);
      assert.match(headLength.stdout.toString(), /\r\ncontent-length: 1234\r\n/);
      const empty = await run('curl', ['-sS', '--http2-prior-knowledge', '-D', '-', `http://127.0.0.1:${server.port}/no-content`]);
      assert.match(empty.stdout.toString(), /^HTTP\/2 204 ?\r\n/);
      assert.doesNotMatch(empty.stdout.toString(), /content-length|ignored/);
    } finally {
      await server.close();
    }
  });
});

describe('node:http2 client', { timeout: 60_000 }, () => {
  test('50 concurrent streams, 5 MiB downloads (bytes, file, stream with trailers) and a 5 MiB upload, byte for byte', async () => {
    const server = await start(handler, { tls });
    const session = http2.connect(`https://127.0.0.1:${server.port}`, { ca: tls.cert });
    try {
      const hellos = await Promise.all(Array.from({ length: 50 }, (_, i) => fetchH2(session, { ':path': `/hello?i=${i}` })));
      assert.deepEqual(hellos.map((r) => r.body.toString()), Array.from({ length: 50 }, (_, i) => `hello 2 GET 127.0.0.1:${server.port} i=${i}`));
      const [bytes, file, stream] = await Promise.all([fetchH2(session, { ':path': '/bytes' }), fetchH2(session, { ':path': '/file' }), fetchH2(session, { ':path': '/stream' })]);
      const expected = pattern(BIG);
      for (const r of [bytes, file, stream]) {
        assert.equal(r.status, 200);
        assert.equal(r.body.length, BIG);
        assert.ok(r.body.equals(expected));
      }
      assert.equal(file.headers['content-length'], String(BIG));
      assert.equal(stream.headers['content-length'], undefined);
      assert.equal(stream.trailers['x-checksum'], sha256(expected));
      const upload = pattern(BIG + 3);
      const echoed = await fetchH2(session, { ':path': '/echo', ':method': 'POST' }, upload);
      assert.equal(echoed.body.toString(), `${upload.length} ${sha256(upload)}`);
      assert.deepEqual(server.errors, []);
      assert.equal(server.connectionCount, 1);
    } finally {
      session.close();
      await server.close();
    }
  });

  test('a handler that throws gets a 500 on its stream and the connection serves the next request', async () => {
    const server = await start(handler);
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    try {
      const failed = await fetchH2(session, { ':path': '/throw' });
      assert.equal(failed.status, 500);
      const next = await fetchH2(session, { ':path': '/hello' });
      assert.equal(next.body.toString(), `hello 2 GET 127.0.0.1:${server.port} `);
      assert.equal(server.errors.length, 1);
      assert.match(String(server.errors[0]), /handler exploded/);
    } finally {
      session.close();
      await server.close();
    }
  });

  test('RST_STREAM from the client aborts req.signal with SERVER_CLIENT_ABORTED', async () => {
    const server = await start(handler);
    const session = http2.connect(`http://127.0.0.1:${server.port}`);
    try {
      aborted.length = 0;
      const stream = session.request({ ':path': '/wait' });
      stream.on('error', () => {});
      await new Promise((resolve) => setTimeout(resolve, 100));
      stream.close(http2.constants.NGHTTP2_CANCEL);
      for (let i = 0; i < 200 && aborted.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.deepEqual(aborted, ['SERVER_CLIENT_ABORTED']);
      const next = await fetchH2(session, { ':path': '/hello' });
      assert.equal(next.status, 200);
    } finally {
      session.close();
      await server.close();
    }
  });
});

