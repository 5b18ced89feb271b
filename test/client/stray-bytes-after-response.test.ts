import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

// Fixed bug: a server that wrote more than its response (a second, unasked-for response) had
// those bytes parsed as the answer to the next request queued for the same connection, because
// the connection was offered for reuse before the rest of that read was parsed.

test('bytes after a response are never taken as the answer to the next request', { timeout: 5000 }, async () => {
  let connection = 0;
  const { server, url } = await rawServer((socket) => {
    connection++;
    if (connection === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil');
    else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood');
  });
  const agent = new Agent();
  assert.equal(await (await request(url, { agent })).body.text(), 'ok');
  assert.equal(await (await request(url, { agent })).body.text(), 'good');
  await agent.close();
  await close(server);
});

test('a partial extra response head after the body closes the connection too', { timeout: 5000 }, async () => {
  let connection = 0;
  const { server, url } = await rawServer((socket) => {
    connection++;
    socket.write(connection === 1 ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 2' : 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood');
  });
  const agent = new Agent();
  assert.equal(await (await request(url, { agent })).body.text(), 'ok');
  assert.equal(await (await request(url, { agent })).body.text(), 'good');
  await agent.close();
  await close(server);
});

test('bytes after a response cannot answer a request that was queued behind it', { timeout: 5000 }, async () => {
  let connection = 0;
  const { server, url } = await rawServer((socket) => {
    connection++;
    if (connection === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil');
    else socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ngood');
  });
  const agent = new Agent({ maxConnections: 1 });
  const [first, second] = await Promise.all([request(url, { agent }), request(url, { agent })]);
  assert.equal(await first.body.text(), 'ok');
  assert.equal(await second.body.text(), 'good');
  await agent.close();
  await close(server);
});
