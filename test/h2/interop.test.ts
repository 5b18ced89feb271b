// The codec against real HTTP/2 peers over 127.0.0.1: node:http2 as client and as server, curl
// with prior knowledge, nghttp and h2load. Bodies big enough to need many WINDOW_UPDATEs.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http2 from 'node:http2';
import { after, before, test } from 'node:test';
import { h2cRequests, pattern, startH2cServer, type H2cServer } from './interop-peer.js';

let server: H2cServer;
before(async () => {
  server = await startH2cServer();
});
after(async () => {
  await server.close();
});

function run(command: string, args: string[], input?: Buffer): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: 'buffer', timeout: 60000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message} ${stderr.toString()}`));
      else resolve({ stdout, stderr: stderr.toString() });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

interface Fetched {
  status: number;
  body: Buffer;
}

function nodeRequest(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body?: Buffer): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = session.request(headers, { endStream: body === undefined });
    const chunks: Buffer[] = [];
    let status = 0;
    request.on('response', (h) => (status = Number(h[':status'])));
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve({ status, body: Buffer.concat(chunks) }));
    request.on('error', reject);
    if (body !== undefined) request.end(body);
  });
}

const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('node:http2 client: 30 concurrent requests, a 3 MiB download and a 3 MiB upload on one connection', async () => {
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    const hellos = await Promise.all(Array.from({ length: 30 }, () => nodeRequest(session, { ':path': '/hello' })));
    assert.deepEqual(new Set(hellos.map((r) => `${r.status} ${r.body.toString()}`)), new Set(['200 hello']));
    const big = 3 << 20;
    const download = await nodeRequest(session, { ':path': `/bytes/${big}` });
    assert.equal(download.status, 200);
    assert.equal(download.body.length, big);
    assert.ok(download.body.equals(pattern(big)));
    const upload = pattern(big + 7);
    const echoed = await nodeRequest(session, { ':path': '/echo', ':method': 'POST' }, upload);
    assert.equal(echoed.body.toString(), `${upload.length} ${sha(upload)}`);
  } finally {
    session.close();
  }
  assert.deepEqual(server.errors, []);
});

test('curl --http2-prior-knowledge: GET and a POST body', async () => {
  const hello = await run('curl', ['-sS', '--http2-prior-knowledge', '-w', ' %{http_version}', `http://127.0.0.1:${server.port}/hello`]);
  assert.equal(hello.stdout.toString(), 'hello 2');
  const upload = pattern(300000);
  const echoed = await run('curl', ['-sS', '--http2-prior-knowledge', '--data-binary', '@-', `http://127.0.0.1:${server.port}/echo`], upload);
  assert.equal(echoed.stdout.toString(), `${upload.length} ${sha(upload)}`);
  assert.deepEqual(server.errors, []);
});

test('nghttp: a 1 MiB download with its frames checked by nghttp2 (PRIORITY on idle streams first)', async () => {
  const { stdout } = await run('nghttp', ['-nv', `http://127.0.0.1:${server.port}/bytes/1048576`]);
  const text = stdout.toString('latin1');
  assert.match(text, /send PRIORITY frame/);
  assert.match(text, /recv \(stream_id=(\d+)\) :status: 200/);
  assert.match(text, /recv DATA frame <length=\d+, flags=0x01, stream_id=\d+>/);
  assert.equal((text.match(/recv DATA frame <length=(\d+)/g) ?? []).map((line) => Number(line.split('=')[1])).reduce((a, b) => a + b, 0), 1048576);
  assert.doesNotMatch(text, /GOAWAY.*error_code=(?!NO_ERROR)/);
  assert.deepEqual(server.errors, []);
});

test('h2load: 400 requests on 4 connections, 10 streams each, all answered', async () => {
  const { stdout } = await run('h2load', ['-n', '400', '-c', '4', '-m', '10', `http://127.0.0.1:${server.port}/hello`]);
  const text = stdout.toString();
  assert.match(text, /requests: 400 total, 400 started, 400 done, 400 succeeded, 0 failed, 0 errored/);
  assert.match(text, /status codes: 400 2xx/);
  assert.deepEqual(server.errors, []);
});

test('H2Connection as a client against node:http2: concurrent requests, an upload, a download and trailers', async () => {
  const peer = http2.createServer();
  peer.on('stream', (stream, headers) => {
    const path = headers[':path'];
    if (path === '/trailers') {
      stream.respond({ ':status': 200 }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'x-checksum': 'abc' }));
      stream.end('body');
      return;
    }
    if (path === '/echo') {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const all = Buffer.concat(chunks);
        stream.respond({ ':status': 200 });
        stream.end(`${all.length} ${sha(all)}`);
      });
      return;
    }
    stream.respond({ ':status': 200, 'content-length': String(2 << 20) });
    stream.end(pattern(2 << 20));
  });
  await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
  const address = peer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  try {
    const base: [string, string][] = [[':scheme', 'http'], [':authority', `127.0.0.1:${port}`]];
    const upload = pattern(1 << 20);
    const results = await h2cRequests(port, [
      { fields: [[':method', 'GET'], ...base, [':path', '/big']] },
      { fields: [[':method', 'POST'], ...base, [':path', '/echo']], body: upload },
      { fields: [[':method', 'GET'], ...base, [':path', '/trailers'], ['te', 'trailers']] },
    ]);
    assert.equal(results[0]?.head.status, 200);
    assert.ok(results[0]?.body.equals(pattern(2 << 20)));
    assert.equal(results[1]?.body.toString(), `${upload.length} ${sha(upload)}`);
    assert.equal(results[2]?.body.toString(), 'body');
    assert.deepEqual(results[2]?.trailers, [['x-checksum', 'abc']]);
  } finally {
    await new Promise<void>((resolve) => peer.close(() => resolve()));
  }
});
