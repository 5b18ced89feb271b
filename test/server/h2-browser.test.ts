// Headless Chromium loads the multi-asset demo site from `courier serve --tls-cert --tls-key` over
// HTTPS: with no extra flag, ALPN gives HTTP/2, every resource arrives over h2, and the access
// log writes HTTP/2.0.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { findFont, makeDemoSite } from '../static/demo-site.js';
import { startCli, type RunningCli } from '../support/cli.js';
import { selfSigned } from '../support/tls.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing: install the Debian package "chromium" to run this test` : false;

describe('Chromium over HTTPS from courier serve', { skip, timeout: 90_000 }, () => {
  let base = '';
  let serve: RunningCli | null = null;
  let browser: Browser | null = null;
  let origin = '';

  before(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing but CI=true: .ci/run must install the Debian package "chromium"`);
    base = await mkdtemp(join(tmpdir(), 'courier-h2-browser-'));
    const font = findFont();
    if (font === undefined) throw new Error('No font file found (playwright-core ships one; is it installed?)');
    await makeDemoSite(join(base, 'site'), font);
    const { cert, key } = selfSigned();
    await writeFile(join(base, 'cert.pem'), cert);
    await writeFile(join(base, 'key.pem'), key);
    serve = await startCli(['serve', join(base, 'site'), '--port', '0', '--tls-cert', join(base, 'cert.pem'), '--tls-key', join(base, 'key.pem')]);
    origin = serve.url.replace(/\/$/, '');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--ignore-certificate-errors', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
      timeout: 30_000,
    });
  });

  after(async () => {
    await browser?.close();
    await serve?.stop();
    if (base !== '') await rm(base, { recursive: true, force: true });
  });

  test('every resource of the demo site comes over h2 (nextHopProtocol) and the access log says HTTP/2.0', async () => {
    const context = await (browser as Browser).newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    const response = await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 30_000 });
    assert.equal(response?.status(), 200);
    assert.deepEqual(failed, []);
    const entries = (await page.evaluate(
      `[performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')].map((e) => ({ name: e.name, protocol: e.nextHopProtocol }))`,
    )) as { name: string; protocol: string }[];
    assert.ok(entries.length >= 30, `only ${entries.length} entries`);
    const notH2 = entries.filter((e) => e.protocol !== 'h2').map((e) => `${e.protocol} ${e.name}`);
    assert.deepEqual(notH2, []);
    await context.close();
    const log = `${(serve as RunningCli).output()}${(serve as RunningCli).errors()}`;
    assert.match(log, /"GET \/ HTTP\/2\.0" 200 /);
    assert.doesNotMatch(log, /HTTP\/1\.1"/);
  });
});
