import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'courier-server-'));
const small = join(dir, 'small.txt');
const big = join(dir, 'big.bin');
writeFileSync(small, '0123456789abcdef');
const bigData = Buffer.alloc(3 * 1024 * 1024 + 17);
for (let i = 0; i < bigData.length; i++) bigData[i] = (i * 31) & 0xff;
writeFileSync(big, bigData);

async function* chunks(): AsyncGenerator<Uint8Array> {
  yield Buffer.from('one,');
  yield Buffer.from('two');
}

test('every body kind is framed right', { timeout: 20_000 }, async () => {
  const server = await start((req) => {
    switch (req.path) {
      case '/text':
        return { status: 200, body: 'héllo wörld' };
      case '/bytes':
        return { status: 200, body: new Uint8Array([1, 2, 3]) };
      case '/range':
        return { status: 206, body: { kind: 'file', path: small, start: 4, end: 10 } };
      case '/big-file':
        return { status: 200, body: { kind: 'file', path: big, start: 0, end: bigData.length } };
      case '/missing-file':
        return { status: 200, body: { kind: 'file', path: join(dir, 'nope'), start: 0, end: 5 } };
      case '/stream':
        return { status: 200, body: chunks() };
      case '/readable':
        return { status: 200, body: Readable.from([Buffer.from('rea'), Buffer.from('dable')]) };
      case '/sized-stream':
        return { status: 200, headers: { 'content-length': '7' }, body: chunks() };
      case '/trailers':
        return { status: 200, body: chunks(), trailers: { 'x-checksum': 'abc' } };
      case '/empty':
        return { status: 204, headers: { 'content-length': '99' } };
      default:
        return { status: 200 };
    }
  });
  const client = await connect(server);
  const paths = ['/text', '/bytes', '/range', '/big-file', '/missing-file', '/stream', '/readable', '/sized-stream', '/trailers', '/empty', '/none'];
  client.write(paths.map((p) => get(p)).join(''));
  const replies = await client.replyCount(paths.length);
  const by = (p: string) => replies[paths.indexOf(p)] as (typeof replies)[number];
  assert.equal(by('/text').body.toString(), 'héllo wörld');
  assert.equal(by('/text').head.headers.get('content-length'), String(Buffer.byteLength('héllo wörld')));
  assert.deepEqual([...by('/bytes').body], [1, 2, 3]);
  assert.equal(by('/range').head.statusCode, 206);
  assert.equal(by('/range').body.toString(), '456789');
  assert.equal(by('/big-file').body.equals(bigData), true);
  assert.equal(by('/missing-file').head.statusCode, 404);
  assert.equal(by('/stream').head.headers.get('transfer-encoding'), 'chunked');
  assert.equal(by('/stream').body.toString(), 'one,two');
  assert.equal(by('/readable').body.toString(), 'readable');
  assert.equal(by('/sized-stream').head.headers.get('content-length'), '7');
  assert.equal(by('/sized-stream').head.framing, 'length');
  assert.equal(by('/trailers').body.toString(), 'one,two');
  assert.equal(by('/empty').head.statusCode, 204);
  assert.equal(by('/empty').head.headers.get('content-length'), undefined);
  assert.equal(by('/none').head.headers.get('content-length'), '0');
  client.destroy();
  await server.close();
});

test('HEAD gets the headers a GET would and no body', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'twelve bytes' }));
  const client = await connect(server);
  client.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\n' + get());
  const replies = await client.replyCount(2);
  assert.equal(replies[0]?.head.headers.get('content-length'), '12');
  assert.equal(replies[0]?.body.length, 0);
  assert.equal(replies[1]?.body.toString(), 'twelve bytes');
  client.destroy();
  await server.close();
});

test('a stream body to an HTTP/1.0 client is close-delimited', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200, body: chunks() }));
  const client = await connect(server);
  client.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  await client.closedByPeer();
  assert.equal(client.replies[0]?.body.toString(), 'one,two');
  assert.equal(client.replies[0]?.head.headers.get('transfer-encoding'), undefined);
  await server.close();
});

