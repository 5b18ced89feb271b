// A handler that returns no response object, or one without a numeric status, gets the same answer
// over HTTP/1.1 and HTTP/2: 500, and onError hears SERVER_INVALID_RESPONSE; the connection goes on.
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { test } from 'node:test';
import { ServerError, type ServerResponse } from '../../src/server/index.js';
import { connect, get, start } from './harness.js';
import { fetchH2 } from './h2-peers.js';

const OPTS = { timeout: 20_000 };
const INVALID: Record<string, unknown> = { '/null': null, '/number': 42, '/string-status': { status: '200' } };

function handler(req: { path: string }): ServerResponse {
  if (req.path in INVALID) return INVALID[req.path] as ServerResponse;
  return { status: 200, body: 'ok' };
}

const codes = (errors: unknown[]): string[] => errors.map((e) => (ServerError.is(e) ? e.code : String(e)));

test('HTTP/1.1: a response that is not an object with a numeric status is answered 500', OPTS, async () => {
  const server = await start(handler);
  const client = await connect(server);
  client.write(get('/null') + get('/number') + get('/string-status') + get('/'));
  const replies = await client.replyCount(4);
  assert.deepEqual(replies.map((r) => r.head.statusCode), [500, 500, 500, 200]);
  assert.deepEqual(codes(server.errors), ['SERVER_INVALID_RESPONSE', 'SERVER_INVALID_RESPONSE', 'SERVER_INVALID_RESPONSE']);
  client.destroy();
  await server.close();
});

test('HTTP/2: a response that is not an object with a numeric status is answered 500 on its stream', OPTS, async () => {
  const server = await start(handler);
  const session = http2.connect(`http://127.0.0.1:${server.port}`);
  try {
    const statuses = [];
    for (const path of ['/null', '/number', '/string-status', '/']) statuses.push((await fetchH2(session, { ':path': path })).status);
    assert.deepEqual(statuses, [500, 500, 500, 200]);
    assert.deepEqual(codes(server.errors), ['SERVER_INVALID_RESPONSE', 'SERVER_INVALID_RESPONSE', 'SERVER_INVALID_RESPONSE']);
  } finally {
    session.close();
    await server.close();
  }
});
