// Every response head the static server writes spells its field names one way: Title-Case, as
// the engine writes Content-Length, Date and Connection (field names are case-insensitive, RFC
// 9110 §5.1, but a head that mixes `content-type` with `Content-Length` reads as a bug).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Server } from '../../src/server/index.js';
import { makeFixture, request, startStatic, type Fixture } from './harness.js';
import { rawRequest } from '../support/raw-client.js';

let fx: Fixture;
let server: Server;

before(async () => {
  fx = await makeFixture();
  server = await startStatic(fx.root, { cors: true, headers: { 'x-frame-options': 'DENY', 'cache-control': 'no-store' } });
});
after(async () => {
  await server.close();
  await fx.cleanup();
});

// Spellings that the RFCs themselves use and that Title-Case would mangle.
const SPECIAL = new Set(['ETag', 'WWW-Authenticate']);

function isTitleCase(name: string): boolean {
  return SPECIAL.has(name) || /^[A-Z][a-z0-9]*(?:-[A-Z][a-z0-9]*)*$/.test(name);
}

const cases: { name: string; target: string; headers?: Record<string, string>; method?: string }[] = [
  { name: 'a file', target: '/small.txt' },
  { name: 'a compressed file', target: '/text.txt', headers: { 'Accept-Encoding': 'gzip' } },
  { name: 'a precompressed file', target: '/app.js', headers: { 'Accept-Encoding': 'br' } },
  { name: 'a big file', target: '/big.bin' },
  { name: 'a HEAD', target: '/small.txt', method: 'HEAD' },
  { name: 'a 304', target: '/small.txt', headers: { 'If-None-Match': '*' } },
  { name: 'a range', target: '/text.txt', headers: { Range: 'bytes=0-9' } },
  { name: 'two ranges', target: '/text.txt', headers: { Range: 'bytes=0-9,20-29' } },
  { name: 'a 416', target: '/text.txt', headers: { Range: 'bytes=999999-' } },
  { name: 'a listing', target: '/files/' },
  { name: 'a JSON listing', target: '/files/', headers: { Accept: 'application/json' } },
  { name: 'a redirect', target: '/files' },
  { name: 'a 404', target: '/nope.txt' },
  { name: 'a 400', target: '/%zz' },
  { name: 'a 405', target: '/small.txt', method: 'DELETE' },
  { name: 'an OPTIONS preflight', target: '/small.txt', method: 'OPTIONS', headers: { Origin: 'http://a', 'Access-Control-Request-Method': 'GET' } },
];

describe('response heads spell field names in Title-Case', () => {
  for (const c of cases) {
    test(c.name, async () => {
      const res = await rawRequest(server.port, request(c.target, c.headers ?? {}, c.method ?? 'GET'));
      const names = res.headText.split('\r\n').slice(1).map((line) => line.slice(0, line.indexOf(':')));
      assert.ok(names.length >= 3, res.headText);
      assert.deepEqual(names.filter((n) => !isTitleCase(n)), [], res.headText);
      assert.equal(new Set(names.map((n) => n.toLowerCase())).size, names.length, `a field is repeated: ${res.headText}`);
    });
  }

  test("the user's headers replace ours of the same name whatever their case", async () => {
    const res = await rawRequest(server.port, request('/small.txt'));
    assert.match(res.headText, /\r\nX-Frame-Options: DENY\r\n/);
    assert.match(res.headText, /\r\nCache-Control: no-store\r\n/);
    assert.doesNotMatch(res.headText, /no-cache/);
  });
});
