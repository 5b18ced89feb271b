// Agent.close() must always resolve. A connection still being opened when close() was called was
// dropped on arrival without telling the pool it was gone, so close() waited for ever.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

test('close() right after requests were queued resolves, and the queued requests fail with CLIENT_AGENT_CLOSED', { timeout: 20_000 }, async () => {
  const { server, url } = await httpServer((_req, res) => res.end('ok'));
  const agent = new Agent();
  try {
    const pending = Array.from({ length: 20 }, () => request(url, { agent }).then((r) => r.body.text(), (e: { code?: string }) => e.code));
    // Every connection is still being opened.
    const closed = agent.close().then(() => 'closed');
    const outcome = await Promise.race([closed, new Promise((resolve) => setTimeout(() => resolve('hung'), 10_000).unref())]);
    assert.equal(outcome, 'closed');
    const results = await Promise.all(pending);
    assert.deepEqual(new Set(results), new Set(['CLIENT_AGENT_CLOSED']));
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
    // Everything is either answered or refused as closed; nothing else.
    for (const r of results) assert.ok(r.startsWith('answer /') || r === 'CLIENT_AGENT_CLOSED', r);
    assert.ok(results.some((r) => r.startsWith('answer /')));
  } finally {
    await close(server);
  }
});
