// `courier render` as a user runs it: the real binary, real Chromium, sites on 127.0.0.1. Each
// run is a cold browser start, so the runs are few and each checks several things.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { PageRequest } from '../../src/browser/index.js';
import { formatRequestTable, formatSize, formatSummary, waterfall } from '../../src/cli/request-table.js';
import { CHROMIUM, ITEMS, PNG_SIGNATURE, eventually, pngSize, processesMentioning, startSites, validateHar, type Sites } from '../browser/fixtures.js';
import { findFont, makeDemoSite } from '../static/demo-site.js';
import { MAIN, runCli, startCli } from '../support/cli.js';

const hasChromium = existsSync(CHROMIUM);
const skip = !hasChromium && process.env.CI !== 'true' ? `${CHROMIUM} is missing: install the Debian package "chromium"` : false;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** tmp is the TMPDIR the run had: Chromium's profile lived there. */
  tmp: string;
}

let sites: Sites;
let runs = 0;

/** start spawns `courier render ...args` with a TMPDIR of its own, so its Chromium can be found. */
function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; tmp: string; done: Promise<Run> } {
  const tmp = join(sites.base, `tmp-${++runs}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdtempSync(`${tmp}-`);
  const dir = readdirSync(sites.base).map((n) => join(sites.base, n)).find((p) => p.startsWith(`${tmp}-`)) ?? tmp;
  const child = spawn(process.execPath, [MAIN, 'render', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COURIER_CHROMIUM: CHROMIUM, TMPDIR: dir, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr, tmp: dir }));
  return { child, tmp: dir, done };
}

function courier(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return start(args, env).done;
}

/** assertNoBrowserLeft checks that no process mentions the run's TMPDIR and that the profile is gone. */
async function assertNoBrowserLeft(run: Run): Promise<void> {
  const isGone = await eventually(async () => (await processesMentioning(run.tmp)).length === 0);
  assert.ok(isGone, `Chromium processes left behind: ${(await processesMentioning(run.tmp)).join(' ')}`);
  assert.deepEqual(readdirSync(run.tmp), [], 'the temporary profile was not removed');
}

function assertOneLineError(run: Run, pattern: RegExp): void {
  assert.match(run.stderr, pattern);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}

describe('courier render', { skip, timeout: 180_000 }, () => {
  before(async () => {
    sites = await startSites();
  });

  after(async () => {
    await sites?.close();
    if (sites !== undefined) rmSync(sites.base, { recursive: true, force: true });
  });

  test('courier get shows the empty shell; courier render the list the script built', async () => {
    const fetched = await runCli(['get', `${sites.origin}/`]);
    assert.equal(fetched.code, 0, fetched.stderr);
    const get = fetched.stdout.toString();
    assert.ok(get.includes('<div id="app"></div>'));
    assert.ok(!get.includes('<li'));
    const run = await courier([`${sites.origin}/`, '--wait', 'networkidle']);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.startsWith('<!DOCTYPE html>'));
    for (const item of ITEMS) assert.ok(run.stdout.includes(`<li class="item">${item}</li>`), `missing ${item}`);
    await assertNoBrowserLeft(run);
  });

  test('--wait-for waits for a late element and --eval prints the scraped data as JSON', async () => {
    const expression = '[...document.querySelectorAll(".item")].map((li) => li.textContent).concat(document.querySelector("#late").textContent)';
    const run = await courier([`${sites.origin}/`, '--wait-for', '#late', '--eval', expression]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [...ITEMS, 'late element']);
  });

  test('the 30+ asset site from courier serve: --requests lists every request, the HAR has one entry each, screenshot and PDF are real', async () => {
    const font = findFont();
    assert.ok(font !== undefined, 'no font file found');
    const root = join(sites.base, 'demo');
    const assets = await makeDemoSite(root, font);
    const serve = await startCli(['serve', root, '--port', '0']);
    const url = serve.url;
    const logStart = serve.output().length;
    const out = join(sites.base, 'out');
    mkdtempSync(out);
    const dir = readdirSync(sites.base).map((n) => join(sites.base, n)).find((p) => p.startsWith(out)) ?? out;
    const [png, pdf, har, html] = ['page.png', 'page.pdf', 'page.har', 'page.html'].map((n) => join(dir, n)) as [string, string, string, string];
    const run = await courier([url, '--wait-for', 'body[data-ready="1"]', '--requests', '--har', har, '--screenshot', png, '--viewport', '800x600', '--pdf', pdf, '-o', html]);
    await serve.stop();
    const log = serve.output().slice(logStart);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.ok(readFileSync(html, 'utf8').includes('data-ready="1"'));

    // What the server saw (its access log), line for line in the table and in the HAR.
    const served = [...log.matchAll(/"GET (\S+) HTTP\/1\.1" (\d{3}) /g)].map((m) => `${m[1]} ${m[2]}`);
    assert.ok(served.length >= 30 && served.length >= assets - 2, `${served.length} requests served`);
    const lines = run.stderr.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^METHOD\s+STATUS\s+PROTOCOL\s+TYPE\s+SIZE\s+START\s+DURATION\s+WATERFALL\s+URL$/);
    const rows = lines.slice(1, -1).map((line) => {
      const cells = line.split(/\s{2,}/);
      return { method: cells[0], status: cells[1], protocol: cells[2], path: cells.at(-1) ?? '' };
    });
    assert.deepEqual(rows.map((r) => `${r.path} ${r.status}`).sort(), [...served].sort());
    assert.ok(rows.every((r) => r.method === 'GET' && r.protocol === 'http/1.1'));
    assert.match(lines.at(-1) ?? '', new RegExp(`^${served.length} requests, [\\d.]+ KiB, DOMContentLoaded \\d+ ms, load \\d+ ms$`));

    const archive = JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: Array<{ request: { url: string }; response: { status: number } }> } };
    assert.deepEqual(await validateHar(archive), []);
    assert.deepEqual(archive.log.entries.map((e) => `${new URL(e.request.url).pathname} ${e.response.status}`).sort(), [...served].sort());

    const image = readFileSync(png);
    assert.deepEqual(image.subarray(0, 8), PNG_SIGNATURE);
    assert.deepEqual(pngSize(image), { width: 800, height: 600 });
    assert.ok(image.length > 2000, `${image.length} bytes`);
    const document = readFileSync(pdf);
    assert.equal(document.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(document.length > 2000, `${document.length} bytes`);
    await assertNoBrowserLeft(run);
  });

  test('a refused connection exits 7 with one line, and leaves no browser behind', async () => {
    const run = await courier([`http://127.0.0.1:${sites.closedPort}/`]);
    assert.equal(run.code, 7);
    assertOneLineError(run, /^courier render: net::ERR_CONNECTION_REFUSED loading "http:\/\/127\.0\.0\.1:\d+\/"\n$/);
    await assertNoBrowserLeft(run);
  });

  test('a reader that closes stdout early gets exit 23 and one line, not a crash', async () => {
    const { child, done } = start([`${sites.origin}/`, '--har', '-']);
    child.stdout?.destroy(); // the reader is gone before the page is even loaded
    const run = await done;
    assert.equal(run.code, 23, run.stderr);
    assertOneLineError(run, /^courier render: Failure writing output: EPIPE\n$/);
  });

  test('a 404 page with --fail exits 22 and prints nothing', async () => {
    const run = await courier([`${sites.origin}/missing`, '--fail']);
    assert.equal(run.code, 22);
    assert.equal(run.stdout, '');
    assertOneLineError(run, /returned error: 404/);
  });

  test('a server that never answers exits 28 after --timeout', async () => {
    const run = await courier([`${sites.hangingOrigin}/`, '--timeout', '1.5']);
    assert.equal(run.code, 28);
    assertOneLineError(run, /^courier render: Timeout: .* within 1500 ms\n$/);
    await assertNoBrowserLeft(run);
  });

  test('SIGINT while the page loads kills the browser, removes the profile and exits 130', async () => {
    const { child, tmp, done } = start([`${sites.hangingOrigin}/`, '--timeout', '120']);
    const launched = await eventually(async () => (await processesMentioning(tmp)).length > 0, 30_000);
    assert.ok(launched, 'Chromium never started');
    child.kill('SIGINT');
    const run = await done;
    assert.equal(run.code, 130, run.stderr);
    await assertNoBrowserLeft(run);
  });

  test('a missing Chromium exits 1 with the install command and no stack trace', async () => {
    const explicit = await courier([`${sites.origin}/`, '--browser', '/nonexistent']);
    assert.equal(explicit.code, 1);
    assertOneLineError(explicit, /Chromium not found at "\/nonexistent".*apt-get install chromium/);
    const onPath = await courier([`${sites.origin}/`], { PATH: '', COURIER_CHROMIUM: '' });
    assert.equal(onPath.code, 1);
    assertOneLineError(onPath, /Chromium not found on PATH .*apt-get install chromium/);
  });

  test('bad flags exit 2 before any browser starts', async () => {
    const run = await courier([`${sites.origin}/`, '--wait', 'soon']);
    assert.equal(run.code, 2);
    assertOneLineError(run, /Invalid --wait "soon"/);
    const viewport = await courier([`${sites.origin}/`, '--viewport', 'big']);
    assert.equal(viewport.code, 2);
    assertOneLineError(viewport, /Invalid --viewport "big"/);
  });
});

