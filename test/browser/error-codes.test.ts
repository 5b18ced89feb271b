// Browser error codes reached through real headless Chromium on 127.0.0.1, each by what a user
// could do: a malformed response (BROWSER_BAD_RESPONSE), a URL that does not parse
// (BROWSER_INVALID_URL), an invalid `wait` or selector (BROWSER_INVALID_ARGUMENT).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { BrowserArgumentError, BrowserBadResponseError, BrowserInvalidUrlError, NavigationError, launchBrowser, render, type Browser } from '../../src/browser/index.js';
import { CHROMIUM } from './fixtures.js';

const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true' ? `${CHROMIUM} is missing: install the Debian package "chromium"` : false;

describe('browser error codes with real Chromium', { skip, timeout: 60_000 }, () => {
  let browser: Browser;
  let server: net.Server;
  let origin = '';

  before(async () => {
    // Two different Content-Lengths: a response no browser may take (RFC 9112 §6.3).
    server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\nContent-Type: text/html\r\n\r\nhello'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    browser = await launchBrowser({ executablePath: CHROMIUM });
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('a response with two Content-Lengths fails with BrowserBadResponseError (BROWSER_BAD_RESPONSE)', async () => {
    await assert.rejects(render(`${origin}/`, { browser, timeout: 20_000 }), (error: unknown) => {
      assert.ok(BrowserBadResponseError.is(error), String(error));
      assert.ok(NavigationError.is(error));
      assert.equal(error.code, 'BROWSER_BAD_RESPONSE');
      assert.equal(error.netError, 'net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH');
      return true;
    });
  });

  test('a URL that does not parse fails with BrowserInvalidUrlError (BROWSER_INVALID_URL), not a protocol error', async () => {
    for (const url of ['http://[bad/', 'http://999.1.1.1/', 'http://a b/']) {
      await assert.rejects(render(url, { browser, timeout: 20_000 }), (error: unknown) => {
        assert.ok(BrowserInvalidUrlError.is(error), `${url}: ${String(error)}`);
        assert.equal(error.code, 'BROWSER_INVALID_URL');
        assert.equal(error.message, `Invalid URL "${url}"`);
        return true;
      });
    }
  });

  test('an invalid wait or selector fails with BrowserArgumentError (BROWSER_INVALID_ARGUMENT)', async () => {
    await assert.rejects(render(`${origin}/`, { browser, wait: 'soon' as 'load' }), (error: unknown) => {
      assert.ok(BrowserArgumentError.is(error), String(error));
      assert.equal(error.code, 'BROWSER_INVALID_ARGUMENT');
      return true;
    });
    await assert.rejects(render('data:text/html,<p>x</p>', { browser, waitFor: 'p[[', timeout: 20_000 }), (error: unknown) => {
      assert.ok(BrowserArgumentError.is(error), String(error));
      assert.match(error.message, /^Invalid selector "p\[\["/);
      return true;
    });
  });
});
