// Issue 8, client item 8: a body that stops before its declared end is an error, never a short
// success: CLIENT_PARTIAL_BODY in the library, a TypeError with that code from fetch(), exit 18
// (curl's CURLE_PARTIAL_FILE) from `courier get`. A compressed stream that stops before its end is
// CLIENT_DECOMPRESSION.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { Agent, ClientError, PartialBodyError, fetch, request } from '../../src/client/index.js';
import { runCli, type CliRun } from '../support/cli.js';
import { close, rawServer } from './helpers.js';

// Base64 of random bytes compresses to about 3/4: every compressed form is thousands of bytes.
const TEXT = randomBytes(8000).toString('base64');
const GZIP = gzipSync(TEXT);

function head(lines: string[]): string {
  return `HTTP/1.1 200 OK\r\n${lines.map((l) => `${l}\r\n`).join('')}\r\n`;
}

// Each path answers with these bytes, in two writes, then closes (FIN).
const ROUTES: Record<string, Buffer[]> = {
  '/short-length': [Buffer.from(head(['Content-Length: 1000']), 'latin1'), Buffer.alloc(400, 0x61)],
  '/no-last-chunk': [Buffer.from(head(['Transfer-Encoding: chunked']), 'latin1'), Buffer.from('3\r\nabc\r\n')],
  '/inside-chunk': [Buffer.from(head(['Transfer-Encoding: chunked']), 'latin1'), Buffer.from('5\r\nab')],
  '/gzip-short-length': [Buffer.from(head(['Content-Encoding: gzip', `Content-Length: ${GZIP.length}`]), 'latin1'), GZIP.subarray(0, 100)],
  '/gzip-no-last-chunk': [Buffer.from(head(['Content-Encoding: gzip', 'Transfer-Encoding: chunked']), 'latin1'), Buffer.from(`64\r\n${GZIP.subarray(0, 100).toString('latin1')}\r\n`, 'latin1')],
  '/gzip-cut': [Buffer.from(head(['Content-Encoding: gzip', 'Content-Length: 100']), 'latin1'), GZIP.subarray(0, 100)],
  '/deflate-cut': [Buffer.from(head(['Content-Encoding: deflate', 'Content-Length: 40']), 'latin1'), deflateSync(TEXT).subarray(0, 40)],
  '/deflate-raw-cut': [Buffer.from(head(['Content-Encoding: deflate', 'Content-Length: 40']), 'latin1'), deflateRawSync(TEXT).subarray(0, 40)],
  '/br-cut': [Buffer.from(head(['Content-Encoding: br', 'Content-Length: 20']), 'latin1'), brotliCompressSync(TEXT).subarray(0, 20)],
  '/close-delimited': [Buffer.from(head([]), 'latin1'), Buffer.from('all of it')],
};

function cli(args: string[], cwd?: string): Promise<CliRun> {
  return runCli(['get', ...args], cwd === undefined ? {} : { cwd });
}

