import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { Agent, fetch, request } from '../../src/client/index.js';
import { close, httpServer, rawServer } from './helpers.js';

describe('fetch()', () => {
  const agent = new Agent();
  let base = '';
  let server: Awaited<ReturnType<typeof httpServer>>['server'];

  before(async () => {
    const started = await httpServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        if (req.url === '/gzip') {
          res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'text/plain' }).end(gzipSync('zipped text'));
          return;
        }
        if (req.url === '/redirect') {
          res.writeHead(302, { location: '/json' }).end();
          return;
        }
        if (req.url === '/empty') {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'x-multi': ['a', 'b'] });
        res.end(JSON.stringify({ method: req.method, body: Buffer.concat(parts).toString(), accept: req.headers.accept, type: req.headers['content-type'] }));
      });
    });
    server = started.server;
    base = started.url;
  });

  after(async () => {
    await agent.close();
    await close(server);
  });

  test('returns a WHATWG Response with status, headers, url and a JSON body', async () => {
    const res = await fetch(`${base}/json`, { agent });
    assert.ok(res instanceof Response);
    assert.equal(res.status, 200);
    assert.equal(res.ok, true);
    assert.equal(res.statusText, 'OK');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.headers.get('x-multi'), 'a, b');
    assert.equal(res.url, `${base}/json`);
    assert.equal(res.redirected, false);
    const body = (await res.json()) as { method: string; accept: string };
    assert.equal(body.method, 'GET');
    assert.equal(body.accept, '*/*');
    assert.equal(res.bodyUsed, true);
    await assert.rejects(res.text(), TypeError);
  });

  test('accepts a Request, Headers and a body like the standard', async () => {
    const req = new Request(`${base}/json`, { method: 'POST', body: 'from request', headers: new Headers({ 'content-type': 'text/x-test' }) });
    const res = await fetch(req, { agent });
    const body = (await res.json()) as { method: string; body: string; type: string };
    assert.deepEqual([body.method, body.body, body.type], ['POST', 'from request', 'text/x-test']);
  });

  test('the body is a ReadableStream when asked for', async () => {
    const res = await fetch(`${base}/json`, { agent });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const parts: Uint8Array[] = [];
    for (let r = await reader.read(); r.done !== true; r = await reader.read()) parts.push(r.value);
    assert.match(Buffer.concat(parts).toString(), /"method":"GET"/);
  });

  test('clone() gives two readable copies', async () => {
    const res = await fetch(`${base}/json`, { agent });
    const copy = res.clone();
    assert.equal(await res.text(), await copy.text());
    assert.equal(copy.url, `${base}/json`);
  });

  test('gzip is decoded by default', async () => {
    const res = await fetch(`${base}/gzip`, { agent });
    assert.equal(await res.text(), 'zipped text');
  });

  test('redirects are followed and reported', async () => {
    const res = await fetch(`${base}/redirect`, { agent });
    assert.equal(res.redirected, true);
    assert.equal(res.url, `${base}/json`);
    await res.arrayBuffer();
    const manual = await fetch(`${base}/redirect`, { agent, redirect: 'manual' });
    assert.equal(manual.status, 302);
    await manual.text();
  });

  test('404 and 204 resolve normally; 204 has a null body', async () => {
    const missing = await fetch(`${base}/missing`, { agent });
    assert.equal(missing.ok, false);
    assert.equal(missing.status, 404);
    await missing.text();
    const empty = await fetch(`${base}/empty`, { agent });
    assert.equal(empty.status, 204);
    assert.equal(empty.body, null);
    assert.equal(await empty.text(), '');
  });

  test('network failures reject with a TypeError that says what happened and has a code', async () => {
    const { server: dead, url } = await rawServer(() => {});
    await close(dead);
    const error = (await fetch(url, { agent }).catch((e: unknown) => e)) as TypeError & { code: string };
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, 'CLIENT_CONNECT_REFUSED');
    assert.equal(error.message, `connect ECONNREFUSED ${new URL(url).host}`);
  });

  test('an abort rejects with the signal reason, as the standard says', async () => {
    const { server: silent, url } = await rawServer(() => {});
    const controller = new AbortController();
    const pending = fetch(url, { agent, signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    await close(silent);
  });
});

test('requests reach a server on a Unix socket', { timeout: 5000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'courier-unix-'));
  const path = join(dir, 'server.sock');
  const server = createServer((req, res) => res.end(`unix ${req.url} host=${req.headers.host}`));
  server.listen(path);
  await once(server, 'listening');
  const agent = new Agent({ socketPath: path });
  const res = await request('http://courier.internal/over-unix', { agent });
  assert.equal(await res.body.text(), 'unix /over-unix host=courier.internal');
  const again = await fetch('http://courier.internal/again', { agent });
  assert.equal(await again.text(), 'unix /again host=courier.internal');
  await agent.close();
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});
