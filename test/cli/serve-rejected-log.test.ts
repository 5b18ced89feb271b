// `courier serve` logs a request the codec rejected, with its reason, in both log formats.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCli } from '../support/cli.js';
import { rawRequest } from '../support/raw-client.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-rejected-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServe(log: string, run: (port: number, output: () => string) => Promise<void>): Promise<void> {
  const serve = await startCli(['serve', dir, '--port', '0', '--log', log]);
  try {
    await run(serve.port, serve.output);
  } finally {
    await serve.stop();
  }
}

async function lineWith(output: () => string, needle: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = output().split('\n').find((l) => l.includes(needle));
    if (line !== undefined) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No log line with ${needle}: ${output()}`);
}

describe('rejected requests in the access log', { timeout: 30_000 }, () => {
  test('combined: the request line is "-", the reason follows', async () => {
    await withServe('combined', async (port, output) => {
      const res = await rawRequest(port, 'GET / HTTP/1.0\nHost: x\r\n\r\n');
      assert.equal(res.status, 400);
      const line = await lineWith(output, 'bare LF');
      assert.match(line, /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "-" 400 \d+ "-" "-" "Invalid line ending: bare LF \(byte 14\)"$/);
      assert.ok(line.includes(` 400 ${res.body.length} `));
    });
  });

  test('json: rejected and code say why', async () => {
    await withServe('json', async (port, output) => {
      await rawRequest(port, 'GET / HTTP/9.9\r\n\r\n');
      const record = JSON.parse(await lineWith(output, '"rejected"')) as Record<string, unknown>;
      assert.equal(record.status, 505);
      assert.equal(record.code, 'WIRE_UNSUPPORTED_VERSION');
      assert.equal(record.method, null);
      assert.match(String(record.rejected), /^Unsupported HTTP version "HTTP\/9\.9"/);
    });
  });
});
