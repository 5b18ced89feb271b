import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hono } from 'hono';
import { serve } from '../../src/server/index.js';
import { connect, get } from './harness.js';

test('a Hono app runs unchanged on serve()', { timeout: 10_000 }, async () => {
  const app = new Hono();
  app.get('/', (c) => c.text('Hello Hono!'));
  app.get('/users/:id', (c) => c.json({ id: c.req.param('id'), q: c.req.query('q') ?? null, ua: c.req.header('user-agent') ?? null }));
  app.post('/echo', async (c) => c.json({ got: await c.req.json<unknown>() }, 201));
  app.get('/stream', (c) => c.body(new ReadableStream({ start(ctl) { ctl.enqueue(new TextEncoder().encode('a')); ctl.enqueue(new TextEncoder().encode('b')); ctl.close(); } })));
  const server = await serve({ fetch: app.fetch, port: 0, onError: () => {} });
  try {
    const root = await fetch(server.url);
    assert.equal(root.status, 200);
    assert.equal(await root.text(), 'Hello Hono!');
    assert.match(root.headers.get('content-type') ?? '', /^text\/plain/);

    const user = await fetch(new URL('/users/42?q=x', server.url), { headers: { 'user-agent': 'test-agent' } });
    assert.deepEqual(await user.json(), { id: '42', q: 'x', ua: 'test-agent' });

    const echo = await fetch(new URL('/echo', server.url), { method: 'POST', body: JSON.stringify({ a: [1, 2] }), headers: { 'content-type': 'application/json' } });
    assert.equal(echo.status, 201);
    assert.deepEqual(await echo.json(), { got: { a: [1, 2] } });

    const stream = await fetch(new URL('/stream', server.url));
    assert.equal(await stream.text(), 'ab');

    const missing = await fetch(new URL('/nope', server.url));
    assert.equal(missing.status, 404);
  } finally {
    await server.close();
  }
});

test('the Request a fetch handler gets is a real WHATWG Request', { timeout: 10_000 }, async () => {
  let seen: Request | null = null;
  const server = await serve({
    fetch: async (request) => {
      seen = request;
      assert.ok(request instanceof Request);
      const body = await request.text();
      return new Response(`${request.method} ${new URL(request.url).pathname} ${request.headers.get('x-a')} ${body}`, { status: 202, headers: { 'x-b': 'yes' } });
    },
    onError: () => {},
  });
  try {
    const res = await fetch(new URL('/p?x=1', server.url), { method: 'PUT', body: 'data', headers: { 'x-a': 'A' } });
    assert.equal(res.status, 202);
    assert.equal(res.headers.get('x-b'), 'yes');
    assert.equal(await res.text(), 'PUT /p A data');
    assert.equal((seen as Request | null)?.cache, 'default');
  } finally {
    await server.close();
  }
});

test('a fetch handler that throws gets 500 and the connection survives', { timeout: 10_000 }, async () => {
  const errors: unknown[] = [];
  const server = await serve({
    fetch: (request) => {
      if (new URL(request.url).pathname === '/boom') throw new Error('boom');
      return new Response('fine');
    },
    onError: (e) => errors.push(e),
  });
  try {
    const client = await connect(server);
    client.write(get('/boom') + get('/ok'));
    const replies = await client.replyCount(2);
    assert.equal(replies[0]?.head.statusCode, 500);
    assert.equal(replies[1]?.body.toString(), 'fine');
    assert.equal(errors.length, 1);
    client.destroy();
  } finally {
    await server.close();
  }
});

test('a HEAD request through serve() gets the GET headers and no body', { timeout: 10_000 }, async () => {
  const server = await serve({ fetch: () => new Response('twelve bytes') });
  try {
    const client = await connect(server);
    client.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n');
    const [reply] = await client.replyCount(1);
    assert.equal(reply?.head.headers.get('content-length'), '12');
    assert.equal(reply?.body.length, 0);
    client.destroy();
  } finally {
    await server.close();
  }
});

test('a fetch handler streams a large upload through request.body', { timeout: 30_000 }, async () => {
  const server = await serve({
    fetch: async (request) => {
      let size = 0;
      for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
      return new Response(String(size));
    },
  });
  try {
    const total = 20 * 1024 * 1024;
    const client = await connect(server);
    client.write(`POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const block = Buffer.alloc(256 * 1024, 0x66);
    for (let sent = 0; sent < total; sent += block.length) {
      const frame = Buffer.concat([Buffer.from(`${block.length.toString(16)}\r\n`), block, Buffer.from('\r\n')]);
      if (!client.socket.write(frame)) await new Promise((r) => client.socket.once('drain', r));
    }
    client.write('0\r\n\r\n');
    const [reply] = await client.replyCount(1);
    assert.equal(reply?.body.toString(), String(total));
    client.destroy();
  } finally {
    await server.close();
  }
});
