import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { connect, get, start, text } from './harness.js';

test('a 100 MiB upload streams to the handler with backpressure and bounded memory', { timeout: 60_000 }, async () => {
  const total = 100 * 1024 * 1024;
  let peakGrowth = 0;
  const baseline = process.memoryUsage().rss;
  const server = await start(async (req) => {
    let received = 0;
    for await (const chunk of req.body) {
      received += chunk.length;
      peakGrowth = Math.max(peakGrowth, process.memoryUsage().rss - baseline);
    }
    return { status: 200, body: String(received) };
  });
  const client = await connect(server);
  client.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
  const block = Buffer.alloc(256 * 1024, 0x61);
  for (let sent = 0; sent < total; sent += block.length) {
    if (!client.socket.write(block)) await once(client.socket, 'drain');
  }
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), String(total));
  assert.ok(peakGrowth < 200 * 1024 * 1024, `RSS grew by ${peakGrowth} bytes`);
  client.destroy();
  await server.close();
});

test('a slow body reader pauses the socket instead of buffering the upload', { timeout: 20_000 }, async () => {
  let maxBuffered = 0;
  const server = await start(async (req) => {
    let received = 0;
    for await (const chunk of req.body) {
      received += chunk.length;
      await new Promise((r) => setTimeout(r, 1));
    }
    return { status: 200, body: String(received) };
  }, { maxBodyBuffer: 64 * 1024 });
  const client = await connect(server);
  const total = 8 * 1024 * 1024;
  client.write(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
  const block = Buffer.alloc(64 * 1024, 0x62);
  let stalled = false;
  for (let sent = 0; sent < total; sent += block.length) {
    if (!client.socket.write(block)) {
      stalled = true;
      maxBuffered = Math.max(maxBuffered, client.socket.writableLength);
      await once(client.socket, 'drain');
    }
  }
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), String(total));
  assert.ok(stalled, 'the client had to wait for the server to read');
  client.destroy();
  await server.close();
});

test('a chunked upload is decoded and trailers are not body', { timeout: 10_000 }, async () => {
  const server = await start(async (req) => ({ status: 200, body: `${req.hasBody} ${await text(req.body)}` }));
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), 'true hello world');
  client.destroy();
  await server.close();
});

test('Expect: 100-continue is answered before the body is read', { timeout: 10_000 }, async () => {
  const server = await start(async (req) => ({ status: 200, body: await text(req.body) }));
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n');
  await client.until(() => client.raw.toString('latin1').startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
  assert.equal(client.replies.length, 0);
  client.write('data');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), 'data');
  client.destroy();
  await server.close();
});

test('a handler that answers without reading a 100-continue body gets no 100 and the connection closes', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 413, body: 'no thanks' }));
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n');
  await client.closedByPeer();
  assert.equal(client.raw.toString('latin1').startsWith('HTTP/1.1 413 '), true);
  assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
  await server.close();
});

test('a small unread body is skipped and the connection reused', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }));
  const client = await connect(server);
  client.write('POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789' + get('/b'));
  const replies = await client.replyCount(2);
  assert.deepEqual(
    replies.map((r) => r.body.toString()),
    ['/a', '/b'],
  );
  assert.equal(replies[0]?.head.headers.get('connection'), undefined);
  client.destroy();
  await server.close();
});

test('a big unread body closes the connection after the response', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 401, body: 'who are you' }));
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\npartial');
  await client.closedByPeer();
  assert.equal(client.replies[0]?.head.statusCode, 401);
  assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
  await server.close();
});

test('the body can be read only once', { timeout: 10_000 }, async () => {
  const server = await start(async (req) => {
    await text(req.body);
    try {
      await text(req.body);
      return { status: 200, body: 'twice' };
    } catch (error) {
      return { status: 200, body: String((error as { code?: string }).code) };
    }
  });
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), 'SERVER_BODY_CONSUMED');
  client.destroy();
  await server.close();
});

test('a handler can stream its response while it still reads the request body', { timeout: 20_000 }, async () => {
  const server = await start((req) => ({
    status: 200,
    body: (async function* echo() {
      for await (const chunk of req.body) yield chunk;
    })(),
  }));
  const client = await connect(server);
  const total = 4 * 1024 * 1024;
  client.write(`PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: ${total}\r\n\r\n`);
  const block = Buffer.alloc(64 * 1024, 0x65);
  for (let sent = 0; sent < total; sent += block.length) {
    if (!client.socket.write(block)) await once(client.socket, 'drain');
  }
  client.write(get('/after'));
  const replies = await client.replyCount(2);
  assert.equal(replies[0]?.body.length, total);
  assert.equal(replies[0]?.head.headers.get('connection'), undefined);
  assert.equal(replies[1]?.head.statusCode, 200);
  client.destroy();
  await server.close();
});

test('a streamed answer that reads a 100-continue body gets the 100 first', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({
    status: 200,
    body: (async function* echo() {
      for await (const chunk of req.body) yield chunk;
    })(),
  }));
  const client = await connect(server);
  client.write('POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
  await client.until(() => client.raw.toString('latin1').startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
  client.write('hello');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), 'hello');
  client.destroy();
  await server.close();
});
