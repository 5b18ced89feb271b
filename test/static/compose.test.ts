import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { staticFiles } from '../../src/static/handler.js';
import { connect, get, start } from '../server/harness.js';

test('onNoMatch passes what no file answers to the next handler: missing paths and other methods', { timeout: 10_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'courier-compose-'));
  writeFileSync(join(dir, 'hello.txt'), 'from disk');
  const app = staticFiles(dir, { onNoMatch: (req) => ({ status: 200, body: `app ${req.method} ${req.path}` }) });
  const server = await start(app);
  const client = await connect(server);
  client.write(get('/hello.txt') + get('/api/items') + 'POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n' + get('/.env'));
  const replies = await client.replyCount(4);
  assert.deepEqual(
    replies.map((r) => [r.head.statusCode, r.body.toString()]),
    [
      [200, 'from disk'],
      [200, 'app GET /api/items'],
      [200, 'app POST /hello.txt'],
      [200, 'app GET /.env'],
    ],
  );
  client.destroy();
  await server.close();
});

test('without onNoMatch a missing file is still 404 and POST 405', { timeout: 10_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'courier-compose-'));
  const server = await start(staticFiles(dir));
  const client = await connect(server);
  client.write(get('/nothing') + 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
  const replies = await client.replyCount(2);
  assert.deepEqual(
    replies.map((r) => r.head.statusCode),
    [404, 405],
  );
  client.destroy();
  await server.close();
});
