// The HTTP/2 client against nginx (a production HTTP/2 server, not node:http2) on 127.0.0.1: ALPN
// over TLS, h2c with prior knowledge, a 4 MiB file under nginx's flow control, many streams on one
// connection, HEAD and 304 without DATA, gzip decoded, uploads through nginx to a courier HTTP/1
// upstream, and nginx's GOAWAY after its idle timeout. Skipped when nginx is not installed.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { createServer, type Server } from '../../src/server/index.js';
import { selfSigned } from '../support/tls.js';

const hasNginx = spawnSync('nginx', ['-v']).error === undefined;
const BIG = randomBytes(4 * 1024 * 1024 + 7);
const BIG_SHA = createHash('sha256').update(BIG).digest('hex');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('nginx not ready within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('HTTP/2 client against nginx', { skip: hasNginx ? false : 'nginx not installed (apt-get install -y nginx-light)' }, () => {
  let child: ChildProcess;
  let upstream: Server;
  let agent: Agent;
  let tlsUrl = '';
  let clearUrl = '';

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-nginx-h2-'));
    const root = join(dir, 'www');
    mkdirSync(root);
    writeFileSync(join(root, 'big.bin'), BIG);
    writeFileSync(join(root, 'hello.txt'), 'hello from nginx\n');
    writeFileSync(join(root, 'text.txt'), 'compress me '.repeat(2000));
    for (let i = 0; i < 40; i++) writeFileSync(join(root, `f${i}.txt`), `file ${i}`);
    const { cert, key } = selfSigned();
    writeFileSync(join(dir, 'cert.pem'), cert);
    writeFileSync(join(dir, 'key.pem'), key);
    // The upstream answers uploads: how many octets came and their digest.
    upstream = createServer(async (req) => {
      const hash = createHash('sha256');
      let length = 0;
      for await (const chunk of req.body) {
        hash.update(chunk);
        length += chunk.length;
      }
      return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ length, sha256: hash.digest('hex'), method: req.method }) };
    });
    await upstream.listen({ port: 0, hostname: '127.0.0.1' });
    const [tlsPort, clearPort] = [await freePort(), await freePort()];
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off; client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  keepalive_timeout 1s; client_max_body_size 0;
  server {
    listen 127.0.0.1:${tlsPort} ssl http2;
    listen 127.0.0.1:${clearPort} http2;
    ssl_certificate ${dir}/cert.pem; ssl_certificate_key ${dir}/key.pem;
    root ${root};
    location / { gzip on; gzip_types text/plain; gzip_min_length 100; }
    location /upload { proxy_pass http://127.0.0.1:${upstream.port}; proxy_http_version 1.1; proxy_request_buffering off; }
  }
}
`,
    );
    child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
    await waitForPort(tlsPort, child);
    await waitForPort(clearPort, child);
    tlsUrl = `https://127.0.0.1:${tlsPort}`;
    clearUrl = `http://127.0.0.1:${clearPort}`;
    agent = new Agent({ ca: cert });
  });

  after(async () => {
    await agent?.close();
    child?.kill('SIGTERM');
    await upstream?.close();
  });

  test('GET over TLS negotiates h2 by ALPN', async () => {
    const res = await request(`${tlsUrl}/hello.txt`, { agent });
    assert.equal(res.httpVersion, '2');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('server')?.startsWith('nginx'), true);
    assert.equal(await res.body.text(), 'hello from nginx\n');
  });

  test('h2c with prior knowledge on the cleartext port', async () => {
    const res = await request(`${clearUrl}/hello.txt`, { agent, httpVersion: '2' });
    assert.equal(res.httpVersion, '2');
    assert.equal(await res.body.text(), 'hello from nginx\n');
  });

  test('a 4 MiB file arrives whole under nginx flow control', async () => {
    const res = await request(`${tlsUrl}/big.bin`, { agent });
    assert.equal(res.headers.get('content-length'), String(BIG.length));
    const body = Buffer.from(await res.body.bytes());
    assert.equal(body.length, BIG.length);
    assert.equal(createHash('sha256').update(body).digest('hex'), BIG_SHA);
  });

  test('40 requests at once share one connection as streams', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const res = await request(`${tlsUrl}/f${i}.txt`, { agent });
        return { text: await res.body.text(), version: res.httpVersion };
      }),
    );
    results.forEach((r, i) => assert.deepEqual(r, { text: `file ${i}`, version: '2' }));
    const again = await request(`${tlsUrl}/f0.txt`, { agent });
    await again.body.text();
    assert.equal(again.timings.isReused, true);
  });

  test('HEAD and a conditional GET answered 304 carry no body', async () => {
    const head = await request(`${tlsUrl}/big.bin`, { agent, method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(BIG.length));
    assert.equal((await head.body.bytes()).length, 0);
    const etag = head.headers.get('etag') as string;
    const cached = await request(`${tlsUrl}/big.bin`, { agent, headers: { 'if-none-match': etag } });
    assert.equal(cached.status, 304);
    assert.equal((await cached.body.bytes()).length, 0);
  });

  test('a gzip answer is decoded', async () => {
    const res = await request(`${tlsUrl}/text.txt`, { agent, decompress: true });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.equal(await res.body.text(), 'compress me '.repeat(2000));
  });

  test('a 3 MiB upload goes through nginx to the upstream byte for byte', async () => {
    const body = BIG.subarray(0, 3 * 1024 * 1024);
    const res = await request(`${tlsUrl}/upload`, { agent, method: 'POST', body });
    assert.equal(res.httpVersion, '2');
    assert.deepEqual(await res.body.json(), { length: body.length, sha256: createHash('sha256').update(body).digest('hex'), method: 'POST' });
  });

  test("nginx's GOAWAY after its idle timeout: the next request opens a new connection", async () => {
    const first = await request(`${clearUrl}/hello.txt`, { agent, httpVersion: '2' });
    await first.body.text();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // keepalive_timeout 1s
    const second = await request(`${clearUrl}/hello.txt`, { agent, httpVersion: '2' });
    assert.equal(await second.body.text(), 'hello from nginx\n');
    assert.equal(second.timings.isReused, false);
  });
});
