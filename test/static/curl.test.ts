// The static server as curl sees it: a real peer over a real socket.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import type { Server } from '../../src/server/index.js';
import { SECRET, makeFixture, startStatic, type Fixture } from './harness.js';

const run = promisify(execFile);
let fx: Fixture;
let server: Server;
let base = '';

async function curl(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const { stdout, stderr } = await run('curl', ['-sS', '--max-time', '10', ...args], { encoding: 'latin1', maxBuffer: 16 * 1024 * 1024 });
  return { stdout, stderr };
}

/** status runs curl and returns the final status code. */
async function status(...args: string[]): Promise<number> {
  const { stdout } = await curl('-o', '/dev/null', '-w', '%{http_code}', ...args);
  return Number(stdout);
}

before(async () => {
  fx = await makeFixture();
  server = await startStatic(fx.root);
  base = `http://127.0.0.1:${server.port}`;
});
after(async () => {
  await server.close();
  await fx.cleanup();
});

test('curl downloads a file byte for byte', async () => {
  const out = join(fx.base, 'download.bin');
  await curl('-o', out, `${base}/big.bin`);
  assert.ok((await readFile(out)).equals(fx.big));
});

test('curl -I shows the head of a GET', async () => {
  const { stdout } = await curl('-I', `${base}/small.txt`);
  assert.match(stdout, /^HTTP\/1\.1 200 OK\r\n/);
  assert.match(stdout, /\r\ncontent-length: 6\r\n/i);
  assert.match(stdout, /\r\netag: "[0-9a-z]+-6"\r\n/i);
});

test('curl -r fetches a range', async () => {
  const { stdout } = await curl('-r', '4-8', `${base}/text.txt`);
  assert.equal(stdout, 'quick');
  assert.equal(await status('-r', '100000-', `${base}/text.txt`), 416);
});

test('curl -C - resumes a partial download', async () => {
  const out = join(fx.base, 'resume.bin');
  await writeFile(out, fx.big.subarray(0, 12345));
  await curl('-C', '-', '-o', out, `${base}/big.bin`);
  assert.ok((await readFile(out)).equals(fx.big));
});

test('curl --compressed negotiates and decodes', async () => {
  const { stdout } = await curl('--compressed', '-D', '-', `${base}/text.txt`);
  assert.match(stdout, /\r\ncontent-encoding: (br|gzip)\r\n/i);
  assert.ok(stdout.endsWith(fx.text));
});

test('curl -z sends If-Modified-Since and gets 304 for an unchanged file', async () => {
  const local = join(fx.base, 'local-copy.txt');
  await writeFile(local, 'x');
  const future = new Date(Date.now() + 3600_000);
  await utimes(local, future, future);
  assert.equal(await status('-z', local, `${base}/small.txt`), 304);
  assert.equal(await status('-z', 'Mon, 01 Jan 2001 00:00:00 GMT', `${base}/small.txt`), 200);
});

test('curl with If-None-Match gets 304', async () => {
  const { stdout } = await curl('-I', `${base}/small.txt`);
  const etag = /etag: (\S+)/i.exec(stdout)?.[1] as string;
  assert.equal(await status('-H', `If-None-Match: ${etag}`, `${base}/small.txt`), 304);
});

test('curl -L follows the directory redirect', async () => {
  const { stdout } = await curl('-L', `${base}/docs`);
  assert.match(stdout, /<title>docs<\/title>/);
});

test('curl --path-as-is cannot climb out of the root', async () => {
  for (const path of ['/../root-sibling-secret.txt', '/docs/../../root-sibling-secret.txt', '/%2e%2e/root-sibling-secret.txt', '/escape.txt']) {
    const { stdout } = await curl('--path-as-is', `${base}${path}`);
    assert.equal(stdout.includes(SECRET), false, path);
    assert.equal(await status('--path-as-is', `${base}${path}`), 403, path);
  }
});

test('curl asks for JSON listings', async () => {
  const { stdout } = await curl('-H', 'Accept: application/json', `${base}/files/`);
  const listing = JSON.parse(stdout) as { entries: { name: string }[] };
  assert.deepEqual(listing.entries.map((e) => e.name), ['sub', '<b>&amp;.txt', 'a.txt']);
});
