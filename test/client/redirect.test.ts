import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { close, httpServer } from './helpers.js';

type Seen = { method: string; body: string; authorization: string | undefined; cookie: string | undefined; contentType: string | undefined };

describe('redirects', () => {
  const agent = new Agent();
  let base = '';
  let other = '';
  let servers: Array<Awaited<ReturnType<typeof httpServer>>['server']> = [];

  const handler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): void => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const status = url.searchParams.get('status');
      const to = url.searchParams.get('to');
      if (status !== null && to !== null) {
        res.writeHead(Number(status), { location: to }).end('moved');
        return;
      }
      if (url.pathname === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
        return;
      }
      const seen: Seen = {
        method: req.method ?? '',
        body: Buffer.concat(parts).toString(),
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
        contentType: req.headers['content-type'],
      };
      res.end(JSON.stringify(seen));
    });
  };

  before(async () => {
    const a = await httpServer(handler);
    const b = await httpServer(handler);
    servers = [a.server, b.server];
    base = a.url;
    other = b.url;
  });

  after(async () => {
    await agent.close();
    for (const s of servers) await close(s);
  });

  const follow = async (status: number, method: string, to = '/final'): Promise<{ seen: Seen; url: string; redirected: boolean }> => {
    const res = await request(`${base}/r?status=${status}&to=${encodeURIComponent(to)}`, {
      agent,
      method,
      ...(method === 'HEAD' || method === 'GET' ? {} : { body: 'payload' }),
      headers: { authorization: 'Bearer secret', cookie: 'a=1' },
    });
    const text = await res.body.text();
    return { seen: method === 'HEAD' ? ({ method: 'HEAD' } as Seen) : (JSON.parse(text) as Seen), url: res.url, redirected: res.redirected };
  };

  const table: Array<{ status: number; method: string; expectMethod: string; expectBody: string }> = [
    { status: 301, method: 'POST', expectMethod: 'GET', expectBody: '' },
    { status: 302, method: 'POST', expectMethod: 'GET', expectBody: '' },
    { status: 303, method: 'POST', expectMethod: 'GET', expectBody: '' },
    { status: 303, method: 'PUT', expectMethod: 'GET', expectBody: '' },
    { status: 307, method: 'POST', expectMethod: 'POST', expectBody: 'payload' },
    { status: 308, method: 'PUT', expectMethod: 'PUT', expectBody: 'payload' },
    { status: 301, method: 'PUT', expectMethod: 'PUT', expectBody: 'payload' },
    { status: 302, method: 'GET', expectMethod: 'GET', expectBody: '' },
  ];
  for (const row of table) {
    test(`${row.status} after ${row.method} is followed with ${row.expectMethod}${row.expectBody === '' ? '' : ' and the body'}`, async () => {
      const { seen, url, redirected } = await follow(row.status, row.method);
      assert.equal(seen.method, row.expectMethod);
      assert.equal(seen.body, row.expectBody);
      if (row.expectBody === '') assert.equal(seen.contentType, undefined);
      assert.equal(url, `${base}/final`);
      assert.equal(redirected, true);
      assert.equal(seen.authorization, 'Bearer secret', 'same-origin redirects keep credentials');
    });
  }

  test('Authorization and Cookie are dropped when the redirect changes origin', async () => {
    const { seen, url } = await follow(302, 'GET', `${other}/elsewhere`);
    assert.equal(url, `${other}/elsewhere`);
    assert.equal(seen.authorization, undefined);
    assert.equal(seen.cookie, undefined);
  });

  test('more than maxRedirects fails with CLIENT_TOO_MANY_REDIRECTS (default 20)', async () => {
    await assert.rejects(request(`${base}/loop`, { agent }), { code: 'CLIENT_TOO_MANY_REDIRECTS' });
    let hops = 0;
    await assert.rejects(request(`${base}/loop`, { agent, maxRedirects: 3, onRedirect: () => hops++ }), { code: 'CLIENT_TOO_MANY_REDIRECTS' });
    assert.equal(hops, 3);
  });

  test('redirect: "manual" returns the 3xx response itself', async () => {
    const res = await request(`${base}/r?status=301&to=/final`, { agent, redirect: 'manual' });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get('location'), '/final');
    assert.equal(await res.body.text(), 'moved');
  });

  test('redirect: "error" fails on a redirect', async () => {
    await assert.rejects(request(`${base}/r?status=302&to=/final`, { agent, redirect: 'error' }), { code: 'CLIENT_REDIRECT' });
  });

  test('a redirect to another scheme is refused', async () => {
    await assert.rejects(request(`${base}/r?status=302&to=${encodeURIComponent('file:///etc/passwd')}`, { agent }), { code: 'CLIENT_REDIRECT' });
  });

  test('a 307 with a stream body cannot be replayed and fails clearly', async () => {
    async function* gen(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('once');
    }
    await assert.rejects(request(`${base}/r?status=307&to=/final`, { agent, method: 'POST', body: gen() }), { code: 'CLIENT_REDIRECT' });
  });

  test('a 3xx without Location is returned as is', async () => {
    const { server, url } = await httpServer((_req, res) => res.writeHead(302).end('no location'));
    const res = await request(url, { agent });
    assert.equal(res.status, 302);
    assert.equal(await res.body.text(), 'no location');
    await close(server);
  });
});
