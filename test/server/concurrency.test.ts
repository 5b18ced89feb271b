import assert from 'node:assert/strict';
import * as net from 'node:net';
import { test } from 'node:test';
import { start } from './harness.js';

test('1,000 concurrent connections are each answered', { timeout: 60_000 }, async () => {
  const server = await start(async (req) => {
    await new Promise((r) => setTimeout(r, 1));
    return { status: 200, body: req.path };
  });
  const baseline = process.memoryUsage().rss;
  const answers = await Promise.all(
    Array.from(
      { length: 1000 },
      (_, i) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(server.port, '127.0.0.1');
          let data = '';
          socket.setEncoding('latin1');
          socket.on('data', (d: string) => {
            data += d;
            if (data.endsWith(`/c${i}`)) {
              socket.destroy();
              resolve(data);
            }
          });
          socket.on('error', reject);
          socket.write(`GET /c${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
        }),
    ),
  );
  assert.equal(answers.length, 1000);
  assert.ok(answers.every((a, i) => a.startsWith('HTTP/1.1 200 OK\r\n') && a.endsWith(`/c${i}`)));
  assert.ok(process.memoryUsage().rss - baseline < 200 * 1024 * 1024);
  await server.close();
});
