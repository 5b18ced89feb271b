// `courier serve` logs a request the codec rejected, with its reason, in both log formats.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../support/raw-client.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-rejected-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withServe(log: string, run: (port: number, output: () => string) => Promise<void>): Promise<void> {
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', dir, '--port', '0', '--log', log], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No banner within 10 s: ${out}`)), 10_000);
    child.stdout?.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const match = /127\.0\.0\.1:(\d+)\//.exec(out);
      if (match !== null && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`Exited with ${code}: ${out}`)));
  });
  try {
    await run(port, () => out);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
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
