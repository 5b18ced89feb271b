import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, start } from './harness.js';

const cases: { name: string; target: string; method?: string; path: string; query: string }[] = [
  { name: 'origin-form', target: '/a/b', path: '/a/b', query: '' },
  { name: 'origin-form with a query', target: '/a?x=1&y', path: '/a', query: 'x=1&y' },
  { name: 'percent-encoding kept', target: '/f%C3%BCnke.txt?q=%20', path: '/f%C3%BCnke.txt', query: 'q=%20' },
  { name: 'absolute-form', target: 'http://example.com/a/b?x=1', path: '/a/b', query: 'x=1' },
  { name: 'absolute-form without a path', target: 'http://example.com?x', path: '/', query: 'x' },
  { name: 'asterisk-form', target: '*', method: 'OPTIONS', path: '*', query: '' },
];

test('path and query come from the request-target in every form', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: JSON.stringify([req.target, req.path, req.query]) }));
  const client = await connect(server);
  client.write(cases.map((c) => `${c.method ?? 'GET'} ${c.target} HTTP/1.1\r\nHost: example.com\r\n\r\n`).join(''));
  const replies = await client.replyCount(cases.length);
  for (const [i, c] of cases.entries()) {
    assert.deepEqual(JSON.parse(replies[i]?.body.toString() ?? ''), [c.target, c.path, c.query], c.name);
  }
  client.destroy();
  await server.close();
});

test('remoteAddress, remotePort and isTls describe the peer', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: `${req.remoteAddress} ${req.remotePort > 0} ${req.isTls}` }));
  const client = await connect(server);
  client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  const [reply] = await client.replyCount(1);
  assert.equal(reply?.body.toString(), '127.0.0.1 true false');
  client.destroy();
  await server.close();
});
