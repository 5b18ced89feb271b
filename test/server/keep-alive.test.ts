import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, get, start } from './harness.js';

test('an HTTP/1.1 connection serves several requests in turn', { timeout: 10_000 }, async () => {
  let n = 0;
  const server = await start((req) => ({ status: 200, body: `${req.path} ${++n}` }));
  const client = await connect(server);
  for (let i = 1; i <= 3; i++) {
    client.write(get(`/r${i}`));
    const replies = await client.replyCount(i);
    assert.equal(replies[i - 1]?.body.toString(), `/r${i} ${i}`);
    assert.equal(replies[i - 1]?.head.keepAlive, true);
    assert.ok(replies[i - 1]?.head.headers.get('date'));
  }
  assert.equal(server.connectionCount, 1);
  client.destroy();
  await server.close();
});

test('Connection: close ends the connection after the response', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200, body: 'bye' }));
  const client = await connect(server);
  client.write(get('/', 'Connection: close\r\n') + get('/ignored'));
  await client.closedByPeer();
  assert.equal(client.replies.length, 1);
  assert.equal(client.replies[0]?.head.headers.get('connection'), 'close');
  await server.close();
});

test('HTTP/1.0 closes unless keep-alive is asked for', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 200, body: 'ten' }));
  const plain = await connect(server);
  plain.write('GET / HTTP/1.0\r\n\r\n');
  await plain.closedByPeer();
  assert.equal(plain.replies[0]?.body.toString(), 'ten');

  const kept = await connect(server);
  kept.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  await kept.replyCount(1);
  assert.equal(kept.replies[0]?.head.headers.get('connection'), 'keep-alive');
  kept.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  await kept.replyCount(2);
  assert.equal(kept.closed, false);
  kept.destroy();
  await server.close();
});

test('maxRequestsPerConnection closes after the last allowed request', { timeout: 10_000 }, async () => {
  const server = await start(() => ({ status: 204 }), { maxRequestsPerConnection: 2 });
  const client = await connect(server);
  client.write(get() + get() + get());
  await client.closedByPeer();
  assert.equal(client.replies.length, 2);
  assert.equal(client.replies[0]?.head.headers.get('connection'), undefined);
  assert.equal(client.replies[1]?.head.headers.get('connection'), 'close');
  await server.close();
});
