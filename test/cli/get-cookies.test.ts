// -b/-c cookies: RFC 6265 matching across redirects, and cookie-jar files curl reads and writes.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CookieJar, defaultPath, domainMatches, pathMatches } from '../../src/cli/cookie-jar.js';
import { close } from '../client/helpers.js';
import { courier } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';

const run = promisify(execFile);

describe('courier get -b and -c', { timeout: 60_000 }, () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courier-cookies-'));
    ({ server, base, seen } = await startEchoServer({
      '/login': (_req, res) =>
        void res
          .writeHead(302, {
            location: '/app/home',
            'set-cookie': ['session=abc123; Path=/; HttpOnly', 'theme=dark; Path=/app; Max-Age=3600', 'gone=x; Max-Age=0', 'secure=1; Secure'],
          })
          .end(),
      '/logout': (_req, res) => void res.writeHead(200, { 'set-cookie': 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/' }).end('bye'),
    }));
  });

  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  const cookieOf = (s: Seen | undefined): string | undefined => s?.headers.cookie;

  test('cookies set on a redirect are sent on the next hop, by path; -c writes a Netscape jar', async () => {
    const jar = join(dir, 'jar.txt');
    const run = await courier([`${base}/login`, '-c', jar]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(cookieOf(seen.at(-2)), undefined);
    assert.equal(seen.at(-1)?.url, '/app/home');
    // Longer paths first (RFC 6265 §5.4); the Secure cookie from http was refused, Max-Age=0 deleted.
    assert.equal(cookieOf(seen.at(-1)), 'theme=dark; session=abc123');
    const text = readFileSync(jar, 'utf8');
    assert.match(text, /^# Netscape HTTP Cookie File\n/);
    assert.match(text, /\n#HttpOnly_127\.0\.0\.1\tFALSE\t\/\tFALSE\t0\tsession\tabc123\n/);
    assert.match(text, /\n127\.0\.0\.1\tFALSE\t\/app\tFALSE\t\d{10}\ttheme\tdark\n/);
    assert.doesNotMatch(text, /\tgone\t|\tsecure\t/);
  });

  test('-b FILE sends the jar to matching paths only; -b FILE -c FILE updates it', async () => {
    const jar = join(dir, 'jar2.txt');
    await courier([`${base}/login`, '-c', jar]);
    await courier([`${base}/other`, '-b', jar]);
    assert.equal(cookieOf(seen.at(-1)), 'session=abc123');
    await courier([`${base}/logout`, '-b', jar, '-c', jar]);
    assert.doesNotMatch(readFileSync(jar, 'utf8'), /session/);
    assert.match(readFileSync(jar, 'utf8'), /theme\tdark/);
  });

  test("-b 'a=1; b=2' sends the string as is; a missing -b file is not an error", async () => {
    await courier([`${base}/x`, '-b', 'a=1; b=2']);
    assert.equal(cookieOf(seen.at(-1)), 'a=1; b=2');
    const run = await courier([`${base}/x`, '-b', join(dir, 'no-such-file')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(cookieOf(seen.at(-1)), undefined);
  });

  test('curl reads the jar courier writes, and courier reads the jar curl writes', async (t) => {
    try {
      execFileSync('curl', ['--version'], { stdio: 'ignore' });
    } catch {
      t.skip('curl not installed');
      return;
    }
    const ours = join(dir, 'ours.txt');
    await courier([`${base}/login`, '-c', ours]);
    // The server runs in this process: curl must run asynchronously.
    await run('curl', ['-s', '-o', '/dev/null', '-b', ours, `${base}/app/page`]);
    assert.equal(cookieOf(seen.at(-1)), 'theme=dark; session=abc123');
    const theirs = join(dir, 'theirs.txt');
    await run('curl', ['-s', '-o', '/dev/null', '-L', '-c', theirs, `${base}/login`]);
    await courier([`${base}/app/page`, '-b', theirs]);
    assert.equal(cookieOf(seen.at(-1)), 'theme=dark; session=abc123');
  });
});

test('CookieJar follows RFC 6265 domain, path, secure and expiry rules', () => {
  const jar = new CookieJar();
  const now = Date.UTC(2026, 0, 1);
  const https = new URL('https://www.example.com/docs/page');
  jar.setCookie('host=1', https, now);
  jar.setCookie('wide=2; Domain=.Example.com', https, now);
  jar.setCookie('other=3; Domain=evil.com', https, now);
  jar.setCookie('tld=4; Domain=com', https, now);
  jar.setCookie('sec=5; Secure; Path=/', https, now);
  jar.setCookie('old=6; Expires=Wed, 31 Dec 2025 00:00:00 GMT', https, now);
  assert.equal(jar.cookieHeader(new URL('https://www.example.com/docs/x'), now), 'host=1; wide=2; sec=5');
  assert.equal(jar.cookieHeader(new URL('http://www.example.com/docs/x'), now), 'host=1; wide=2');
  assert.equal(jar.cookieHeader(new URL('https://api.example.com/docs/x'), now), 'wide=2');
  assert.equal(jar.cookieHeader(new URL('https://www.example.com/other'), now), 'sec=5');
  assert.equal(jar.cookieHeader(new URL('https://evil.com/'), now), undefined);
  const reread = new CookieJar();
  reread.loadNetscape(jar.toNetscape(now), now);
  assert.equal(reread.cookieHeader(new URL('https://www.example.com/docs/x'), now), 'host=1; wide=2; sec=5');
  assert.equal(defaultPath(new URL('http://h/a/b/c')), '/a/b');
  assert.equal(defaultPath(new URL('http://h/a')), '/');
  assert.ok(pathMatches('/docs/x', '/docs') && pathMatches('/docs/', '/docs/') && !pathMatches('/docsx', '/docs'));
  assert.ok(domainMatches('a.b.com', 'b.com') && !domainMatches('ab.com', 'b.com') && !domainMatches('1.2.3.4', '2.3.4'));
});
