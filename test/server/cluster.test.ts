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

test('a worker that crashes is replaced after a back-off, with a log line', { timeout: 60_000 }, async () => {
  const app = fileURLToPath(new URL('./fixtures/cluster-crash-app.js', import.meta.url));
  const child = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.stderr.on('data', (d: string) => (err += d));
    while (!out.includes('\n')) await once(child.stdout, 'data');
    const url = out.trim();
    // The worker that takes /crash dies without answering.
    await assert.rejects(fetch(`${url}crash`, { headers: { connection: 'close' } }));
    while (!/worker \d+ exited with code 3; starting another in \d+ ms\n/.test(err)) await once(child.stderr, 'data');
    const crashed = /worker (\d+) exited/.exec(err)?.[1];
    // Two live workers answer again, the crashed one never.
    const pids = new Set<string>();
    for (let i = 0; i < 400 && pids.size < 2; i++) {
      try {
        const res = await fetch(url, { headers: { connection: 'close' } });
        pids.add(await res.text());
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    assert.equal(pids.size, 2, `pids seen: ${[...pids].join(', ')}`);
    assert.ok(crashed !== undefined && !pids.has(crashed));
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  } finally {
    child.kill('SIGKILL');
  }
});

test('restartDelay doubles from 100 ms per crash in a row, up to 10 s', async () => {
  const { restartDelay } = await import('../../src/server/cluster.js');
  assert.deepEqual([1, 2, 3, 4, 8, 20].map(restartDelay), [100, 200, 400, 800, 10_000, 10_000]);
});
