// Client benchmark: courier request() and fetch() side by side with undici's request(), node:http
// with a keep-alive agent and Node's global fetch, against one fixed-response server in a child
// process (so client and server each get a core). Then a 100 MiB download, courier vs curl.
//
//   npm run bench:client            (REQUESTS=20000 INFLIGHT=64 ROUNDS=3 to change the load)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Agent, fetch as courierFetch, request as courierRequest } from '../dist/src/client/index.js';

const REQUESTS = Number(process.env.REQUESTS ?? 20_000);
const INFLIGHT = Number(process.env.INFLIGHT ?? 64);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DOWNLOAD = 100 * 1024 * 1024;

// The fixed-response server: raw node:net, one canned response per request head. It never looks
// at more than the blank line, so it costs the client side almost nothing to be measured.
const SERVER_SOURCE = `
const { createServer } = require('node:net');
const body = 'Hello, World!';
const response = Buffer.from('HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: ' + body.length + '\\r\\nKeep-Alive: timeout=60\\r\\n\\r\\n' + body);
const server = createServer((socket) => {
  socket.setNoDelay(true);
  let tail = '';
  socket.on('data', (chunk) => {
    const text = tail + chunk.toString('latin1');
    let count = 0;
    let at = text.indexOf('\\r\\n\\r\\n');
    let last = -4;
    while (at !== -1) { count++; last = at; at = text.indexOf('\\r\\n\\r\\n', at + 4); }
    tail = text.slice(last + 4);
    if (count === 1) socket.write(response);
    else if (count > 1) socket.write(Buffer.concat(Array(count).fill(response)));
  });
  socket.on('error', () => {});
});
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
`;

async function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER_SOURCE], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [port] = await once(child, 'message');
  return { child, url: `http://127.0.0.1:${port}/` };
}

/** run keeps INFLIGHT requests going until `total` have completed; returns requests per second. */
async function run(total, one) {
  let started = 0;
  const begin = performance.now();
  const worker = async () => {
    while (started < total) {
      started++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return total / ((performance.now() - begin) / 1000);
}

async function main() {
  const { child, url } = await startServer();
  const undici = await import('undici');
  const courierAgent = new Agent();
  const undiciAgent = new undici.Agent({ keepAliveTimeout: 60_000 });
  const nodeAgent = new http.Agent({ keepAlive: true });
  const cases = {
    'courier request': async () => {
      const res = await courierRequest(url, { agent: courierAgent });
      await res.body.text();
    },
    'courier fetch': async () => {
      const res = await courierFetch(url, { agent: courierAgent });
      await res.text();
    },
    'undici request': async () => {
      const res = await undici.request(url, { dispatcher: undiciAgent });
      await res.body.text();
    },
    'node:http keep-alive': () =>
      new Promise((resolve, reject) => {
        http
          .get(url, { agent: nodeAgent }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve(text));
            res.on('error', reject);
          })
          .on('error', reject);
      }),
    'node fetch': async () => {
      const res = await fetch(url);
      await res.text();
    },
  };
  console.log(`client: ${REQUESTS} requests, ${INFLIGHT} in flight, best of ${ROUNDS} rounds, Node ${process.version}`);
  const best = {};
  for (const name of Object.keys(cases)) await run(Math.min(2000, REQUESTS), cases[name]); // warm up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, one] of Object.entries(cases)) {
      const rps = await run(REQUESTS, one);
      best[name] = Math.max(best[name] ?? 0, rps);
    }
  }
  for (const [name, rps] of Object.entries(best)) console.log(`  ${name.padEnd(22)} ${rps.toFixed(0).padStart(8)} req/s`);
  const ratio = (a, b) => (best[a] / best[b]).toFixed(2);
  console.log(`  courier request / undici request: ${ratio('courier request', 'undici request')}x (target >= 1.0)`);
  console.log(`  courier fetch / node fetch:       ${ratio('courier fetch', 'node fetch')}x (target >= 3.0)`);
  console.log(`  courier request / node:http:      ${ratio('courier request', 'node:http keep-alive')}x`);
  await courierAgent.close();
  await undiciAgent.close();
  nodeAgent.destroy();
  child.kill();
}

