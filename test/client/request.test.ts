import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Agent, request, type ClientError } from '../../src/client/index.js';
import { echoJson, startEchoServer, type EchoServer } from '../support/echo-server.js';
import { close, rawServer, readAll } from './helpers.js';

type Echo = { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string; version: string };

describe('request() against node:http', () => {
  const agent = new Agent();
  let base = '';
  let server: EchoServer;

  before(async () => {
    server = await startEchoServer(
      {
        '/chunked': (_req, res) => {
          res.write('one,');
          res.write('two,');
          res.end('three');
        },
        '/no-content': (_req, res) => {
          res.writeHead(204).end();
        },
        '/not-modified': (_req, res) => {
          res.writeHead(304, { etag: '"x"' }).end();
        },
        '/trailers': (_req, res) => {
          res.writeHead(200, { trailer: 'x-sum' });
          res.write('data');
          res.addTrailers({ 'x-sum': '42' });
          res.end();
        },
      },
      echoJson,
    );
    base = server.base;
  });

  after(async () => {
    await agent.close();
    await server.close();
  });

  const echo = async (path: string, options: Parameters<typeof request>[1] = {}): Promise<Echo> => {
    const res = await request(`${base}${path}`, { agent, ...options });
    assert.equal(res.status, 200);
    return (await res.body.json()) as Echo;
  };

  test('GET resolves with status, reason, headers and a readable body', async () => {
    const res = await request(`${base}/hello?x=1`, { agent });
    assert.equal(res.status, 200);
    assert.equal(res.statusText, 'OK');
    assert.equal(res.httpVersion, '1.1');
    assert.equal(res.headers.get('Content-Type'), 'application/json');
    const body = (await res.body.json()) as Echo;
    assert.equal(body.method, 'GET');
    assert.equal(body.url, '/hello?x=1');
    assert.equal(body.headers.host, new URL(base).host);
  });

  test('a string body is sent as UTF-8 text with Content-Length', async () => {
    const got = await echo('/text', { method: 'POST', body: 'héllo' });
    assert.equal(got.body, 'héllo');
    assert.equal(got.headers['content-length'], String(Buffer.byteLength('héllo')));
    assert.equal(got.headers['content-type'], 'text/plain;charset=UTF-8');
  });

  test('a bytes body is sent as is', async () => {
    const got = await echo('/bytes', { method: 'PUT', body: new Uint8Array([0x61, 0x62, 0x63]) });
    assert.equal(got.body, 'abc');
    assert.equal(got.method, 'PUT');
  });

  test('a stream body is sent chunked', async () => {
    const got = await echo('/stream', { method: 'POST', body: Readable.from([Buffer.from('a'), Buffer.from('bc')]) });
    assert.equal(got.body, 'abc');
    assert.equal(got.headers['transfer-encoding'], 'chunked');
  });

  test('an async generator body with a given Content-Length is sent with that length', async () => {
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('12');
      yield Buffer.from('345');
    }
    const got = await echo('/gen', { method: 'POST', body: gen(), headers: { 'content-length': '5' } });
    assert.equal(got.body, '12345');
    assert.equal(got.headers['transfer-encoding'], undefined);
  });

  test('URLSearchParams are sent as a urlencoded form', async () => {
    const got = await echo('/form', { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) });
    assert.equal(got.body, 'a=1&b=x+y');
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded;charset=UTF-8');
  });

  test('FormData is sent as multipart/form-data with files', async () => {
    const form = new FormData();
    form.append('name', 'value');
    form.append('file', new Blob(['file body'], { type: 'text/plain' }), 'a "b".txt');
    const got = await echo('/multipart', { method: 'POST', body: form });
    const type = String(got.headers['content-type']);
    assert.match(type, /^multipart\/form-data; boundary=/);
    const parsed = await new Response(got.body, { headers: { 'content-type': type } }).formData();
    assert.equal(parsed.get('name'), 'value');
    const file = parsed.get('file') as File;
    assert.equal(await file.text(), 'file body');
    // The name's quotes travel escaped as %22 and come back decoded.
    assert.equal(file.name, 'a "b".txt');
  });

  test('json sends application/json', async () => {
    const got = await echo('/json', { method: 'POST', json: { a: [1, 2] } });
    assert.deepEqual(JSON.parse(got.body), { a: [1, 2] });
    assert.equal(got.headers['content-type'], 'application/json');
  });

  test('POST without a body sends Content-Length: 0', async () => {
    const got = await echo('/empty', { method: 'POST' });
    assert.equal(got.headers['content-length'], '0');
  });

  test('HTTP/1.0 request line is sent when asked', async () => {
    const got = await echo('/old', { httpVersion: '1.0' });
    assert.equal(got.version, '1.0');
  });

  test('HEAD, 204 and 304 responses have an empty body', async () => {
    const head = await request(`${base}/x`, { agent, method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-type'), 'application/json');
    assert.equal((await head.body.bytes()).length, 0);
    const none = await request(`${base}/no-content`, { agent });
    assert.equal(none.status, 204);
    assert.equal(await none.body.text(), '');
    const notModified = await request(`${base}/not-modified`, { agent });
    assert.equal(notModified.status, 304);
    assert.equal(await notModified.body.text(), '');
  });

  test('a chunked response is reassembled and its trailers are kept', async () => {
    const res = await request(`${base}/chunked`, { agent });
    assert.equal(res.headers.get('transfer-encoding'), 'chunked');
    assert.equal(await res.body.text(), 'one,two,three');
    const withTrailers = await request(`${base}/trailers`, { agent });
    assert.equal(await withTrailers.body.text(), 'data');
    assert.equal(withTrailers.trailers?.get('x-sum'), '42');
  });

  test('the body can be iterated chunk by chunk', async () => {
    const res = await request(`${base}/chunked`, { agent });
    assert.equal((await readAll(res.body)).toString(), 'one,two,three');
  });

  test('a body can be read only once', async () => {
    const res = await request(`${base}/x`, { agent });
    await res.body.text();
    await assert.rejects(res.body.text(), { code: 'CLIENT_BODY_USED' });
  });

  test('header injection with CR/LF is refused before anything is sent', async () => {
    await assert.rejects(request(`${base}/x`, { agent, headers: { 'x-a': 'a\r\nx-injected: 1' } }), { code: 'CLIENT_INVALID_ARGUMENT' });
    await assert.rejects(request(`${base}/x`, { agent, method: 'GET /evil HTTP/1.1\r\n' }), { code: 'CLIENT_INVALID_ARGUMENT' });
  });

  test('URLs other than http and https are refused', async () => {
    await assert.rejects(request('ftp://127.0.0.1/'), { code: 'CLIENT_UNSUPPORTED_PROTOCOL' });
    await assert.rejects(request('not a url'), { code: 'CLIENT_INVALID_URL' });
  });

  test('credentials in the URL become Basic authorization', async () => {
    const got = await echo('/auth'.replace('/', '/'), {});
    assert.equal(got.headers.authorization, undefined);
    const url = new URL(`${base}/auth`);
    url.username = 'user';
    url.password = 'p:ss';
    const res = await request(url, { agent });
    const body = (await res.body.json()) as Echo;
    assert.equal(body.headers.authorization, `Basic ${Buffer.from('user:p:ss').toString('base64')}`);
  });
});

