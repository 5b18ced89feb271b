// courier get on a terminal (a pseudo-terminal from script(1)): indented JSON, coloured -v heads
// unless NO_COLOR, and the -u password prompt that does not echo.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { close } from '../client/helpers.js';
import { MAIN } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';

const hasScript = spawnSync('script', ['-qec', 'true', '/dev/null']).status === 0;

/** onTerminal runs `courier get ...args` with stdout and stderr on a pseudo-terminal. */
async function onTerminal(args: string[], env: Record<string, string> = {}, answer?: { when: RegExp; send: string }): Promise<{ code: number; output: string }> {
  const command = [process.execPath, MAIN, 'get', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, http_proxy: '', HTTP_PROXY: '', ...env } });
  let output = '';
  let isAnswered = false;
  child.stdout.on('data', (c: Buffer) => {
    output += c.toString();
    if (answer !== undefined && !isAnswered && answer.when.test(output)) {
      isAnswered = true;
      child.stdin.write(answer.send);
    }
  });
  const [code] = (await once(child, 'close')) as [number];
  return { code, output };
}

describe('courier get on a terminal', { timeout: 60_000, skip: hasScript ? false : 'script(1) not available' }, () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];

  before(async () => {
    ({ server, base, seen } = await startEchoServer({
      '/json': (_req, res) => void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"name":"courier","tags":["http",1]}'),
    }));
  });

  after(async () => close(server));

  test('a JSON body is indented on a terminal', async () => {
    const run = await onTerminal([`${base}/json`]);
    assert.equal(run.code, 0);
    assert.equal(run.output.replace(/\r\n/g, '\n'), '{\n  "name": "courier",\n  "tags": [\n    "http",\n    1\n  ]\n}\n');
  });

  test('-v heads are coloured on a terminal, and not with NO_COLOR', async () => {
    const coloured = await onTerminal([`${base}/json`, '-v']);
    assert.match(coloured.output, /< \x1b\[1m\x1b\[32mHTTP\/1\.1 200 OK\x1b\[0m/);
    assert.match(coloured.output, /> \x1b\[36mHost\x1b\[0m: /);
    const plain = await onTerminal([`${base}/json`, '-v'], { NO_COLOR: '1' });
    assert.doesNotMatch(plain.output, /\x1b\[/);
    assert.match(plain.output, /< HTTP\/1\.1 200 OK/);
  });

  test('-u USER asks for the password without echoing it', async () => {
    const run = await onTerminal([`${base}/private`, '-u', 'alice'], {}, { when: /Enter host password for user 'alice': $/, send: 's3cret\r' });
    assert.equal(run.code, 0, run.output);
    assert.equal(seen.at(-1)?.headers.authorization, `Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    assert.doesNotMatch(run.output, /s3cret/);
    assert.match(run.output, /hello GET/);
  });
});
