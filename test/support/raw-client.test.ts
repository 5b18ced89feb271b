// The raw client is strict: these scripted servers send exact bytes, and a framing error must
// fail the read rather than be read leniently.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { rawConnect, rawExchange, rawRequest } from './raw-client.js';

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

/** scripted answers each connection with `answer` once it saw a whole request head (and then waits for `heads` heads). */
async function scripted(answer: string, heads = 1): Promise<number> {
  const server = createServer((socket: Socket) => {
    let seen = '';
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.split('\r\n\r\n').length - 1 >= heads) socket.end(Buffer.from(answer, 'latin1'));
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

const GET = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';

test('a response is read with its status, fields, exact head text and body', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 5\r\n\r\nhello');
  const res = await rawRequest(port, GET);
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/plain');
  assert.equal(res.headers['x-a'], '1, 2');
  assert.equal(res.headText, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 5');
  assert.equal(res.body.toString(), 'hello');
});

test('a chunked body is de-chunked and its trailers kept', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nX-Sum: 42\r\n\r\n');
  const res = await rawRequest(port, GET);
  assert.equal(res.body.toString(), 'abcde');
  assert.equal(res.trailers?.get('x-sum'), '42');
});

test('pipelined responses are read in order, the HEAD one without a body', async () => {
  const answer =
    'HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n' +
    'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi' +
    'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n' +
    'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close';
  const port = await scripted(answer, 4);
  const client = await rawConnect(port);
  client.write('HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n');
  client.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n1GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  await client.closedByPeer();
  assert.deepEqual(
    client.replies.map((r) => [r.status, r.body.toString()]),
    [[200, ''], [200, 'hi'], [204, ''], [200, 'until close']],
  );
  assert.deepEqual(client.interim.map((r) => r.headText), ['HTTP/1.1 100 Continue']);
  assert.equal(client.replies[2]?.headText, 'HTTP/1.1 204 No Content');
  client.destroy();
});

test('a body longer than its Content-Length fails the read (stray bytes after the response)', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcd');
  await assert.rejects(rawRequest(port, GET), /Response rejected by the codec/);
});

test('a body shorter than its Content-Length fails the read (cut inside the response)', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabcd');
  await assert.rejects(rawRequest(port, GET), /ended inside a response/);
});

test('a chunk whose size is wrong fails the read', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n');
  await assert.rejects(rawRequest(port, GET), /WIRE_INVALID_CHUNK_DATA/);
});

test('a HEAD answer that carries a body fails the read', async () => {
  const port = await scripted('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello');
  await assert.rejects(rawRequest(port, 'HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /Response rejected by the codec/);
});

test('two responses where one was asked fail rawRequest; rawExchange returns both', async () => {
  const two = 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb';
  await assert.rejects(rawRequest(await scripted(two), GET), /Expected one response, got 2/);
  const replies = await rawExchange(await scripted(two), GET);
  assert.deepEqual(replies.map((r) => r.body.toString()), ['a', 'b']);
});
