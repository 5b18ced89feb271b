// `courier get` over HTTP/2 against node:http2 on 127.0.0.1: --http2-prior-knowledge with -v
// (pseudo-headers both ways), --trace (decoded frames), and --http1.1 / the default on https.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startH2Peer, type H2Peer } from '../client/h2-peer.js';
import { courier } from './get-helpers.js';

let h2c: H2Peer;
let tls: H2Peer;
let dir = '';
let ca = '';
before(async () => {
  h2c = await startH2Peer({ tls: false });
  tls = await startH2Peer({ tls: true });
  dir = mkdtempSync(join(tmpdir(), 'courier-h2-cli-'));
  ca = join(dir, 'ca.pem');
  writeFileSync(ca, tls.ca);
});
after(async () => {
  await h2c.close();
  await tls.close();
  rmSync(dir, { recursive: true, force: true });
});

test('courier get --http2-prior-knowledge -v shows the request and response as pseudo-headers and headers', async () => {
  const run = await courier(['--http2-prior-knowledge', '-v', `${h2c.url}/hello`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'hello');
  assert.match(run.stderr, /^> :method: GET$/m);
  assert.match(run.stderr, /^> :scheme: http$/m);
  assert.match(run.stderr, /^> :path: \/hello$/m);
  assert.match(run.stderr, /^< :status: 200$/m);
  assert.match(run.stderr, /^< content-type: text\/plain$/m);
  const written = await courier(['--http2-prior-knowledge', '-o', '/dev/null', '-w', '%{http_version}', `${h2c.url}/hello`]);
  assert.equal(written.stdout.toString(), '2');
});

test('courier get --trace shows every frame both ways, decoded', async () => {
  const run = await courier(['--http2-prior-knowledge', '--trace', `${h2c.url}/trailers`]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'body');
  assert.match(run.stderr, /^> SETTINGS frame <stream=0, length=\d+, flags=0x00>$/m);
  assert.match(run.stderr, /^< SETTINGS frame <stream=0, length=0, flags=0x01 \(ACK\)>$/m);
  assert.match(run.stderr, /^> HEADERS frame <stream=1, length=\d+, flags=0x05 \(END_STREAM \| END_HEADERS\)>\n> +:method: GET$/m);
  assert.match(run.stderr, /^< HEADERS frame <stream=1, length=\d+, flags=0x04 \(END_HEADERS\)>\n< +:status: 200$/m);
  assert.match(run.stderr, /^< DATA frame <stream=1, length=4, flags=0x00>$/m);
  assert.match(run.stderr, /^< +x-checksum: abc$/m);
  assert.match(run.stderr, /^> WINDOW_UPDATE frame <stream=0, length=4, flags=0x00>\n> +window_size_increment=\d+$/m);
  // No raw bytes: the binary frames are not dumped as text.
  assert.doesNotMatch(run.stderr, /\\x00/);
});

test('on https, courier get speaks h2 through ALPN by default and --http1.1 forces HTTP/1.1', async () => {
  const h2 = await courier(['--cacert', ca, '-v', `${tls.url}/hello`]);
  assert.equal(h2.code, 0, h2.stderr);
  assert.equal(h2.stdout.toString(), 'hello');
  assert.match(h2.stderr, /^< :status: 200$/m);
  const h1 = await courier(['--cacert', ca, '--http1.1', '-v', `${tls.url}/hello`]);
  assert.equal(h1.code, 0, h1.stderr);
  assert.equal(h1.stdout.toString(), 'hello');
  assert.match(h1.stderr, /^> GET \/hello HTTP\/1\.1$/m);
  assert.match(h1.stderr, /^< HTTP\/1\.1 200/m);
});
