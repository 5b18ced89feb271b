// A body left unread pauses its socket (backpressure). When the whole response had already
// arrived, the connection went back to the pool still paused: the next request sent on it waited
// for the head timeout, and a resume() from the old body could later unpause the socket under a
// body that wanted it paused. A complete response no longer holds its connection's socket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

// Just past the body's 256 KiB high-water mark: the read that crosses it holds the body's end.
const SIZE = 256 * 1024 + 1000;

test('a complete response left unread does not stall the next request on its connection', { timeout: 30_000 }, async () => {
  const payload = Buffer.alloc(SIZE, 0x62);
  const { server, url } = await httpServer((req, res) => {
    if (req.url === '/small') {
      res.end('next');
      return;
    }
    res.writeHead(200, { 'content-length': SIZE });
    res.end(payload);
  });
  const agent = new Agent({ maxConnections: 1 });
  try {
    const first = await request(`${url}/big`, { agent, headersTimeout: 20_000 });
    // Let every byte of the first response arrive while nobody reads it.
    await sleep(300);
    const started = Date.now();
    const second = await request(`${url}/small`, { agent, headersTimeout: 20_000 });
    assert.equal(await second.body.text(), 'next');
    assert.ok(Date.now() - started < 20_000);
    // The first body is still all there.
    assert.equal((await first.body.bytes()).length, SIZE);
  } finally {
    await agent.close();
    await close(server);
  }
});

test('reading an old body late does not unpause a socket that a newer body paused', { timeout: 30_000 }, async () => {
  const payload = Buffer.alloc(SIZE, 0x62);
  const big = Buffer.alloc(8 * 1024 * 1024, 0x63);
  const { server, url } = await httpServer((req, res) => {
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-length': big.length });
      res.end(big);
      return;
    }
    res.writeHead(200, { 'content-length': SIZE });
    res.end(payload);
  });
  const agent = new Agent({ maxConnections: 1 });
  try {
    const first = await request(`${url}/big`, { agent, headersTimeout: 20_000 });
    await sleep(300);
    const second = await request(`${url}/huge`, { agent, headersTimeout: 20_000 });
    // Let the second body fill up to its high-water mark and pause the socket.
    await sleep(300);
    const before = second.body.receivedBytes;
    // Reading the first body would resume the connection's socket if it still held it.
    assert.equal((await first.body.bytes()).length, SIZE);
    await sleep(300);
    const after = second.body.receivedBytes;
    assert.ok(after - before < 1024 * 1024, `the unread second body grew by ${after - before} bytes`);
    let n = 0;
    for await (const chunk of second.body) n += chunk.length;
    assert.equal(n, big.length);
  } finally {
    await agent.close();
    await close(server);
  }
});
