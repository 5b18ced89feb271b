// A body that fails after some bytes arrived (the server closed before its declared end) must still
// give an iterating reader every byte that arrived, then the error: a reader that starts late lost
// them (fail() emptied the queue), so `courier get -o` and scripts saved less than was received.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, PartialBodyError, request } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

const { server, url } = await rawServer((socket) => {
  socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n');
  setTimeout(() => socket.end(Buffer.alloc(400, 0x61)), 20);
});
const agent = new Agent();
after(async () => {
  await agent.close();
  await close(server);
});

test('a reader that starts after the failure gets the bytes that arrived, then CLIENT_PARTIAL_BODY', async () => {
  const res = await request(url, { agent });
  await sleep(300); // the rest of the body and the server's FIN arrive before reading starts
  let received = 0;
  await assert.rejects(
    (async () => {
      for await (const chunk of res.body) received += chunk.length;
    })(),
    (error: unknown) => error instanceof PartialBodyError && error.code === 'CLIENT_PARTIAL_BODY',
  );
  assert.equal(received, 400);
});
