import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

test('courier --version prints the package version', async () => {
  const { stdout } = await run(process.execPath, [cli, '--version']);
  assert.equal(stdout, `${pkg.version}\n`);
});

test('courier --help lists the commands', async () => {
  const { stdout } = await run(process.execPath, [cli, '--help']);
  assert.match(stdout, /courier serve \[dir\]/);
  assert.match(stdout, /courier get URL/);
});

test('an unknown command exits 2 with a one-line error on stderr', async () => {
  await assert.rejects(run(process.execPath, [cli, 'frobnicate']), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 2);
    assert.equal(error.stderr, 'courier: unknown command "frobnicate" (try courier --help)\n');
    return true;
  });
});

test('a mistyped command names the nearest one', async () => {
  await assert.rejects(run(process.execPath, [cli, 'gte']), (error: { code?: number; stderr?: string }) => {
    assert.equal(error.code, 2);
    assert.equal(error.stderr, 'courier: unknown command "gte", did you mean "get"? (try courier --help)\n');
    return true;
  });
});
