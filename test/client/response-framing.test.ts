// Issue 8, client item 9 over real sockets: an empty line before a status line (aiohttp sends one
// after 100 Continue) is skipped, and a response whose Transfer-Encoding does not end in chunked
// is read until close. Transfer codings are hop-by-hop: the client undoes gzip and deflate ones
// whatever `decompress` says, and fails on one it cannot undo rather than hand over coded bytes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { deflateSync, gzipSync } from 'node:zlib';
import { Agent, request } from '../../src/client/index.js';
import type { InterimResponse } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

const TEXT = 'transfer codings are undone by the client. '.repeat(50);

function chunked(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from('\r\n0\r\n\r\n')]);
}

const ROUTES: Record<string, Buffer> = {
  '/continue-then-empty-line': Buffer.from('HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'),
  '/empty-lines-first': Buffer.from('\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'),
  '/te-gzip': Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n'), gzipSync(TEXT)]),
  '/te-gzip-chunked': Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\nConnection: close\r\n\r\n'), chunked(gzipSync(TEXT))]),
  '/te-gzip-ce-deflate': Buffer.concat([
    Buffer.from('HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nTransfer-Encoding: gzip\r\n\r\n'),
    gzipSync(deflateSync(TEXT)),
  ]),
  '/te-unknown': Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: x-custom\r\n\r\nopaque'),
  '/te-chunked-not-last': Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n'),
};

describe('response framing', { timeout: 30_000 }, () => {
  let base = '';
  let server: Awaited<ReturnType<typeof rawServer>>['server'];
  const agent = new Agent();

  before(async () => {
    const started = await rawServer((socket, head) => {
      const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '/';
      const bytes = ROUTES[path];
      if (bytes === undefined) {
        socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      // Close-delimited and Connection: close answers end the connection; the others keep it.
      if (path === '/continue-then-empty-line') socket.write(bytes);
      else socket.end(bytes);
    });
    server = started.server;
    base = started.url;
  });

  after(async () => {
    await agent.close();
    await close(server);
  });

  test('an empty line after 100 Continue is skipped and the connection is reused', async () => {
    const interim: InterimResponse[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(`${base}/continue-then-empty-line`, { agent, onInterim: (head) => interim.push(head) });
      assert.equal(res.status, 200);
      assert.equal(await res.body.text(), 'ok');
      assert.equal(res.timings.isReused, i > 0);
    }
    assert.deepEqual(
      interim.map((h) => h.status),
      [100, 100, 100],
    );
  });

  test('empty lines before the status line are skipped', async () => {
    const res = await request(`${base}/empty-lines-first`, { agent });
    assert.equal(res.status, 200);
    assert.equal(await res.body.text(), 'hello');
  });

  test('Transfer-Encoding gzip alone: read until close and decoded, with decompress off', async () => {
    const res = await request(`${base}/te-gzip`, { agent });
    assert.equal(await res.body.text(), TEXT);
  });

  test('Transfer-Encoding gzip, chunked: decoded', async () => {
    const res = await request(`${base}/te-gzip-chunked`, { agent });
    assert.equal(await res.body.text(), TEXT);
  });

  test('a transfer coding is undone before the content coding', async () => {
    const coded = await request(`${base}/te-gzip-ce-deflate`, { agent });
    assert.deepEqual(Buffer.from(await coded.body.bytes()), deflateSync(TEXT));
    const decoded = await request(`${base}/te-gzip-ce-deflate`, { agent, decompress: true });
    assert.equal(await decoded.body.text(), TEXT);
  });

  test('a transfer coding the client cannot undo fails with CLIENT_PROTOCOL, never coded data', async () => {
    await assert.rejects(request(`${base}/te-unknown`, { agent }), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'CLIENT_PROTOCOL');
      assert.match(error.message, /^Unsupported transfer coding "x-custom" from 127\.0\.0\.1:\d+$/);
      return true;
    });
    await assert.rejects(request(`${base}/te-chunked-not-last`, { agent }), { code: 'CLIENT_PROTOCOL' });
  });
});
