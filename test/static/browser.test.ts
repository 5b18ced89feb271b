// A real headless Chromium loads a demo site and a listing from courier over 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Response } from 'playwright-core';
import type { Server } from '../../src/server/index.js';
import { DEMO_MODULES, findFont, makeDemoSite } from './demo-site.js';
import { startStatic } from './harness.js';

const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

const hasChromium = existsSync(CHROMIUM);
const isCi = process.env.CI === 'true';
// Under CI a missing browser is a failure (the test below says so); elsewhere, a skip.
const skip = !hasChromium && !isCi ? `${CHROMIUM} is missing: install the Debian package "chromium" to run this test` : false;

describe('a real browser', { skip, timeout: 90_000 }, () => {
  let base = '';
  let server: Server;
  let context: BrowserContext;
  let origin = '';
  let expectedAssets = 0;

  before(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing but CI=true: .ci/run must install the Debian package "chromium"`);
    base = await mkdtemp(join(tmpdir(), 'courier-browser-'));
    const font = findFont();
    if (font === undefined) throw new Error('No font file found (playwright-core ships one; is it installed?)');
    const root = join(base, 'site');
    expectedAssets = await makeDemoSite(root, font);
    server = await startStatic(root);
    origin = `http://127.0.0.1:${server.port}`;
    context = await chromium.launchPersistentContext(join(base, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      timeout: 30_000,
    });
  });

  after(async () => {
    await context?.close();
    await server?.close();
    if (base !== '') await rm(base, { recursive: true, force: true });
  });

  test('loads a demo site of 30+ assets: every request succeeds and the page renders', async () => {
    const page = await context.newPage();
    const responses: Response[] = [];
    const failed: string[] = [];
    const errors: string[] = [];
    page.on('response', (r) => responses.push(r));
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });

    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
    const bad = responses.filter((r) => r.status() >= 400).map((r) => `${r.status()} ${r.url()}`);
    assert.deepEqual(bad, []);
    const urls = new Set(responses.map((r) => r.url()));
    assert.ok(urls.size >= 30, `only ${urls.size} distinct requests`);
    assert.ok(urls.size >= expectedAssets - 1, `${urls.size} requests, expected about ${expectedAssets}`);

    // Evaluated in the page; a string keeps the DOM types out of this Node-only project.
    const state = (await page.evaluate(`(() => {
      const images = [...document.images].map((img) => ({ src: img.src, ok: img.complete && img.naturalWidth > 0 }));
      return { modules: window.__modules, sum: window.__sum, result: window.__result, images, h1Color: getComputedStyle(document.querySelector('h1')).color };
    })()`)) as { modules: number; sum: number; result: Record<string, unknown>; images: { src: string; ok: boolean }[]; h1Color: string };
    assert.equal(state.modules, DEMO_MODULES);
    assert.equal(state.sum, 45);
    assert.equal(state.images.length, 13);
    for (const img of state.images) assert.ok(img.ok, `image did not render: ${img.src}`);
    assert.equal(state.h1Color, 'rgb(12, 34, 56)');
    assert.equal(state.result.rangeStatus, 206);
    assert.equal(state.result.contentRange, `bytes 0-99/${64 * 1024}`);
    assert.equal(state.result.rangeBytes, 100);
    assert.deepEqual(state.result.data, { ok: true, name: 'fünke' });
    assert.equal(state.result.wordsLength, 'lorem ipsum dolor sit amet '.length * 400);
    assert.equal(state.result.fontStatus, 'loaded');
    assert.equal(state.result.demoFont, true);

    // The browser asked for brotli: the sidecar and the on-the-fly variant were used.
    const m1 = responses.find((r) => r.url().endsWith('/js/m1.js'));
    assert.equal((await m1?.allHeaders())?.['content-encoding'], 'br');
    const words = responses.find((r) => r.url().endsWith('/data/words.txt'));
    assert.equal((await words?.allHeaders())?.['content-encoding'], 'br');
    await page.close();
  });

  test('a reload revalidates with 304s and still renders', async () => {
    const page = await context.newPage();
    await page.goto(`${origin}/`, { waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
    const statuses: number[] = [];
    page.on('response', (r) => statuses.push(r.status()));
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
    assert.ok(statuses.includes(304), `no 304 among ${statuses.join(',')}`);
    assert.equal(statuses.filter((s) => s >= 400).length, 0);
    await page.close();
  });

  test('loads a listing page and sorts it by size, folders first', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${origin}/files/`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    const names = () => page.$$eval('tbody tr:not(.up) td.name a', (links) => links.map((a) => a.textContent));
    assert.deepEqual(await names(), ['sub/', '<i>d&amp;.txt', 'a.txt', 'b.txt', 'c.txt']);
    await page.click('th[data-key="size"] button');
    assert.deepEqual(await names(), ['sub/', 'b.txt', 'a.txt', '<i>d&amp;.txt', 'c.txt']);
    await page.click('th[data-key="size"] button');
    assert.deepEqual(await names(), ['sub/', 'c.txt', '<i>d&amp;.txt', 'a.txt', 'b.txt']);
    await page.click('th[data-key="name"] button');
    assert.equal(await page.getAttribute('th[data-key="name"]', 'aria-sort'), 'ascending');
    // The escaped name links to the file, and the breadcrumb leads home.
    await page.click('text=<i>d&amp;.txt');
    assert.equal(await page.evaluate('document.body.textContent.length'), 1000);
    await page.goBack();
    await page.click('nav a[href="/"]');
    await page.waitForSelector('h1.icon');
    await page.close();
  });
});
