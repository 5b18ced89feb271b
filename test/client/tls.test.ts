import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';
import { selfSignedFiles } from '../support/tls.js';

describe('https', () => {
  let server: Server;
  let base = '';
  let cert: string;
  let dir = '';

  before(async () => {
    const generated = selfSignedFiles();
    cert = generated.cert;
    dir = generated.dir;
    server = createServer({ key: generated.key, cert: generated.cert }, (req, res) => {
      if (req.url?.startsWith('/to-http') === true) {
        res.writeHead(302, { location: req.url.slice('/to-http?'.length) }).end();
        return;
      }
      res.end(`secure ${req.url}`);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    base = `https://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a self-signed certificate is rejected by default with CLIENT_TLS', async () => {
    const agent = new Agent();
    const error = (await request(`${base}/`, { agent }).catch((e: unknown) => e)) as Error & { code: string };
    assert.equal(error.code, 'CLIENT_TLS');
    assert.match(error.message, /DEPTH_ZERO_SELF_SIGNED_CERT/);
    await agent.close();
  });

  test('the certificate is accepted when its CA is given', async () => {
    const agent = new Agent({ ca: cert });
    const res = await request(`${base}/ok`, { agent });
    assert.equal(await res.body.text(), 'secure /ok');
    const again = await request(`${base}/again`, { agent });
    assert.equal(again.timings.isReused, true);
    assert.equal(await again.body.text(), 'secure /again');
    await agent.close();
  });

  test('a name mismatch is rejected even with the CA', async () => {
    const agent = new Agent({ ca: cert, servername: 'example.test' });
    await assert.rejects(request(`${base}/`, { agent }), { code: 'CLIENT_TLS' });
    await agent.close();
  });

  test('rejectUnauthorized: false skips verification', async () => {
    const agent = new Agent({ rejectUnauthorized: false });
    const res = await fetch(`${base}/insecure`, { agent });
    assert.equal(await res.text(), 'secure /insecure');
    assert.ok(res.ok);
    await agent.close();
  });

  test('timings record connect and TLS handshake for a new connection', async () => {
    const agent = new Agent({ ca: cert });
    const res = await request(`${base}/t`, { agent });
    await res.body.text();
    const t = res.timings;
    assert.ok(t.connect > 0 && t.tls >= t.connect && t.firstByte >= t.tls && t.end >= t.firstByte);
    await agent.close();
  });

  test('a redirect from https to http is refused unless allowed', async () => {
    const plain = await httpServer((_req, res) => res.end('plain'));
    const agent = new Agent({ ca: cert });
    await assert.rejects(request(`${base}/to-http?${plain.url}/x`, { agent }), { code: 'CLIENT_REDIRECT' });
    const res = await request(`${base}/to-http?${plain.url}/x`, { agent, allowDowngrade: true });
    assert.equal(await res.body.text(), 'plain');
    await agent.close();
    await close(plain.server);
  });
});
