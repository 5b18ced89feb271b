// courier's HTTP/2 client against courier's HTTP/2 server over 127.0.0.1: both ends on the src/h2
// codec, over TLS (ALPN) and cleartext (prior knowledge), with bodies both ways and many streams.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch, request } from '../../src/client/index.js';
import { createServer, type Server } from '../../src/server/index.js';
import type { ServerRequest, ServerResponse } from '../../src/server/types.js';
import { selfSigned } from '../support/tls.js';

async function handler(req: ServerRequest): Promise<ServerResponse> {
  if (req.method === 'POST') {
    const parts: Uint8Array[] = [];
    for await (const chunk of req.body) parts.push(chunk);
    return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.concat(parts) };
  }
  return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: `${req.httpVersion} ${req.method} ${req.path}?${req.query}` };
}

const upload = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < upload.length; i++) upload[i] = (i * 31 + 7) & 0xff;

for (const mode of ['tls', 'h2c'] as const) {
  describe(`courier client and courier server over HTTP/2 (${mode})`, () => {
    let server: Server;
    let agent: Agent;
    let url: string;
    before(async () => {
      const pem = mode === 'tls' ? selfSigned() : null;
      server = createServer(handler, pem === null ? {} : { tls: pem });
      await server.listen({ port: 0, hostname: '127.0.0.1' });
      url = `${mode === 'tls' ? 'https' : 'http'}://127.0.0.1:${server.port}`;
      agent = new Agent(pem === null ? {} : { ca: pem.cert });
    });
    after(async () => {
      await agent.close();
      await server.close();
    });

    const version = mode === 'h2c' ? { httpVersion: '2' as const } : {};

    test('GET is answered over HTTP/2 on both ends', async () => {
      const res = await request(`${url}/a?b=1`, { agent, ...version });
      assert.equal(res.httpVersion, '2');
      assert.equal(res.status, 200);
      assert.equal(await res.body.text(), '2 GET /a?b=1');
    });

    test('a 3 MiB upload comes back byte for byte', async () => {
      const res = await request(`${url}/echo`, { agent, method: 'POST', body: upload, ...version });
      assert.equal(res.httpVersion, '2');
      assert.ok(Buffer.from(await res.body.bytes()).equals(upload));
    });

    test('40 concurrent requests share one connection', async () => {
      const before = server.connectionCount;
      const texts = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => (await request(`${url}/n${i}`, { agent, ...version })).body.text()),
      );
      texts.forEach((text, i) => assert.equal(text, `2 GET /n${i}?`));
      assert.ok(server.connectionCount <= Math.max(before, 1), `${server.connectionCount} connections`);
    });

    if (mode === 'tls') {
      test('fetch() negotiates h2 and reads the body', async () => {
        const res = await fetch(`${url}/f`, { agent });
        assert.equal(await res.text(), '2 GET /f?');
      });
    }
  });
}