test('a stream longer than its Content-Length breaks the connection instead of the framing', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200, headers: { 'content-length': '3' }, body: chunks() }));
  const client = await connect(server);
  client.write(get());
  await client.closedByPeer();
  assert.equal(client.replies.length, 0);
  assert.equal((server.errors[0] as { code?: string }).code, 'SERVER_BODY_LENGTH_MISMATCH');
  await server.close();
});

test('a client that reads slowly never makes the server buffer without bound', { timeout: 20_000 }, async () => {
  let produced = 0;
  async function* endless(): AsyncGenerator<Uint8Array> {
    const block = Buffer.alloc(64 * 1024, 0x7a);
    for (;;) {
      produced += block.length;
      yield block;
    }
  }
  const server = await start(() => ({ status: 200, body: endless() }));
  const client = await connect(server);
  client.socket.pause();
  client.write(get());
  await new Promise((r) => setTimeout(r, 500));
  const first = produced;
  await new Promise((r) => setTimeout(r, 500));
  // The kernel buffers take a few MiB; after that production stops.
  assert.equal(produced, first);
  assert.ok(produced < 64 * 1024 * 1024, `produced ${produced} bytes`);
  client.destroy();
  await server.close();
});

test('user Date and Connection: close are honoured; framing fields are the engine\'s', { timeout: 10_000 }, async () => {
  const server = await start(() => ({
    status: 200,
    headers: [
      ['Date', 'Thu, 01 Jan 1970 00:00:00 GMT'],
      ['Connection', 'close'],
      ['Transfer-Encoding', 'chunked'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
    ],
    body: 'x',
  }));
  const client = await connect(server);
  client.write(get() + get());
  await client.closedByPeer();
  assert.equal(client.replies.length, 1);
  const head = client.replies[0]?.head;
  assert.equal(head?.headers.get('date'), 'Thu, 01 Jan 1970 00:00:00 GMT');
  assert.equal(head?.headers.get('content-length'), '1');
  assert.equal(head?.headers.get('transfer-encoding'), undefined);
  assert.deepEqual(head?.headers.getAll('set-cookie'), ['a=1', 'b=2']);
  await server.close();
});

test('a header name seen before is still validated when its value changes', { timeout: 10_000 }, async () => {
  const values = ['first', 'second', 'evil\r\nX-Injected: 1', 'second'];
  let i = 0;
  const server = await start(() => ({ status: 200, headers: { 'X-Repeat': values[i++] as string }, body: 'b' }));
  const client = await connect(server);
  client.write(get() + get() + get() + get());
  const replies = await client.replyCount(4);
  assert.deepEqual(
    replies.map((r) => [r.head.statusCode, r.head.headers.get('x-repeat') ?? null, r.head.headers.get('x-injected') ?? null]),
    [
      [200, 'first', null],
      [200, 'second', null],
      [500, null, null],
      [200, 'second', null],
    ],
  );
  client.destroy();
  await server.close();
});

test('a client that disconnects during a big file leaves the server serving the next one', { timeout: 20_000 }, async () => {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  const server = await start(() => ({ status: 200, body: { kind: 'file', path: big, start: 0, end: bigData.length } }));
  for (let i = 0; i < 5; i++) {
    const quitter = await connect(server);
    quitter.write(get());
    // Let the first blocks (and a read-ahead) be in flight, then vanish.
    await new Promise<void>((resolve) => quitter.socket.once('data', () => resolve()));
    quitter.destroy();
  }
  const client = await connect(server);
  client.write(get());
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.equals(bigData), true);
  client.destroy();
  await new Promise((r) => setTimeout(r, 100));
  process.off('unhandledRejection', onRejection);
  assert.deepEqual(rejections, []);
  await server.close();
});
