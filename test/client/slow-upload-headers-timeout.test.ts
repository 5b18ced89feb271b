// headersTimeout is about the server's silence once the request is sent (undici: "while not
// sending the request"). It was armed when the request was dispatched, so an upload that took
// longer than headersTimeout failed with "no response head" while the server was still reading.
// It now counts from the last request byte sent; a server that stops reading still times out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

test('a streamed upload longer than headersTimeout is answered', { timeout: 30_000 }, async () => {
  const { server, url } = await httpServer((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => {
      n += c.length;
    });
    req.on('end', () => res.end(`got ${n}`));
  });
  const agent = new Agent();
  try {
    async function* slowly(): AsyncGenerator<Uint8Array> {
      // About 3 s in all, each pause far below headersTimeout.
      for (let i = 0; i < 30; i++) {
        yield Buffer.alloc(1000, 0x61);
        await sleep(100);
      }
    }
    const res = await request(url, { agent, method: 'PUT', body: slowly(), headersTimeout: 1500 });
    assert.equal(await res.body.text(), 'got 30000');
  } finally {
    await agent.close();
    await close(server);
  }
});

test('a large byte body that takes longer than headersTimeout to send is answered', { timeout: 30_000 }, async () => {
  const { server, url } = await httpServer((req, res) => {
    let n = 0;
    // Read the first half slowly (a pause after every chunk: seconds in all), then at full speed:
    // what the kernel still buffers after the client's last write must not be what the test
    // times, or a busy machine fails it.
    req.on('data', (c: Buffer) => {
      n += c.length;
      if (n >= 8 * 1024 * 1024) return;
      req.pause();
      setTimeout(() => req.resume(), 20);
    });
    req.on('end', () => res.end(`got ${n}`));
  });
  const agent = new Agent();
  try {
    const body = Buffer.alloc(16 * 1024 * 1024, 0x62);
    const res = await request(url, { agent, method: 'PUT', body, headersTimeout: 1500 });
    assert.equal(await res.body.text(), `got ${body.length}`);
  } finally {
    await agent.close();
    await close(server);
  }
});

test('a server that stops reading the upload and never answers still times out', { timeout: 30_000 }, async () => {
  const { server, url } = await httpServer((req) => {
    req.pause();
  });
  const agent = new Agent();
  try {
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) yield Buffer.alloc(64 * 1024, 0x63);
    }
    await assert.rejects(request(url, { agent, method: 'PUT', body: endless(), headersTimeout: 1000 }), { code: 'CLIENT_HEADERS_TIMEOUT' });
  } finally {
    agent.destroy();
    await close(server);
  }
});
