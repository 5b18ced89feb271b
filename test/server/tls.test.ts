import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { serve } from '../../src/server/index.js';
import { start, text } from './harness.js';

function selfSigned(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'courier-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}

test('tls serves HTTPS through the same engine', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await start(async (req) => ({ status: 200, body: `${req.isTls} ${req.path} ${await text(req.body)}` }), { tls });
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  const dispatcher = new Agent({ connect: { ca: tls.cert }, connections: 1 });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${server.url}s${i}`, { dispatcher, method: 'POST', body: `b${i}` });
      assert.equal(await res.body.text(), `true /s${i} b${i}`);
    }
    assert.equal(server.connectionCount, 1);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('serve({ tls }) answers a fetch handler over HTTPS', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await serve({ fetch: (req) => new Response(new URL(req.url).protocol), tls });
  const dispatcher = new Agent({ connect: { ca: tls.cert } });
  try {
    const res = await request(server.url, { dispatcher });
    assert.equal(await res.body.text(), 'https:');
  } finally {
    await dispatcher.close();
    await server.close();
  }
});
