// A file or folder the server cannot read (mode 000) is a 403 for GET, HEAD and ranges, logged
// as what was sent, with no stack trace and no filesystem path anywhere.
//
// Root reads mode-000 files, and the tests run as root here and in CI: the server then runs as
// "nobody". It loads `courier serve` first (the checkout may sit in a folder nobody cannot read),
// drops to uid/gid 65534, then runs the command — the same code the binary runs.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

const SERVE = pathToFileURL(new URL('../../src/cli/serve.js', import.meta.url).pathname).href;
const MIME = pathToFileURL(new URL('../../src/static/mime.js', import.meta.url).pathname).href;
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

// Run as a child so the test process keeps its own uid.
// The MIME table loads on first use: load it before the drop, as the modules are.
const LAUNCHER = `
const { serveCommand } = await import(${JSON.stringify(SERVE)});
(await import(${JSON.stringify(MIME)})).mediaTypeFor('warm.txt');
if (${isRoot}) { process.setgroups([${NOBODY}]); process.setgid(${NOBODY}); process.setuid(${NOBODY}); }
process.exitCode = await serveCommand(process.argv.slice(1));
`;

interface Running {
  readonly child: ChildProcess;
  readonly origin: string;
  output(): string;
  errors(): string;
}

function startAsNobody(dir: string): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LAUNCHER, dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`No banner within 10 s: ${out} ${err}`));
    }, 10_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (match !== null && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, origin: match[0], output: () => out, errors: () => err });
      }
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited with ${code} before the banner: ${out} ${err}`));
    });
  });
}

/** logLine waits (generously) for the access log line of a request and returns it. */
async function logLine(cli: Running, needle: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = cli.output().split('\n').find((l) => l.includes(needle));
    if (line !== undefined) return line;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`No log line with ${needle}: ${cli.output()}`);
}

describe('unreadable files and folders', { timeout: 60_000 }, () => {
  let base = '';
  let cli: Running;

  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'courier-unreadable-'));
    await chmod(base, 0o755);
    await writeFile(join(base, 'readable.txt'), 'hello\n');
    await writeFile(join(base, 'small.txt'), 'secret\n');
    await writeFile(join(base, 'big.bin'), Buffer.alloc(3_000_000, 1));
    await mkdir(join(base, 'locked'));
    await writeFile(join(base, 'locked', 'inside.txt'), 'inside\n');
    await chmod(join(base, 'small.txt'), 0o000);
    await chmod(join(base, 'big.bin'), 0o000);
    await chmod(join(base, 'locked'), 0o000);
    cli = await startAsNobody(base);
  });

  after(async () => {
    cli?.child.kill('SIGTERM');
    if (base !== '') {
      await chmod(join(base, 'locked'), 0o755).catch(() => {});
      await rm(base, { recursive: true, force: true });
    }
  });

  const cases: { name: string; path: string; method: string; headers?: Record<string, string> }[] = [
    { name: 'a small file (GET)', path: '/small.txt', method: 'GET' },
    { name: 'a small file (HEAD)', path: '/small.txt?head', method: 'HEAD' },
    { name: 'a big file (GET)', path: '/big.bin', method: 'GET' },
    { name: 'a big file (HEAD)', path: '/big.bin?head', method: 'HEAD' },
    { name: 'a big file (Range)', path: '/big.bin?range', method: 'GET', headers: { range: 'bytes=0-99' } },
    { name: 'a small file (Range)', path: '/small.txt?range', method: 'GET', headers: { range: 'bytes=0-1' } },
    { name: 'a folder (listing)', path: '/locked/', method: 'GET' },
    { name: 'a folder (HEAD)', path: '/locked/?head', method: 'HEAD' },
    { name: 'a file in a locked folder', path: '/locked/inside.txt', method: 'GET' },
  ];
  for (const c of cases) {
    test(`${c.name} is 403, logged as 403 with the bytes sent`, async () => {
      const res = await fetch(`${cli.origin}${c.path}`, { method: c.method, headers: c.headers ?? {}, signal: AbortSignal.timeout(10_000) });
      const body = await res.text();
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.ok(!body.includes(base), 'the body names the filesystem path');
      const line = await logLine(cli, `"${c.method} ${c.path} HTTP/1.1"`);
      const sent = c.method === 'HEAD' ? 0 : Number(res.headers.get('content-length'));
      assert.match(line, new RegExp(` 403 ${sent} `));
    });
  }

  test('a readable file next to them is served', async () => {
    const res = await fetch(`${cli.origin}/readable.txt`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello\n');
  });

  test('nothing is printed on stderr: no stack trace, no path', () => {
    assert.equal(cli.errors(), '');
    assert.ok(!cli.output().includes(`${base}/`), 'the log names a path inside the folder');
  });
});
