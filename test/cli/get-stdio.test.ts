// `-` means stdin and stdout, as in curl: -o -, -d @-, --json @-, -T -, -D -.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { close } from '../client/helpers.js';
import { courier } from './get-helpers.js';
import { startEchoServer, type Seen } from '../support/echo-server.js';

describe('courier get with - for stdin and stdout', { timeout: 60_000 }, () => {
  let server: Server;
  let base = '';
  let seen: Seen[] = [];
  let dir = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'courier-stdio-'));
    ({ server, base, seen } = await startEchoServer());
  });

  after(async () => {
    await close(server);
    rmSync(dir, { recursive: true, force: true });
  });

  test('-o - writes the body to stdout and creates no file named -', async () => {
    const run = await courier([`${base}/hello`, '-o', '-'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'hello GET\n');
    assert.deepEqual(readdirSync(dir), []);
  });

  test('-o into a folder that does not exist exits 23 with one line', async () => {
    const run = await courier([`${base}/hello`, '-o', join(dir, 'no-such-folder', 'f')]);
    assert.equal(run.code, 23);
    assert.match(run.stderr, /^courier get: cannot write ".*f": ENOENT\n$/);
  });

  test('-d @- reads the body from stdin', async () => {
    const run = await courier([`${base}/post`, '-d', '@-'], { stdin: 'a=1&b=2' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(seen.at(-1)?.method, 'POST');
    assert.equal(seen.at(-1)?.body.toString(), 'a=1&b=2');
  });

  test('--json @- reads JSON from stdin', async () => {
    const run = await courier([`${base}/post`, '--json', '@-'], { stdin: '{"from":"stdin"}' });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(seen.at(-1)?.headers['content-type'], 'application/json');
    assert.equal(seen.at(-1)?.body.toString(), '{"from":"stdin"}');
  });
});
