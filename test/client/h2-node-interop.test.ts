// The HTTP/2 client against node:http2 over 127.0.0.1: ALPN over TLS, h2c with prior knowledge,
// bodies both ways, many streams on one connection, trailers, 1xx, abort, GOAWAY, RST_STREAM.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, describe, test } from 'node:test';
import { Agent, Pool, fetch, request } from '../../src/client/index.js';
import { pattern, startH2Peer, type H2Peer } from './h2-peer.js';

describe('HTTP/2 over TLS (ALPN) against node:http2', () => {
  let peer: H2Peer;
  let agent: Agent;
  before(async () => {
    peer = await startH2Peer({ tls: true });
    agent = new Agent({ ca: peer.ca });
  });
  after(async () => {
    await agent.close();
    await peer.close();
  });

  test('GET negotiates h2 by default and reads the body', async () => {
    const res = await request(`${peer.url}/hello`, { agent });
    assert.equal(res.httpVersion, '2');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain');
    assert.equal(await res.body.text(), 'hello');
  });

  test('the request header list has the pseudo-headers and lowercase names', async () => {
    const res = await request(`${peer.url}/headers?q=1`, { agent, headers: { 'X-Custom': 'v', Connection: 'keep-alive' } });
    const seen = (await res.body.json()) as Record<string, string>;
    assert.equal(seen[':method'], 'GET');
    assert.equal(seen[':scheme'], 'https');
    assert.equal(seen[':authority'], new URL(peer.url).host);
    assert.equal(seen[':path'], '/headers?q=1');
    assert.equal(seen['x-custom'], 'v');
    assert.equal(seen.connection, undefined);
  });

  test("httpVersion '1.1' forces HTTP/1.1 through ALPN", async () => {
    const res = await request(`${peer.url}/hello`, { agent, httpVersion: '1.1' });
    assert.equal(res.httpVersion, '1.1');
    assert.equal(await res.body.text(), 'hello');
  });

  test('POST echoes 5 MiB back byte for byte (flow control both ways)', async () => {
    const body = pattern(5 * 1024 * 1024 + 3);
    const res = await request(`${peer.url}/echo`, { agent, method: 'POST', body });
    assert.equal(res.httpVersion, '2');
    const got = Buffer.from(await res.body.bytes());
    assert.equal(got.length, body.length);
    assert.ok(got.equals(body));
  });

  test('a streamed request body of unknown length is sent as DATA frames', async () => {
    async function* parts(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 64; i++) yield pattern(65536 + i);
    }
    const expected = Buffer.concat(Array.from({ length: 64 }, (_, i) => pattern(65536 + i)));
    const res = await request(`${peer.url}/echo`, { agent, method: 'POST', body: parts() });
    assert.ok(Buffer.from(await res.body.bytes()).equals(expected));
  });

  test('fetch() over HTTP/2 decodes gzip and follows redirects as over HTTP/1.1', async () => {
    const gz = await fetch(`${peer.url}/gzip`, { agent });
    assert.equal(await gz.text(), 'squeezed over h2');
    const moved = await fetch(`${peer.url}/redirect`, { agent });
    assert.equal(moved.redirected, true);
    assert.equal(moved.url, `${peer.url}/hello`);
    assert.equal(await moved.text(), 'hello');
  });

  test('fetch() speaks HTTP/2', async () => {
    const res = await fetch(`${peer.url}/bytes/100000`, { agent });
    assert.equal(res.status, 200);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(pattern(100000)));
  });
});

