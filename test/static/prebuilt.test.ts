// The hot path keeps whole answers ready (FixedResponse): these tests look for a stale cached head
// on persistent connections, where the prebuilt bytes are used.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync } from 'node:zlib';
import { createServer, type Server } from '../../src/server/index.js';
import { FixedResponse } from '../../src/server/fixed-response.js';
import type { ServerRequest } from '../../src/server/types.js';
import { staticFiles } from '../../src/static/handler.js';
import { Fields } from '../../src/wire/index.js';
import { makeFixture, type Fixture } from './harness.js';
import { rawConnect, type RawClient, type RawResponse } from '../support/raw-client.js';

/** KeepAlive is one persistent connection that sends a request and reads its answer (strictly, with the codec), one at a time. */
class KeepAlive {
  readonly #client: Promise<RawClient>;
  #sent = 0;

  constructor(port: number) {
    this.#client = rawConnect(port);
  }

  /** send writes one request and resolves with its answer. */
  async send(method: string, target: string, headers: Record<string, string> = {}, version = '1.1'): Promise<RawResponse> {
    const client = await this.#client;
    let text = `${method} ${target} HTTP/${version}\r\nHost: 127.0.0.1\r\n`;
    for (const [name, value] of Object.entries(headers)) text += `${name}: ${value}\r\n`;
    client.write(`${text}\r\n`);
    const replies = await client.replyCount(++this.#sent);
    return replies[this.#sent - 1] as RawResponse;
  }

  /** closedSoon tells whether the server closed the connection (after a short wait). */
  async closedSoon(): Promise<boolean> {
    const client = await this.#client;
    if (!client.ended && !client.closed) await new Promise((resolve) => setTimeout(resolve, 200));
    if (client.error !== null) throw client.error;
    return client.ended || client.closed;
  }

  close(): void {
    void this.#client.then((client) => client.destroy());
  }
}

function nextSecond(): Promise<void> {
  // Just past the next whole second, so the Date field must differ.
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
}

function requestFor(path: string): ServerRequest {
  const fields = new Fields();
  fields.append('Host', '127.0.0.1');
  return {
    method: 'GET',
    target: path,
    path,
    query: '',
    httpVersion: '1.1',
    headers: fields,
    hasBody: false,
    body: (async function* () {})(),
    signal: new AbortController().signal,
    remoteAddress: '127.0.0.1',
    remotePort: 40000,
    isTls: false,
  };
}

let fixture: Fixture;
let server: Server;
let port = 0;
before(async () => {
  fixture = await makeFixture();
  server = await createServer(staticFiles(fixture.root, { revalidateMs: 30 }), { onError: () => {} }).listen({ port: 0, hostname: '127.0.0.1' });
  port = server.port;
});
after(async () => {
  await server.close();
  await fixture.cleanup();
});

describe('FixedResponse in the engine', () => {
  test('the prebuilt bytes get the new Date when the second changes, and nothing else changes', async () => {
    const fixed = new FixedResponse(200, { 'Content-Type': 'text/plain', ETag: '"x"' }, Buffer.from('fixed body'));
    const own = await createServer(() => fixed).listen({ port: 0, hostname: '127.0.0.1' });
    const client = new KeepAlive(own.port);
    try {
      const first = await client.send('GET', '/');
      await nextSecond();
      const second = await client.send('GET', '/');
      assert.equal(first.body.toString(), 'fixed body');
      assert.equal(second.body.toString(), 'fixed body');
      assert.notEqual(second.headers.date, first.headers.date);
      assert.ok(Date.parse(second.headers.date as string) > Date.parse(first.headers.date as string));
      assert.equal(second.headText.replace(/Date: .*\r\n/, ''), first.headText.replace(/Date: .*\r\n/, ''));
      assert.equal(first.headers['content-length'], '10');
      assert.equal(first.headers.connection, undefined);
    } finally {
      client.close();
      await own.close();
    }
  });

  test('HEAD, HTTP/1.0 keep-alive and Connection: close still get their own framing', async () => {
    const fixed = new FixedResponse(200, { 'Content-Type': 'text/plain' }, Buffer.from('fixed body'));
    const own = await createServer(() => fixed).listen({ port: 0, hostname: '127.0.0.1' });
    const client = new KeepAlive(own.port);
    try {
      await client.send('GET', '/');
      const head = await client.send('HEAD', '/');
      assert.equal(head.headers['content-length'], '10');
      assert.equal(head.body.length, 0);
      const old = await client.send('GET', '/', { Connection: 'keep-alive' }, '1.0');
      assert.equal(old.headers.connection, 'keep-alive');
      assert.equal(old.body.toString(), 'fixed body');
      const last = await client.send('GET', '/', { Connection: 'close' });
      assert.equal(last.headers.connection, 'close');
      assert.equal(last.body.toString(), 'fixed body');
      assert.ok(await client.closedSoon());
    } finally {
      client.close();
      await own.close();
    }
  });

  test('a FixedResponse with an invalid field throws SERVER_INVALID_RESPONSE when made', () => {
    assert.throws(() => new FixedResponse(200, { 'Bad Name': 'x' }, null), { code: 'SERVER_INVALID_RESPONSE' });
    assert.throws(() => new FixedResponse(200, { 'X-Ok': 'a\r\nInjected: 1' }, null), { code: 'SERVER_INVALID_RESPONSE' });
  });
});

describe('static files on a persistent connection', () => {
  test('a hot file is answered with the same FixedResponse each time', async () => {
    const handler = staticFiles(fixture.root, { revalidateMs: 60_000 });
    await handler(requestFor('/small.txt'));
    const a = handler(requestFor('/small.txt'));
    const b = handler(requestFor('/small.txt'));
    assert.ok(a instanceof FixedResponse);
    assert.equal(a, b);
    // A folder's index too, through the memoised index key.
    await handler(requestFor('/docs/'));
    const index = handler(requestFor('/docs/'));
    assert.ok(index instanceof FixedResponse);
    assert.equal(Buffer.from(index.body as Uint8Array).toString(), '<!doctype html><title>docs</title>\n');
    assert.equal(handler(requestFor('/docs/')), index);
  });

  test('a file changed on disk is served with its new ETag, Last-Modified, length and body', async () => {
    const path = join(fixture.root, 'changing.txt');
    await writeFile(path, 'first version\n');
    await utimes(path, new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'));
    const client = new KeepAlive(port);
    try {
      const first = await client.send('GET', '/changing.txt');
      const again = await client.send('GET', '/changing.txt');
      assert.equal(again.headers.etag, first.headers.etag);
      await writeFile(path, 'the second version, longer\n');
      await utimes(path, new Date('2025-06-01T00:00:00Z'), new Date('2025-06-01T00:00:00Z'));
      // Past the 30 ms freshness window: the next request revalidates.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const changed = await client.send('GET', '/changing.txt');
      assert.equal(changed.body.toString(), 'the second version, longer\n');
      assert.equal(changed.headers['content-length'], String(changed.body.length));
      assert.notEqual(changed.headers.etag, first.headers.etag);
      assert.equal(first.headers['last-modified'], 'Mon, 01 Jan 2024 00:00:00 GMT');
      assert.equal(changed.headers['last-modified'], 'Sun, 01 Jun 2025 00:00:00 GMT');
      // The old validator no longer matches; the new one does.
      const stale = await client.send('GET', '/changing.txt', { 'If-None-Match': first.headers.etag as string });
      assert.equal(stale.status, 200);
      const fresh = await client.send('GET', '/changing.txt', { 'If-None-Match': changed.headers.etag as string });
      assert.equal(fresh.status, 304);
    } finally {
      client.close();
    }
  });

  test('If-None-Match answers 304, HEAD its head, and the next GET the whole body again', async () => {
    const client = new KeepAlive(port);
    try {
      const full = await client.send('GET', '/text.txt');
      assert.equal(full.body.toString(), fixture.text);
      const notModified = await client.send('GET', '/text.txt', { 'If-None-Match': full.headers.etag as string });
      assert.equal(notModified.status, 304);
      assert.equal(notModified.body.length, 0);
      assert.equal(notModified.headers.etag, full.headers.etag);
      assert.equal(notModified.headers['content-length'], undefined);
      const head = await client.send('HEAD', '/text.txt');
      assert.equal(head.status, 200);
      assert.equal(head.headers['content-length'], String(fixture.text.length));
      const again = await client.send('GET', '/text.txt');
      assert.equal(again.body.toString(), fixture.text);
      assert.equal(again.headText.replace(/Date: .*\r\n/, ''), full.headText.replace(/Date: .*\r\n/, ''));
    } finally {
      client.close();
    }
  });

  test('ranges and compression are unaffected by the prebuilt identity answer', async () => {
    const client = new KeepAlive(port);
    try {
      await client.send('GET', '/text.txt');
      const range = await client.send('GET', '/text.txt', { Range: 'bytes=4-8' });
      assert.equal(range.status, 206);
      assert.equal(range.body.toString(), fixture.text.slice(4, 9));
      const br = await client.send('GET', '/text.txt', { 'Accept-Encoding': 'br' });
      assert.equal(br.headers['content-encoding'], 'br');
      assert.equal(brotliDecompressSync(br.body).toString(), fixture.text);
      const brAgain = await client.send('GET', '/text.txt', { 'Accept-Encoding': 'br' });
      assert.deepEqual(brAgain.body, br.body);
      assert.notEqual(brAgain.headers.etag, (await client.send('GET', '/text.txt')).headers.etag);
      const plain = await client.send('GET', '/text.txt');
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(plain.body.toString(), fixture.text);
    } finally {
      client.close();
    }
  });
});
