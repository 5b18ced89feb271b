import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

test('workers: 2 serves one port from two processes and closes on SIGTERM', { timeout: 30_000 }, async () => {
  const app = fileURLToPath(new URL('./fixtures/cluster-app.js', import.meta.url));
  const child = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    while (!out.includes('\n')) await once(child.stdout, 'data');
    const url = out.trim();
    const pids = new Set<string>();
    for (let i = 0; i < 40 && pids.size < 2; i++) {
      // A new connection each time lets the primary hand it to either worker.
      const res = await fetch(url, { headers: { connection: 'close' } });
      pids.add(await res.text());
    }
    assert.equal(pids.size, 2);
    assert.ok(!pids.has(String(child.pid)));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.match(out, /closed\n$/);
  } finally {
    child.kill('SIGKILL');
  }
});