describe('HTTP/2 with prior knowledge (h2c) against node:http2', () => {
  let peer: H2Peer;
  before(async () => {
    peer = await startH2Peer({ tls: false });
  });
  after(async () => {
    await peer.close();
  });

  test('50 concurrent requests share ONE connection', async () => {
    const agent = new Agent();
    const before = peer.sessions;
    const bodies = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const res = await request(`${peer.url}/bytes/${1000 + i}`, { agent, httpVersion: '2' });
        assert.equal(res.httpVersion, '2');
        return Buffer.from(await res.body.bytes());
      }),
    );
    bodies.forEach((body, i) => assert.ok(body.equals(pattern(1000 + i))));
    assert.equal(peer.sessions - before, 1);
    await agent.close();
  });

  test('a Pool made for HTTP/2 carries the requests on one connection', async () => {
    const pool = new Pool(peer.url, { httpVersion: '2' });
    const texts = await Promise.all(Array.from({ length: 10 }, async () => (await pool.request(`${peer.url}/hello`)).body.text()));
    assert.deepEqual(new Set(texts), new Set(['hello']));
    assert.equal(pool.size, 1);
    await assert.rejects(pool.request(`${peer.url}/hello`, { httpVersion: '1.1' }), { code: 'CLIENT_INVALID_ARGUMENT' });
    await pool.close();
  });

  test('without httpVersion a cleartext URL stays HTTP/1.1', async () => {
    const agent = new Agent();
    // node:http2's cleartext server speaks only HTTP/2: an HTTP/1.1 request fails, it does not hang.
    await assert.rejects(request(`${peer.url}/hello`, { agent }), (error: Error & { code: string }) => error.code.startsWith('CLIENT_'));
    await agent.close();
  });

  test('trailers and 1xx responses', async () => {
    const agent = new Agent();
    const res = await request(`${peer.url}/trailers`, { agent, httpVersion: '2' });
    assert.equal(await res.body.text(), 'body');
    assert.equal(res.trailers?.get('x-checksum'), 'abc');
    const interims: number[] = [];
    const hinted = await request(`${peer.url}/early-hints`, { agent, httpVersion: '2', onInterim: (i) => interims.push(i.status) });
    assert.equal(await hinted.body.text(), 'final');
    assert.deepEqual(interims, [103]);
    await agent.close();
  });

  test('abort mid-body resets the stream (CANCEL) and the connection goes on', async () => {
    const agent = new Agent();
    const controller = new AbortController();
    const res = await request(`${peer.url}/endless`, { agent, httpVersion: '2', signal: controller.signal });
    const reset = peer.onReset('/endless');
    const reader = res.body[Symbol.asyncIterator]();
    await reader.next();
    controller.abort();
    assert.equal(await reset, 8); // CANCEL
    await assert.rejects(reader.next(), { code: 'CLIENT_ABORTED' });
    const before = peer.sessions;
    assert.equal(await (await request(`${peer.url}/hello`, { agent, httpVersion: '2' })).body.text(), 'hello');
    assert.equal(peer.sessions, before);
    await agent.close();
  });

  test('bodyTimeout resets a silent stream and fails its body with CLIENT_BODY_TIMEOUT', async () => {
    const agent = new Agent();
    const reset = peer.onReset('/silent-body');
    const res = await request(`${peer.url}/silent-body`, { agent, httpVersion: '2', bodyTimeout: 200 });
    await assert.rejects(res.body.text(), { code: 'CLIENT_BODY_TIMEOUT' });
    assert.equal(await reset, 8); // CANCEL
    await agent.close();
  });

  test('a body read slowly is not lost: backpressure holds the window', async () => {
    const agent = new Agent();
    const size = 8 * 1024 * 1024;
    const res = await request(`${peer.url}/bytes/${size}`, { agent, httpVersion: '2' });
    let total = 0;
    const parts: Buffer[] = [];
    for await (const chunk of res.body) {
      parts.push(Buffer.from(chunk));
      total += chunk.length;
      if (parts.length % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(total, size);
    assert.ok(Buffer.concat(parts).equals(pattern(size)));
    await agent.close();
  });

  test("RST_STREAM from the server mid-body is a partial body; GOAWAY closes the connection after the response", async () => {
    const agent = new Agent();
    const res = await request(`${peer.url}/reset`, { agent, httpVersion: '2' });
    await assert.rejects(res.body.text(), { code: 'CLIENT_PARTIAL_BODY' });
    const before = peer.sessions;
    const bye = await request(`${peer.url}/goaway`, { agent, httpVersion: '2' });
    assert.equal(await bye.body.text(), 'bye');
    // The next request goes on a new connection (or, sent before the GOAWAY arrived, is refused and sent again there).
    assert.equal(await (await request(`${peer.url}/hello`, { agent, httpVersion: '2' })).body.text(), 'hello');
    assert.ok(peer.sessions > before);
    await agent.close();
  });
});
