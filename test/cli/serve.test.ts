// `courier serve` as a user runs it: a child process, real sockets on 127.0.0.1, signals.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { connect, createServer as createNetServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as shared from '../support/cli.js';
import type { RunningCli } from '../support/cli.js';

const run = promisify(execFile);
let dir = '';

/** startCli runs `courier serve ...args` until its banner shows the URL (the shared spawner). */
function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  return shared.startCli(['serve', ...args], { env });
}

/** runCli runs `courier serve ...args` to its end (for commands that fail at once). */
async function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = await shared.runCli(['serve', ...args], { env, timeoutMs: 10_000 });
  return { code: run.code, stdout: run.stdout.toString(), stderr: run.stderr };
}

async function fetchText(url: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function busyPort(): Promise<NetServer> {
  return new Promise((resolve) => {
    const server = createNetServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => resolve(server));
  });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-cli-'));
  await writeFile(join(dir, 'index.html'), '<h1>cli</h1>');
  await writeFile(join(dir, 'big.bin'), Buffer.alloc(30 * 1024 * 1024, 7));
  await mkdir(join(dir, 'folder'));
  await writeFile(join(dir, 'folder', 'x.txt'), 'x');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('courier serve', { timeout: 60_000 }, () => {
  test('serves a folder, logs each request safely, and stops on Ctrl-C with exit code 0', async () => {
    const cli = await startCli([dir, '--port', '0']);
    try {
      const res = await fetchText(cli.url);
      assert.equal(res.status, 200);
      assert.equal(res.text, '<h1>cli</h1>');
      assert.match(cli.output(), /Only this machine can connect/);
      // A tab and a quote in a header, a high byte in the target: escaped in the log line.
      await new Promise<void>((resolve, reject) => {
        const socket = connect({ port: cli.port, host: '127.0.0.1' }, () => {
          socket.end(Buffer.from('GET /x\xff HTTP/1.1\r\nHost: a\r\nUser-Agent: evil\t"agent"\r\nConnection: close\r\n\r\n', 'latin1'));
        });
        socket.on('data', () => {});
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      await new Promise((r) => setTimeout(r, 100));
      assert.match(cli.output(), /"GET \/ HTTP\/1\.1" 200 12 "-" "node"/);
      const evil = cli.output().split('\n').find((line) => line.includes('evil')) ?? '';
      // The lone 0xff byte is not UTF-8: the path is refused with 400.
      assert.match(evil, /"GET \/x\\xff HTTP\/1\.1" 400 \d+ "-" "evil\\x09\\"agent\\""/);
    } finally {
      assert.equal(await cli.stop('SIGINT'), 0);
    }
    assert.match(cli.output(), /Shutting down/);
  });

  test('a download in flight finishes after Ctrl-C', async () => {
    const cli = await startCli([dir, '--port', '0', '--log', 'off']);
    const res = await fetch(`${cli.url}big.bin`, { signal: AbortSignal.timeout(20_000) });
    assert.equal(res.status, 200);
    const exit = cli.stop('SIGINT');
    const body = await res.arrayBuffer();
    assert.equal(body.byteLength, 30 * 1024 * 1024);
    assert.equal(await exit, 0);
  });

  test('a busy default port moves to the next free one and says so', async () => {
    const blocker = await busyPort();
    const busy = (blocker.address() as { port: number }).port;
    try {
      const cli = await startCli([dir], { PORT: String(busy) });
      try {
        assert.notEqual(cli.port, busy);
        assert.match(cli.output(), new RegExp(`Port ${busy} is in use, so port ${cli.port} is used instead`));
        assert.equal((await fetchText(cli.url)).status, 200);
      } finally {
        await cli.stop();
      }
    } finally {
      blocker.close();
    }
  });

  test('a busy explicit --port fails clearly with exit code 1', async () => {
    const blocker = await busyPort();
    const busy = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli([dir, '--port', String(busy)]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Port ${busy} on 127\\.0\\.0\\.1 is in use \\(EADDRINUSE\\)`));
    } finally {
      blocker.close();
    }
  });

  test('a missing folder is exit code 1, a bad flag exit code 2', async () => {
    const missing = await runCli([join(dir, 'nope'), '--port', '0']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not a readable directory/);
    const badFlag = await runCli(['--bogus']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /courier serve: .*--bogus.*\(try courier serve --help\)/);
  });

  test('--help prints the flags', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--dotfiles <policy>/);
  });

  test('flags reach the handler: cors, headers, no-listing, cache, json log', async () => {
    const cli = await startCli([dir, '--port', '0', '--cors', '--header', 'X-Frame-Options: DENY', '--no-listing', '--cache', '60', '--log', 'json']);
    try {
      const res = await fetchText(cli.url);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('cache-control'), 'public, max-age=60');
      assert.equal((await fetchText(`${cli.url}folder/`)).status, 404);
      await new Promise((r) => setTimeout(r, 100));
      const line = cli.output().split('\n').find((l) => l.startsWith('{')) as string;
      const record = JSON.parse(line) as { method: string; target: string; status: number };
      assert.equal(record.method, 'GET');
      assert.equal(record.status, 200);
    } finally {
      await cli.stop();
    }
  });

  test('--workers 2 shares the port and shuts down cleanly', async () => {
    const cli = await startCli([dir, '--port', '0', '--workers', '2', '--log', 'off']);
    try {
      assert.match(cli.output(), /with 2 workers/);
      const results = await Promise.all(Array.from({ length: 8 }, () => fetchText(cli.url)));
      for (const r of results) assert.equal(r.status, 200);
    } finally {
      assert.equal(await cli.stop('SIGTERM'), 0);
    }
  });

  test('--workers 2: a killed worker is replaced after the back-off with a log line; Ctrl-C lets a download finish, exit 0', async () => {
    const cli = await startCli([dir, '--port', '0', '--workers', '2', '--log', 'off']);
    const workers = async (): Promise<string[]> => {
      const { stdout } = await run('pgrep', ['-P', String(cli.child.pid)]).catch(() => ({ stdout: '' }));
      return stdout.split('\n').filter((line) => line !== '');
    };
    try {
      const first = await workers();
      assert.equal(first.length, 2);
      const killed = first[0] as string;
      process.kill(Number(killed), 'SIGKILL');
      // Generous bounded waits: the log line, then two live workers without the killed one.
      for (let i = 0; i < 200 && !cli.errors().includes('starting another'); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(cli.errors(), new RegExp(`courier: worker ${killed} exited with signal SIGKILL; starting another in 100 ms`));
      let now = await workers();
      for (let i = 0; i < 200 && (now.length !== 2 || now.includes(killed)); i++) {
        await new Promise((r) => setTimeout(r, 50));
        now = await workers();
      }
      assert.equal(now.length, 2);
      assert.ok(!now.includes(killed));
      const results = await Promise.all(Array.from({ length: 8 }, () => fetchText(cli.url)));
      for (const r of results) assert.equal(r.status, 200);
      const res = await fetch(`${cli.url}big.bin`, { signal: AbortSignal.timeout(20_000) });
      assert.equal(res.status, 200);
      const exit = cli.stop('SIGINT');
      const body = await res.arrayBuffer();
      assert.equal(body.byteLength, 30 * 1024 * 1024);
      assert.equal(await exit, 0);
    } finally {
      await cli.stop('SIGKILL');
    }
  });

  test('--workers 2: Ctrl-C while a replacement worker is still starting exits 0 (the close message is not lost)', async () => {
    const cli = await startCli([dir, '--port', '0', '--workers', '2', '--log', 'off']);
    const workers = async (): Promise<string[]> => {
      const { stdout } = await run('pgrep', ['-P', String(cli.child.pid)]).catch(() => ({ stdout: '' }));
      return stdout.split('\n').filter((line) => line !== '');
    };
    try {
      const first = await workers();
      assert.equal(first.length, 2);
      process.kill(Number(first[0]), 'SIGKILL');
      // Ctrl-C as soon as the replacement process exists, before it can listen.
      let now = await workers();
      for (let i = 0; i < 400 && now.every((pid) => first.includes(pid)); i++) {
        await new Promise((r) => setTimeout(r, 10));
        now = await workers();
      }
      assert.ok(now.some((pid) => !first.includes(pid)), 'no replacement worker appeared');
      const exit = await Promise.race([cli.stop('SIGINT'), new Promise((r) => setTimeout(() => r('still running after 15 s'), 15_000))]);
      assert.equal(exit, 0);
    } finally {
      await cli.stop('SIGKILL');
    }
  });

  test('--tls-cert and --tls-key serve HTTPS', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { timeout: 10_000 });
    const cli = await startCli([dir, '--port', '0', '--tls-cert', cert, '--tls-key', key]);
    try {
      assert.match(cli.url, /^https:/);
      const { stdout } = await run('curl', ['-sSk', '--max-time', '5', cli.url], { timeout: 10_000 });
      assert.equal(stdout, '<h1>cli</h1>');
    } finally {
      await cli.stop();
    }
  });

  test('--open runs the system opener with the URL, and a missing opener is not fatal', async () => {
    const bin = join(dir, 'bin');
    await mkdir(bin, { recursive: true });
    const record = join(dir, 'opened.txt');
    const opener = join(bin, process.platform === 'darwin' ? 'open' : 'xdg-open');
    await writeFile(opener, `#!/bin/sh\necho "$@" > '${record}'\n`);
    await chmod(opener, 0o755);
    const cli = await startCli([dir, '--port', '0', '--open'], { PATH: `${bin}:${process.env.PATH ?? ''}` });
    try {
      let opened = '';
      for (let i = 0; i < 50 && opened === ''; i++) {
        await new Promise((r) => setTimeout(r, 100));
        opened = await readFile(record, 'utf8').catch(() => '');
      }
      assert.equal(opened.trim(), cli.url);
    } finally {
      await cli.stop();
    }
    const none = await startCli([dir, '--port', '0', '--open'], { PATH: join(dir, 'empty-path') });
    try {
      assert.equal((await fetchText(none.url)).status, 200);
    } finally {
      assert.equal(await none.stop(), 0);
    }
  });
});
