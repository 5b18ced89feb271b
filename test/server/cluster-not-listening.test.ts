import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

test('serve({ workers }) rejects with SERVER_NOT_LISTENING when a worker exits before listening', { timeout: 30_000 }, async () => {
  const app = fileURLToPath(new URL('./fixtures/cluster-early-exit-app.js', import.meta.url));
  const child = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    const [code] = await once(child, 'exit');
    assert.match(out, /^true SERVER_NOT_LISTENING Worker \d+ exited with code "4" before listening\n$/);
    assert.equal(code, 0, 'the primary is left with no worker holding it open');
  } finally {
    child.kill('SIGKILL');
  }
});
