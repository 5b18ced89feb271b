// `courier raw` as a learner runs it: the real binary, real sockets on 127.0.0.1, and servers that
// record every byte they receive (so "it never adds a byte" is checked, not assumed).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { after, before, describe, test } from 'node:test';
import type { Server } from '../../src/server/index.js';
import { decodeEscapes, parseAddress, toCrlf } from '../../src/cli/raw-options.js';
import { runCli } from '../support/cli.js';
import { selfSignedFiles } from '../support/tls.js';
import { startStatic } from '../static/harness.js';
import { makePng } from '../support/make-png.js';

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function raw(args: string[], stdin?: string | Buffer): Promise<Run> {
  const run = await runCli(['raw', ...args], { stdin: stdin ?? '', timeoutMs: 20_000 });
  return { code: run.code, stdout: run.stdout.toString(), stderr: run.stderr };
}

/** Recorder is a server that keeps the bytes of each connection and answers once it saw `until`. */
interface Recorder {
  readonly server: NetServer;
  readonly port: number;
  readonly received: Buffer[];
}

function recorder(answer: (socket: Socket) => void, until = /\r?\n\r?\n|END/): Promise<Recorder> {
  const received: Buffer[] = [];
  const server = createNetServer((socket) => {
    const index = received.push(Buffer.alloc(0)) - 1;
    let isAnswered = false;
    socket.on('data', (chunk: Buffer) => {
      received[index] = Buffer.concat([received[index] as Buffer, chunk]);
      if (!isAnswered && until.test((received[index] as Buffer).toString('latin1'))) {
        isAnswered = true;
        answer(socket);
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen({ port: 0, host: '127.0.0.1' }, () => resolve({ server, port: (server.address() as { port: number }).port, received })));
}

const ROMEO = 'But soft what light through yonder window breaks\nIt is the east and Juliet is the sun\n';
let dir = '';
let png: Buffer;
let site: Server;
let echo: Recorder;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-raw-'));
  png = makePng(40, 30, (x, y) => [x * 6, y * 8, 128]);
  await writeFile(join(dir, 'romeo.txt'), ROMEO);
  await writeFile(join(dir, 'cover.png'), png);
  site = await startStatic(dir);
  echo = await recorder((socket) => socket.end('HTTP/1.0 200 OK\r\nX-Seen: yes\r\n\r\nhi\r\n'));
});
after(async () => {
  await site.close();
  echo.server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('courier raw', { timeout: 60_000 }, () => {
  test('the socket lesson: HTTP/1.0 GET, the head with CR LF shown, the end of the head marked, the body', async () => {
    const run = await raw([`127.0.0.1:${site.port}`, 'GET /romeo.txt HTTP/1.0\r\n\r\n']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], 'HTTP/1.1 200 OK\\r\\n');
    assert.ok(lines.includes('Content-Type: text/plain; charset=utf-8\\r\\n'));
    const blank = lines.indexOf('\\r\\n');
    assert.ok(blank > 0, run.stdout);
    assert.match(lines[blank + 1] as string, /^---- end of the head: \d+ lines, \d+ bytes; the body follows ----$/);
    assert.equal(lines[blank + 2], 'But soft what light through yonder window breaks\\n');
    assert.equal(lines[blank + 3], 'It is the east and Juliet is the sun\\n');
    assert.equal(lines[blank + 4], `---- end of the body: ${Buffer.byteLength(ROMEO)} bytes ----`);
    assert.match(run.stderr, /^read \d+ bytes, \d+ so far\n/);
    assert.match(run.stderr, /closed by the server after \d+ bytes in \d+ reads?\n$/);
  });

  test('sends exactly the bytes given: escapes decoded, LF made CR LF, nothing added', async () => {
    const cases: { args: string[]; stdin?: string; sent: string }[] = [
      { args: ['GET / HTTP/1.0\\r\\n\\r\\n'], sent: 'GET / HTTP/1.0\r\n\r\n' },
      { args: ['GET / HTTP/1.0\n\n'], sent: 'GET / HTTP/1.0\r\n\r\n' },
      { args: ['GET / HTTP/1.0\\n\\n'], sent: 'GET / HTTP/1.0\r\n\r\n' },
      { args: ['GET / HTTP/1.0\n\n', '--binary'], sent: 'GET / HTTP/1.0\n\n' },
      { args: [], stdin: 'GET /x HTTP/1.0\nUser-Agent: me\n\n', sent: 'GET /x HTTP/1.0\r\nUser-Agent: me\r\n\r\n' },
      { args: ['-f', '-', '--binary'], stdin: 'GET /x HTTP/1.0\n\n', sent: 'GET /x HTTP/1.0\n\n' },
      { args: ['xEND'], sent: 'xEND' },
      { args: ['caf\\xc3\\xa9 \\\\ \\tEND'], sent: 'caf\xc3\xa9 \\ \tEND' },
    ];
    for (const c of cases) {
      const before = echo.received.length;
      const run = await raw([`127.0.0.1:${echo.port}`, ...c.args], c.stdin);
      assert.equal(run.code, 0, `${c.args.join(' ')}: ${run.stderr}`);
      assert.equal(echo.received.length, before + 1);
      assert.equal((echo.received[before] as Buffer).toString('latin1'), c.sent, c.args.join(' '));
      assert.ok(run.stdout.startsWith('HTTP/1.0 200 OK\\r\\n\nX-Seen: yes\\r\\n\n\\r\\n\n---- end of the head: 2 lines, 32 bytes'), run.stdout);
      assert.ok(run.stdout.includes('\nhi\\r\\n\n'));
    }
  });

  test('-f FILE sends the file', async () => {
    const file = join(dir, 'request.http');
    await writeFile(file, 'HEAD / HTTP/1.0\nAccept: */*\n\n');
    const before = echo.received.length;
    const run = await raw([`127.0.0.1:${echo.port}`, '-f', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((echo.received[before] as Buffer).toString('latin1'), 'HEAD / HTTP/1.0\r\nAccept: */*\r\n\r\n');
  });

  test('counts each read as the lesson loop does', async () => {
    const parts = ['HTTP/1.0 200 OK\r\n\r\n', 'a'.repeat(3000), 'b'.repeat(5000)];
    const slow = await recorder((socket) => {
      let i = 0;
      const next = (): void => {
        if (i === parts.length) {
          socket.end();
          return;
        }
        socket.write(parts[i++] as string);
        setTimeout(next, 30);
      };
      next();
    });
    try {
      const run = await raw([`127.0.0.1:${slow.port}`, 'GET / HTTP/1.0\n\n']);
      assert.equal(run.code, 0, run.stderr);
      const reads = [...run.stderr.matchAll(/^read (\d+) bytes, (\d+) so far$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      let sum = 0;
      for (const [n, soFar] of reads) {
        sum += n as number;
        assert.equal(soFar, sum);
      }
      assert.equal(sum, 8019);
      assert.match(run.stderr, new RegExp(`closed by the server after 8019 bytes in ${reads.length} reads?`));
    } finally {
      slow.server.close();
    }
  });

  test('--body-out saves the bytes after the first CR LF CR LF: the image lesson', async () => {
    const out = join(dir, 'saved.png');
    const run = await raw([`127.0.0.1:${site.port}`, 'GET /cover.png HTTP/1.0\r\n\r\n', '--body-out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await readFile(out), png);
    assert.match(run.stdout, /^HTTP\/1\.1 200 OK\\r\\n\n/);
    assert.match(run.stdout, /Content-Type: image\/png\\r\\n\n/);
    assert.match(run.stdout, new RegExp(`---- body: ${png.length} bytes saved to ${out.replace(/[.\\/]/g, '\\$&')} ----\n$`));
  });

  test('a binary body without --body-out is counted, not dumped on the terminal', async () => {
    const run = await raw([`127.0.0.1:${site.port}`, 'GET /cover.png HTTP/1.0\r\n\r\n']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`---- body: ${png.length} bytes of image/png, not shown: save them with --body-out FILE ----\n$`));
    assert.doesNotMatch(run.stdout, /IHDR/);
  });

  test('an HTTP/1.1 server that keeps the connection open ends at --timeout with exit 28 and a hint', async () => {
    const run = await raw([`127.0.0.1:${site.port}`, 'GET /romeo.txt HTTP/1.1\nHost: localhost\n\n', '--timeout', '0.5']);
    assert.equal(run.code, 28);
    assert.match(run.stdout, /But soft what light/);
    assert.match(run.stderr, /did not close the connection within 0\.5 s \(.*Connection: close.*HTTP\/1\.0\)/);
  });

  test('nothing listening is exit 7; a bad address or flag is exit 2', async () => {
    const closed = await recorder(() => {});
    const port = closed.port;
    await new Promise((r) => closed.server.close(r));
    const refused = await raw([`127.0.0.1:${port}`, 'GET / HTTP/1.0\n\n']);
    assert.equal(refused.code, 7);
    assert.match(refused.stderr, /^courier raw: connect ECONNREFUSED 127\.0\.0\.1:\d+/);
    const bad = await raw(['127.0.0.1:99999', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /Invalid port "99999"/);
    const flag = await raw(['--bogus']);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /\(see courier raw --help\)\n$/);
  });

  test('--tls speaks TLS; an untrusted certificate is exit 35 with the way out, -k goes on', async () => {
    const { key, cert, dir: certDir } = selfSignedFiles();
    const received: string[] = [];
    const server = createTlsServer({ key, cert }, (socket) => {
      socket.once('data', (chunk: Buffer) => {
        received.push(chunk.toString('latin1'));
        socket.end('HTTP/1.0 204 No Content\r\n\r\n');
      });
    });
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1' }, () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const untrusted = await raw([`127.0.0.1:${port}`, '--tls', 'GET / HTTP/1.0\n\n']);
      assert.equal(untrusted.code, 35);
      assert.match(untrusted.stderr, /not trusted .*--cacert FILE, or -k/);
      const insecure = await raw([`127.0.0.1:${port}`, '--tls', '-k', 'GET / HTTP/1.0\n\n']);
      assert.equal(insecure.code, 0, insecure.stderr);
      assert.match(insecure.stdout, /^HTTP\/1\.0 204 No Content\\r\\n\n\\r\\n\n---- end of the head/);
      const trusted = await raw([`https://localhost:${port}/`, '--cacert', join(certDir, 'cert.pem'), 'GET / HTTP/1.0\n\n']);
      assert.equal(trusted.code, 0, trusted.stderr);
      assert.deepEqual(received, ['GET / HTTP/1.0\r\n\r\n', 'GET / HTTP/1.0\r\n\r\n']);
    } finally {
      server.close();
      await rm(certDir, { recursive: true, force: true });
    }
  });
});

describe('raw options', () => {
  test('addresses', () => {
    assert.deepEqual(parseAddress('data.pr4e.org:80', false), { host: 'data.pr4e.org', port: 80, isTls: false });
    assert.deepEqual(parseAddress('example.com', false), { host: 'example.com', port: 80, isTls: false });
    assert.deepEqual(parseAddress('example.com', true), { host: 'example.com', port: 443, isTls: true });
    assert.deepEqual(parseAddress('[::1]:8000', false), { host: '::1', port: 8000, isTls: false });
    assert.deepEqual(parseAddress('https://example.com/x', false), { host: 'example.com', port: 443, isTls: true });
    assert.throws(() => parseAddress('a b', false), { name: 'UsageError' });
  });

  test('escapes and line ends', () => {
    assert.deepEqual(decodeEscapes('a\\r\\n\\x00\\\\'), Buffer.from('a\r\n\x00\\', 'latin1'));
    assert.throws(() => decodeEscapes('\\q'), /Invalid escape "\\q"/);
    assert.equal(toCrlf(Buffer.from('a\nb\r\nc\n')).toString(), 'a\r\nb\r\nc\r\n');
    assert.equal(toCrlf(Buffer.from('\n')).toString(), '\r\n');
  });
});
