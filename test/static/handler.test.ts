import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Server } from '../../src/server/index.js';
import { makeFixture, request, startStatic, type Fixture } from './harness.js';
import { rawRequest } from '../support/raw-client.js';

let fx: Fixture;
let server: Server;
let port = 0;
const get = (target: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(port, request(target, headers, method));

before(async () => {
  fx = await makeFixture();
  server = await startStatic(fx.root, { maxFileBytes: 512 * 1024 });
  port = server.port;
});
after(async () => {
  await server.close();
  await fx.cleanup();
});

describe('methods', () => {
  test('GET serves a file with type, length, validators and nosniff', async () => {
    const res = await get('/small.txt');
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'hello\n');
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.headers['content-length'], '6');
    assert.match(res.headers.etag ?? '', /^"[0-9a-z]+-6"$/);
    assert.match(res.headers['last-modified'] ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['accept-ranges'], 'bytes');
    assert.equal(res.headers['cache-control'], 'no-cache');
  });

  test('HEAD answers the same head as GET with no body', async () => {
    const getRes = await get('/big.bin');
    const headRes = await get('/big.bin', {}, 'HEAD');
    assert.equal(headRes.status, 200);
    assert.equal(headRes.body.length, 0);
    assert.equal(headRes.headers['content-length'], String(fx.big.length));
    assert.equal(headRes.headers.etag, getRes.headers.etag);
    assert.equal(getRes.body.length, fx.big.length);
    assert.ok(getRes.body.equals(fx.big));
  });

  test('HEAD of a small file in memory has its length', async () => {
    const res = await get('/small.txt', {}, 'HEAD');
    assert.equal(res.headers['content-length'], '6');
    assert.equal(res.body.length, 0);
  });

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    test(`${method} is 405 with Allow`, async () => {
      const res = await rawRequest(port, `${method} /small.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
    });
  }

  test('OPTIONS is 204 with Allow', async () => {
    const res = await get('/small.txt', {}, 'OPTIONS');
    assert.equal(res.status, 204);
    assert.equal(res.headers.allow, 'GET, HEAD, OPTIONS');
    assert.equal(res.headers['content-length'], undefined);
  });

  test('OPTIONS * is answered', async () => {
    const res = await get('*', {}, 'OPTIONS');
    assert.equal(res.status, 204);
  });

  test('an empty file is 200 with Content-Length 0', async () => {
    const res = await get('/empty.txt');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], '0');
  });
});

describe('directories', () => {
  test('the root serves index.html', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<h1>home<\/h1>/);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  });

  test('a folder without a slash is 301 to the same path with one, keeping the query', async () => {
    const res = await get('/docs?x=1');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/docs/?x=1');
  });

  test('a folder with a slash serves its index.html', async () => {
    const res = await get('/docs/');
    assert.equal(res.status, 200);
    assert.match(res.body.toString(), /<title>docs<\/title>/);
  });

  test('a protocol-relative path never redirects off-site', async () => {
    for (const target of ['//evil.example/docs', '//evil.example', '/\\evil.example', '///evil.example/']) {
      const res = await get(target);
      const location = res.headers.location;
      if (location !== undefined) assert.match(location, /^\/(?![\\/])/, target);
    }
  });

  test('a folder without index is listed as HTML, names escaped', async () => {
    const res = await get('/files/');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    const html = res.body.toString();
    assert.ok(html.includes('href="sub/"'));
    assert.match(res.headers['content-security-policy'] ?? '', /^default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    assert.ok(html.includes('&#60;b&#62;&#38;amp;.txt'));
    assert.equal(html.includes('<b>&amp;'), false);
  });

  test('Accept: application/json gives a JSON listing', async () => {
    const res = await get('/files/', { Accept: 'application/json' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const listing = JSON.parse(res.body.toString()) as { entries: { name: string; type: string }[] };
    assert.deepEqual(listing.entries.map((e) => [e.name, e.type]), [['sub', 'directory'], ['<b>&amp;.txt', 'file'], ['a.txt', 'file']]);
  });

  test('the listing hides dotfiles', async () => {
    const noIndex = await startStatic(fx.root, { index: 'none.html' });
    try {
      const listing = await rawRequest(noIndex.port, request('/', { Accept: 'application/json' }));
      const names = (JSON.parse(listing.body.toString()) as { entries: { name: string }[] }).entries.map((e) => e.name);
      assert.ok(names.includes('small.txt'));
      assert.equal(names.some((n) => n.startsWith('.')), false);
    } finally {
      await noIndex.close();
    }
  });

  test('a file with a trailing slash is 404', async () => {
    assert.equal((await get('/small.txt/')).status, 404);
  });
});

describe('names', () => {
  test('percent-encoded spaces and UTF-8 names are served', async () => {
    assert.equal((await get('/with%20space.txt')).body.toString(), 'space\n');
    assert.equal((await get('/f%C3%BCnke.txt')).body.toString(), 'umlaut\n');
  });
  test('/.well-known/ is served while dotfiles are 404', async () => {
    assert.equal((await get('/.well-known/security.txt')).status, 200);
    assert.equal((await get('/.env')).status, 404);
    assert.equal((await get('/.git/config')).status, 404);
  });
  test('a missing file is 404 with an HTML page', async () => {
    const res = await get('/nope.txt');
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  });
});

describe('conditional requests', () => {
  test('If-None-Match with the ETag is 304 with validators and no body', async () => {
    const first = await get('/text.txt');
    const etag = first.headers.etag as string;
    const res = await get('/text.txt', { 'If-None-Match': `"zzz", ${etag}` });
    assert.equal(res.status, 304);
    assert.equal(res.headers.etag, etag);
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.body.length, 0);
  });

  test('If-None-Match * is 304', async () => {
    assert.equal((await get('/small.txt', { 'If-None-Match': '*' })).status, 304);
  });

  test('If-Modified-Since at Last-Modified is 304, before it 200', async () => {
    const first = await get('/small.txt');
    const lastModified = first.headers['last-modified'] as string;
    assert.equal((await get('/small.txt', { 'If-Modified-Since': lastModified })).status, 304);
    const before = new Date(Date.parse(lastModified) - 10_000).toUTCString();
    assert.equal((await get('/small.txt', { 'If-Modified-Since': before })).status, 200);
  });

  test('If-Match with another tag is 412; with the tag it is 200', async () => {
    const etag = (await get('/small.txt')).headers.etag as string;
    assert.equal((await get('/small.txt', { 'If-Match': '"other"' })).status, 412);
    assert.equal((await get('/small.txt', { 'If-Match': etag })).status, 200);
  });

  test('If-Unmodified-Since before the change is 412', async () => {
    assert.equal((await get('/small.txt', { 'If-Unmodified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' })).status, 412);
  });

  test('a changed file gets a new ETag (revalidation sees the change)', async () => {
    const path = join(fx.root, 'changing.txt');
    await writeFile(path, 'one');
    await utimes(path, new Date(1_000_000_000_000), new Date(1_000_000_000_000));
    const first = await get('/changing.txt');
    await writeFile(path, 'two!');
    const second = await get('/changing.txt', { 'If-None-Match': first.headers.etag as string });
    assert.equal(second.status, 200);
    assert.equal(second.body.toString(), 'two!');
    assert.notEqual(second.headers.etag, first.headers.etag);
  });
});

describe('ranges', () => {
  test('a single range is 206 with Content-Range', async () => {
    const res = await get('/text.txt', { Range: 'bytes=4-8' });
    assert.equal(res.status, 206);
    assert.equal(res.headers['content-range'], `bytes 4-8/${fx.text.length}`);
    assert.equal(res.body.toString(), 'quick');
    assert.equal(res.headers['content-encoding'], undefined);
  });

  test('suffix and open ranges of a big file read from disk', async () => {
    const suffix = await get('/big.bin', { Range: 'bytes=-100' });
    assert.equal(suffix.status, 206);
    assert.ok(suffix.body.equals(fx.big.subarray(fx.big.length - 100)));
    const open = await get('/big.bin', { Range: `bytes=${fx.big.length - 5000}-` });
    assert.equal(open.headers['content-range'], `bytes ${fx.big.length - 5000}-${fx.big.length - 1}/${fx.big.length}`);
    assert.ok(open.body.equals(fx.big.subarray(fx.big.length - 5000)));
  });

  test('several ranges come as multipart/byteranges', async () => {
    for (const target of ['/text.txt', '/big.bin']) {
      const res = await get(target, { Range: 'bytes=0-1,10-12' });
      assert.equal(res.status, 206);
      const type = res.headers['content-type'] as string;
      const boundary = /^multipart\/byteranges; boundary=(.+)$/.exec(type)?.[1] as string;
      assert.ok(boundary);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      const text = res.body.toString('latin1');
      assert.equal(text.split(`--${boundary}\r\n`).length, 3);
      assert.ok(text.endsWith(`--${boundary}--\r\n`));
      assert.match(text, /Content-Range: bytes 0-1\/\d+\r\n/);
      assert.match(text, /Content-Range: bytes 10-12\/\d+\r\n/);
    }
  });

  test('an unsatisfiable range is 416 with Content-Range bytes */size', async () => {
    const res = await get('/small.txt', { Range: 'bytes=100-200' });
    assert.equal(res.status, 416);
    assert.equal(res.headers['content-range'], 'bytes */6');
  });

  test('a malformed range is ignored: 200 with the whole file', async () => {
    const res = await get('/small.txt', { Range: 'bytes=5-1' });
    assert.equal(res.status, 200);
    assert.equal(res.body.toString(), 'hello\n');
  });

  test('If-Range with the ETag honours the range, with another tag sends all', async () => {
    const etag = (await get('/small.txt')).headers.etag as string;
    assert.equal((await get('/small.txt', { Range: 'bytes=0-1', 'If-Range': etag })).status, 206);
    const stale = await get('/small.txt', { Range: 'bytes=0-1', 'If-Range': '"stale"' });
    assert.equal(stale.status, 200);
    assert.equal(stale.body.toString(), 'hello\n');
  });

  test('If-Range with the Last-Modified date honours the range', async () => {
    const lastModified = (await get('/small.txt')).headers['last-modified'] as string;
    assert.equal((await get('/small.txt', { Range: 'bytes=0-1', 'If-Range': lastModified })).status, 206);
  });

  test('Range on HEAD is ignored', async () => {
    const res = await get('/small.txt', { Range: 'bytes=0-1' }, 'HEAD');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-length'], '6');
  });

  test('an abusive range list is coalesced or ignored, never amplified', async () => {
    const many = `bytes=${Array.from({ length: 100 }, () => '0-').join(',')}`;
    const res = await get('/big.bin', { Range: many });
    assert.equal(res.status, 206);
    assert.equal(res.body.length, fx.big.length);
    const tooMany = `bytes=${Array.from({ length: 101 }, (_, i) => `${i * 2}-${i * 2}`).join(',')}`;
    const ignored = await get('/big.bin', { Range: tooMany });
    assert.equal(ignored.status, 200);
  });
});

describe('compression', () => {
  test('brotli on the fly when accepted, with Vary and a distinct ETag', async () => {
    const plain = await get('/text.txt');
    const res = await get('/text.txt', { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers.vary, 'Accept-Encoding');
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.notEqual(res.headers.etag, plain.headers.etag);
    assert.equal(brotliDecompressSync(res.body).toString(), fx.text);
    assert.equal(Number(res.headers['content-length']), res.body.length);
  });

  test('gzip when q-values prefer it', async () => {
    const res = await get('/text.txt', { 'Accept-Encoding': 'br;q=0.1, gzip;q=0.8' });
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(res.body).toString(), fx.text);
  });

  test('the compressed variant revalidates with its own ETag', async () => {
    const res = await get('/text.txt', { 'Accept-Encoding': 'br' });
    const again = await get('/text.txt', { 'Accept-Encoding': 'br', 'If-None-Match': res.headers.etag as string });
    assert.equal(again.status, 304);
  });

  test('precompressed sidecars are served when present', async () => {
    const br = await get('/app.js', { 'Accept-Encoding': 'br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(brotliDecompressSync(br.body).toString(), 'export const answer = 42;\n'.repeat(100));
    const gz = await get('/app.js', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(gz.body).toString(), 'export const answer = 42;\n'.repeat(100));
  });

  test('never combined with Range', async () => {
    const res = await get('/text.txt', { 'Accept-Encoding': 'br, gzip', Range: 'bytes=0-2' });
    assert.equal(res.status, 206);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.body.toString(), 'The');
  });

  test('small files and incompressible types are sent as they are', async () => {
    assert.equal((await get('/small.txt', { 'Accept-Encoding': 'br' })).headers['content-encoding'], undefined);
    assert.equal((await get('/logo.png', { 'Accept-Encoding': 'br' })).headers['content-encoding'], undefined);
  });

  test('HEAD of a compressed variant has its length', async () => {
    const get1 = await get('/text.txt', { 'Accept-Encoding': 'br' });
    const head = await get('/text.txt', { 'Accept-Encoding': 'br' }, 'HEAD');
    assert.equal(head.headers['content-length'], get1.headers['content-length']);
    assert.equal(head.body.length, 0);
  });
});

describe('options', () => {
  test('a big compressible file is compressed as a stream', async () => {
    const big = 'line of text that compresses\n'.repeat(40_000);
    await writeFile(join(fx.root, 'big.txt'), big);
    const res = await get('/big.txt', { 'Accept-Encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(gunzipSync(res.body).toString(), big);
  });

  test('cors, custom headers, cache, spa, no listing, custom 404 page', async () => {
    await writeFile(join(fx.root, '404.html'), '<h1>custom missing</h1>');
    const other = await startStatic(fx.root, {
      cors: true,
      spa: true,
      listing: false,
      cacheControl: 'public, max-age=60',
      headers: { 'X-Frame-Options': 'DENY', 'Cache-Control': 'public, max-age=60' },
    });
    try {
      const o = (target: string, headers: Record<string, string> = {}, method = 'GET') => rawRequest(other.port, request(target, headers, method));
      const res = await o('/small.txt');
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['cache-control'], 'public, max-age=60');
      const preflight = await o('/small.txt', { Origin: 'http://a.test', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' }, 'OPTIONS');
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, OPTIONS');
      assert.equal(preflight.headers['access-control-allow-headers'], 'range');
      const route = await o('/app/settings');
      assert.equal(route.status, 200);
      assert.match(route.body.toString(), /<h1>home<\/h1>/);
      const missingAsset = await o('/missing.css');
      assert.equal(missingAsset.status, 404);
      assert.equal(missingAsset.body.toString(), '<h1>custom missing</h1>');
      assert.equal((await o('/files/')).status, 404);
    } finally {
      await other.close();
    }
  });

  test('dotfiles allow and deny', async () => {
    const allow = await startStatic(fx.root, { dotfiles: 'allow' });
    const deny = await startStatic(fx.root, { dotfiles: 'deny' });
    try {
      assert.equal((await rawRequest(allow.port, request('/.env'))).status, 200);
      assert.equal((await rawRequest(deny.port, request('/.env'))).status, 403);
    } finally {
      await allow.close();
      await deny.close();
    }
  });

  test('followSymlinks serves links leading outside the root', async () => {
    const follow = await startStatic(fx.root, { followSymlinks: true });
    try {
      assert.equal((await rawRequest(follow.port, request('/escape.txt'))).status, 200);
    } finally {
      await follow.close();
    }
  });

  test('bytes survive exactly across the in-memory limit', async () => {
    const res = await get('/big.bin');
    assert.ok(Buffer.compare(res.body, fx.big) === 0);
  });
});
