import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch, request } from '../../src/client/index.js';
import { createServer, type Server } from '../../src/server/index.js';

// The two halves of courier talking to each other over real TCP.
describe("courier's client against courier's server", { timeout: 20_000 }, () => {
  let server: Server;
  let base = '';

  before(async () => {
    server = createServer(async (req) => {
      if (req.path === '/echo') {
        const parts: Uint8Array[] = [];
        for await (const chunk of req.body) parts.push(chunk);
        return { status: 200, headers: { 'x-method': req.method }, body: Buffer.concat(parts) };
      }
      if (req.path === '/stream') {
        return {
          status: 200,
          body: (async function* () {
            yield Buffer.from('a');
            yield Buffer.from('b');
          })(),
          trailers: { 'x-done': 'yes' },
        };
      }
      if (req.path === '/empty') return { status: 204 };
      if (req.path === '/redirect') return { status: 303, headers: { location: '/echo' } };
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: `hello ${req.path}` };
    }, { keepAliveTimeout: 200 });
    await server.listen();
    base = server.url.replace(/\/$/, '');
  });

  after(async () => {
    await server.close();
  });

  test('GET, HEAD and 204', async () => {
    const agent = new Agent();
    assert.equal(await (await request(`${base}/hi`, { agent })).body.text(), 'hello /hi');
    const head = await request(`${base}/hi`, { agent, method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.body.text(), '');
    const empty = await request(`${base}/empty`, { agent });
    assert.equal(empty.status, 204);
    assert.equal(await empty.body.text(), '');
    await agent.close();
  });

  test('a streamed upload is echoed back, and a chunked response keeps its trailers', async () => {
    const agent = new Agent();
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    async function* upload(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < big.length; i += 100_000) yield big.subarray(i, i + 100_000);
    }
    const res = await request(`${base}/echo`, { agent, method: 'POST', body: upload() });
    assert.equal(res.headers.get('x-method'), 'POST');
    assert.deepEqual(Buffer.from(await res.body.bytes()), big);
    const streamed = await request(`${base}/stream`, { agent });
    assert.equal(await streamed.body.text(), 'ab');
    assert.equal(streamed.trailers?.get('x-done'), 'yes');
    await agent.close();
  });

  test('keep-alive reuse under concurrency, through fetch as well', async () => {
    const agent = new Agent({ maxConnections: 8 });
    const before = server.connectionCount;
    const texts = await Promise.all(Array.from({ length: 200 }, (_, i) => fetch(`${base}/n${i}`, { agent }).then((r) => r.text())));
    assert.equal(texts[199], 'hello /n199');
    assert.ok(server.connectionCount - before <= 8);
    await agent.close();
  });

  test('the server closing idle connections loses no request', async () => {
    // The server's 200 ms idle timeout is shorter than the client's: requests spaced past it
    // either find the connection gone or race its closing, and are retried.
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    for (let i = 0; i < 4; i++) {
      assert.equal(await (await request(`${base}/idle${i}`, { agent })).body.text(), `hello /idle${i}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await agent.close();
  });

  test('a 303 after POST is followed with GET', async () => {
    const agent = new Agent();
    const res = await request(`${base}/redirect`, { agent, method: 'POST', body: 'x' });
    assert.equal(res.headers.get('x-method'), 'GET');
    assert.equal(res.redirected, true);
    await res.body.dump();
    await agent.close();
  });
});
