// `courier echo` as people use it: the real binary on 127.0.0.1, every method, the request's
// own text with Accept: text/plain, and the httpbin routes with their caps.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, describe, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { ECHO_LIMITS } from '../../src/echo/handler.js';
import { startCli, type RunningCli } from '../support/cli.js';
import { rawRequest } from '../support/raw-client.js';

let echo: RunningCli;
let origin = '';
let port = 0;

before(async () => {
  echo = await startCli(['echo', '--port', '0']);
  origin = echo.url.replace(/\/$/, '');
  port = echo.port;
});
after(async () => {
  await echo.stop();
});

interface Echoed {
  method: string;
  target: string;
  version: string;
  args: Record<string, string | string[]>;
  headers: Record<string, string>;
  fields: [string, string][];
  body: string;
  bodyEncoding: string;
  json: unknown;
  form: Record<string, string> | null;
}

/** field finds a header in an echoed record whatever the case the client sent it in. */
function field(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([n]) => n.toLowerCase() === name)?.[1];
}

async function call(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${origin}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
}

describe('courier echo', { timeout: 60_000 }, () => {
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
    test(`${method} gets its request back as JSON`, async () => {
      const hasBody = method !== 'GET' && method !== 'OPTIONS';
      const res = await call('/anything/x?a=1&a=2&b=', {
        method,
        headers: { 'X-Lesson': 'elements', ...(hasBody && { 'Content-Type': 'application/json' }) },
        ...(hasBody && { body: '{"n":1}' }),
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const echoed = (await res.json()) as Echoed;
      assert.equal(echoed.method, method);
      assert.equal(echoed.target, '/anything/x?a=1&a=2&b=');
      assert.equal(echoed.version, 'HTTP/1.1');
      assert.deepEqual(echoed.args, { a: ['1', '2'], b: '' });
      assert.equal(field(echoed.headers, 'x-lesson'), 'elements');
      assert.ok(echoed.fields.some(([name, value]) => name.toLowerCase() === 'host' && value === `127.0.0.1:${port}`));
      assert.equal(echoed.body, hasBody ? '{"n":1}' : '');
      assert.deepEqual(echoed.json, hasBody ? { n: 1 } : null);
      if (method === 'OPTIONS') assert.equal(res.headers.get('allow'), 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS');
    });
  }

  test('HEAD gets the head a GET would, without the body', async () => {
    const res = await rawRequest(port, 'HEAD /anything HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.ok(Number(res.headers['content-length']) > 100);
    assert.equal(res.body.length, 0);
  });

  test('an HTTP/1.0 request says so, and a form body is decoded', async () => {
    const body = 'name=Romeo&line=But+soft';
    const res = await rawRequest(port, `POST /post HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const echoed = JSON.parse(res.body.toString()) as Echoed;
    assert.equal(echoed.version, 'HTTP/1.0');
    assert.deepEqual(echoed.form, { name: 'Romeo', line: 'But soft' });
  });

  test('Accept: text/plain answers with the request text, names and order as sent', async () => {
    const request = 'PUT /anything?q=1 HTTP/1.1\r\nhost: example.test\r\nAccept: text/plain\r\nx-Mixed-CASE: a, b\r\nX-Twice: 1\r\nX-Twice: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello';
    const res = await rawRequest(port, request);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body.toString('latin1'), request);
  });

  test('a body that is not UTF-8 comes back in base64', async () => {
    const res = await call('/anything', { method: 'POST', body: Buffer.from([0xff, 0xfe, 0x00, 0x41]) });
    const echoed = (await res.json()) as Echoed;
    assert.equal(echoed.bodyEncoding, 'base64');
    assert.deepEqual(Buffer.from(echoed.body, 'base64'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
  });

  test('/status/N answers N; 3xx and 401 get Location and WWW-Authenticate', async () => {
    const teapot = await call('/status/418');
    assert.equal(teapot.status, 418);
    assert.equal(await teapot.text(), "418 I'm a teapot\n");
    const moved = await call('/status/301', { redirect: 'manual' });
    assert.equal(moved.headers.get('location'), '/anything');
    const auth = await call('/status/401');
    assert.match(auth.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    assert.equal((await call('/status/204')).status, 204);
    const bad = await call('/status/99');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /not a status code from 200 to 599/);
  });

  test('/delay/S answers after S seconds, capped', async () => {
    const res = await call('/delay/0.2');
    assert.equal(((await res.json()) as { delay: number }).delay, 0.2);
    assert.equal((await call(`/delay/${ECHO_LIMITS.maxDelaySeconds + 1}`)).status, 400);
  });

  test('/redirect/N chains N redirects to /anything, capped', async () => {
    const first = await call('/redirect/3', { redirect: 'manual' });
    assert.equal(first.status, 302);
    assert.equal(first.headers.get('location'), '/redirect/2');
    const followed = await call('/redirect/3');
    assert.equal(followed.url, `${origin}/anything`);
    assert.equal((await call(`/redirect/${ECHO_LIMITS.maxRedirects + 1}`, { redirect: 'manual' })).status, 400);
  });

  test('/bytes/N sends N bytes, capped', async () => {
    const res = await call('/bytes/1000');
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal((await res.arrayBuffer()).byteLength, 1000);
    assert.equal((await call(`/bytes/${ECHO_LIMITS.maxBytes + 1}`)).status, 400);
  });

  test('/stream/N streams N JSON lines (chunked), capped', async () => {
    const res = await rawRequest(port, 'GET /stream/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    const lines = res.body.toString().trim().split('\n').map((line) => JSON.parse(line) as { id: number });
    assert.deepEqual(lines.map((l) => l.id), [0, 1, 2]);
    assert.equal((await call(`/stream/${ECHO_LIMITS.maxStreamLines + 1}`)).status, 400);
  });

  test('/gzip and /brotli send the request encoded', async () => {
    const gz = await rawRequest(port, 'GET /gzip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal((JSON.parse(gunzipSync(gz.body).toString()) as { gzipped: boolean }).gzipped, true);
    const br = await rawRequest(port, 'GET /brotli HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal((JSON.parse(brotliDecompressSync(br.body).toString()) as { brotli: boolean }).brotli, true);
  });

  test('/headers, /cookies/set, /cookies and /basic-auth', async () => {
    const headers = (await (await call('/headers', { headers: { 'X-A': '1' } })).json()) as { headers: Record<string, string> };
    assert.equal(field(headers.headers, 'x-a'), '1');
    const set = await call('/cookies/set?flavour=oat&size=big', { redirect: 'manual' });
    assert.equal(set.status, 302);
    assert.equal(set.headers.get('location'), '/cookies');
    assert.deepEqual(set.headers.getSetCookie(), ['flavour=oat; Path=/', 'size=big; Path=/']);
    const jar = (await (await call('/cookies', { headers: { Cookie: 'flavour=oat; size=big' } })).json()) as { cookies: Record<string, string> };
    assert.deepEqual(jar.cookies, { flavour: 'oat', size: 'big' });
    assert.equal((await call('/cookies/set?bad=a;b', { redirect: 'manual' })).status, 400);
    const denied = await call('/basic-auth/romeo/juliet');
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get('www-authenticate') ?? '', /^Basic/);
    const allowed = await call('/basic-auth/romeo/juliet', { headers: { Authorization: `Basic ${Buffer.from('romeo:juliet').toString('base64')}` } });
    assert.deepEqual(await allowed.json(), { authenticated: true, user: 'romeo' });
  });

  test('/post takes POST only; a body over the cap is 413', async () => {
    const wrong = await call('/post');
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    const big = await call('/anything', { method: 'POST', body: Buffer.alloc(ECHO_LIMITS.maxBodyBytes + 1) });
    assert.equal(big.status, 413);
  });

  test('each request is in the access log', () => {
    assert.match(echo.output(), /"GET \/status\/418 HTTP\/1\.1" 418 17 /);
  });
});
