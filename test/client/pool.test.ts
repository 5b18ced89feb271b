import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { Agent, Pool, request } from '../../src/client/index.js';
import { close, httpServer, rawServer } from './helpers.js';

test('concurrent requests reuse kept-alive connections', { timeout: 10_000 }, async () => {
  let connections = 0;
  const { server, url } = await httpServer((req, res) => res.end(req.url));
  server.on('connection', () => connections++);
  const agent = new Agent({ maxConnections: 4 });
  for (let round = 0; round < 5; round++) {
    const bodies = await Promise.all(Array.from({ length: 40 }, (_, i) => request(`${url}/${round}-${i}`, { agent }).then((r) => r.body.text())));
    assert.deepEqual(bodies, Array.from({ length: 40 }, (_, i) => `/${round}-${i}`));
  }
  assert.ok(connections <= 4, `opened ${connections} connections`);
  await agent.close();
  await close(server);
});

test('maxConnections queues requests beyond the cap', { timeout: 10_000 }, async () => {
  let active = 0;
  let peak = 0;
  const { server, url } = await httpServer((_req, res) => {
    active++;
    peak = Math.max(peak, active);
    setTimeout(() => {
      active--;
      res.end('x');
    }, 5);
  });
  const agent = new Agent({ maxConnections: 2 });
  await Promise.all(Array.from({ length: 10 }, () => request(`${url}/`, { agent }).then((r) => r.body.text())));
  assert.equal(peak, 2);
  await agent.close();
  await close(server);
});

test('a server closing idle sockets loses no request: GETs are retried on a new connection', { timeout: 10_000 }, async () => {
  // The server answers and then closes the connection shortly after, without saying so.
  const { server, url, connections } = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    setTimeout(() => socket.destroy(), 20);
  });
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  for (let i = 0; i < 5; i++) {
    const res = await request(`${url}/${i}`, { agent });
    assert.equal(await res.body.text(), 'ok');
    await new Promise((r) => setTimeout(r, 60));
  }
  assert.equal(connections(), 5);
  await agent.close();
  await close(server);
});

test('a request raced by the server closing a reused connection is retried when idempotent', { timeout: 10_000 }, async () => {
  // Every connection answers one request, then closes on the next one without answering.
  const { server, url } = await rawServer((socket, _head, index) => {
    if (index === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    else socket.destroy();
  });
  const agent = new Agent();
  for (let i = 0; i < 4; i++) assert.equal(await (await request(`${url}/`, { agent })).body.text(), 'ok');
  // A POST is not idempotent: it fails instead of being sent twice.
  await request(`${url}/`, { agent }).then((r) => r.body.dump());
  await assert.rejects(request(`${url}/`, { agent, method: 'POST', body: 'x' }), { code: 'CLIENT_SOCKET_CLOSED' });
  await agent.close();
  await close(server);
});

test("the server's Keep-Alive timeout is honoured: the client closes the idle connection first", { timeout: 10_000 }, async () => {
  const { server, url } = await rawServer((socket) => {
    socket.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 2\r\n\r\nok');
  });
  const closed = new Promise<void>((resolve) => server.on('connection', (s) => s.on('end', () => resolve())));
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  assert.equal(await (await request(`${url}/`, { agent })).body.text(), 'ok');
  await closed;
  await agent.close();
  await close(server);
});

test('pipelining sends several requests on one connection and answers them in order', { timeout: 10_000 }, async () => {
  const heads: string[] = [];
  const waiting: Array<() => void> = [];
  const { server, url, connections } = await rawServer((socket, head) => {
    heads.push(head);
    const path = head.split(' ')[1] as string;
    waiting.push(() => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${path.length}\r\n\r\n${path}`));
    // Answer only once all three requests have arrived: proof they were pipelined.
    if (waiting.length === 3) for (const answer of waiting.splice(0)) answer();
  });
  const agent = new Agent({ maxConnections: 1, pipelining: 3 });
  const bodies = await Promise.all(['/a', '/b', '/c'].map((p) => request(`${url}${p}`, { agent }).then((r) => r.body.text())));
  assert.deepEqual(bodies, ['/a', '/b', '/c']);
  assert.equal(connections(), 1);
  await agent.close();
  await close(server);
});

test('agent.close() waits for in-flight requests and then closes connections', { timeout: 10_000 }, async () => {
  const { server, url, sockets } = await httpServer((_req, res) => setTimeout(() => res.end('late'), 20));
  const agent = new Agent();
  const pending = request(`${url}/`, { agent }).then((r) => r.body.text());
  await new Promise((r) => setTimeout(r, 5));
  const closing = agent.close();
  assert.equal(await pending, 'late');
  await closing;
  await assert.rejects(request(`${url}/`, { agent }), { code: 'CLIENT_AGENT_CLOSED' });
  for (const s of sockets) if (!s.destroyed) await once(s, 'close');
  await close(server);
});

test('Agent, Pool and request() answer the same request() shape', { timeout: 10_000 }, async () => {
  const { server, url } = await httpServer((req, res) => res.end(req.url));
  const agent = new Agent();
  assert.equal(await (await agent.request(`${url}/agent`)).body.text(), '/agent');
  const pool = new Pool(url, { maxConnections: 1 });
  assert.equal(await (await pool.request(`${url}/pool`)).body.text(), '/pool');
  assert.equal(await (await request(`${url}/via-option`, { agent: pool })).body.text(), '/via-option');
  await assert.rejects(pool.request('http://127.0.0.1:1/elsewhere'), { code: 'CLIENT_INVALID_ARGUMENT' });
  assert.equal(pool.size, 1);
  await pool.close();
  await agent.close();
  await close(server);
});

test('a request sent with Connection: close is the last on its connection', { timeout: 10_000 }, async () => {
  const { server, url, connections } = await rawServer((socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'));
  const agent = new Agent();
  for (let i = 0; i < 3; i++) assert.equal(await (await request(`${url}/`, { agent, headers: { connection: 'close' } })).body.text(), 'ok');
  assert.equal(connections(), 3);
  await agent.close();
  await close(server);
});

test('a body that is not being read pauses the socket instead of buffering it all', { timeout: 20_000 }, async () => {
  const total = 64 * 1024 * 1024;
  const block = Buffer.alloc(1024 * 1024, 0x62);
  let written = 0;
  const { server, url } = await rawServer((socket) => {
    socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`);
    const pump = (): void => {
      while (written < total) {
        written += block.length;
        if (!socket.write(block)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  const agent = new Agent();
  const res = await request(url, { agent });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(written < total / 2, `server got ${written} bytes out while nobody read`);
  let received = 0;
  for await (const chunk of res.body) received += chunk.length;
  assert.equal(received, total);
  await agent.close();
  await close(server);
});

test('idle kept-alive connections do not keep the process alive', { timeout: 15_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const { server, url, sockets } = await httpServer((_req, res) => res.end('ok'));
  const client = fileURLToPath(new URL('../../src/client/index.js', import.meta.url));
  // Without the agent being closed, and with a one-minute idle timeout, the script must still end.
  const script = `
    const { Agent, request, setGlobalAgent } = await import(${JSON.stringify(client)});
    setGlobalAgent(new Agent({ keepAliveTimeout: 60000 }));
    const res = await request(${JSON.stringify(url)});
    process.stdout.write(await res.body.text());`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, 'close')) as [number];
  assert.equal(code, 0);
  assert.equal(out, 'ok');
  for (const s of sockets) s.destroy();
  await close(server);
});
