import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { Agent, request } from 'undici';
import { start, text } from './harness.js';
import type { Handler } from '../../src/server/index.js';

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} failed: ${stderr}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

const echo: Handler = async (req) => {
  const body = await text(req.body);
  return { status: 200, headers: { 'content-type': 'text/plain', 'x-method': req.method }, body: `${req.method} ${req.target} ${body}` };
};

test('curl reuses one connection for several URLs and uploads with 100-continue', { timeout: 30_000 }, async () => {
  const server = await start(echo);
  const [out, verbose] = await new Promise<[string, string]>((resolve) => {
    execFile('curl', ['-sS', '-v', `${server.url}a`, `${server.url}b`], (_e, stdout, stderr) => resolve([stdout, stderr]));
  });
  assert.equal(out, 'GET /a GET /b ');
  assert.match(verbose, /Re-using existing connection|Reusing existing connection/);
  const upload = await run('curl', ['-sS', '-H', 'Expect: 100-continue', '--data-binary', '@-', `${server.url}up`], 'x'.repeat(100_000));
  assert.equal(upload, `POST /up ${'x'.repeat(100_000)}`);
  const chunked = await run('curl', ['-sS', '-H', 'Transfer-Encoding: chunked', '--data-binary', '@-', `${server.url}ch`], 'chunky');
  assert.equal(chunked, 'POST /ch chunky');
  await server.close();
});

test('python3 urllib.request talks to the server', { timeout: 30_000 }, async () => {
  const server = await start(echo);
  const script = [
    'import sys, urllib.request',
    'base = sys.argv[1]',
    'print(urllib.request.urlopen(base + "py").read().decode())',
    'req = urllib.request.Request(base + "post", data=b"payload", method="POST")',
    'r = urllib.request.urlopen(req)',
    'print(r.status, r.headers["x-method"], r.read().decode())',
  ].join('\n');
  const out = await run('python3', ['-c', script, server.url]);
  assert.equal(out, 'GET /py \n200 POST POST /post payload\n');
  await server.close();
});

test('undici keeps a connection alive and pipelines', { timeout: 30_000 }, async () => {
  const server = await start(echo);
  const dispatcher = new Agent({ pipelining: 8, connections: 1 });
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await request(`${server.url}u${i}`, { dispatcher, method: i % 2 ? 'POST' : 'GET', body: i % 2 ? `b${i}` : null });
        return `${res.statusCode} ${await res.body.text()}`;
      }),
    );
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => (i % 2 ? `200 POST /u${i} b${i}` : `200 GET /u${i} `)),
    );
    assert.equal(server.connectionCount, 1);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});
