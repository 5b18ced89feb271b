import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, listen, rawServer } from './helpers.js';

test('no response head within headersTimeout fails with CLIENT_HEADERS_TIMEOUT', { timeout: 5000 }, async () => {
  const { server, url } = await rawServer(() => {});
  const agent = new Agent();
  await assert.rejects(request(url, { agent, headersTimeout: 100 }), { code: 'CLIENT_HEADERS_TIMEOUT' });
  await agent.close();
  await close(server);
});

test('a body that stalls longer than bodyTimeout fails with CLIENT_BODY_TIMEOUT', { timeout: 5000 }, async () => {
  const { server, url } = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
  const agent = new Agent();
  const res = await request(url, { agent, bodyTimeout: 100 });
  assert.equal(res.status, 200);
  await assert.rejects(res.body.text(), { code: 'CLIENT_BODY_TIMEOUT' });
  await agent.close();
  await close(server);
});

test('the total timeout covers the body too and fails with CLIENT_TIMEOUT', { timeout: 5000 }, async () => {
  // A trickle that never stalls long enough for the body timeout.
  const { server, url } = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
    const timer = setInterval(() => socket.write('1\r\nx\r\n'), 20);
    socket.on('close', () => clearInterval(timer));
  });
  const agent = new Agent();
  const res = await request(url, { agent, timeout: 200, bodyTimeout: 1000 });
  await assert.rejects(res.body.text(), { code: 'CLIENT_TIMEOUT' });
  await agent.close();
  await close(server);
});

test('a TLS handshake that never completes fails with CLIENT_CONNECT_TIMEOUT', { timeout: 5000 }, async () => {
  const server = createServer((socket) => socket.resume().on('error', () => {}));
  const url = (await listen(server)).replace('http:', 'https:');
  const agent = new Agent({ connectTimeout: 150 });
  await assert.rejects(request(url, { agent }), { code: 'CLIENT_CONNECT_TIMEOUT' });
  await agent.close();
  await close(server);
});

test('aborting before the head rejects with CLIENT_ABORTED and the signal reason as cause', { timeout: 5000 }, async () => {
  const { server, url } = await rawServer(() => {});
  const agent = new Agent();
  const controller = new AbortController();
  const pending = request(url, { agent, signal: controller.signal });
  setTimeout(() => controller.abort(new Error('user gave up')), 30);
  await assert.rejects(pending, (error: Error & { code?: string }) => {
    assert.equal(error.code, 'CLIENT_ABORTED');
    assert.equal((error.cause as Error).message, 'user gave up');
    return true;
  });
  await agent.close();
  await close(server);
});

test('aborting while the body streams fails the body and closes the connection', { timeout: 5000 }, async () => {
  let closed = 0;
  const { server, url } = await rawServer((socket) => {
    socket.on('close', () => closed++);
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
  });
  const agent = new Agent();
  const controller = new AbortController();
  const res = await request(url, { agent, signal: controller.signal });
  controller.abort();
  await assert.rejects(res.body.text(), { code: 'CLIENT_ABORTED' });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(closed, 1);
  await agent.close();
  await close(server);
});

test('an already aborted signal rejects at once', async () => {
  await assert.rejects(request('http://127.0.0.1:9/', { signal: AbortSignal.abort() }), { code: 'CLIENT_ABORTED' });
});

test('aborting a queued request leaves the others untouched', { timeout: 5000 }, async () => {
  const { server, url } = await rawServer((socket) => setTimeout(() => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 30));
  const agent = new Agent({ maxConnections: 1 });
  const first = request(url, { agent });
  const controller = new AbortController();
  const second = request(url, { agent, signal: controller.signal });
  const third = request(url, { agent });
  controller.abort();
  await assert.rejects(second, { code: 'CLIENT_ABORTED' });
  assert.equal(await (await first).body.text(), 'ok');
  assert.equal(await (await third).body.text(), 'ok');
  await agent.close();
  await close(server);
});

test('a head trickled one byte at a time still hits headersTimeout', { timeout: 5000 }, async () => {
  const head = Buffer.from('HTTP/1.1 200 OK\r\nX-Slow: ' + 'a'.repeat(200) + '\r\nContent-Length: 0\r\n\r\n');
  const { server, url } = await rawServer((socket) => {
    let i = 0;
    const timer = setInterval(() => {
      if (i < head.length) socket.write(head.subarray(i, ++i));
      else clearInterval(timer);
    }, 10);
    socket.on('close', () => clearInterval(timer));
  });
  const agent = new Agent();
  await assert.rejects(request(url, { agent, headersTimeout: 200 }), { code: 'CLIENT_HEADERS_TIMEOUT' });
  await agent.close();
  await close(server);
});
