// courier get over real TLS: -v shows the handshake and the certificate; failures get hints.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { close, listen } from '../client/helpers.js';
import { selfSignedFiles } from '../support/tls.js';
import { courier } from './get-helpers.js';
import { startEchoServer } from '../support/echo-server.js';

describe('courier get over TLS', { timeout: 60_000 }, () => {
  let tls: Server;
  let httpsUrl = '';
  let ca = '';
  let certDir = '';
  let plain: Server;
  let plainUrl = '';

  before(async () => {
    const generated = selfSignedFiles();
    certDir = generated.dir;
    ca = join(certDir, 'cert.pem');
    tls = createHttpsServer({ key: generated.key, cert: generated.cert }, (_req, res) => res.end('secret'));
    httpsUrl = (await listen(tls)).replace('http:', 'https:');
    ({ server: plain, base: plainUrl } = await startEchoServer());
  });

  after(async () => {
    await close(tls);
    await close(plain);
    rmSync(certDir, { recursive: true, force: true });
  });

  test('-v shows the TLS version, cipher, ALPN and the certificate before the request head', async () => {
    const run = await courier([`${httpsUrl}/`, '-v', '--cacert', ca]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'secret');
    const lines = run.stderr.split('\n');
    assert.match(lines[0] as string, /^\* Connected to 127\.0\.0\.1 port \d+$/);
    assert.match(lines[1] as string, /^\* TLS TLSv1\.[23], cipher [A-Z0-9_-]+, ALPN http\/1\.1$/);
    assert.equal(lines[2], '* Server certificate subject: CN=127.0.0.1');
    assert.equal(lines[3], '* Server certificate issuer: CN=127.0.0.1');
    assert.match(lines[4] as string, /^\* Server certificate valid: \w+ +\d+ [\d:]+ \d{4} GMT to \w+ +\d+ [\d:]+ \d{4} GMT$/);
    assert.equal(lines[5], '* Server certificate names: IP Address:127.0.0.1, DNS:localhost');
    assert.equal(lines[6], '* Certificate verified');
    assert.match(lines[7] as string, /^> GET \/ HTTP\/1\.1$/);
  });

  test('with -k, -v says the certificate was not verified and why', async () => {
    const run = await courier([`${httpsUrl}/`, '-v', '-k']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /\n\* Certificate not verified \(DEPTH_ZERO_SELF_SIGNED_CERT\)\n/);
  });

  test('an untrusted certificate suggests --cacert or -k', async () => {
    const run = await courier([`${httpsUrl}/`]);
    assert.equal(run.code, 35);
    assert.match(run.stderr, /^courier get: tls DEPTH_ZERO_SELF_SIGNED_CERT .*\(the certificate is not trusted: give its CA with --cacert FILE, or skip the check with -k\)\n$/);
  });

  test('a certificate for another name says so', async () => {
    const port = new URL(httpsUrl).port;
    const run = await courier([`https://other.test:${port}/`, '--cacert', ca, '--resolve', `other.test:${port}:127.0.0.1`]);
    assert.equal(run.code, 35);
    assert.match(run.stderr, /the certificate does not name "other\.test"/);
  });

  test('https:// to a plain HTTP port is explained in plain words', async () => {
    const url = plainUrl.replace('http:', 'https:');
    const run = await courier([`${url}/x`]);
    assert.equal(run.code, 35);
    assert.match(run.stderr, new RegExp(`\\(the server answered in plain HTTP, not TLS: try ${plainUrl}/x\\)\\n$`));
  });

  test('http:// to a Node TLS port, which closes without a byte, suggests https://', async () => {
    const url = httpsUrl.replace('https:', 'http:');
    const run = await courier([`${url}/x`]);
    assert.equal(run.code, 52);
    assert.match(run.stderr, new RegExp(`\\(the server closed the connection without a byte: if the port expects TLS, try ${httpsUrl}/x\\)\\n$`));
  });

  test('http:// to a port that answers with a TLS record is explained in plain words', async () => {
    // What OpenSSL-based servers send to a plain-text client: a TLS alert record (0x15).
    const alerting = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46])));
    });
    const url = await listen(alerting);
    const run = await courier([`${url}/x`]);
    assert.equal(run.code, 8);
    assert.match(run.stderr, new RegExp(`\\(the server speaks TLS on this port: try ${url.replace('http:', 'https:')}/x\\)\\n$`));
    await close(alerting);
  });
});