describe('request() connection failures', () => {
  test('a refused connection says connect ECONNREFUSED and the address', async () => {
    const { server, url } = await rawServer(() => {});
    await close(server);
    const agent = new Agent();
    const error = (await request(`${url}/`, { agent }).catch((e: unknown) => e)) as ClientError;
    assert.equal(error.code, 'CLIENT_CONNECT_REFUSED');
    assert.equal(error.message, `connect ECONNREFUSED ${new URL(url).host}`);
    await agent.close();
  });

  test('a server closing a fresh connection without answering fails with CLIENT_SOCKET_CLOSED', async () => {
    const { server, url } = await rawServer((socket) => socket.destroy());
    const agent = new Agent();
    await assert.rejects(request(`${url}/`, { agent }), { code: 'CLIENT_SOCKET_CLOSED' });
    await agent.close();
    await close(server);
  });

  test('1xx interim responses are reported and skipped', async () => {
    const { server, url } = await rawServer((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n');
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
    });
    const agent = new Agent();
    const interim: number[] = [];
    const res = await request(`${url}/`, { agent, onInterim: (head) => interim.push(head.status) });
    assert.equal(res.status, 200);
    assert.equal(await res.body.text(), 'ok');
    assert.deepEqual(interim, [100, 103]);
    await agent.close();
    await close(server);
  });

  test('a close-delimited body ends at EOF', async () => {
    const { server, url } = await rawServer((socket) => {
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
    });
    const agent = new Agent();
    const res = await request(`${url}/`, { agent });
    assert.equal(await res.body.text(), 'until the end');
    await agent.close();
    await close(server);
  });

  test('an HTTP/1.0 response without keep-alive closes the connection', async () => {
    const { server, url, connections } = await rawServer((socket) => {
      socket.end('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi');
    });
    const agent = new Agent();
    for (let i = 0; i < 3; i++) assert.equal(await (await request(`${url}/`, { agent })).body.text(), 'hi');
    assert.equal(connections(), 3);
    await agent.close();
    await close(server);
  });
});

test('IPv6 literal URLs reach ::1 and name it in brackets', { timeout: 5000 }, async (t) => {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => res.end(`v6 ${req.headers.host}`));
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => resolve(true));
  });
  if (!listening) {
    t.skip('no IPv6 loopback here');
    return;
  }
  const port = (server.address() as { port: number }).port;
  const agent = new Agent();
  const res = await request(`http://[::1]:${port}/`, { agent });
  assert.equal(await res.body.text(), `v6 [::1]:${port}`);
  await agent.close();
  await close(server);
  const error = (await request(`http://[::1]:${port}/`, { agent: new Agent() }).catch((e: unknown) => e)) as ClientError;
  assert.equal(error.message, `connect ECONNREFUSED [::1]:${port}`);
});