describe('a body that stops before its declared end', { timeout: 60_000 }, () => {
  let base = '';
  let host = '';
  let server: Awaited<ReturnType<typeof rawServer>>['server'];
  let agent: Agent;

  before(async () => {
    const started = await rawServer((socket, requestHead) => {
      const path = /^\S+ (\S+)/.exec(requestHead)?.[1] ?? '/';
      const [first, rest] = ROUTES[path] ?? [Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'), Buffer.alloc(0)];
      socket.write(first as Buffer);
      setTimeout(() => socket.end(rest as Buffer), 5);
    });
    server = started.server;
    base = started.url;
    host = new URL(base).host;
    agent = new Agent();
  });

  after(async () => {
    await agent.close();
    await close(server);
  });

  async function failure(path: string, decompress = false): Promise<ClientError> {
    const res = await request(`${base}${path}`, { agent, decompress });
    const error = await res.body.bytes().then(
      () => assert.fail('the body was read as a success'),
      (e: unknown) => e,
    );
    assert.ok(ClientError.is(error), `not a ClientError: ${String(error)}`);
    return error;
  }

  test('Content-Length not reached: CLIENT_PARTIAL_BODY with how many bytes of how many', async () => {
    const error = await failure('/short-length');
    assert.ok(error instanceof PartialBodyError);
    assert.equal(error.code, 'CLIENT_PARTIAL_BODY');
    assert.equal(error.received, 400);
    assert.equal(error.expected, 1000);
    assert.equal(error.message, `Partial body: 400 of 1000 bytes received from ${host} before the connection closed`);
  });

  test('chunked without its last chunk: CLIENT_PARTIAL_BODY', async () => {
    const error = await failure('/no-last-chunk');
    assert.equal(error.code, 'CLIENT_PARTIAL_BODY');
    assert.equal(error.message, `Partial body: 3 bytes received from ${host}, the connection closed before the last chunk`);
  });

  test('closed inside a chunk: CLIENT_PARTIAL_BODY', async () => {
    const error = await failure('/inside-chunk');
    assert.equal(error.code, 'CLIENT_PARTIAL_BODY');
    assert.equal((error as PartialBodyError).received, 2);
  });

  test('iterating the body ends with the same error after the bytes that came', async () => {
    const res = await request(`${base}/short-length`, { agent });
    let n = 0;
    await assert.rejects(
      (async () => {
        for await (const chunk of res.body) n += chunk.length;
      })(),
      { code: 'CLIENT_PARTIAL_BODY' },
    );
    assert.equal(n, 400);
  });

  test('a decoded body whose transfer stopped early: CLIENT_PARTIAL_BODY, not a decoding error', async () => {
    assert.equal((await failure('/gzip-short-length', true)).code, 'CLIENT_PARTIAL_BODY');
    assert.equal((await failure('/gzip-no-last-chunk', true)).code, 'CLIENT_PARTIAL_BODY');
  });

  for (const path of ['/gzip-cut', '/deflate-cut', '/deflate-raw-cut', '/br-cut']) {
    test(`a complete transfer of a cut ${path.slice(1, -4)} stream: CLIENT_DECOMPRESSION`, async () => {
      const error = await failure(path, true);
      assert.equal(error.code, 'CLIENT_DECOMPRESSION');
    });
  }

  test('a close-delimited body ends at the close: that is its end, not a partial one', async () => {
    const res = await request(`${base}/close-delimited`, { agent });
    assert.equal(await res.body.text(), 'all of it');
  });

  test('fetch() rejects with a TypeError carrying CLIENT_PARTIAL_BODY, from text() and from the stream', async () => {
    const res = await fetch(`${base}/short-length`, { agent });
    await assert.rejects(res.text(), (error: unknown) => {
      assert.ok(error instanceof TypeError);
      assert.equal((error as TypeError & { code: string }).code, 'CLIENT_PARTIAL_BODY');
      return true;
    });
    const streamed = await fetch(`${base}/gzip-no-last-chunk`, { agent });
    const reader = (streamed.body as ReadableStream<Uint8Array>).getReader();
    await assert.rejects(
      (async () => {
        for (let r = await reader.read(); !r.done; r = await reader.read());
      })(),
      (error: unknown) => error instanceof TypeError && (error as TypeError & { code: string }).code === 'CLIENT_PARTIAL_BODY',
    );
  });

  test('courier get exits 18 with one line saying how many bytes of how many', async () => {
    const run = await cli([`${base}/short-length`]);
    assert.equal(run.code, 18);
    assert.equal(run.stdout.length, 400);
    assert.equal(run.stderr, `courier get: Partial body: 400 of 1000 bytes received from ${host} before the connection closed\n`);
  });

  test('courier get --compressed exits 18 on a chunked body without its last chunk', async () => {
    const run = await cli(['--compressed', `${base}/gzip-no-last-chunk`]);
    assert.equal(run.code, 18);
    assert.equal(run.stderr.split('\n').length, 2);
    assert.match(run.stderr, /^courier get: Partial body: 100 bytes received from .*, the connection closed before the last chunk\n$/);
  });

  test('courier get -o exits 18 and keeps the bytes that came', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'courier-partial-'));
    try {
      const run = await cli(['-s', '-o', 'out.bin', `${base}/short-length`], dir);
      assert.equal(run.code, 18);
      assert.equal(readFileSync(join(dir, 'out.bin')).length, 400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
