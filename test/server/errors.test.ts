import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';
import { ServerError, type ServerRequest } from '../../src/server/index.js';

const rejections: { name: string; input: string; status: number }[] = [
  { name: 'a malformed request line', input: 'GET\r\n\r\n', status: 400 },
  { name: 'a missing Host in HTTP/1.1', input: 'GET / HTTP/1.1\r\n\r\n', status: 400 },
  { name: 'conflicting Content-Length values', input: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n', status: 400 },
  { name: 'Transfer-Encoding with Content-Length', input: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n', status: 400 },
  { name: 'a Content-Length too large', input: 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n', status: 413 },
  { name: 'a request-target over the limit', input: `GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, status: 414 },
  { name: 'a head over the limit', input: `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(17000)}\r\n\r\n`, status: 431 },
  { name: 'an unknown transfer coding', input: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', status: 501 },
  { name: 'HTTP/2.0 in a request line', input: 'GET / HTTP/2.0\r\nHost: x\r\n\r\n', status: 505 },
  { name: 'a bad chunk size', input: 'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', status: 400 },
  { name: 'CONNECT (no proxying here)', input: 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', status: 501 },
  { name: 'an unknown expectation', input: 'GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n', status: 417 },
];

for (const { name, input, status } of rejections) {
  test(`${name} is answered ${status} with Connection: close`, { timeout: 10_000 }, async () => {
    const server = await start((req) => ({ status: 200, body: req.path }));
    const client = await connect(server);
    client.write(input);
    await client.until(() => client.replies.length >= 1);
    assert.equal(client.replies[0]?.head.statusCode, status);
    if (status !== 417) {
      assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
      await client.closedByPeer();
    }
    client.destroy();
    await server.close();
  });
}

test('a rejection after good pipelined requests comes after their responses', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }));
  const client = await connect(server);
  client.write(get('/a') + get('/b') + 'BAD\r\n\r\n');
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => r.head.statusCode),
    [200, 200, 400],
  );
  await server.close();
});

test('a handler that throws gets 500 and the connection survives', { timeout: 10_000 }, async () => {
  const server = await start((req) => {
    if (req.path === '/sync') throw new Error('sync boom');
    if (req.path === '/async') return Promise.reject(new Error('async boom'));
    if (req.path === '/bad-header') return { status: 200, headers: { 'x-bad': 'a\r\nInjected: yes' }, body: 'no' };
    if (req.path === '/bad-status') return { status: 42 };
    return { status: 200, body: 'ok' };
  });
  const client = await connect(server);
  client.write(get('/sync') + get('/async') + get('/bad-header') + get('/bad-status') + get('/fine'));
  const replies = await client.replyCount(5);
  assert.deepEqual(
    replies.map((r) => r.head.statusCode),
    [500, 500, 500, 500, 200],
  );
  assert.equal(replies[2]?.head.headers.get('injected'), undefined);
  assert.equal(server.errors.length, 4);
  assert.equal(client.closed, false);
  client.destroy();
  await server.close();
});

test('a bad header and a bad status reach onError as the same kind of server error', { timeout: 10_000 }, async () => {
  const server = await start((req) => {
    if (req.path === '/bad-header') return { status: 200, headers: { 'x-bad': 'a\r\nInjected: yes' }, body: 'no' };
    if (req.path === '/bad-name') return { status: 200, headers: { 'x bad': '1' }, body: 'no' };
    return { status: 42 };
  });
  const client = await connect(server);
  client.write(get('/bad-header') + get('/bad-name') + get('/bad-status'));
  await client.replyCount(3);
  assert.deepEqual(
    server.errors.map((e) => [ServerError.is(e), (e as ServerError).code]),
    [
      [true, 'SERVER_INVALID_RESPONSE'],
      [true, 'SERVER_INVALID_RESPONSE'],
      [true, 'SERVER_INVALID_RESPONSE'],
    ],
  );
  client.destroy();
  await server.close();
});

test('a client that disconnects mid-response aborts the request signal', { timeout: 10_000 }, async () => {
  let seen: ServerRequest | null = null;
  const server = await start(async (req) => {
    seen = req;
    await once(req.signal, 'abort');
    return { status: 200, body: 'too late' };
  });
  const client = await connect(server);
  client.write(get('/slow'));
  while (seen === null) await new Promise((r) => setTimeout(r, 5));
  client.destroy();
  const req = seen as ServerRequest;
  if (!req.signal.aborted) await once(req.signal, 'abort');
  assert.equal((req.signal.reason as { code?: string }).code, 'SERVER_CLIENT_ABORTED');
  await server.close();
});

const limits: { name: string; options: Record<string, number>; input: string; status: number }[] = [
  { name: 'maxHeaderCount', options: { maxHeaderCount: 3 }, input: 'GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n', status: 431 },
  { name: 'maxHeadSize', options: { maxHeadSize: 64 }, input: `GET / HTTP/1.1\r\nHost: x\r\nA: ${'a'.repeat(80)}\r\n\r\n`, status: 431 },
  { name: 'maxTargetLength', options: { maxTargetLength: 16 }, input: `GET /${'t'.repeat(40)} HTTP/1.1\r\nHost: x\r\n\r\n`, status: 414 },
  {
    name: 'maxChunkExtensionSize',
    options: { maxChunkExtensionSize: 8 },
    input: `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;${'e'.repeat(40)}\r\na\r\n0\r\n\r\n`,
    status: 400,
  },
];

for (const { name, options, input, status } of limits) {
  test(`the ${name} option reaches the codec (answered ${status})`, { timeout: 10_000 }, async () => {
    const server = await start(async (req) => {
      for await (const chunk of req.body) void chunk;
      return { status: 200 };
    }, options);
    const client = await connect(server);
    client.write(input);
    await client.closedByPeer();
    assert.equal(client.replies[0]?.head.statusCode, status);
    await server.close();
  });
}
