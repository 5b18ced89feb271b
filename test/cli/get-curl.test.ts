// curl's and HTTPie's habits in `courier get`, each checked against a recording server over
// real TCP, with real files and real stdin.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { close, listen } from '../client/helpers.js';
import { courier } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';
import { runCli } from '../support/cli.js';

describe('courier get speaks curl', { timeout: 120_000 }, () => {
  let server: Server;
  let base = '';
  let port = 0;
  let seen: Seen[] = [];
  let dir = '';
  const last = (): Seen => seen.at(-1) as Seen;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courier-curl-'));
    ({ server, base, seen } = await startEchoServer({
      '/missing': (_req, res) => void res.writeHead(404, { 'content-type': 'text/plain' }).end('no such thing\n'),
      '/json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":[1,2]}'),
      '/hop': (_req, res) => void res.writeHead(302, { location: '/json' }).end(),
      '/slow': () => true,
    }));
    port = Number(new URL(base).port);
  });

  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('-A, -e and -r set User-Agent, Referer and Range', async () => {
    const run = await courier([`${base}/x`, '-A', 'agent/1', '-e', 'http://from.test/', '-r', '0-99']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(last().headers['user-agent'], 'agent/1');
    assert.equal(last().headers.referer, 'http://from.test/');
    assert.equal(last().headers.range, 'bytes=0-99');
    await courier([`${base}/x`, '-r', '-500']);
    assert.equal(last().headers.range, 'bytes=-500');
  });

  test('-u user:pass sends Basic credentials; -u user without a terminal is a usage error', async () => {
    await courier([`${base}/x`, '-u', 'alice:s3cret']);
    assert.equal(last().headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    const run = await courier([`${base}/x`, '-u', 'alice']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^courier get: --user "alice" has no password/);
  });

  test('-u and -H Cookie go to the first origin only, not across a redirect to another', async () => {
    const other = await startEchoServer();
    const { server: hopper, base: hopBase } = await startEchoServer({
      '/away': (_req, res) => void res.writeHead(302, { location: `${other.base}/landed` }).end(),
    });
    const run = await courier([`${hopBase}/away`, '-u', 'alice:pw', '-H', 'Cookie: a=1', '-H', 'X-Kept: yes']);
    assert.equal(run.code, 0, run.stderr);
    const landed = other.seen.at(-1) as Seen;
    assert.equal(landed.url, '/landed');
    assert.equal(landed.headers.authorization, undefined);
    assert.equal(landed.headers.cookie, undefined);
    assert.equal(landed.headers['x-kept'], 'yes');
    await close(hopper);
    await close(other.server);
  });

  test('-w @file reads the format from a file', async () => {
    const file = join(dir, 'format.txt');
    writeFileSync(file, 'code=%{http_code}\\n');
    const run = await courier([`${base}/x`, '-o', join(dir, 'body.txt'), '-w', `@${file}`]);
    assert.equal(run.stdout.toString(), 'code=200\n');
  });

  test('-d @file drops CR and LF, --data-binary keeps them, --data-raw keeps the @', async () => {
    const file = join(dir, 'lines.txt');
    writeFileSync(file, 'a=1\r\nb=2\n');
    await courier([`${base}/p`, '-d', `@${file}`]);
    assert.equal(last().body.toString(), 'a=1b=2');
    await courier([`${base}/p`, '--data-binary', `@${file}`]);
    assert.equal(last().body.toString(), 'a=1\r\nb=2\n');
    await courier([`${base}/p`, '--data-raw', '@literal', '-d', 'x=1']);
    assert.equal(last().body.toString(), '@literal&x=1');
    assert.equal(last().headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('--data-urlencode encodes as curl does, in command-line order with -d', async () => {
    const file = join(dir, 'value.txt');
    writeFileSync(file, 'line1\r\nline2\n');
    await courier([`${base}/p`, '--data-urlencode', 'a b=c d&e', '--data-urlencode', '=x y', '--data-urlencode', `n@${file}`, '-d', 'raw=1', '--data-urlencode', 'plain+text']);
    assert.equal(last().body.toString(), 'a b=c+d%26e&x+y&n=line1%0D%0Aline2%0A&raw=1&plain%2Btext');
  });

  test('-G puts the data in the query and sends GET', async () => {
    await courier([`${base}/search?q=1`, '-G', '-d', 'a=1', '--data-urlencode', 'b=x y']);
    assert.equal(last().method, 'GET');
    assert.equal(last().url, '/search?q=1&a=1&b=x+y');
    assert.equal(last().body.length, 0);
  });

  test('-T FILE PUTs the file, appending its name to a URL ending in /; -T - streams stdin chunked', async () => {
    const file = join(dir, 'upload.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    await courier([`${base}/files/`, '-T', file]);
    assert.equal(last().method, 'PUT');
    assert.equal(last().url, '/files/upload.bin');
    assert.deepEqual([...last().body], [0, 1, 2, 255]);
    assert.equal(last().headers['content-length'], '4');
    await courier([`${base}/put`, '-T', '-'], { stdin: 'from stdin' });
    assert.equal(last().method, 'PUT');
    assert.equal(last().headers['transfer-encoding'], 'chunked');
    assert.equal(last().body.toString(), 'from stdin');
  });

  test('-D FILE, -D - and -i write each response head', async () => {
    const file = join(dir, 'heads.txt');
    const run = await courier([`${base}/hop`, '-D', file]);
    assert.equal(run.code, 0, run.stderr);
    const heads = readFileSync(file, 'latin1');
    assert.match(heads, /^HTTP\/1\.1 302 Found\r\n(.+\r\n)*\r\nHTTP\/1\.1 200 OK\r\n(.+\r\n)*\r\n$/);
    const included = await courier([`${base}/hop`, '-i']);
    assert.match(included.stdout.toString(), /^HTTP\/1\.1 302 Found\r\n(.+\r\n)*\r\nHTTP\/1\.1 200 OK\r\n(.+\r\n)*\r\n\{"a":\[1,2\]\}$/);
    const toStdout = await courier([`${base}/x`, '-D', '-']);
    assert.match(toStdout.stdout.toString(), /^HTTP\/1\.1 200 OK\r\n(.+\r\n)*\r\nhello GET\n$/);
  });

  test('-i and -I with -o put the heads in the file, as curl does, and nothing on stdout', async () => {
    const file = join(dir, 'included.txt');
    const included = await courier([`${base}/hop`, '-i', '-o', file]);
    assert.equal(included.code, 0, included.stderr);
    assert.equal(included.stdout.length, 0);
    assert.match(readFileSync(file, 'latin1'), /^HTTP\/1\.1 302 Found\r\n(.+\r\n)*\r\nHTTP\/1\.1 200 OK\r\n(.+\r\n)*\r\n\{"a":\[1,2\]\}$/);
    const headOnly = join(dir, 'head-only.txt');
    const head = await courier([`${base}/x`, '-I', '-o', headOnly]);
    assert.equal(head.code, 0, head.stderr);
    assert.equal(head.stdout.length, 0);
    assert.match(readFileSync(headOnly, 'latin1'), /^HTTP\/1\.1 200 OK\r\n(.+\r\n)*\r\n$/);
  });

  test('-w expands curl variables after the body', async () => {
    const format = '\\n%{http_code} %{response_code} %{num_redirects} %{url_effective} %{content_type} %{remote_ip}:%{remote_port} %{http_version} %{size_download} %{exitcode} %{method}%% %header{content-type}\\n';
    const run = await courier([`${base}/hop`, '-w', format]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout.toString(),
      `{"a":[1,2]}\n200 200 1 ${base}/json application/json 127.0.0.1:${port} 1.1 11 0 GET% application/json\n`,
    );
    const times = await courier([`${base}/x`, '-o', join(dir, 'w.txt'), '-w', '%{time_connect} %{time_starttransfer} %{time_total} %{size_header}']);
    const [connect, start, total, header] = times.stdout.toString().split(' ').map(Number) as [number, number, number, number];
    assert.ok(connect > 0 && start >= connect && total >= start, times.stdout.toString());
    assert.ok(header > 50);
  });

  test('-w still reports when the request fails, and %{stderr} switches streams', async () => {
    const dead = createNetServer();
    const url = await listen(dead);
    await close(dead);
    const run = await courier([url, '-s', '-w', '%{http_code} %{exitcode}%{stderr}to stderr']);
    assert.equal(run.code, 7);
    assert.equal(run.stdout.toString(), '000 7');
    assert.equal(run.stderr, 'to stderr');
  });

  test('-s silences errors, -sS shows them', async () => {
    const dead = createNetServer();
    const url = await listen(dead);
    await close(dead);
    const silent = await courier([url, '-s']);
    assert.equal(silent.code, 7);
    assert.equal(silent.stderr, '');
    const shown = await courier([url, '-sS']);
    assert.equal(shown.code, 7);
    assert.match(shown.stderr, /^courier get: connect ECONNREFUSED/);
  });

  test('--fail-with-body prints the body and exits 22', async () => {
    const run = await courier([`${base}/missing`, '--fail-with-body']);
    assert.equal(run.code, 22);
    assert.equal(run.stdout.toString(), 'no such thing\n');
    assert.match(run.stderr, /returned error: 404/);
  });

  test('--url, and HTTPie shorthands :PORT/path and host:port', async () => {
    await courier(['--url', `${base}/by-option`]);
    assert.equal(last().url, '/by-option');
    const short = await courier([`:${port}/short?x=1`]);
    assert.equal(short.code, 0, short.stderr);
    assert.equal(last().url, '/short?x=1');
    assert.equal(last().headers.host, `localhost:${port}`);
    await courier([`127.0.0.1:${port}/bare`]);
    assert.equal(last().url, '/bare');
  });

  test('-m bounds the whole exchange (exit 28), -x sends through a proxy', async () => {
    const slow = await courier([`${base}/slow`, '-m', '0.3']);
    assert.equal(slow.code, 28);
    const proxied = await courier(['http://far.example/through', '-x', base]);
    assert.equal(proxied.code, 0, proxied.stderr);
    assert.equal(last().url, 'http://far.example/through');
  });

  test('--request-target sends that exact target', async () => {
    await courier([`${base}/ignored`, '--request-target', `http://127.0.0.1:${port}/absolute?x`]);
    assert.equal(last().url, `http://127.0.0.1:${port}/absolute?x`);
    await courier([`${base}/`, '-X', 'OPTIONS', '--request-target', '*']);
    assert.equal(last().method, 'OPTIONS');
    assert.equal(last().url, '*');
  });

  test('--resolve connects to the given address; Host keeps the name', async () => {
    const run = await courier([`http://app.test:${port}/resolved`, '--resolve', `app.test:${port}:127.0.0.1`]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(last().url, '/resolved');
    assert.equal(last().headers.host, `app.test:${port}`);
  });

  test('-4 resolves localhost to IPv4; -6 reaches ::1 and refuses an IPv4 literal', async () => {
    const v4 = await courier([`http://localhost:${port}/v4`, '-4', '-w', '%{remote_ip}']);
    assert.equal(v4.code, 0, v4.stderr);
    assert.match(v4.stdout.toString(), /127\.0\.0\.1$/);
    const six = await startEchoServer();
    six.server.close();
    await new Promise((resolve) => six.server.once('close', resolve));
    six.server.listen(0, '::1');
    await new Promise((resolve) => six.server.once('listening', resolve));
    const port6 = (six.server.address() as { port: number }).port;
    const v6 = await courier([`http://[::1]:${port6}/v6`, '-6', '-w', ' %{remote_ip}']);
    assert.equal(v6.code, 0, v6.stderr);
    assert.equal(v6.stdout.toString(), 'hello GET\n ::1');
    await close(six.server);
    const wrong = await courier([`http://127.0.0.1:${port}/v6`, '-6']);
    assert.equal(wrong.code, 6);
    assert.match(wrong.stderr, /IPv6/);
  });

  test('an unknown option names the nearest one; --version and -V print the version', async () => {
    const run = await courier([`${base}/`, '--http10']);
    assert.equal(run.code, 2);
    assert.equal(run.stderr, 'courier get: unknown option --http10, did you mean --http1.0? (see courier get --help)\n');
    const far = await courier([`${base}/`, '--zzzzzzzz']);
    assert.equal(far.stderr, 'courier get: unknown option --zzzzzzzz (see courier get --help)\n');
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const args of [['get', '--version'], ['-v'], ['--version']]) {
      const printed = await runCli(args);
      assert.equal(printed.stdout.toString(), `${pkg.version}\n`, args.join(' '));
    }
  });

  test('--help is grouped into request, body, output, connection, TLS and behaviour', async () => {
    const run = await courier(['--help']);
    const sections = run.stdout.toString().split('\n').filter((line) => /^[A-Z][A-Za-z]+( \(.*\))?:$/.test(line));
    assert.deepEqual(sections, ['Request:', 'Body (- reads stdin):', 'Output (- is stdout):', 'Connection:', 'TLS:', 'Behaviour:']);
    assert.ok(run.stdout.toString().split('\n').every((line) => line.length <= 100));
  });
});

describe('courier get --lenient', { timeout: 30_000 }, () => {
  test('bare-LF responses fail with a hint naming --lenient, and --lenient reads them', async () => {
    const bare = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\nContent-Length: 3\nConnection: close\n\nabc'));
    });
    const url = await listen(bare);
    const strict = await courier([url]);
    assert.equal(strict.code, 8);
    assert.match(strict.stderr, /--lenient accepts it\)\n$/);
    assert.equal(strict.stderr.split('\n').length, 2);
    const lenient = await courier([url, '--lenient']);
    assert.equal(lenient.code, 0, lenient.stderr);
    assert.equal(lenient.stdout.toString(), 'abc');
    await close(bare);
  });
});

test('editDistance counts a swap of neighbours as one edit; nearest stays quiet when nothing is close', async () => {
  const { editDistance, nearest } = await import('../../src/cli/suggest.js');
  assert.equal(editDistance('gte', 'get'), 1);
  assert.equal(editDistance('--http10', '--http1.0'), 1);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(nearest('--verbsoe', ['--verbose', '--version']), '--verbose');
  assert.equal(nearest('--qqq', ['--verbose', '--version']), undefined);
});
