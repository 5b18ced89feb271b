import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, start } from './harness.js';

test('1,000 concurrent connections are each answered', { timeout: 60_000 }, async () => {
  const server = await start(async (req) => {
    await new Promise((r) => setTimeout(r, 1));
    return { status: 200, body: req.path };
  });
  const baseline = process.memoryUsage().rss;
  const answers = await Promise.all(
    Array.from({ length: 1000 }, async (_, i) => {
      const client = await connect(server);
      client.write(`GET /c${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
      const [reply] = await client.replyCount(1);
      client.destroy();
      return reply;
    }),
  );
  assert.equal(answers.length, 1000);
  assert.ok(answers.every((reply, i) => reply?.status === 200 && reply.body.toString() === `/c${i}`));
  assert.ok(process.memoryUsage().rss - baseline < 200 * 1024 * 1024);
  await server.close();
});
