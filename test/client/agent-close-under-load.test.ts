// Agent.close() must always resolve. A connection still being opened when close() was called was
// dropped on arrival without telling the pool it was gone, so close() waited for ever; and the
// requests queued for it were refused although they were made before close(). Now close() lets
// every request made before it finish (queued ones too, as undici does), then resolves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

test('close() right after requests were queued answers them all, then resolves', { timeout: 20_000 }, async () => {
  const { server, url } = await httpServer((_req, res) => res.end('ok'));
  const agent = new Agent();
  try {
    const pending = Array.from({ length: 20 }, () => request(url, { agent }).then((r) => r.body.text(), (e: { code?: string }) => e.code));
    // Every connection is still being opened.
    const closed = agent.close().then(() => 'closed');
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000).unref())]);
    assert.equal(outcome, 'closed');
    const results = await Promise.all(pending);
    assert.deepEqual(results, Array.from({ length: 20 }, () => 'ok'));
    await assert.rejects(request(url, { agent }), { code: 'CLIENT_AGENT_CLOSED' });
  } finally {
    await close(server);
  }
});

test('close() under load lets in-flight requests finish and resolves', { timeout: 30_000 }, async () => {
  const { server, url } = await httpServer((req, res) => {
    // Some answers take a while, so close() finds requests in flight, queued and connecting.
    setTimeout(() => res.end(`answer ${req.url}`), Number(req.url?.slice(1)) % 20);
  });
  const agent = new Agent({ maxConnections: 8 });
  try {
    const results: string[] = [];
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      pending.push(
        request(`${url}/${i}`, { agent }).then(
          async (r) => {
            results.push(await r.body.text());
          },
          (e: { code?: string }) => {
            results.push(String(e.code));
          },
        ),
      );
      if (i === 100) await new Promise((resolve) => setTimeout(resolve, 30));
    }
    const closed = agent.close().then(() => 'closed');
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('hung'), 15_000).unref())]);
    assert.equal(outcome, 'closed');
    await Promise.all(pending);
    assert.equal(results.length, 200);
    // Every request made before close() is answered.
    assert.deepEqual(new Set(results), new Set(Array.from({ length: 200 }, (_, i) => `answer /${i}`)));
  } finally {
    await close(server);
  }
});
