// Issue 8, client item 8: a decoded body whose bytes arrived after the head stalled for ever (the
// bytes went to the decoded body instead of the raw one), and `courier get --compressed` then
// exited 0 with what it had. Every body here arrives in several reads.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { Agent, fetch, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const TEXT = 'courier decodes this. '.repeat(200);
const SMALL = gzipSync(TEXT);
const BIG_SIZE = 200 * 1024 * 1024;

describe('decompressed bodies that arrive after their head', { timeout: 120_000 }, () => {
  let base = '';
  let server: Awaited<ReturnType<typeof httpServer>>['server'];
  let big: Buffer;

  before(async () => {
    // A highly compressible 200 MiB stream: about 200 KiB on the wire.
    big = gzipSync(Buffer.alloc(BIG_SIZE, 0x61), { level: 9 });
    const started = await httpServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/octet-stream' });
        void (async () => {
          for (let i = 0; i < big.length; i += 16 * 1024) {
            if (!res.write(big.subarray(i, i + 16 * 1024))) await once(res, 'drain');
          }
          res.end();
        })();
        return;
      }
      // Head and the first bytes now, the rest a moment later: two reads at least.
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.write(SMALL.subarray(0, 10));
      setTimeout(() => res.end(SMALL.subarray(10)), 5);
    });
    server = started.server;
    base = started.url;
  });

  after(async () => {
    await close(server);
  });

  test('40 requests on one shared Agent all complete with the decoded text', { timeout: 30_000 }, async () => {
    const agent = new Agent();
    try {
      const texts = await Promise.all(
        Array.from({ length: 40 }, async () => {
          const res = await request(`${base}/small`, { agent, decompress: true, timeout: 20_000 });
          return res.body.text();
        }),
      );
      assert.equal(texts.length, 40);
      for (const text of texts) assert.equal(text, TEXT);
    } finally {
      await agent.close();
    }
  });

  test('iterating a decoded body that arrives in pieces gives every byte', { timeout: 30_000 }, async () => {
    const agent = new Agent();
    try {
      for (let i = 0; i < 5; i++) {
        const res = await request(`${base}/small`, { agent, decompress: true, timeout: 20_000 });
        let n = 0;
        for await (const chunk of res.body) n += chunk.length;
        assert.equal(n, TEXT.length);
      }
    } finally {
      await agent.close();
    }
  });

  test('fetch() decodes a body that arrives in pieces', { timeout: 30_000 }, async () => {
    const agent = new Agent();
    try {
      const texts = await Promise.all(Array.from({ length: 10 }, async () => (await fetch(`${base}/small`, { agent, timeout: 20_000 })).text()));
      for (const text of texts) assert.equal(text, TEXT);
    } finally {
      await agent.close();
    }
  });

  test('a 200 MiB gzip stream decodes to all of its 200 MiB', { timeout: 30_000 }, async () => {
    const agent = new Agent();
    try {
      const res = await request(`${base}/big`, { agent, decompress: true, timeout: 40_000 });
      let n = 0;
      let wrong = 0;
      for await (const chunk of res.body) {
        n += chunk.length;
        if (chunk[0] !== 0x61 || chunk[chunk.length - 1] !== 0x61) wrong++;
      }
      assert.equal(n, BIG_SIZE);
      assert.equal(wrong, 0);
    } finally {
      await agent.close();
    }
  });

  test('courier get --compressed writes all 200 MiB and exits 0', { timeout: 30_000 }, async () => {
    const child = spawn(process.execPath, [MAIN, 'get', '--compressed', '--timeout', '40', `${base}/big`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, http_proxy: '', HTTP_PROXY: '' },
    });
    let n = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      n += c.length;
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(stderr, '');
    assert.equal(n, BIG_SIZE);
    assert.equal(code, 0);
  });

  test('a slow reader of a decoded body still gets every byte', { timeout: 30_000 }, async () => {
    const agent = new Agent();
    try {
      const res = await request(`${base}/big`, { agent, decompress: true, timeout: 40_000 });
      const iterator = res.body[Symbol.asyncIterator]();
      // Let the raw bytes pile up to the high-water mark before reading.
      await sleep(200);
      let n = 0;
      for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) n += r.value.length;
      assert.equal(n, BIG_SIZE);
    } finally {
      await agent.close();
    }
  });
});
