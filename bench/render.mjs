// Render benchmark: the wall time to load the 30+ asset demo site in headless Chromium and print
// its DOM, `courier render URL` against a minimal hand-written playwright-core script doing the
// same (launch, goto with waitUntil 'load', print page.content(), close). Both are cold processes,
// run alternately; medians are compared. The cold start is process start -> first byte on stdout.
//
//   npm run bench:render            (ROUNDS=9 to change the number of runs of each)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { findFont, makeDemoSite } from '../dist/test/static/demo-site.js';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const CHROMIUM = process.env.COURIER_CHROMIUM ?? '/usr/bin/chromium';
const repo = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(repo, 'dist/src/cli/main.js');

// The flags courier passes (src/browser/browser.ts), so both drive the same browser the same way.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const PLAYWRIGHT = `
import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: ${JSON.stringify(CHROMIUM)}, headless: true, args: ${JSON.stringify(FLAGS)} });
const page = await browser.newPage();
await page.goto(process.argv[1], { waitUntil: 'load' });
process.stdout.write(await page.content());
await browser.close();
`;

/** timed runs a command to its end: wall time, time to the first stdout byte, bytes printed. */
function timed(args) {
  return new Promise((resolve, reject) => {
    const begin = performance.now();
    let firstByte = -1;
    let bytes = 0;
    let stderr = '';
    const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk) => {
      if (firstByte < 0) firstByte = performance.now() - begin;
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ wall: performance.now() - begin, firstByte, bytes });
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function startServe(root) {
  const child = spawn(process.execPath, [MAIN, 'serve', root, '--port', '0', '--log', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    // Keep reading stdout to the end: courier serve prints there until it stops.
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (match !== null) resolve({ child, url: match[0] });
    });
    child.on('close', () => reject(new Error(`courier serve printed no URL: ${out}`)));
  });
}

if (!existsSync(CHROMIUM)) {
  console.error(`bench: ${CHROMIUM} is missing (apt-get install chromium)`);
  process.exit(1);
}
const base = mkdtempSync(join(tmpdir(), 'courier-bench-render-'));
const font = findFont();
if (font === undefined) throw new Error('No font file found (playwright-core ships one)');
const assets = await makeDemoSite(join(base, 'site'), font);
const server = await startServe(join(base, 'site'));
console.log(`demo site: ${assets} requests, served by courier serve at ${server.url}`);
console.log(`${ROUNDS} alternating runs of each, cold processes, Chromium ${CHROMIUM}\n`);

const peers = {
  'courier render': [MAIN, 'render', server.url],
  'playwright-core script': ['--input-type=module', '-e', PLAYWRIGHT, server.url],
};
const results = Object.fromEntries(Object.keys(peers).map((name) => [name, []]));
try {
  // One warm-up of each (disk cache of the binaries), not counted.
  for (const args of Object.values(peers)) await timed(args);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? Object.keys(peers) : Object.keys(peers).reverse();
    for (const name of order) results[name].push(await timed(peers[name]));
  }
} finally {
  server.child.kill('SIGINT');
  rmSync(base, { recursive: true, force: true });
}

const rows = Object.entries(results).map(([name, runs]) => ({
  name,
  wall: median(runs.map((r) => r.wall)),
  best: Math.min(...runs.map((r) => r.wall)),
  firstByte: median(runs.map((r) => r.firstByte)),
  bytes: runs[0].bytes,
}));
console.log('| render the demo site, print its DOM | median wall | best wall | median first byte | DOM bytes |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.name} | ${r.wall.toFixed(0)} ms | ${r.best.toFixed(0)} ms | ${r.firstByte.toFixed(0)} ms | ${r.bytes} |`);
const [courier, playwright] = rows;
const ratio = courier.wall / playwright.wall;
console.log(`\ncourier / playwright-core wall time: ${ratio.toFixed(2)}× (target ≤ 0.6×: ${ratio <= 0.6 ? 'met' : 'not met'})`);
console.log(`courier / playwright-core first byte: ${(courier.firstByte / playwright.firstByte).toFixed(2)}×`);
