// `courier serve 8000`, the `python -m http.server 8000` habit: a number that is not a folder
// here is the port, and the current folder is served (the banner says so).
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseServeArgs, portShorthand } from '../../src/cli/serve-options.js';
import { runCli, startCli } from '../support/cli.js';

let dir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'courier-shorthand-'));
  await writeFile(join(dir, 'here.txt'), 'the current folder\n');
  await mkdir(join(dir, '4242'));
  await writeFile(join(dir, '4242', 'inside.txt'), 'the folder named 4242\n');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** serveIn runs `courier serve ...args` in `cwd` until the banner, fetches `path`, then stops it. */
async function serveIn(cwd: string, args: string[], path: string): Promise<{ banner: string; status: number; text: string }> {
  const serve = await startCli(['serve', ...args, '--log', 'off'], { cwd });
  try {
    const res = await fetch(`${serve.url}${path}`, { signal: AbortSignal.timeout(5000) });
    return { banner: serve.output(), status: res.status, text: await res.text() };
  } finally {
    await serve.stop();
  }
}

describe('courier serve PORT', { timeout: 30_000 }, () => {
  test('a number that is no folder here serves the current folder on that port and says so', async () => {
    const port = await freePort();
    const run = await serveIn(dir, [String(port)], 'here.txt');
    assert.equal(run.status, 200);
    assert.equal(run.text, 'the current folder\n');
    assert.match(run.banner, new RegExp(`http://127\\.0\\.0\\.1:${port}/`));
    assert.match(run.banner, new RegExp(`No folder "${port}" here, so the current folder is served on port ${port}`));
  });

  test('a folder with that name is still served as a folder', async () => {
    const run = await serveIn(dir, ['4242', '--port', '0'], 'inside.txt');
    assert.equal(run.status, 200);
    assert.equal(run.text, 'the folder named 4242\n');
    assert.doesNotMatch(run.banner, /No folder/);
  });

  test('a number out of port range is a missing folder, as before', async () => {
    const result = await runCli(['serve', '99999'], { cwd: dir, timeoutMs: 10_000 });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /not a readable directory/);
  });
});

describe('portShorthand', () => {
  test('applies only to a lone number that is not a folder, without --port', () => {
    const config = portShorthand(parseServeArgs(['8080']), false);
    assert.equal(config.dir, '.');
    assert.equal(config.port, 8080);
    assert.equal(config.isPortExplicit, true);
    assert.equal(config.portFromFolderName, true);
    assert.equal(portShorthand(parseServeArgs(['8080']), true).dir, '8080');
    assert.equal(portShorthand(parseServeArgs(['8080', '--port', '9000']), false).dir, '8080');
    assert.equal(portShorthand(parseServeArgs(['site']), false).dir, 'site');
    assert.equal(portShorthand(parseServeArgs([]), false).dir, '.');
  });
});
