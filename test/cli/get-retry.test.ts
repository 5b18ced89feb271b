// --retry N: transient failures are retried with curl's backoff or the server's Retry-After.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { MAX_RETRY_WAIT, isTransientError, retryDelay } from '../../src/cli/get-retry.js';
import { ConnectRefusedError, RequestTimeoutError } from '../../src/client/index.js';
import { close } from '../client/helpers.js';
import { courier } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';

describe('courier get --retry', { timeout: 60_000 }, () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];
  const counts = new Map<string, number>();
  const count = (path: string): number => {
    const n = (counts.get(path) ?? 0) + 1;
    counts.set(path, n);
    return n;
  };

  before(async () => {
    ({ server, base, seen } = await startEchoServer({
      // 503 twice (Retry-After in seconds, then as a date in the past), then 200.
      '/flaky': (_req, res) => {
        const n = count('/flaky');
        if (n === 1) return void res.writeHead(503, { 'retry-after': '0' }).end('busy');
        if (n === 2) return void res.writeHead(503, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() }).end('busy');
        res.end('finally');
      },
      '/always': (_req, res) => void res.writeHead(502, { 'retry-after': '0' }).end('bad gateway'),
      '/limited': (_req, res) => {
        if (count('/limited') === 1) return void res.writeHead(429).end();
        res.end('ok now');
      },
      '/missing': (_req, res) => void res.writeHead(404).end('nope'),
      '/silent': () => true,
    }));
  });

  after(async () => close(server));

  test('503 with Retry-After (seconds, then an HTTP date) is retried until it succeeds', async () => {
    const run = await courier([`${base}/flaky`, '--retry', '3']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'finally');
    assert.equal(seen.filter((s) => s.url === '/flaky').length, 3);
    assert.match(run.stderr, /^courier get: HTTP 503: retrying in 0 s, 3 retries left\ncourier get: HTTP 503: retrying in 0 s, 2 retries left\n$/);
  });

  test('retries are bounded: the last answer is printed as it is', async () => {
    const run = await courier([`${base}/always`, '--retry', '2', '-s']);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.toString(), 'bad gateway');
    assert.equal(run.stderr, '');
    assert.equal(seen.filter((s) => s.url === '/always').length, 3);
  });

  test('without Retry-After the first wait is one second', async () => {
    const started = Date.now();
    const run = await courier([`${base}/limited`, '--retry', '1']);
    assert.equal(run.stdout.toString(), 'ok now');
    assert.match(run.stderr, /HTTP 429: retrying in 1 s, 1 retry left/);
    assert.ok(Date.now() - started >= 900);
  });

  test('a timeout is transient: retried, then exit 28', async () => {
    const run = await courier([`${base}/silent`, '-m', '0.3', '--retry', '1']);
    assert.equal(run.code, 28);
    assert.equal(seen.filter((s) => s.url === '/silent').length, 2);
    assert.match(run.stderr, /^courier get: Request timeout.*: retrying in 1 s, 1 retry left\ncourier get: Request timeout/);
  });

  test('a 404 is not transient: no retry', async () => {
    const before = seen.length;
    await courier([`${base}/missing`, '--retry', '3']);
    assert.equal(seen.length - before, 1);
  });
});

test('retryDelay doubles from 1 s, honours Retry-After and is capped', () => {
  assert.deepEqual([0, 1, 2, 3].map((n) => retryDelay(n, undefined)), [1000, 2000, 4000, 8000]);
  assert.equal(retryDelay(30, undefined), MAX_RETRY_WAIT);
  assert.equal(retryDelay(0, '7'), 7000);
  assert.equal(retryDelay(0, '999999'), MAX_RETRY_WAIT);
  const now = Date.UTC(2026, 0, 1);
  assert.equal(retryDelay(0, new Date(now + 5000).toUTCString(), now), 5000);
  assert.equal(retryDelay(2, 'soon', now), 4000);
  assert.ok(isTransientError(new RequestTimeoutError('t'), false));
  assert.ok(!isTransientError(new ConnectRefusedError('r'), false));
  assert.ok(isTransientError(new ConnectRefusedError('r'), true));
});
