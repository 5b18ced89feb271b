// A listing is text, and a big folder's listing is megabytes: it is compressed like any text
// response, following Accept-Encoding, with the same head for HEAD as for GET.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Server } from '../../src/server/index.js';
import { request, startStatic } from './harness.js';
import { rawRequest } from '../support/raw-client.js';

const FILES = 3000;
let base = '';
let server: Server;
let plain: Server;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'courier-big-listing-'));
  for (let i = 0; i < FILES; i += 500) {
    await Promise.all(Array.from({ length: 500 }, (_, j) => writeFile(join(base, `photo-${String(i + j).padStart(5, '0')}.jpg`), '')));
  }
  server = await startStatic(base);
  plain = await startStatic(base, { compress: false });
});
after(async () => {
  await server.close();
  await plain.close();
  await rm(base, { recursive: true, force: true });
});

describe('big listings', () => {
  test('without Accept-Encoding the listing is sent as it is', async () => {
    const res = await rawRequest(server.port, request('/'));
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.headers.vary, 'Accept, Accept-Encoding');
    assert.ok(res.body.length > 200 * FILES, `${res.body.length} bytes`);
  });

  for (const [coding, decode] of [['br', brotliDecompressSync], ['gzip', gunzipSync]] as const) {
    test(`with Accept-Encoding: ${coding} it is compressed, the same page, a tenth of the size`, async () => {
      const identity = await rawRequest(server.port, request('/'));
      const res = await rawRequest(server.port, request('/', { 'Accept-Encoding': coding }));
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], coding);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      assert.ok(res.body.length * 10 < identity.body.length, `${res.body.length} of ${identity.body.length} bytes`);
      assert.equal(decode(res.body).toString(), identity.body.toString());
      const head = await rawRequest(server.port, request('/', { 'Accept-Encoding': coding }, 'HEAD'));
      assert.equal(head.headers['content-length'], res.headers['content-length']);
      assert.equal(head.headers['content-encoding'], coding);
      assert.equal(head.body.length, 0);
    });
  }

  test('the JSON listing is compressed too', async () => {
    const res = await rawRequest(server.port, request('/', { Accept: 'application/json', 'Accept-Encoding': 'gzip' }));
    assert.equal(res.headers['content-encoding'], 'gzip');
    const parsed = JSON.parse(gunzipSync(res.body).toString()) as { entries: unknown[] };
    assert.equal(parsed.entries.length, FILES);
  });

  test('with compression off (--no-compress) it is not', async () => {
    const res = await rawRequest(plain.port, request('/', { 'Accept-Encoding': 'br, gzip' }));
    assert.equal(res.headers['content-encoding'], undefined);
    assert.equal(res.headers.vary, 'Accept');
  });
});
