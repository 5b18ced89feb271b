// courier get next to curl: the same flags must put the same request on the wire and the same
// -w report out, against one recording server.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { normalizeUrl } from '../../src/cli/get-options.js';
import { close } from '../client/helpers.js';
import { courier } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';

const run = promisify(execFile);
let hasCurl = true;
try {
  execFileSync('curl', ['--version'], { stdio: 'ignore' });
} catch {
  hasCurl = false;
}

describe('courier get and curl send the same request', { timeout: 60_000, skip: hasCurl ? false : 'curl not installed' }, () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courier-vs-curl-'));
    writeFileSync(join(dir, 'form.txt'), 'a=1\r\nb=2\n');
    ({ server, base, seen } = await startEchoServer({
      '/start': (_req, res) => void res.writeHead(302, { location: '/end' }).end(),
      '/end': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('the end\n'),
    }));
  });

  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  // What both must agree on: method, target, body, and the headers the flags set.
  const essence = (s: Seen): unknown => ({
    method: s.method,
    url: s.url,
    body: s.body.toString('latin1'),
    type: s.headers['content-type'],
    range: s.headers.range,
    referer: s.headers.referer,
    authorization: s.headers.authorization,
    cookie: s.headers.cookie,
    host: s.headers.host,
  });

  const cases: Array<{ name: string; args: (base: string, dir: string) => string[] }> = [
    { name: '-d @file and -d', args: (b, d) => [`${b}/p`, '-d', `@${join(d, 'form.txt')}`, '-d', 'c=3'] },
    { name: '--data-urlencode forms', args: (b) => [`${b}/p`, '--data-urlencode', 'a b=c d&e', '--data-urlencode', '=x y', '--data-urlencode', 'π=√'] },
    { name: '-G with data', args: (b) => [`${b}/s?q=1`, '-G', '-d', 'a=1', '--data-urlencode', 'b=x y'] },
    { name: '-u, -e, -r, -b string', args: (b) => [`${b}/x`, '-u', 'alice:pw', '-e', 'http://from.test/', '-r', '10-20', '-b', 'a=1; b=2'] },
    { name: "-H 'Host: other' and -X", args: (b) => [`${b}/x`, '-H', 'Host: other.test', '-X', 'DELETE'] },
    { name: '--data-binary @file', args: (b, d) => [`${b}/p`, '--data-binary', `@${join(d, 'form.txt')}`] },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const args = c.args(base, dir);
      await run('curl', ['-s', '-o', '/dev/null', ...args]);
      const theirs = essence(seen.at(-1) as Seen);
      const ours = await courier(args);
      assert.equal(ours.code, 0, ours.stderr);
      assert.deepEqual(essence(seen.at(-1) as Seen), theirs);
    });
  }

  test('-w reports the same status, redirect count, URL, sizes and version', async () => {
    const format = '%{http_code} %{response_code} %{num_redirects} %{url_effective} %{content_type} %{size_download} %{http_version} %{remote_ip} %{exitcode}';
    const { stdout: theirs } = await run('curl', ['-s', '-L', '-o', '/dev/null', '-w', format, `${base}/start`]);
    const ours = await courier([`${base}/start`, '-o', '/dev/null', '-w', format]);
    assert.equal(ours.stdout.toString(), theirs);
  });
});

test('normalizeUrl applies HTTPie shorthands and a default http://', () => {
  assert.equal(normalizeUrl(':8000/path?q'), 'http://localhost:8000/path?q');
  assert.equal(normalizeUrl(':8000'), 'http://localhost:8000/');
  assert.equal(normalizeUrl(':/path'), 'http://localhost/path');
  assert.equal(normalizeUrl('example.test/x'), 'http://example.test/x');
  assert.equal(normalizeUrl('https://example.test/'), 'https://example.test/');
});
