// Hostile paths, sent byte for byte over a real socket: none may reach a file outside the root
// or a dotfile, and no answer may mention a filesystem path.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Server } from '../../src/server/index.js';
import { SECRET, makeFixture, type Fixture } from './harness.js';
import { rawRequest } from '../support/raw-client.js';
import { startStatic } from './harness.js';

let fx: Fixture;
let server: Server;

before(async () => {
  fx = await makeFixture();
  server = await startStatic(fx.root);
});
after(async () => {
  await server.close();
  await fx.cleanup();
});

/** Each row: the request-target as sent, and the status it must get (301 must stay on site). */
const HOSTILE: [string, number][] = [
  ['/../root-sibling-secret.txt', 403],
  ['/../../../../../../etc/passwd', 403],
  ['/..%2froot-sibling-secret.txt', 400],
  ['/..%2F..%2F..%2Fetc%2Fpasswd', 400],
  ['/%2e%2e/root-sibling-secret.txt', 403],
  ['/%2E%2E/%2E%2E/etc/passwd', 403],
  ['/%2e%2e%2froot-sibling-secret.txt', 400],
  ['/..%5croot-sibling-secret.txt', 400],
  ['/%5c..%5c..%5cetc%5cpasswd', 400],
  ['/%c0%ae%c0%ae/root-sibling-secret.txt', 400],
  ['/%c0%af../root-sibling-secret.txt', 400],
  ['/%e0%80%ae%e0%80%ae/etc/passwd', 400],
  ['/%252e%252e/root-sibling-secret.txt', 404],
  ['/%252e%252e%252froot-sibling-secret.txt', 404],
  ['/docs/../../root-sibling-secret.txt', 403],
  ['/docs/%2e%2e/%2e%2e/root-sibling-secret.txt', 403],
  ['/./../root-sibling-secret.txt', 403],
  ['//../root-sibling-secret.txt', 403],
  ['/..', 403],
  ['/%2e%2e', 403],
  ['/..;/root-sibling-secret.txt', 404],
  ['/small.txt%00.html', 400],
  ['/%00', 400],
  ['/%u002e%u002e/etc/passwd', 400],
  ['/%zz', 400],
  ['/escape.txt', 403],
  ['/escape-dir/secret.txt', 403],
  ['/escape-dir/', 403],
  ['/.env', 404],
  ['/%2eenv', 404],
  ['/.%65nv', 404],
  ['/.git/config', 404],
  ['/.git/', 404],
  ['/.well-known/../.env', 404],
  ['/docs/../.git/config', 404],
  ['/a/../../.env', 403],
  [`/${'../'.repeat(200)}etc/passwd`, 403],
  [`/${'%2e%2e/'.repeat(200)}etc/passwd`, 403],
  ['/root-sibling-secret.txt', 404],
  ['/../root-sibling/secret.txt', 403],
];

for (const [target, expected] of HOSTILE) {
  test(`hostile path ${JSON.stringify(target)} is ${expected}`, async () => {
    const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(res.status, expected);
    const body = res.body.toString('latin1');
    assert.equal(body.includes(SECRET), false, 'secret leaked');
    assert.equal(body.includes(fx.base), false, 'filesystem path leaked');
    assert.equal(res.headText.includes(fx.base), false, 'filesystem path leaked in head');
  });
}

test('redirects produced by dot segments stay on the site and lead nowhere secret', async () => {
  for (const target of ['/docs/./', '/docs/../docs', '//docs/', '/.//..//docs', '/%2e/docs']) {
    const res = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    if (res.status !== 301) continue;
    const location = res.headers.location as string;
    assert.match(location, /^\/(?![\\/])/, target);
    const followed = await rawRequest(server.port, `GET ${location} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.equal(followed.body.toString('latin1').includes(SECRET), false);
  }
});

test('absolute-form targets are held to the same rules', async () => {
  const res = await rawRequest(server.port, 'GET http://127.0.0.1/../root-sibling-secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.ok([400, 403].includes(res.status), String(res.status));
  assert.equal(res.body.toString('latin1').includes(SECRET), false);
});

test('a raw backslash never reaches the disk', async () => {
  const res = await rawRequest(server.port, 'GET /..\\..\\root-sibling-secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(res.status, 400);
  assert.equal(res.body.toString('latin1').includes(SECRET), false);
});
