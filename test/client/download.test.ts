import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, openSync, closeSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, listen } from './helpers.js';

const SIZE = 100 * 1024 * 1024;

async function freePort(): Promise<number> {
  const probe = createNetServer();
  const url = await listen(probe);
  await close(probe);
  return Number(new URL(url).port);
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} never opened`);
}

async function sha256Of(url: string, agent: Agent): Promise<{ hash: string; length: number; framing: string }> {
  const res = await request(url, { agent });
  assert.equal(res.status, 200);
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of res.body) {
    hash.update(chunk);
    length += chunk.length;
  }
  const framing = res.headers.has('content-length') ? 'length' : res.headers.has('transfer-encoding') ? 'chunked' : 'close';
  return { hash: hash.digest('hex'), length, framing };
}

describe('byte-exact 100 MiB downloads', { timeout: 90_000 }, () => {
  let dir = '';
  let file = '';
  let expected = '';
  const children: ChildProcess[] = [];
  const agent = new Agent();

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'courier-download-'));
    file = join(dir, 'big.bin');
    const hash = createHash('sha256');
    const fd = openSync(file, 'w');
    for (let written = 0; written < SIZE; written += 4 * 1024 * 1024) {
      const block = randomBytes(4 * 1024 * 1024);
      hash.update(block);
      writeSync(fd, block);
    }
    closeSync(fd);
    expected = hash.digest('hex');
  });

  after(async () => {
    await agent.close();
    for (const child of children) {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('from node:http with Content-Length', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-length': SIZE });
      createReadStream(file).pipe(res);
    });
    const url = await listen(server);
    const got = await sha256Of(`${url}/big.bin`, agent);
    assert.deepEqual(got, { hash: expected, length: SIZE, framing: 'length' });
    await close(server);
  });

  test('from node:http chunked', async () => {
    const server = createHttpServer((_req, res) => createReadStream(file).pipe(res));
    const url = await listen(server);
    const got = await sha256Of(`${url}/big.bin`, agent);
    assert.deepEqual(got, { hash: expected, length: SIZE, framing: 'chunked' });
    await close(server);
  });

  test('close-delimited from a raw server', async () => {
    const server = createNetServer((socket) => {
      socket.once('data', () => {
        socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
        createReadStream(file).pipe(socket);
      });
      socket.on('error', () => {});
    });
    const url = await listen(server);
    const got = await sha256Of(`${url}/big.bin`, agent);
    assert.deepEqual(got, { hash: expected, length: SIZE, framing: 'close' });
    await close(server);
  });

  test('from python3 -m http.server', async (t) => {
    if (spawnSync('python3', ['--version']).status !== 0) {
      t.skip('python3 not installed');
      return;
    }
    const port = await freePort();
    const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
    children.push(child);
    await waitForPort(port, child);
    const got = await sha256Of(`http://127.0.0.1:${port}/big.bin`, agent);
    assert.equal(got.hash, expected);
    assert.equal(got.length, SIZE);
  });

  test('from nginx', async (t) => {
    if (spawnSync('nginx', ['-v']).error !== undefined) {
      t.skip('nginx not installed (apt-get install -y nginx-light)');
      return;
    }
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${port}; root ${dir}; location / { gzip on; gzip_types text/plain; } } }
`,
    );
    const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
    children.push(child);
    await waitForPort(port, child);
    const got = await sha256Of(`http://127.0.0.1:${port}/big.bin`, agent);
    assert.deepEqual(got, { hash: expected, length: SIZE, framing: 'length' });
    // HEAD and a conditional request against nginx have no body.
    const head = await request(`http://127.0.0.1:${port}/big.bin`, { agent, method: 'HEAD' });
    assert.equal(head.headers.get('content-length'), String(SIZE));
    assert.equal((await head.body.bytes()).length, 0);
    const etag = head.headers.get('etag') as string;
    const cached = await request(`http://127.0.0.1:${port}/big.bin`, { agent, headers: { 'if-none-match': etag } });
    assert.equal(cached.status, 304);
    assert.equal((await cached.body.bytes()).length, 0);
    // Still on one kept-alive connection.
    assert.equal(cached.timings.isReused, true);
  });
});
