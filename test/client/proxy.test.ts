import assert from 'node:assert/strict';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { Agent, isProxyBypassed, request } from '../../src/client/index.js';
import { close, httpServer, listen } from './helpers.js';
import { selfSignedFiles } from '../support/tls.js';

describe('proxies', () => {
  let proxy: Server;
  let proxyUrl = '';
  const seen: Array<{ method: string; url: string; auth: string | undefined }> = [];
  let origin: Awaited<ReturnType<typeof httpServer>>;
  let secure: ReturnType<typeof createHttpsServer>;
  let secureUrl = '';
  let cert: string;
  let dir = '';

  before(async () => {
    proxy = createHttpServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers['proxy-authorization'] });
      const target = new URL(req.url ?? '');
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: { ...req.headers, 'x-via-proxy': '1' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket, head) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers['proxy-authorization'] });
      if (req.url?.endsWith(':1') === true) {
        socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('error', () => upstream.destroy());
    });
    proxyUrl = await listen(proxy);
    origin = await httpServer((req, res) => res.end(`origin ${req.url} via=${req.headers['x-via-proxy'] ?? 'none'}`));
    const generated = selfSignedFiles();
    cert = generated.cert;
    dir = generated.dir;
    secure = createHttpsServer({ key: generated.key, cert: generated.cert }, (req, res) => res.end(`secure ${req.url}`));
    secure.listen(0, '127.0.0.1');
    await once(secure, 'listening');
    secureUrl = `https://127.0.0.1:${(secure.address() as { port: number }).port}`;
  });

  after(async () => {
    await close(proxy);
    await close(origin.server);
    await close(secure);
    rmSync(dir, { recursive: true, force: true });
  });

  test('plain http goes to the proxy in absolute-form with Proxy-Authorization from the proxy URL', async () => {
    const withAuth = new URL(proxyUrl);
    withAuth.username = 'me';
    withAuth.password = 'secret';
    const agent = new Agent({ proxy: withAuth });
    const res = await request(`${origin.url}/page?q=1`, { agent });
    assert.equal(await res.body.text(), 'origin /page?q=1 via=1');
    const last = seen.at(-1);
    assert.equal(last?.url, `${origin.url}/page?q=1`);
    assert.equal(last?.auth, `Basic ${Buffer.from('me:secret').toString('base64')}`);
    await agent.close();
  });

  test('https goes through a CONNECT tunnel and TLS is verified end to end', async () => {
    const agent = new Agent({ proxy: proxyUrl, ca: cert });
    const res = await request(`${secureUrl}/tunnelled`, { agent });
    assert.equal(await res.body.text(), 'secure /tunnelled');
    assert.equal(seen.at(-1)?.method, 'CONNECT');
    assert.equal(seen.at(-1)?.url, new URL(secureUrl).host);
    // The tunnel is kept alive like any connection.
    const again = await request(`${secureUrl}/again`, { agent });
    assert.equal(await again.body.text(), 'secure /again');
    assert.equal(again.timings.isReused, true);
    await agent.close();
  });

  test('a proxy refusing CONNECT fails with CLIENT_PROXY and its status', async () => {
    const agent = new Agent({ proxy: proxyUrl });
    const error = (await request('https://127.0.0.1:1/', { agent }).catch((e: unknown) => e)) as Error & { code: string };
    assert.equal(error.code, 'CLIENT_PROXY');
    assert.match(error.message, /403 Forbidden/);
    await agent.close();
  });

  test('NO_PROXY hosts are reached directly', async () => {
    const before = seen.length;
    const agent = new Agent({ proxy: proxyUrl, noProxy: '127.0.0.1' });
    const res = await request(`${origin.url}/direct`, { agent });
    assert.equal(await res.body.text(), 'origin /direct via=none');
    assert.equal(seen.length, before);
    await agent.close();
  });

  test('HTTP_PROXY is used only with proxyFromEnv', async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    process.env.http_proxy = proxyUrl;
    delete process.env.no_proxy;
    delete process.env.NO_PROXY;
    try {
      const direct = new Agent();
      assert.equal(await (await request(`${origin.url}/env`, { agent: direct })).body.text(), 'origin /env via=none');
      await direct.close();
      const viaEnv = new Agent({ proxyFromEnv: true });
      assert.equal(await (await request(`${origin.url}/env`, { agent: viaEnv })).body.text(), 'origin /env via=1');
      await viaEnv.close();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

test('isProxyBypassed follows NO_PROXY conventions', () => {
  const table: Array<[string, number, string, boolean]> = [
    ['example.com', 80, 'example.com', true],
    ['api.example.com', 80, 'example.com', true],
    ['api.example.com', 80, '.example.com', true],
    ['notexample.com', 80, 'example.com', false],
    ['example.com', 80, '*', true],
    ['example.com', 8080, 'example.com:80', false],
    ['example.com', 80, 'example.com:80', true],
    ['127.0.0.1', 80, 'localhost, 127.0.0.1', true],
    ['::1', 80, '[::1]', true],
    ['other.org', 80, '', false],
  ];
  for (const [host, port, list, expected] of table) assert.equal(isProxyBypassed(host, port, list), expected, `${host}:${port} vs "${list}"`);
});
