// render() against real headless Chromium and pages served by courier on 127.0.0.1; one browser
// is shared by the tests that can share it.
import assert from 'node:assert/strict';
import { existsSync, readlinkSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Connection } from '../../src/browser/connection.js';
import { BrowserError, netErrorCode } from '../../src/browser/errors.js';
import { findChromium } from '../../src/browser/find.js';
import { launchBrowser, render, toHar, type Browser } from '../../src/browser/index.js';
import { createServer } from '../../src/server/index.js';
import { selfSignedFiles } from '../support/tls.js';
import { CHROMIUM, ITEMS, PNG_SIGNATURE, eventually, pngSize, processesInGroup, startSites, validateHar, type Sites } from './fixtures.js';

const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing: install the Debian package "chromium"` : false;

describe('render() with real Chromium', { skip, timeout: 120_000 }, () => {
  let sites: Sites;
  let browser: Browser;

  before(async () => {
    sites = await startSites();
    browser = await launchBrowser({ executablePath: CHROMIUM });
  });

  after(async () => {
    await browser?.close();
    await sites?.close();
  });

  test('the rendered DOM holds the list the page script fetched and built', async () => {
    const result = await render(`${sites.origin}/`, { browser, waitFor: '#items' });
    assert.equal(result.status, 200);
    assert.equal(result.url, `${sites.origin}/`);
    assert.equal(result.title, 'rendered');
    assert.ok(result.html.startsWith('<!DOCTYPE html>\n<html>'), result.html.slice(0, 40));
    for (const item of ITEMS) assert.ok(result.html.includes(`<li class="item">${item}</li>`), `missing ${item}`);
    const json = result.requests.find((r) => r.url.endsWith('/items.json'));
    assert.equal(json?.status, 200);
    assert.equal(json?.resourceType, 'fetch');
    assert.equal(json?.protocol, 'http/1.1');
    assert.ok(result.timings.load >= 0 && result.timings.domContentLoaded >= 0);
  });

  test('waitFor waits for an element the script adds after load', async () => {
    const result = await render(`${sites.origin}/`, { browser, waitFor: '#late', timeout: 20_000 });
    assert.ok(result.html.includes('<p id="late">late element</p>'));
  });

  test('evaluate returns the JSON value of an expression (promises awaited)', async () => {
    const result = await render(`${sites.origin}/`, {
      browser,
      waitFor: '.item',
      evaluate: 'Promise.resolve([...document.querySelectorAll(".item")].map((li) => li.textContent))',
    });
    assert.deepEqual(result.value, ITEMS);
  });

  test('an expression that throws fails with BROWSER_EVALUATE and the page exception', async () => {
    await assert.rejects(render(`${sites.origin}/`, { browser, evaluate: 'missingThing.x' }), (error: unknown) => {
      assert.ok(BrowserError.is(error));
      assert.equal(error.code, 'BROWSER_EVALUATE');
      assert.match(error.message, /ReferenceError: missingThing is not defined/);
      return true;
    });
  });

  test('a screenshot is a PNG of the viewport size; a PDF is a PDF', async () => {
    // The shell is empty until the script has fetched and built the list: wait for it, or the
    // picture may be a blank page.
    const result = await render(`${sites.origin}/`, { browser, waitFor: '.item', viewport: { width: 640, height: 480 }, screenshot: true, pdf: true });
    const png = Buffer.from(result.screenshot ?? []);
    assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE);
    assert.deepEqual(pngSize(png), { width: 640, height: 480 });
    assert.ok(png.length > 1000, `${png.length} bytes`);
    const pdf = Buffer.from(result.pdf ?? []);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.subarray(-8).toString('latin1').includes('%%EOF'));
    assert.ok(pdf.length > 1000, `${pdf.length} bytes`);
  });

  test('the HAR of a render is valid HAR 1.2 with one entry per request', async () => {
    const result = await render(`${sites.origin}/`, { browser, waitFor: '#items' });
    const har = toHar(result, { creator: { name: 'courier', version: 'test' } });
    assert.deepEqual(await validateHar(har), []);
    assert.equal(har.log.entries.length, result.requests.length);
    assert.deepEqual(
      har.log.entries.map((e) => new URL(e.request.url).pathname),
      ['/', '/app.js', '/items.json'],
    );
    const main = har.log.entries[0];
    assert.equal(main?.response.status, 200);
    assert.equal(main?.serverIPAddress, '127.0.0.1');
    assert.ok((main?.timings.wait ?? -1) >= 0);
  });

  test('a self-signed certificate fails with BROWSER_TLS; insecure accepts it', async () => {
    const { key, cert, dir } = selfSignedFiles();
    const server = createServer(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<title>tls</title><p>over tls</p>' }), { tls: { key, cert } });
    await server.listen({ port: 0, hostname: '127.0.0.1' });
    try {
      const url = `https://127.0.0.1:${server.port}/`;
      await assert.rejects(render(url, { browser }), (error: unknown) => {
        assert.ok(BrowserError.is(error));
        assert.equal(error.code, 'BROWSER_TLS');
        assert.match(error.netError ?? '', /^net::ERR_CERT_/);
        return true;
      });
      const result = await render(url, { browser, insecure: true });
      assert.equal(result.status, 200);
      assert.ok(result.html.includes('<p>over tls</p>'));
      // courier's server offers h2 first by ALPN, and Chromium takes it.
      assert.equal(result.requests[0]?.protocol, 'h2');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('proxy sends every request of the page, loopback included, through the proxy', async () => {
    const seen: string[] = [];
    const proxy = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (proxy.address() as { port: number }).port;
      const result = await render(`${sites.origin}/`, { browser, proxy: `http://127.0.0.1:${port}`, waitFor: '#items' });
      assert.equal(result.status, 200);
      assert.deepEqual(seen, [`GET ${sites.origin}/`, `GET ${sites.origin}/app.js`, `GET ${sites.origin}/items.json`]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  test('headers and userAgent reach the server; a redirect is a hop of its own; fullPage captures the whole page', async () => {
    const seen: Array<{ path: string; token: string | undefined; agent: string | undefined }> = [];
    const server = createServer((req) => {
      seen.push({ path: req.path, token: req.headers.get('x-token') ?? undefined, agent: req.headers.get('user-agent') ?? undefined });
      if (req.path === '/old') return { status: 301, headers: { location: '/tall' }, body: '' };
      const body = '<!doctype html><title>tall</title><style>body { margin: 0 } div { height: 3000px }</style><div>tall</div>';
      return { status: 200, headers: { 'content-type': 'text/html' }, body };
    });
    await server.listen({ port: 0, hostname: '127.0.0.1' });
    try {
      const origin = `http://127.0.0.1:${server.port}`;
      const result = await render(`${origin}/old`, {
        browser,
        headers: [['X-Token', 'abc']],
        userAgent: 'courier-test/1',
        viewport: { width: 400, height: 300 },
        screenshot: true,
        fullPage: true,
      });
      assert.equal(result.status, 200);
      assert.equal(result.url, `${origin}/tall`);
      // Chromium may also ask for /favicon.ico, at its own pace.
      assert.deepEqual(
        result.requests.filter((r) => !r.url.endsWith('/favicon.ico')).map((r) => [new URL(r.url).pathname, r.status, r.redirectURL]),
        [['/old', 301, '/tall'], ['/tall', 200, '']],
      );
      assert.deepEqual(seen.filter((s) => s.path !== '/favicon.ico'), [
        { path: '/old', token: 'abc', agent: 'courier-test/1' },
        { path: '/tall', token: 'abc', agent: 'courier-test/1' },
      ]);
      assert.deepEqual(pngSize(Buffer.from(result.screenshot ?? [])), { width: 400, height: 3000 });
    } finally {
      await server.close();
    }
  });

  test('an error status with an empty body (Chromium shows its own page) keeps the status and the URL', async () => {
    const server = createServer(() => ({ status: 404, body: '' }));
    await server.listen({ port: 0, hostname: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${server.port}/gone`;
      const result = await render(url, { browser });
      assert.equal(result.status, 404);
      assert.equal(result.url, url);
    } finally {
      await server.close();
    }
  });

  test('a 404 page renders with status 404 (not an error)', async () => {
    const result = await render(`${sites.origin}/missing`, { browser });
    assert.equal(result.status, 404);
  });

  test('a refused connection fails with BROWSER_CONNECT_REFUSED', async () => {
    await assert.rejects(render(`http://127.0.0.1:${sites.closedPort}/`, { browser }), (error: unknown) => {
      assert.ok(BrowserError.is(error));
      assert.equal(error.code, 'BROWSER_CONNECT_REFUSED');
      assert.equal(error.netError, 'net::ERR_CONNECTION_REFUSED');
      return true;
    });
  });

  test('a server that never answers fails with BROWSER_TIMEOUT after the timeout', async () => {
    await assert.rejects(render(`${sites.hangingOrigin}/`, { browser, timeout: 1500 }), (error: unknown) => {
      assert.ok(BrowserError.is(error));
      assert.equal(error.code, 'BROWSER_TIMEOUT');
      return true;
    });
    // The browser is still usable afterwards.
    assert.equal((await render(`${sites.origin}/`, { browser })).status, 200);
  });

  test('an aborted signal fails with BROWSER_ABORTED', async () => {
    await assert.rejects(render(`${sites.hangingOrigin}/`, { browser, signal: AbortSignal.timeout(300) }), { code: 'BROWSER_ABORTED' });
  });

  test('close() kills every process of the browser and removes its profile', async () => {
    const own = await launchBrowser({ executablePath: CHROMIUM });
    const pid = own.pid ?? 0;
    assert.ok(pid > 0);
    assert.ok((await processesInGroup(pid)).length > 0, 'no browser process before close');
    const socketDir = dirname(readlinkSync(join(own.profile, 'SingletonSocket')));
    assert.ok(existsSync(socketDir));
    await own.close();
    assert.equal(existsSync(socketDir), false, 'the singleton socket folder was left behind');
    assert.ok(await eventually(async () => (await processesInGroup(pid)).length === 0), `left behind: ${await processesInGroup(pid)}`);
    assert.equal(existsSync(own.profile), false);
  });
});

describe('finding and launching Chromium', () => {
  test('an empty PATH without COURIER_CHROMIUM fails with BROWSER_NOT_FOUND and the install command', () => {
    assert.throws(() => findChromium({ env: { PATH: '' } }), (error: unknown) => {
      assert.ok(BrowserError.is(error));
      assert.equal(error.code, 'BROWSER_NOT_FOUND');
      assert.match(error.message, /apt-get install chromium/);
      return true;
    });
  });

  test('an explicit path wins over PATH; a missing one is BROWSER_NOT_FOUND', async () => {
    assert.throws(() => findChromium({ executablePath: '/nonexistent', env: { PATH: '/usr/bin' } }), { code: 'BROWSER_NOT_FOUND' });
    await assert.rejects(launchBrowser({ executablePath: '/nonexistent' }), { code: 'BROWSER_NOT_FOUND' });
    assert.throws(() => findChromium({ env: { PATH: '/usr/bin', COURIER_CHROMIUM: '/nonexistent' } }), /COURIER_CHROMIUM/);
  });

  test('an executable that is not a browser fails with BROWSER_LAUNCH', async () => {
    await assert.rejects(launchBrowser({ executablePath: '/bin/false', timeout: 10_000 }), { code: 'BROWSER_LAUNCH' });
  });
});

describe('Chromium net errors map to the client families', () => {
  const table: Array<[string, string]> = [
    ['net::ERR_NAME_NOT_RESOLVED', 'BROWSER_DNS'],
    ['net::ERR_CONNECTION_REFUSED', 'BROWSER_CONNECT_REFUSED'],
    ['net::ERR_CONNECTION_TIMED_OUT', 'BROWSER_TIMEOUT'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'BROWSER_TLS'],
    ['net::ERR_SSL_PROTOCOL_ERROR', 'BROWSER_TLS'],
    ['net::ERR_PROXY_CONNECTION_FAILED', 'BROWSER_PROXY'],
    ['net::ERR_EMPTY_RESPONSE', 'BROWSER_EMPTY_REPLY'],
    ['net::ERR_CONNECTION_RESET', 'BROWSER_CONNECTION_LOST'],
    ['net::ERR_TOO_MANY_REDIRECTS', 'BROWSER_TOO_MANY_REDIRECTS'],
    ['net::ERR_ABORTED', 'BROWSER_NAVIGATION'],
  ];
  for (const [netError, code] of table) test(`${netError} is ${code}`, () => assert.equal(netErrorCode(netError), code));
});

describe('the DevTools pipe connection', () => {
  test('NUL-separated replies and events split at every byte boundary arrive whole and in order', async () => {
    const reply = `{"id":1,"result":{"product":"Chrome/1 fünke"}}\0{"method":"Page.loadEventFired","params":{"timestamp":2},"sessionId":"S"}\0{"id":2,"error":{"message":"No such method"}}\0`;
    const bytes = Buffer.from(reply);
    for (let split = 0; split <= bytes.length; split++) {
      const toBrowser = new PassThrough();
      const fromBrowser = new PassThrough();
      const connection = new Connection(toBrowser, fromBrowser);
      const events: unknown[] = [];
      connection.session('S').on('Page.loadEventFired', (p) => events.push(p));
      const first = connection.browser.send('Browser.getVersion');
      const second = connection.browser.send('Nope.nothing');
      fromBrowser.write(bytes.subarray(0, split));
      fromBrowser.write(bytes.subarray(split));
      assert.deepEqual(await first, { product: 'Chrome/1 fünke' });
      await assert.rejects(second, { code: 'BROWSER_PROTOCOL', message: /Nope.nothing failed: No such method/ });
      assert.deepEqual(events, [{ timestamp: 2 }]);
      const sent = toBrowser.read() as Buffer;
      assert.equal(sent.toString(), '{"id":1,"method":"Browser.getVersion","params":{}}\0{"id":2,"method":"Nope.nothing","params":{}}\0');
    }
  });

  test('a closed pipe fails the commands in flight and every later one with BROWSER_CLOSED', async () => {
    const fromBrowser = new PassThrough();
    const connection = new Connection(new PassThrough(), fromBrowser);
    const pending = connection.browser.send('Browser.getVersion');
    fromBrowser.end();
    await assert.rejects(pending, { code: 'BROWSER_CLOSED' });
    await assert.rejects(connection.browser.send('Browser.getVersion'), { code: 'BROWSER_CLOSED' });
  });
});