function request(overrides: Partial<PageRequest>): PageRequest {
  return {
    requestId: '1', url: 'http://127.0.0.1:8000/', method: 'GET', resourceType: 'document', status: 200, statusText: 'OK',
    protocol: 'http/1.1', remoteAddress: '127.0.0.1:8000', mimeType: 'text/html', requestHeaders: [], responseHeaders: [],
    postData: undefined, redirectURL: '', start: 0, wallTime: 0, duration: 100, transferSize: 2048, bodySize: 2000,
    headersSize: 48, isFromCache: false, failure: '',
    timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0, wait: 90, receive: 10 },
    ...overrides,
  };
}

describe('the --requests table', () => {
  test('sizes read as B, KiB and MiB', () => {
    assert.deepEqual([0, 588, 1024, 42_612, 421_888, 5 * 1024 * 1024].map(formatSize), ['0 B', '588 B', '1.0 KiB', '42 KiB', '412 KiB', '5.0 MiB']);
  });

  test('the waterfall places each request on a common time scale', () => {
    assert.equal(waterfall(0, 100, 200, 10), '|=====     |');
    assert.equal(waterfall(100, 100, 200, 10), '|     =====|');
    assert.equal(waterfall(199, 0, 200, 10), '|         =|');
    assert.equal(waterfall(50, -1, 200, 10), '|  --------|');
  });

  test('columns align, other origins show in full, failures and redirects are noted', () => {
    const table = formatRequestTable(
      [
        request({}),
        request({ url: 'http://127.0.0.1:8000/old', status: 301, redirectURL: '/new', start: 100, duration: 10, transferSize: 120 }),
        request({ url: 'https://cdn.example.test/a.js', resourceType: 'script', protocol: 'h2', start: 120, duration: 80, status: 0, failure: 'net::ERR_NAME_NOT_RESOLVED', transferSize: 0 }),
      ],
      'http://127.0.0.1:8000/',
    );
    assert.equal(
      table,
      [
        'METHOD  STATUS  PROTOCOL  TYPE         SIZE   START  DURATION  WATERFALL                   URL',
        'GET     200     http/1.1  document  2.0 KiB    0 ms    100 ms  |============            |  /',
        'GET     301     http/1.1  document    120 B  100 ms     10 ms  |            ==          |  /old  -> /new',
        'GET     ERR     h2        script          -  120 ms     80 ms  |              ==========|  https://cdn.example.test/a.js  net::ERR_NAME_NOT_RESOLVED',
        '',
      ].join('\n'),
    );
  });

  test('the summary counts requests and bytes and gives the page events', () => {
    const requests = [request({ transferSize: 300 * 1024 }), request({ transferSize: 112 * 1024 })];
    assert.equal(formatSummary(requests, { startedDateTime: 0, domContentLoaded: 120.4, load: 310.2, total: 400 }), '2 requests, 412 KiB, DOMContentLoaded 120 ms, load 310 ms\n');
  });
});
