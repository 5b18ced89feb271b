// arrayBuffer() must return exactly the body: a Buffer's slice() is a view, and its .buffer is the
// whole pooled allocation (the response head and other bytes included).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { request, Agent } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

const body = Buffer.alloc(5000, 'x');
const { server, url } = await httpServer((_req, res) => {
  res.setHeader('Content-Type', 'application/octet-stream');
  res.end(body);
});
const agent = new Agent();
after(async () => {
  await agent.close();
  await close(server);
});

test('body.arrayBuffer() holds exactly the body bytes, not the buffer around them', async () => {
  const res = await request(url, { agent });
  const buffer = await res.body.arrayBuffer();
  assert.equal(buffer.byteLength, body.length);
  assert.deepEqual(Buffer.from(buffer), body);
});
