// Issue 8, item 6: "GET h:80 HTTP/1.1" was taken as absolute-form with the scheme "h" and served
// as "/". Absolute-form needs an http or https URI (RFC 9112 §3.2.2, RFC 9110 §4.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, start } from './harness.js';

for (const target of ['h:80', 'mailto:a@example.com', 'ftp://example.com/a', 'http:/a', 'http://?q']) {
  test(`"GET ${target}" is a 400 and never reaches the handler`, { timeout: 10_000 }, async () => {
    let calls = 0;
    const server = await start(() => {
      calls++;
      return { status: 200 };
    });
    const client = await connect(server);
    client.write(`GET ${target} HTTP/1.1\r\nHost: example.com\r\n\r\n`);
    await client.closedByPeer();
    assert.equal(client.replies[0]?.head.statusCode, 400);
    assert.equal(calls, 0);
    await server.close();
  });
}

test('absolute-form with http and https (any case) is still served', { timeout: 10_000 }, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }));
  const client = await connect(server);
  client.write('GET HTTP://example.com/a HTTP/1.1\r\nHost: example.com\r\n\r\nGET https://example.com:8443?x HTTP/1.1\r\nHost: example.com:8443\r\n\r\n');
  const replies = await client.replyCount(2);
  assert.deepEqual(
    replies.map((r) => `${r.head.statusCode} ${r.body.toString()}`),
    ['200 /a', '200 /'],
  );
  client.destroy();
  await server.close();
});