// The download server: nginx when installed (sendfile), else node:http streaming the file.
async function downloadServer(dir) {
  const nginx = spawnSync('nginx', ['-v']);
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const port = probe.address().port;
  probe.close();
  if (nginx.error === undefined) {
    const conf = join(dir, 'nginx.conf');
    writeFileSync(
      conf,
      `daemon off; master_process off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 64; }
http { access_log off; sendfile on; client_body_temp_path ${dir}/t; proxy_temp_path ${dir}/t; fastcgi_temp_path ${dir}/t; uwsgi_temp_path ${dir}/t; scgi_temp_path ${dir}/t;
  server { listen 127.0.0.1:${port}; root ${dir}; } }
`,
    );
    const child = spawn('nginx', ['-c', conf, '-p', dir], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 300));
    return { name: 'nginx', url: `http://127.0.0.1:${port}/big.bin`, stop: () => child.kill() };
  }
  console.log('  (nginx not installed: apt-get install -y nginx-light; serving with node:http instead)');
  const source = `
const http = require('node:http'); const fs = require('node:fs');
http.createServer((req, res) => { res.writeHead(200, { 'content-length': ${DOWNLOAD} }); fs.createReadStream(${JSON.stringify(join(dir, 'big.bin'))}, { highWaterMark: 1 << 20 }).pipe(res); })
  .listen(${port}, '127.0.0.1', () => process.send('ready'));`;
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await once(child, 'message');
  return { name: 'node:http', url: `http://127.0.0.1:${port}/big.bin`, stop: () => child.kill() };
}

async function download() {
  const dir = mkdtempSync(join(tmpdir(), 'courier-bench-'));
  const fd = openSync(join(dir, 'big.bin'), 'w');
  for (let i = 0; i < DOWNLOAD; i += 4 << 20) writeSync(fd, randomBytes(4 << 20));
  closeSync(fd);
  const server = await downloadServer(dir);
  const hasCurl = spawnSync('curl', ['--version']).error === undefined;
  const agent = new Agent();
  const courierOnce = async () => {
    const begin = performance.now();
    const res = await courierRequest(server.url, { agent });
    let n = 0;
    for await (const chunk of res.body) n += chunk.length;
    if (n !== DOWNLOAD) throw new Error(`courier got ${n} bytes`);
    return DOWNLOAD / ((performance.now() - begin) / 1000);
  };
  const curlOnce = async () => {
    const begin = performance.now();
    const child = spawn('curl', ['-s', '-o', '/dev/null', server.url]);
    const [code] = await once(child, 'close');
    if (code !== 0) throw new Error(`curl exited ${code}`);
    return DOWNLOAD / ((performance.now() - begin) / 1000);
  };
  const cli = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
  const cliOnce = async () => {
    const begin = performance.now();
    const child = spawn(process.execPath, [cli, 'get', server.url, '-s', '-o', '/dev/null']);
    const [code] = await once(child, 'close');
    if (code !== 0) throw new Error(`courier get exited ${code}`);
    return DOWNLOAD / ((performance.now() - begin) / 1000);
  };
  // Runs alternate so that load from elsewhere on the machine hits every peer alike.
  const runs = { courier: [], 'courier get (CLI)': [], curl: [] };
  for (let round = 0; round < 7; round++) {
    runs.courier.push(await courierOnce());
    runs['courier get (CLI)'].push(await cliOnce());
    if (hasCurl) runs.curl.push(await curlOnce());
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const best = (xs) => Math.max(0, ...xs);
  const mib = (bps) => `${(bps / 1024 / 1024).toFixed(0).padStart(6)} MiB/s`;
  console.log(`download: 100 MiB from ${server.name}, 7 alternating runs`);
  for (const [name, xs] of Object.entries(runs)) if (xs.length > 0) console.log(`  ${name.padEnd(22)} median ${mib(median(xs))}   best ${mib(best(xs))}`);
  if (hasCurl) {
    console.log(`  courier / curl: median ${(median(runs.courier) / median(runs.curl)).toFixed(2)}x, best ${(best(runs.courier) / best(runs.curl)).toFixed(2)}x (target >= 0.9)`);
    console.log(`  courier get (CLI, with process start) / curl: median ${(median(runs['courier get (CLI)']) / median(runs.curl)).toFixed(2)}x`);
  } else {
    console.log('  (curl not installed: no comparison)');
  }
  await agent.close();
  server.stop();
  rmSync(dir, { recursive: true, force: true });
}

// The download goes first, on a fresh heap, then the request rates.
await download();
await main();
