// Static files composed with an app: mounted under a prefix, and as a Fetch-standard function in
// a real Hono app served by serve({ fetch: app.fetch }) over 127.0.0.1.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Hono } from 'hono';
import { serve } from '../../src/server/index.js';
import { StaticError } from '../../src/static/errors.js';
import { staticFetch } from '../../src/static/fetch.js';
import { staticFiles } from '../../src/static/handler.js';
import { connect, get, start } from '../server/harness.js';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'courier-mount-'));
  writeFileSync(join(dir, 'hello.txt'), 'from disk');
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'a.txt'), 'a');
  // Above the in-memory limit set below: served as a file range, streamed.
  const big = Buffer.alloc(3000);
  for (let i = 0; i < big.length; i++) big[i] = i & 0xff;
  writeFileSync(join(dir, 'big.bin'), big);
  return dir;
}

test('prefix serves /assets/x from dir/x; outside the prefix goes to onNoMatch', { timeout: 10_000 }, async () => {
  const app = staticFiles(folder(), { prefix: '/assets', onNoMatch: (req) => ({ status: 200, body: `app ${req.method} ${req.path}` }) });
  const server = await start(app);
  const client = await connect(server);
  client.write(get('/assets/hello.txt') + get('/hello.txt') + get('/assetsx/hello.txt') + get('/assets') + get('/assets/sub') + get('/assets/nothing') + 'POST /other HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  const replies = await client.replyCount(7);
  assert.deepEqual(
    replies.map((r) => [r.head.statusCode, r.head.statusCode === 301 ? r.head.headers.get('location') : r.body.toString()]),
    [
      [200, 'from disk'],
      [200, 'app GET /hello.txt'],
      [200, 'app GET /assetsx/hello.txt'],
      [301, '/assets/'],
      [301, '/assets/sub/'],
      [200, 'app GET /assets/nothing'],
      [200, 'app POST /other'],
    ],
  );
  client.destroy();
  await server.close();
});

test('prefix without onNoMatch: outside is 404 (even POST), the listing links carry the prefix', { timeout: 10_000 }, async () => {
  const server = await start(staticFiles(folder(), { prefix: '/files/v1' }));
  const client = await connect(server);
  client.write(get('/hello.txt') + 'POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n' + get('/files/v1/sub/'));
  const replies = await client.replyCount(3);
  assert.deepEqual(replies.map((r) => r.head.statusCode), [404, 404, 200]);
  const listing = (replies[2] as { body: Buffer }).body.toString();
  assert.match(listing, /href="\/files\/v1\/"/);
  assert.match(listing, /href="\/files\/v1\/sub\/"/);
  client.destroy();
  await server.close();
});

test('an invalid prefix is refused with STATIC_INVALID_OPTION', () => {
  for (const prefix of ['assets', '/assets/', '/', '/a/../b', '/a b']) {
    assert.throws(() => staticFiles(folder(), { prefix }), (e: unknown) => e instanceof StaticError && e.code === 'STATIC_INVALID_OPTION' && e.message.includes('"prefix"'), prefix);
  }
});

test('staticFetch in a Hono app on serve({ fetch }): file, range, 304, HEAD, fall-through to routes', { timeout: 15_000 }, async () => {
  const dir = folder();
  const files = staticFetch(dir, { prefix: '/static', maxFileBytes: 1024, compress: false });
  const app = new Hono();
  app.use(async (c, next) => (await files(c.req.raw)) ?? next());
  app.get('/static/api', (c) => c.text('hono route under the prefix'));
  app.get('/hello', (c) => c.text('hono route'));
  app.post('/static/hello.txt', async (c) => c.text(`hono got ${await c.req.text()}`));
  const server = await serve({ fetch: app.fetch, port: 0, onError: () => {} });
  const url = (path: string): URL => new URL(path, server.url);
  try {
    const file = await fetch(url('/static/hello.txt'));
    assert.equal(file.status, 200);
    assert.equal(await file.text(), 'from disk');
    const etag = file.headers.get('etag');
    assert.ok(etag !== null && etag.length > 2, 'an ETag');
    assert.equal(file.headers.get('content-length'), '9');
    assert.match(file.headers.get('content-type') ?? '', /^text\/plain/);

    const notModified = await fetch(url('/static/hello.txt'), { headers: { 'if-none-match': etag } });
    assert.equal(notModified.status, 304);
    assert.equal(notModified.headers.get('etag'), etag);
    assert.equal((await notModified.arrayBuffer()).byteLength, 0);

    // A range of a small (in-memory) file and of a big (streamed from disk) one.
    const small = await fetch(url('/static/hello.txt'), { headers: { range: 'bytes=5-' } });
    assert.equal(small.status, 206);
    assert.equal(small.headers.get('content-range'), 'bytes 5-8/9');
    assert.equal(await small.text(), 'disk');
    const big = await fetch(url('/static/big.bin'), { headers: { range: 'bytes=1000-1009' } });
    assert.equal(big.status, 206);
    assert.equal(big.headers.get('content-range'), 'bytes 1000-1009/3000');
    assert.deepEqual([...new Uint8Array(await big.arrayBuffer())], [232, 233, 234, 235, 236, 237, 238, 239, 240, 241]);
    const whole = new Uint8Array(await (await fetch(url('/static/big.bin'))).arrayBuffer());
    assert.equal(whole.length, 3000);
    assert.equal(whole[2999], 2999 & 0xff);

    const head = await fetch(url('/static/hello.txt'), { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), '9');

    // What no file answers falls through to Hono: inside the prefix, outside it, other methods.
    const route = await fetch(url('/static/api'));
    assert.equal(await route.text(), 'hono route under the prefix');
    assert.equal(await (await fetch(url('/hello'))).text(), 'hono route');
    const post = await fetch(url('/static/hello.txt'), { method: 'POST', body: 'a body' });
    assert.equal(await post.text(), 'hono got a body');
    const missing = await fetch(url('/static/nothing.txt'));
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), '404 Not Found');
  } finally {
    await server.close();
  }
});
