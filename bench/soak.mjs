// Soak: `courier serve` in its own process under minutes of mixed load, its RSS sampled every
// 10 s. The load is well-behaved keep-alive traffic from node:http (small and large files, ranges,
// HEAD, 304s, 404s, listings, gzip) mixed with hostile clients: pipelined bursts, slow heads,
// clients that never read, clients that vanish mid-response, malformed requests and bodies cut
// by a FIN. Loopback only; every hostile client is bounded in count and lifetime.
//
//   npm run soak   (or: node bench/soak.mjs [--duration 300] [--interval 10] [--clients 16])
//
// The verdict skips the first minute (warm-up: caches fill, the heap grows to its working size)
// and compares the mean RSS of the first half of the remaining samples with the second half's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '300' },
    interval: { type: 'string', default: '10' },
    clients: { type: 'string', default: '16' },
  },
});
const DURATION = Number(values.duration) * 1000;
const INTERVAL = Number(values.interval) * 1000;
const CLIENTS = Number(values.clients);

// --- the site ------------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'courier-soak-'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>soak</title><p>hello</p>\n');
writeFileSync(join(dir, 'small.txt'), 'small text file\n'.repeat(64));
writeFileSync(join(dir, 'page.html'), `<!doctype html><p>${'compressible words '.repeat(2000)}</p>\n`);
const big = Buffer.alloc(2 * 1024 * 1024);
for (let i = 0; i < big.length; i++) big[i] = (i * 7919) & 0xff;
writeFileSync(join(dir, 'big.bin'), big);
mkdirSync(join(dir, 'folder'));
for (let i = 0; i < 50; i++) writeFileSync(join(dir, 'folder', `file-${i}.txt`), `file ${i}\n`);

// --- the server ----------------------------------------------------------------------------------
const main = new URL('../dist/src/cli/main.js', import.meta.url).pathname;
const child = spawn(process.execPath, [main, 'serve', dir, '--port', '0', '--log', 'off'], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
    if (match !== null) resolve(Number(match[1]));
  });
  child.once('exit', (code) => reject(new Error(`courier serve exited (${code}) before listening: ${out}`)));
});

function rssMiB() {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

// --- the load ------------------------------------------------------------------------------------
const deadline = Date.now() + DURATION;
const counts = { ok: 0, failed: 0, hostile: 0 };
const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

const plain = [
  { path: '/small.txt' },
  { path: '/index.html' },
  { path: '/page.html', headers: { 'accept-encoding': 'gzip, br' } },
  { path: '/big.bin' },
  { path: '/big.bin', headers: { range: 'bytes=1000-200000' } },
  { path: '/big.bin', headers: { range: 'bytes=0-99,500-599,-100' } },
  { path: '/small.txt', method: 'HEAD' },
  { path: '/folder/' },
  { path: '/folder/', headers: { accept: 'application/json' } },
  { path: '/missing.txt' },
  { path: '/folder' },
  { path: '/small.txt', method: 'POST', body: 'x'.repeat(1000) },
];
let etag = '';

function one(spec) {
  return new Promise((resolve) => {
    const headers = { ...spec.headers };
    if (spec.path === '/small.txt' && etag !== '' && Math.random() < 0.5) headers['if-none-match'] = etag;
    const req = http.request({ host: '127.0.0.1', port, path: spec.path, method: spec.method ?? 'GET', headers, agent }, (res) => {
      if (spec.path === '/small.txt' && res.headers.etag) etag = res.headers.etag;
      res.on('data', () => {});
      res.on('end', () => {
        counts.ok++;
        resolve();
      });
      res.on('error', () => {
        counts.failed++;
        resolve();
      });
    });
    req.on('error', () => {
      counts.failed++;
      resolve();
    });
    req.end(spec.body);
  });
}

async function politeClient() {
  let i = Math.floor(Math.random() * plain.length);
  while (Date.now() < deadline) await one(plain[i++ % plain.length]);
}

/** rawClient opens a socket, writes `bytes`, and closes after `lifetime` ms or when the server does. */
function rawClient(bytes, { lifetime = 5000, read = true, endAfterWrite = false, dropAfterFirstData = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const timer = setTimeout(() => socket.destroy(), lifetime);
    socket.on('connect', () => {
      if (!read) socket.pause();
      socket.write(bytes);
      if (endAfterWrite) socket.end();
    });
    if (read) {
      socket.on('data', () => {
        if (dropAfterFirstData) socket.destroy();
      });
    }
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      counts.hostile++;
      resolve();
    });
    socket.on('end', () => socket.end());
  });
}

