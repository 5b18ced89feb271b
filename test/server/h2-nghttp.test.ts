// The HTTP/2 server against nghttp2's own tools over 127.0.0.1: nghttp checks every frame it gets
// (h2c and TLS), h2load runs many streams on a few connections and counts the answers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Server } from '../../src/server/index.js';
import { selfSigned } from '../support/tls.js';
import { start } from './harness.js';
import { pattern, run } from './h2-peers.js';

const handler = (req: { path: string }): { status: number; headers?: Record<string, string>; body: string | Uint8Array } =>
  req.path === '/big' ? { status: 200, body: pattern(1 << 20) } : { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' };

describe('nghttp2 tools', { timeout: 90_000 }, () => {
  let h2c: Server & { errors: unknown[] };
  let h2: Server & { errors: unknown[] };
  before(async () => {
    h2c = await start(handler);
    h2 = await start(handler, { tls: selfSigned() });
  });
  after(async () => {
    await h2c.close();
    await h2.close();
  });

  for (const scheme of ['http', 'https'] as const) {
    test(`nghttp -v over ${scheme === 'http' ? 'h2c' : 'TLS'}: a 1 MiB download, every frame checked by nghttp2`, async () => {
      const server = scheme === 'http' ? h2c : h2;
      const { stdout } = await run('nghttp', ['-nv', `${scheme}://127.0.0.1:${server.port}/big`]);
      const text = stdout.toString('latin1');
      assert.match(text, /recv SETTINGS frame <length=\d+, flags=0x00, stream_id=0>/);
      assert.match(text, /\[SETTINGS_MAX_CONCURRENT_STREAMS\(0x03\):100\]/);
      assert.match(text, /recv \(stream_id=\d+\) :status: 200/);
      assert.match(text, /recv \(stream_id=\d+\) content-length: 1048576/);
      const received = (text.match(/recv DATA frame <length=(\d+)/g) ?? []).map((line) => Number(line.split('=')[1])).reduce((a, b) => a + b, 0);
      assert.equal(received, 1 << 20);
      assert.doesNotMatch(text, /GOAWAY.*error_code=(?!NO_ERROR)/);
      assert.doesNotMatch(text, /RST_STREAM/);
      assert.deepEqual(server.errors, []);
    });
  }

  test('h2load -n 2000 -c 4 -m 10 (h2c): every request answered 2xx', async () => {
    const { stdout } = await run('h2load', ['-n', '2000', '-c', '4', '-m', '10', `http://127.0.0.1:${h2c.port}/`]);
    const text = stdout.toString();
    assert.match(text, /requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored/);
    assert.match(text, /status codes: 2000 2xx/);
    assert.deepEqual(h2c.errors, []);
  });

  test('h2load over TLS (ALPN h2): 400 requests on 4 connections, all 2xx', async () => {
    const { stdout } = await run('h2load', ['-n', '400', '-c', '4', '-m', '10', `https://127.0.0.1:${h2.port}/`]);
    const text = stdout.toString();
    assert.match(text, /Application protocol: h2/);
    assert.match(text, /status codes: 400 2xx/);
    assert.deepEqual(h2.errors, []);
  });
});
