// Issue 8, client item 10: nothing bounded the number of 1xx interim responses before a final
// one (each head is within the parser's limits), so a server could keep a request waiting until
// the head timeout (300 s by default). Past maxInterimResponses (default 10) the request fails
// with CLIENT_TOO_MANY_INTERIM_RESPONSES and the connection is closed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, ProtocolError, request } from '../../src/client/index.js';
import { close, rawServer } from './helpers.js';

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
const HINTS = 'HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n';
const FINAL = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';

describe('interim responses before a final one', { timeout: 30_000 }, () => {
  let base = '';
  let server: Awaited<ReturnType<typeof rawServer>>['server'];
  let endless = 0;

  before(async () => {
    const started = await rawServer((socket, head) => {
      const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '/';
      const count = /^\/(\d+)$/.exec(path);
      if (count !== null) {
        // Interleave 100 and 103, in one write, then the final response.
        let out = '';
        for (let i = 0; i < Number(count[1]); i++) out += i % 2 === 0 ? CONTINUE : HINTS;
        socket.write(out + FINAL);
        return;
      }
      // /endless: one interim response a millisecond until the client goes away.
      const timer = setInterval(() => {
        if (socket.destroyed) {
          clearInterval(timer);
          return;
        }
        endless++;
        socket.write(HINTS);
      }, 1);
      socket.on('close', () => clearInterval(timer));
    });
    server = started.server;
    base = started.url;
  });

  after(async () => {
    await close(server);
  });

  test('ten interim responses are accepted by default', async () => {
    const agent = new Agent();
    const seen: number[] = [];
    const res = await request(`${base}/10`, { agent, onInterim: (h) => seen.push(h.status) });
    assert.equal(res.status, 200);
    assert.equal(await res.body.text(), 'ok');
    assert.equal(seen.length, 10);
    await agent.close();
  });

  test('the count starts again for each request on a kept-alive connection', async () => {
    const agent = new Agent();
    for (let i = 0; i < 3; i++) {
      const res = await request(`${base}/10`, { agent });
      assert.equal(await res.body.text(), 'ok');
      assert.equal(res.timings.isReused, i > 0);
    }
    await agent.close();
  });

  test('the eleventh fails with CLIENT_TOO_MANY_INTERIM_RESPONSES', async () => {
    const agent = new Agent();
    const error = await request(`${base}/11`, { agent }).then(
      () => assert.fail('accepted'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProtocolError);
    assert.equal(error.code, 'CLIENT_TOO_MANY_INTERIM_RESPONSES');
    assert.match(error.message, /^Too many interim responses from 127\.0\.0\.1:\d+: over 10 before the final response$/);
    await agent.close();
  });

  test('an endless run of interim responses ends in the error, not a hang', async () => {
    const agent = new Agent();
    await assert.rejects(request(`${base}/endless`, { agent }), { code: 'CLIENT_TOO_MANY_INTERIM_RESPONSES' });
    assert.ok(endless >= 11);
    await agent.close();
  });

  test('maxInterimResponses sets the cap', async () => {
    const strict = new Agent({ maxInterimResponses: 2 });
    await assert.rejects(request(`${base}/3`, { agent: strict }), { code: 'CLIENT_TOO_MANY_INTERIM_RESPONSES' });
    await strict.close();
    const lenient = new Agent({ maxInterimResponses: 50 });
    const res = await request(`${base}/50`, { agent: lenient });
    assert.equal(await res.body.text(), 'ok');
    await lenient.close();
  });
});