const GET = (path) => `GET ${path} HTTP/1.1\r\nHost: soak\r\n\r\n`;
const hostile = [
  // Pipelined burst, read in full.
  () => rawClient(Array.from({ length: 20 }, (_, i) => GET(i % 2 === 0 ? '/small.txt' : '/index.html')).join('') + 'GET / HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n'),
  // A head that never ends (slowloris), dropped by the client after a while.
  () => rawClient('GET / HTTP/1.1\r\nHost: soak\r\nX-Slow: ', { lifetime: 8000 }),
  // A client that pipelines big downloads and never reads.
  () => rawClient(GET('/big.bin').repeat(20), { read: false, lifetime: 10_000 }),
  // A client that vanishes after the first bytes of a big response.
  () => rawClient(GET('/big.bin'), { dropAfterFirstData: true }),
  // Malformed heads.
  () => rawClient('GET /\x01 HTTP/1.1\r\nHost: soak\r\n\r\n'),
  () => rawClient('GET h:80 HTTP/1.1\r\nHost: soak\r\n\r\n'),
  () => rawClient(`GET /${'a'.repeat(10_000)} HTTP/1.1\r\nHost: soak\r\n\r\n`),
  () => rawClient('POST / HTTP/1.1\r\nHost: soak\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n'),
  // Bodies that break: a bad chunk, and a FIN inside a body.
  () => rawClient('POST /small.txt HTTP/1.1\r\nHost: soak\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n'),
  () => rawClient('POST /small.txt HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\nonly a bit', { endAfterWrite: true }),
  // Random bytes.
  () => rawClient(Buffer.from(Array.from({ length: 200 }, () => Math.floor(Math.random() * 256)))),
];

async function hostileClient(offset) {
  let i = offset;
  while (Date.now() < deadline) {
    await hostile[i++ % hostile.length]();
    await sleep(50);
  }
}

// --- sampling ------------------------------------------------------------------------------------
const started = Date.now();
const samples = [];
function sample() {
  const rss = rssMiB();
  const t = Math.round((Date.now() - started) / 1000);
  samples.push(rss);
  console.log(`t=${String(t).padStart(4)} s  rss ${rss.toFixed(1).padStart(7)} MiB  requests ok ${counts.ok}  failed ${counts.failed}  hostile connections ${counts.hostile}`);
}

console.log(`soak: courier serve (pid ${child.pid}) on port ${port}, ${DURATION / 1000} s, ${CLIENTS} keep-alive clients + 6 hostile loops, node ${process.version}`);
sample();
const sampler = setInterval(sample, INTERVAL);
await Promise.all([...Array.from({ length: CLIENTS }, politeClient), ...Array.from({ length: 6 }, (_, i) => hostileClient(i * 2))]);
clearInterval(sampler);
sample();
agent.destroy();

// Graceful stop: SIGINT must end the process with 0.
const stopAt = Date.now();
child.kill('SIGINT');
const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
rmSync(dir, { recursive: true, force: true });

const steady = samples.slice(Math.min(Math.ceil(60_000 / INTERVAL), samples.length - 2));
const half = Math.floor(steady.length / 2);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const early = mean(steady.slice(0, half));
const late = mean(steady.slice(half));
const growth = late - early;
const isFlat = growth < Math.max(16, early * 0.1);
console.log(
  `\nRSS after the first minute: ${Math.min(...steady).toFixed(1)}–${Math.max(...steady).toFixed(1)} MiB; mean of the first half ` +
    `${early.toFixed(1)} MiB, of the second half ${late.toFixed(1)} MiB: ${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MiB → ${isFlat ? 'flat' : 'GROWING'}`,
);
console.log(`requests ok ${counts.ok}, failed ${counts.failed}, hostile connections ${counts.hostile}; SIGINT → exit ${code} in ${Date.now() - stopAt} ms`);
process.exitCode = isFlat && code === 0 ? 0 : 1;
