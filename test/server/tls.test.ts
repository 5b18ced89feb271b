import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { serve } from '../../src/server/index.js';
import { selfSigned } from '../support/tls.js';
import { start, text } from './harness.js';


test('tls serves HTTPS through the same engine', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await start(async (req) => ({ status: 200, body: `${req.isTls} ${req.path} ${await text(req.body)}` }), { tls });
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  const dispatcher = new Agent({ connect: { ca: tls.cert }, connections: 1 });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${server.url}s${i}`, { dispatcher, method: 'POST', body: `b${i}` });
      assert.equal(await res.body.text(), `true /s${i} b${i}`);
    }
    assert.equal(server.connectionCount, 1);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('serve({ tls }) answers a fetch handler over HTTPS', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await serve({ fetch: (req) => new Response(new URL(req.url).protocol), tls });
  const dispatcher = new Agent({ connect: { ca: tls.cert } });
  try {
    const res = await request(server.url, { dispatcher });
    assert.equal(await res.body.text(), 'https:');
  } finally {
    await dispatcher.close();
    await server.close();
  }
});
