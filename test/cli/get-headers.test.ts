// -H with curl's rules: `Name: value` adds or replaces, `Name:` removes what courier would add,
// `Name;` sends the header with an empty value.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { close, listen } from '../client/helpers.js';
import { courier } from './get-helpers.js';

describe('courier get -H', { timeout: 60_000 }, () => {
  // A raw server: node:http would reject a request without Host, and we want the exact bytes.
  let server: ReturnType<typeof createNetServer>;
  let base = '';
  const heads: string[] = [];

  before(async () => {
    server = createNetServer((socket) => {
      let buffered = '';
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        buffered += chunk.toString('latin1');
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        heads.push(buffered.slice(0, end + 4));
        buffered = '';
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
      });
    });
    base = await listen(server as unknown as Server);
  });

  after(async () => close(server as unknown as Server));

  const lines = (head: string | undefined): string[] => (head ?? '').split('\r\n').slice(1, -2);

  test("-H 'Host:' removes the Host header", async () => {
    const run = await courier([`${base}/`, '-H', 'Host:']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(!lines(heads.at(-1)).some((l) => /^host:/i.test(l)), heads.at(-1));
  });

  test("-H 'Connection:' sends no Connection line, even on HTTP/1.0", async () => {
    for (const extra of [[], ['--http1.0']]) {
      const run = await courier([`${base}/`, '-H', 'Connection:', ...extra]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(lines(heads.at(-1)).filter((l) => /^connection:/i.test(l)), []);
    }
  });

  test("-H 'User-Agent:' and -H 'Accept:' remove courier's defaults", async () => {
    await courier([`${base}/`, '-H', 'User-Agent:', '-H', 'Accept:']);
    assert.deepEqual(lines(heads.at(-1)).filter((l) => /^(user-agent|accept):/i.test(l)), []);
  });

  test("-H 'X-Empty;' sends the header with an empty value", async () => {
    await courier([`${base}/`, '-H', 'X-Empty;']);
    assert.ok(lines(heads.at(-1)).includes('X-Empty: '), heads.at(-1));
  });

  test('-H Host: other replaces the Host header, once', async () => {
    await courier([`${base}/`, '-H', 'Host: example.test']);
    assert.deepEqual(lines(heads.at(-1)).filter((l) => /^host:/i.test(l)), ['Host: example.test']);
  });
});
