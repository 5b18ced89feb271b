import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

const TEXT = 'courier '.repeat(5000);

describe('decompression', () => {
  const agent = new Agent();
  let base = '';
  let server: Awaited<ReturnType<typeof httpServer>>['server'];
  const acceptSeen: Array<string | undefined> = [];

  before(async () => {
    const started = await httpServer((req, res) => {
      acceptSeen.push(req.headers['accept-encoding']);
      const path = req.url ?? '/';
      const bodies: Record<string, [string, Buffer]> = {
        '/gzip': ['gzip', gzipSync(TEXT)],
        '/deflate': ['deflate', deflateSync(TEXT)],
        '/deflate-raw': ['deflate', deflateRawSync(TEXT)],
        '/br': ['br', brotliCompressSync(TEXT)],
        '/chain': ['deflate, gzip', gzipSync(deflateSync(TEXT))],
        '/bomb': ['gzip', gzipSync(Buffer.alloc(8 * 1024 * 1024))],
        '/corrupt': ['gzip', Buffer.concat([gzipSync(TEXT).subarray(0, 20), Buffer.from('garbage!garbage!')])],
        '/unknown': ['zstd', Buffer.from('opaque')],
      };
      const entry = bodies[path];
      if (entry === undefined) {
        res.end(TEXT);
        return;
      }
      res.writeHead(200, { 'content-encoding': entry[0] });
      // Send in small pieces so the decoder sees a split stream.
      const data = entry[1];
      for (let i = 0; i < data.length; i += 1000) res.write(data.subarray(i, i + 1000));
      res.end();
    });
    server = started.server;
    base = started.url;
  });

  after(async () => {
    await agent.close();
    await close(server);
  });

  for (const path of ['/gzip', '/deflate', '/deflate-raw', '/br', '/chain']) {
    test(`${path.slice(1)} content is decoded when decompress is on`, async () => {
      const res = await request(`${base}${path}`, { agent, decompress: true });
      assert.equal(await res.body.text(), TEXT);
      assert.equal(acceptSeen.at(-1), 'gzip, deflate, br');
    });
  }

  test('content is left encoded when decompress is off (the default for request)', async () => {
    const res = await request(`${base}/gzip`, { agent });
    assert.deepEqual(Buffer.from(await res.body.bytes()), gzipSync(TEXT));
    assert.equal(acceptSeen.at(-1), undefined);
  });

  test('an unknown coding is passed through untouched', async () => {
    const res = await request(`${base}/unknown`, { agent, decompress: true });
    assert.equal(await res.body.text(), 'opaque');
  });

  test('a decompression bomb stops at maxDecompressedSize with CLIENT_DECOMPRESSION_LIMIT', async () => {
    const res = await request(`${base}/bomb`, { agent, decompress: true, maxDecompressedSize: 1024 * 1024 });
    await assert.rejects(res.body.bytes(), { code: 'CLIENT_DECOMPRESSION_LIMIT' });
  });

  test('dump() discards an encoded body without decoding it', async () => {
    const res = await request(`${base}/bomb`, { agent, decompress: true, maxDecompressedSize: 1024 });
    await res.body.dump();
    const next = await request(`${base}/gzip`, { agent, decompress: true });
    assert.equal(await next.body.text(), TEXT);
  });

  test('corrupt gzip fails with CLIENT_DECOMPRESSION', async () => {
    const res = await request(`${base}/corrupt`, { agent, decompress: true });
    await assert.rejects(res.body.text(), { code: 'CLIENT_DECOMPRESSION' });
  });

  test('the connection stays usable after a decoded body is read', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${base}/gzip`, { agent, decompress: true });
      let n = 0;
      for await (const chunk of res.body) n += chunk.length;
      assert.equal(n, TEXT.length);
    }
  });
});
