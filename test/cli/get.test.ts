import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { formatProgress } from '../../src/cli/progress.js';
import { escapeLine, formatTrace } from '../../src/cli/trace.js';
import { close, listen } from '../client/helpers.js';
import { MAIN, runCli, type CliRun } from '../support/cli.js';
import { startEchoServer, type EchoServer, type Seen } from '../support/echo-server.js';
import { selfSignedFiles } from '../support/tls.js';

/** courier runs `courier get ...args` (in `cwd` when given). */
function courier(args: string[], cwd?: string): Promise<CliRun> {
  return runCli(['get', ...args], cwd === undefined ? {} : { cwd });
}

describe('courier get', { timeout: 60_000 }, () => {
  let echo: EchoServer;
  let base = '';
  let dir = '';
  let seen: Seen[] = [];
  const blob = randomBytes(1024 * 1024 + 123);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courier-cli-'));
    echo = await startEchoServer({}, (req, res) => {
      const path = req.url ?? '/';
      if (path === '/blob.bin') {
        const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
        if (range !== null) {
          const start = Number(range[1]);
          if (start >= blob.length) {
            res.writeHead(416).end();
            return;
          }
          res.writeHead(206, { 'content-range': `bytes ${start}-${blob.length - 1}/${blob.length}`, 'content-length': blob.length - start });
          res.end(blob.subarray(start));
          return;
        }
        res.writeHead(200, { 'content-length': blob.length, 'content-type': 'application/octet-stream' }).end(blob);
        return;
      }
      if (path === '/missing') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
        return;
      }
      if (path === '/loop') {
        res.writeHead(302, { location: '/loop' }).end('loop');
        return;
      }
      if (path === '/moved') {
        res.writeHead(301, { location: '/hello' }).end('moved body');
        return;
      }
      if (path === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('unzipped!'));
        return;
      }
      if (path === '/slow') return; // never answers
      res.writeHead(200, { 'content-type': 'text/plain', 'x-test': 'yes' }).end(`hello ${req.method}\n`);
    });
    base = echo.base;
    seen = echo.seen;
  });

  after(async () => {
    await echo.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('prints the body and exits 0', async () => {
    const run = await courier([`${base}/hello`]);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.toString(), 'hello GET\n');
    assert.equal(run.stderr, '');
  });

  test('a URL without a scheme means http', async () => {
    const run = await courier([`${base.slice('http://'.length)}/hello`]);
    assert.equal(run.stdout.toString(), 'hello GET\n');
  });

  test('--trace shows the exact bytes both ways with CR and LF escaped', async () => {
    const run = await courier([`${base}/hello`, '--trace']);
    assert.equal(run.code, 0);
    const lines = run.stderr.split('\n');
    assert.equal(lines[0], '> GET /hello HTTP/1.1\\r\\n');
    assert.ok(lines.includes(`> Host: ${new URL(base).host}\\r\\n`));
    assert.ok(lines.includes('> \\r\\n'));
    assert.ok(lines.includes('< HTTP/1.1 200 OK\\r\\n'));
    assert.ok(lines.includes('< x-test: yes\\r\\n'));
    assert.ok(lines.includes('< hello GET\\n'));
    assert.equal(run.stdout.toString(), 'hello GET\n');
  });

  test('-v prints the request head with > and the response head with < on stderr', async () => {
    const run = await courier([`${base}/hello`, '-v']);
    assert.match(run.stderr, /^\* Connected to 127\.0\.0\.1 port \d+\n> GET \/hello HTTP\/1\.1\n> Host: /);
    assert.match(run.stderr, /\n< HTTP\/1\.1 200 OK\n/);
    assert.match(run.stderr, /\n< x-test: yes\n/);
    assert.equal(run.stdout.toString(), 'hello GET\n');
  });

  test('-i prints status and headers before the body; -I sends HEAD', async () => {
    const included = await courier([`${base}/hello`, '-i']);
    assert.match(included.stdout.toString(), /^HTTP\/1\.1 200 OK\r\n(.*\r\n)*x-test: yes\r\n(.*\r\n)*\r\nhello GET\n$/);
    const head = await courier([`${base}/hello`, '-I']);
    assert.equal(seen.at(-1)?.method, 'HEAD');
    assert.match(head.stdout.toString(), /^HTTP\/1\.1 200 OK\r\n/);
    assert.doesNotMatch(head.stdout.toString(), /hello/);
  });

  test('-X, -H and --data @file send method, header and body', async () => {
    const file = join(dir, 'payload.txt');
    writeFileSync(file, 'from a file');
    const run = await courier([`${base}/echo`, '-X', 'PUT', '-H', 'X-Custom: one two', '--data', `@${file}`]);
    assert.equal(run.code, 0);
    const last = seen.at(-1) as Seen;
    assert.equal(last.method, 'PUT');
    assert.equal(last.headers['x-custom'], 'one two');
    assert.equal(last.body.toString(), 'from a file');
    assert.equal(last.headers['content-type'], 'application/x-www-form-urlencoded');
  });

  test('-d implies POST and joins repeated data with &', async () => {
    await courier([`${base}/echo`, '-d', 'a=1', '-d', 'b=2']);
    assert.equal(seen.at(-1)?.method, 'POST');
    assert.equal(seen.at(-1)?.body.toString(), 'a=1&b=2');
  });

  test('--json sends JSON with its content type', async () => {
    await courier([`${base}/echo`, '--json', '{"a":1}']);
    const last = seen.at(-1) as Seen;
    assert.equal(last.method, 'POST');
    assert.equal(last.headers['content-type'], 'application/json');
    assert.equal(last.headers.accept, 'application/json');
    assert.equal(last.body.toString(), '{"a":1}');
  });

  test('-F sends multipart fields and files', async () => {
    const file = join(dir, 'upload.txt');
    writeFileSync(file, 'uploaded content');
    await courier([`${base}/echo`, '-F', 'name=value', '-F', `file=@${file}`]);
    const last = seen.at(-1) as Seen;
    const form = await new Response(last.body, { headers: { 'content-type': String(last.headers['content-type']) } }).formData();
    assert.equal(form.get('name'), 'value');
    const uploaded = form.get('file') as File;
    assert.equal(uploaded.name, 'upload.txt');
    assert.equal(await uploaded.text(), 'uploaded content');
  });

  test('-o writes the exact bytes and prints no progress on a pipe', async () => {
    const out = join(dir, 'out.bin');
    const run = await courier([`${base}/blob.bin`, '-o', out]);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout.length, 0);
    assert.equal(createHash('sha256').update(readFileSync(out)).digest('hex'), createHash('sha256').update(blob).digest('hex'));
  });

  test('-O names the file after the URL', async () => {
    const cwd = mkdtempSync(join(dir, 'remote-'));
    const run = await courier([`${base}/blob.bin`, '-O'], cwd);
    assert.equal(run.code, 0);
    assert.deepEqual(readFileSync(join(cwd, 'blob.bin')), blob);
  });

  test('-C - resumes a partial download with a Range request', async () => {
    const out = join(dir, 'partial.bin');
    writeFileSync(out, blob.subarray(0, 1000));
    const run = await courier([`${base}/blob.bin`, '-o', out, '-C', '-']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(seen.at(-1)?.headers.range, 'bytes=1000-');
    assert.deepEqual(readFileSync(out), blob);
    const again = await courier([`${base}/blob.bin`, '-o', out, '-C', '-']);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /already complete/);
    assert.deepEqual(readFileSync(out), blob);
  });

  test('--fail exits 22 on a 4xx and prints no body', async () => {
    const run = await courier([`${base}/missing`, '--fail']);
    assert.equal(run.code, 22);
    assert.equal(run.stdout.length, 0);
    assert.equal(run.stderr, 'courier get: The requested URL returned error: 404 Not Found\n');
    const without = await courier([`${base}/missing`]);
    assert.equal(without.code, 0);
    assert.equal(without.stdout.toString(), 'not here');
  });

  test('redirects are followed; --no-follow prints the redirect; --max-redirs bounds it (exit 47)', async () => {
    assert.equal((await courier([`${base}/moved`])).stdout.toString(), 'hello GET\n');
    assert.equal((await courier([`${base}/moved`, '--no-follow'])).stdout.toString(), 'moved body');
    const looping = await courier([`${base}/loop`, '--max-redirs', '2']);
    assert.equal(looping.code, 47);
    assert.match(looping.stderr, /^courier get: Too many redirects/);
  });

  test('--http1.0 sends an HTTP/1.0 request line and --compressed decodes gzip', async () => {
    await courier([`${base}/hello`, '--http1.0']);
    assert.equal(seen.at(-1)?.version, '1.0');
    const zipped = await courier([`${base}/gzip`, '--compressed']);
    assert.equal(zipped.stdout.toString(), 'unzipped!');
    assert.equal(seen.at(-1)?.headers['accept-encoding'], 'gzip, deflate, br');
  });

  test('--timing prints the phases on stderr', async () => {
    const run = await courier([`${base}/hello`, '--timing']);
    for (const phase of ['dns', 'connect', 'tls', 'first byte', 'total']) assert.match(run.stderr, new RegExp(`^${phase} +(-|\\d+\\.\\d+ s)$`, 'm'));
  });

  test('exit codes: connection refused is 7 with a one-line message', async () => {
    const dead = createNetServer();
    const url = await listen(dead);
    await close(dead);
    const run = await courier([url]);
    assert.equal(run.code, 7);
    assert.equal(run.stderr, `courier get: connect ECONNREFUSED ${new URL(url).host}\n`);
  });

  test('exit codes: timeout is 28', async () => {
    const run = await courier([`${base}/slow`, '--timeout', '0.2']);
    assert.equal(run.code, 28);
    assert.match(run.stderr, /^courier get: Request timeout/);
  });

  test('exit codes: a malformed response is 8, an empty reply 52', async () => {
    const evil = createNetServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (chunk) => {
        if (chunk.toString().startsWith('GET /empty')) socket.destroy();
        else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab');
      });
    });
    const url = await listen(evil);
    assert.equal((await courier([url])).code, 8);
    assert.equal((await courier([`${url}/empty`])).code, 52);
    await close(evil);
  });

  test('exit codes: an untrusted certificate is 35; -k and --cacert accept it', async () => {
    const { key, cert, dir: certDir } = selfSignedFiles();
    const tls = createHttpsServer({ key, cert }, (_req, res) => res.end('secret'));
    const url = (await listen(tls)).replace('http:', 'https:');
    const refused = await courier([url]);
    assert.equal(refused.code, 35);
    assert.match(refused.stderr, /^courier get: tls DEPTH_ZERO_SELF_SIGNED_CERT/);
    assert.equal((await courier([url, '-k'])).stdout.toString(), 'secret');
    assert.equal((await courier([url, '--cacert', join(certDir, 'cert.pem')])).stdout.toString(), 'secret');
    await close(tls);
    rmSync(certDir, { recursive: true, force: true });
  });

  test('usage errors exit 2 with one line', async () => {
    const unknown = await courier([`${base}/`, '--no-such-flag']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr.split('\n').length, 2);
    assert.equal((await courier([])).code, 2);
    assert.equal((await courier([`${base}/`, '-H', 'no colon'])).code, 2);
    assert.equal((await courier([`${base}/`, '-H', 'X-Bad: a\rb'])).code, 2);
  });

  test('binary bodies are not dumped to a terminal', async (t) => {
    const probe = spawnSync('script', ['-qec', 'true', '/dev/null']);
    if (probe.status !== 0) {
      t.skip('script(1) not available for a pseudo-terminal');
      return;
    }
    const child = spawn('script', ['-qec', `${process.execPath} ${MAIN} get ${base}/blob.bin`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    const [code] = (await once(child, 'close')) as [number];
    const text = Buffer.concat(out).toString('latin1');
    assert.equal(code, 0);
    assert.match(text, /binary body not shown on a terminal/);
    assert.ok(Buffer.concat(out).length < 1000);
    const silent = spawn('script', ['-qec', `${process.execPath} ${MAIN} get -s ${base}/blob.bin`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const quiet: Buffer[] = [];
    silent.stdout.on('data', (c: Buffer) => quiet.push(c));
    const [silentCode] = (await once(silent, 'close')) as [number];
    assert.equal(silentCode, 0);
    assert.doesNotMatch(Buffer.concat(quiet).toString('latin1'), /binary body not shown/);
    assert.ok(Buffer.concat(quiet).length < 1000);
  });
});

test('escapeLine makes CR, LF, TAB, backslash and control bytes visible', () => {
  assert.equal(escapeLine(Buffer.from('a\r\n\t\\\x00\xff', 'latin1')), 'a\\r\\n\\t\\\\\\x00\\xff');
  assert.equal(formatTrace('out', Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')), '> GET / HTTP/1.1\\r\\n\n> Host: x\\r\\n\n> \\r\\n\n');
  assert.equal(formatTrace('in', Buffer.from('partial')), '< partial\n');
});

test('formatProgress shows size, percentage, rate and ETA', () => {
  const line = formatProgress(50 * 1024 * 1024, 100 * 1024 * 1024, 1000, 100);
  assert.match(line, /^50\.0 MiB \/ 100\.0 MiB  50% \[#+\.+\] 50\.0 MiB\/s  ETA 0:01$/);
  assert.match(formatProgress(2048, -1, 1000), /^2\.0 KiB  2\.0 KiB\/s$/);
});

test('a reader that closes the pipe early ends courier get with exit 23, not a hang', { timeout: 20_000 }, async () => {
  const big = Buffer.alloc(8 * 1024 * 1024, 0x61);
  const server = createHttpServer((_req, res) => res.end(big));
  const url = await listen(server);
  const child = spawn(process.execPath, [MAIN, 'get', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  const [code] = (await once(child, 'close')) as [number | null];
  assert.equal(code, 23);
  assert.match(stderr, /^courier get: Failure writing output: EPIPE\n$/);
  await close(server);
});

test('on a terminal, -o draws a progress bar with size and rate on stderr', { timeout: 20_000 }, async (t) => {
  if (spawnSync('script', ['-qec', 'true', '/dev/null']).status !== 0) {
    t.skip('script(1) not available for a pseudo-terminal');
    return;
  }
  const blob = Buffer.alloc(2 * 1024 * 1024, 1);
  const server = createHttpServer((_req, res) => res.writeHead(200, { 'content-length': blob.length }).end(blob));
  const url = await listen(server);
  const dir = mkdtempSync(join(tmpdir(), 'courier-tty-'));
  const child = spawn('script', ['-qec', `${process.execPath} ${MAIN} get ${url}/f -o ${join(dir, 'f')}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => out.push(c));
  const [code] = (await once(child, 'close')) as [number];
  assert.equal(code, 0);
  assert.match(Buffer.concat(out).toString(), /2\.0 MiB \/ 2\.0 MiB 100% \[#+\] .*\/s {2}ETA/);
  assert.equal(readFileSync(join(dir, 'f')).length, blob.length);
  rmSync(dir, { recursive: true, force: true });
  await close(server);
});

test('--unix-socket and -v over a redirect chain show every hop', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'courier-cli-unix-'));
  const path = join(dir, 's.sock');
  const server = createHttpServer((req, res) => {
    if (req.url === '/start') res.writeHead(302, { location: '/end' }).end();
    else res.end(`unix ${req.url}`);
  });
  server.listen(path);
  await once(server, 'listening');
  const run = await courier(['http://app.local/start', '--unix-socket', path, '-v']);
  assert.equal(run.code, 0);
  assert.equal(run.stdout.toString(), 'unix /end');
  const hops = run.stderr.split('\n').filter((line) => /^> GET |^< HTTP\//.test(line));
  assert.deepEqual(hops, ['> GET /start HTTP/1.1', '< HTTP/1.1 302 Found', '> GET /end HTTP/1.1', '< HTTP/1.1 200 OK']);
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});
