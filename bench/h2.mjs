// bench:h2 — courier's HTTP/2 server side by side with a minimal node:http2 server and nginx
// (1 worker, http2), with courier's HTTP/1.1 (h2load --h1, pipelined to the same depth) as the
// reference, over TLS (ALPN h2, self-signed certificate made at start) and over h2c (prior
// knowledge). Workloads: "hello" (13-byte answer) and a 1 KiB file, h2load -t1 -c16 at -m10 and
// -m100. Then one 100 MiB download and one 100 MiB upload over TLS against courier, HTTP/2 vs
// HTTP/1.1, with curl, h2load -n1 and courier's own client (nginx too, as the clients' reference:
// downloads, and uploads by WebDAV PUT). Runs take turns between the servers, round after round;
// medians shown.
// Loopback only; each server runs in its own process.
//
//   npm run bench:h2
//   node bench/h2.mjs [--duration 2] [--rounds 3] [--quick] [--only node,nginx,h1] [--no-big] [--no-load] [--transfers 7]
import { execFile, fork, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFile, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HELLO = 'Hello, World!';
const BIG = 100 * 1024 * 1024;
const here = fileURLToPath(new URL('.', import.meta.url));

// --- child: one server process (courier or node:http2), TLS and cleartext listeners ------------

async function startCourier(root, tls) {
  const { createServer } = await import('../dist/src/server/index.js');
  const { staticFiles } = await import('../dist/src/static/handler.js');
  const files = staticFiles(root);
  const helloHeaders = { 'Content-Type': 'text/plain' };
  const handler = async (req) => {
    if (req.path === '/hello') return { status: 200, headers: helloHeaders, body: HELLO };
    if (req.path === '/upload') {
      let bytes = 0;
      for await (const chunk of req.body) bytes += chunk.length;
      return { status: 200, headers: helloHeaders, body: String(bytes) };
    }
    return files(req);
  };
  const limits = { keepAliveTimeout: 120_000, headersTimeout: 120_000 };
  const secure = createServer(handler, { ...limits, tls });
  const clear = createServer(handler, limits);
  await secure.listen({ port: 0 });
  await clear.listen({ port: 0 });
  return { tls: secure.port, clear: clear.port };
}

async function startNode(root, tls) {
  const http2 = await import('node:http2');
  const file = join(root, 'file.html');
  const onStream = (stream, headers) => {
    stream.on('error', () => {});
    if (headers[':path'] === '/hello') {
      stream.respond({ ':status': 200, 'content-type': 'text/plain', 'content-length': HELLO.length });
      stream.end(HELLO);
    } else {
      // Read per request, as a naive file server does (respondWithFile crashes node 20 over TLS at -m100).
      readFile(file, (error, data) => {
        if (stream.destroyed) return;
        if (error !== null) {
          stream.respond({ ':status': 404 });
          stream.end();
          return;
        }
        stream.respond({ ':status': 200, 'content-type': 'text/html; charset=utf-8', 'content-length': data.length });
        stream.end(data);
      });
    }
  };
  const settings = { maxConcurrentStreams: 100 };
  const secure = http2.createSecureServer({ ...tls, settings });
  const clear = http2.createServer({ settings });
  for (const server of [secure, clear]) {
    server.on('stream', onStream);
    server.on('sessionError', () => {});
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  }
  return { tls: secure.address().port, clear: clear.address().port };
}

// --- parent ------------------------------------------------------------------------------------
function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 1 << 24, timeout: timeoutMs }, (error, stdout, stderr) => resolve({ error, stdout: String(stdout), stderr: String(stderr) }));
  });
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function forkServer(kind, root, cert, key) {
  const child = fork(new URL(import.meta.url).pathname, ['--serve', kind, root, cert, key], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (ports) => resolve({ child, ports }));
    child.once('exit', (code, signal) => {
      const how = `${kind} server exited with ${signal ?? `code ${code}`}`;
      reject(new Error(how));
      if (!child.stopping) console.error(`bench:h2: ${how}`);
    });
  });
}

function nginxConf(prefix, root, cert, key, tlsPort, clearPort) {
  return `worker_processes 1;
daemon off;
user root;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log error;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_max_body_size 0;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${tlsPort} ssl http2;
    listen 127.0.0.1:${clearPort} http2;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    root ${root};
    location = /hello { default_type text/plain; return 200 "${HELLO}"; }
    # Uploads for reference: PUT stores the body (on the temp directory's disk) and answers 201.
    location /dav/ { root ${prefix}; dav_methods PUT; create_full_put_path on; }
  }
}
`;
}

async function startNginx(base, root, cert, key, tlsPort, clearPort) {
  const prefix = join(base, 'nginx');
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'nginx.conf'), nginxConf(prefix, root, cert, key, tlsPort, clearPort));
  const child = spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = connect({ port: clearPort, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return { child, ports: { tls: tlsPort, clear: clearPort } };
    if (Date.now() > deadline) throw new Error('nginx not ready within 15 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.stopping = true;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** h2load runs one load and returns requests/s, with a note when any request failed. */
async function h2load(url, { streams, seconds, h1 }) {
  const args = ['-t1', '-c16', `-m${streams}`, '-D', String(seconds)];
  if (h1) args.push('--h1');
  args.push(url);
  const { error, stdout, stderr } = await run('h2load', args, (seconds + 60) * 1000);
  const rps = /finished in [\d.]+m?s, ([\d.]+) req\/s/.exec(stdout);
  if (rps === null) throw new Error(`h2load failed: ${(error?.message ?? '') + stderr + stdout.slice(-300)}`.trim());
  const counts = /requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored, (\d+) timeout/.exec(stdout);
  const status = /status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx/.exec(stdout);
  const notes = [];
  if (counts !== null && Number(counts[4]) + Number(counts[5]) + Number(counts[6]) > 0) notes.push(`failed ${counts[4]}, errored ${counts[5]}, timeout ${counts[6]}`);
  if (status !== null && Number(status[2]) + Number(status[3]) + Number(status[4]) > 0) notes.push(`non-2xx ${Number(status[2]) + Number(status[3]) + Number(status[4])}`);
  if (counts !== null && Number(counts[3]) === 0) throw new Error('h2load: no request succeeded');
  return { rps: Number(rps[1]), note: notes.join(', ') };
}

/** curlTransfer moves 100 MiB over TLS and returns bytes/s; an upload to nginx is a WebDAV PUT. */
async function curlTransfer(url, { upload, http2, file, isDav }) {
  const args = ['-sS', '-k', http2 ? '--http2' : '--http1.1', '--max-time', '120', '-o', upload ? '-' : '/dev/null'];
  if (upload) args.push('-T', file, '-w', '\n%{speed_upload} %{size_upload} %{http_version}');
  else args.push('-w', '\n%{speed_download} %{size_download} %{http_version}');
  args.push(url);
  const { error, stdout, stderr } = await run('curl', args, 130_000);
  if (error !== null) throw new Error(`curl failed: ${stderr.trim() || error.message}`);
  const lines = stdout.trim().split('\n');
  const [speed, size, version] = lines[lines.length - 1].split(' ');
  if (Number(size) !== BIG) throw new Error(`moved ${size} bytes`);
  if (upload && !isDav && lines[0] !== String(BIG)) throw new Error(`server counted ${lines[0]} bytes`);
  if (version !== (http2 ? '2' : '1.1')) throw new Error(`spoke HTTP/${version}`);
  return Number(speed);
}

/**
 * courierTransfer moves 100 MiB over TLS with courier's own client (request(), in this process),
 * HTTP/2 or HTTP/1.1 by the agent's httpVersion, and returns bytes/s.
 */
let courierClient = null;
async function courierTransfer(url, { upload, http2, file, isDav }) {
  if (courierClient === null) {
    const { Agent, request } = await import('../dist/src/client/index.js');
    const ca = readFileSync(join(dirname(file), '..', 'cert.pem'));
    courierClient = { request, agents: { h2: new Agent({ ca, httpVersion: '2' }), h1: new Agent({ ca, httpVersion: '1.1' }) }, body: readFileSync(file) };
  }
  const { request, agents, body } = courierClient;
  const agent = http2 ? agents.h2 : agents.h1;
  const started = performance.now();
  const res = upload ? await request(url, { method: isDav ? 'PUT' : 'POST', body, agent }) : await request(url, { agent });
  let bytes = 0;
  let text = '';
  for await (const chunk of res.body) {
    bytes += chunk.length;
    if (upload) text += Buffer.from(chunk).toString();
  }
  const seconds = (performance.now() - started) / 1000;
  if (res.httpVersion !== (http2 ? '2' : '1.1')) throw new Error(`spoke HTTP/${res.httpVersion}`);
  if (res.status >= 300) throw new Error(`status ${res.status}`);
  if (!upload && bytes !== BIG) throw new Error(`received ${bytes} bytes`);
  if (upload && !isDav && text !== String(BIG)) throw new Error(`server counted ${text} bytes`);
  return BIG / seconds;
}

/** h2loadTransfer moves 100 MiB over TLS in one request of one connection and returns bytes/s. */
async function h2loadTransfer(url, { upload, http2, file, isDav }) {
  if (isDav) throw new Error('h2load uploads with POST; nginx takes uploads by PUT only');
  const args = ['-t1', '-c1', '-n1'];
  if (!http2) args.push('--h1');
  if (upload) args.push('-d', file);
  args.push(url);
  const { error, stdout, stderr } = await run('h2load', args, 130_000);
  const time = /finished in ([\d.]+)(ms|s),/.exec(stdout);
  if (time === null) throw new Error(`h2load failed: ${(error?.message ?? '') + stderr + stdout.slice(-300)}`.trim());
  if (!/1 succeeded/.test(stdout) || !/status codes: 1 2xx/.test(stdout)) throw new Error(`h2load: the transfer failed: ${stdout.slice(-300)}`);
  const data = /\((\d+)\) data/.exec(stdout);
  if (!upload && Number(data?.[1]) !== BIG) throw new Error(`h2load: received ${data?.[1]} bytes`);
  const seconds = Number(time[1]) / (time[2] === 'ms' ? 1000 : 1);
  return BIG / seconds;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** cpuMs is the CPU time (user + system, ms) the processes `pids` used so far; NaN where /proc is missing. */
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return NaN;
    }
  }
  return (ticks * 1000) / CLK_TCK;
}

/** childPids lists the children of `pid` (nginx's worker under its master). */
function childPids(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

function printTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd());
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string' },
      rounds: { type: 'string' },
      quick: { type: 'boolean', default: false },
      only: { type: 'string', default: '' },
      'no-big': { type: 'boolean', default: false },
      'no-load': { type: 'boolean', default: false },
      transfers: { type: 'string' },
    },
  });
  const seconds = Number(values.duration ?? '2');
  const rounds = Number(values.rounds ?? (values.quick ? '1' : '3'));
  const bigRuns = Number(values.transfers ?? (values.quick ? '1' : '7'));
  const only = values.only.split(',').filter((s) => s !== '');
  if (!has('h2load')) {
    console.error('bench:h2: h2load is missing (apt-get install -y nghttp2-client)');
    process.exit(1);
  }
  const hasNginx = existsSync('/usr/sbin/nginx') || has('nginx');
  if (!hasNginx) console.error('bench:h2: nginx is missing (apt-get install -y nginx-light); skipping it');
  const hasCurl = has('curl');
  if (!hasCurl) console.error('bench:h2: curl is missing; the 100 MiB transfers use h2load only');

  // Fixtures: a certificate, the 1 KiB file, the 100 MiB file.
  const base = mkdtempSync(join(tmpdir(), 'courier-bench-h2-'));
  const root = join(base, 'www');
  mkdirSync(root);
  const cert = join(base, 'cert.pem');
  const key = join(base, 'key.pem');
  spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert],
    { stdio: 'ignore' },
  );
  const page = '<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>';
  const tail = '</body></html>\n';
  writeFileSync(join(root, 'file.html'), page + 'x'.repeat(1024 - page.length - tail.length) + tail);
  const bigFile = join(root, 'big.bin');
  {
    const fd = openSync(bigFile, 'w');
    const block = Buffer.alloc(1024 * 1024, 0x5a);
    for (let i = 0; i < BIG / block.length; i++) writeSync(fd, block);
    closeSync(fd);
  }

  console.log(
    `bench:h2 — ${new Date().toISOString()} — node ${process.version}, h2load -t1 -c16, ${seconds} s per run, ` +
      `${rounds} round(s) interleaved across servers (median shown); courier h1 is h2load --h1 pipelined to the same depth`,
  );

  // Servers: every one stays up for the whole run.
  const peers = [];
  const wanted = (name) => only.length === 0 || only.includes(name);
  const children = [];
  try {
    {
      // courier always runs: it is what the others are compared with.
      const s = await forkServer('courier', root, cert, key);
      children.push(s.child);
      peers.push({ name: 'courier h2', ports: s.ports, h1: false, pids: () => [s.child.pid] });
      if (wanted('h1')) peers.push({ name: 'courier h1', ports: s.ports, h1: true });
    }
    if (wanted('node')) {
      const s = await forkServer('node', root, cert, key);
      children.push(s.child);
      peers.push({ name: 'node:http2', ports: s.ports, h1: false });
    }
    if (hasNginx && wanted('nginx')) {
      const p = 18100 + Math.floor(Math.random() * 500) * 10;
      const s = await startNginx(base, root, cert, key, p, p + 1);
      children.push(s.child);
      peers.push({ name: 'nginx', ports: s.ports, h1: false, pids: () => childPids(s.child.pid) });
    }

    const cases = [];
    for (const transport of values['no-load'] ? [] : ['tls', 'clear']) {
      for (const path of ['/hello', '/file.html']) {
        for (const streams of [10, 100]) cases.push({ transport, path, streams, key: `${transport} ${path} -m${streams}` });
      }
    }
    const url = (peer, c) => `${c.transport === 'tls' ? 'https' : 'http'}://127.0.0.1:${peer.ports[c.transport]}${c.path}`;
    const results = new Map(); // `${peer.name}|${case.key}` -> { rps: [], notes: Set }
    const slot = (peer, c) => {
      const k = `${peer.name}|${c.key}`;
      if (!results.has(k)) results.set(k, { rps: [], notes: new Set() });
      return results.get(k);
    };
    // Warm-up: one short run of each peer on each case (JIT, caches).
    for (const peer of peers) {
      for (const c of cases.filter((k) => k.streams === 10)) await h2load(url(peer, c), { streams: c.streams, seconds: 1, h1: peer.h1 }).catch(() => {});
    }
    for (let round = 0; round < rounds; round++) {
      for (const c of cases) {
        for (const peer of peers) {
          const s = slot(peer, c);
          try {
            const r = await h2load(url(peer, c), { streams: c.streams, seconds, h1: peer.h1 });
            s.rps.push(r.rps);
            if (r.note) s.notes.add(r.note);
          } catch (error) {
            s.notes.add(error instanceof Error ? error.message.split('\n')[0] : String(error));
          }
        }
      }
      console.error(`  round ${round + 1}/${rounds} done`);
    }

    // Table: one row per case, req/s per peer, then the ratios.
    const courier = peers.find((p) => p.name === 'courier h2');
    const nodePeer = peers.find((p) => p.name === 'node:http2');
    const nginxPeer = peers.find((p) => p.name === 'nginx');
    const h1Peer = peers.find((p) => p.name === 'courier h1');
    const med = (peer, c) => (peer === undefined ? NaN : median(slot(peer, c).rps));
    const header = ['case (req/s)', ...peers.map((p) => p.name), 'courier/node', 'courier/nginx', 'courier h2/h1'];
    const rows = [header];
    for (const c of cases) {
      const label = `${c.transport === 'tls' ? 'TLS' : 'h2c'} ${c.path === '/hello' ? 'hello' : '1KiB'} -m${c.streams}`;
      rows.push([
        label,
        ...peers.map((p) => fmt(med(p, c))),
        ratio(med(courier, c), med(nodePeer, c)),
        ratio(med(courier, c), med(nginxPeer, c)),
        ratio(med(courier, c), med(h1Peer, c)),
      ]);
    }
    console.log('');
    printTable(rows);
    const notes = [];
    for (const peer of peers) for (const c of cases) for (const n of slot(peer, c).notes) notes.push(`  ${peer.name} ${c.key}: ${n}`);
    if (notes.length > 0) console.log(`notes:\n${[...new Set(notes)].join('\n')}`);

    // 100 MiB down and up over TLS, HTTP/2 vs HTTP/1.1, with two clients (each has its own
    // ceiling: curl's HTTP/2 upload is slow by itself); nginx downloads show what a client allows.
    const clients = [
      hasCurl && { name: 'curl', transfer: curlTransfer },
      { name: 'h2load -n1', transfer: h2loadTransfer },
      { name: 'courier request()', transfer: courierTransfer },
    ].filter(Boolean);
    const big = new Map(); // `${client}|${server}|${direction}|${version}` -> bytes/s[]
    const bigCpu = new Map(); // same keys -> server CPU ms per transfer[]
    const bigOf = (...key) => median(big.get(key.join('|')) ?? []);
    const cpuOf = (...key) => median(bigCpu.get(key.join('|')) ?? []);
    if (!values['no-big']) {
      const servers = [courier, nginxPeer].filter((p) => p !== undefined);
      // nginx takes uploads as a WebDAV PUT (curl -T), stored to disk: a reference for what the client allows.
      const target = (server, direction) => {
        const origin = `https://127.0.0.1:${server.ports.tls}`;
        if (direction === 'down') return `${origin}/big.bin`;
        return server === courier ? `${origin}/upload` : `${origin}/dav/up.bin`;
      };
      const transfer = async (client, server, direction, version) => {
        const pids = server.pids();
        const before = cpuMs(pids);
        const speed = await client.transfer(target(server, direction), { upload: direction === 'up', http2: version === 'h2', file: bigFile, isDav: server !== courier && direction === 'up' });
        return { speed, cpu: cpuMs(pids) - before };
      };
      const plan = [];
      for (const client of clients) {
        for (const server of servers) {
          for (const direction of ['down', 'up']) {
            if (direction === 'up' && server !== courier && client.transfer === h2loadTransfer) continue;
            for (const version of ['h2', 'h1']) plan.push({ client, server, direction, version });
          }
        }
      }
      // Warm-up: one untimed transfer of each kind (JIT, page cache, TLS session).
      for (const { client, server, direction, version } of plan) await transfer(client, server, direction, version).catch(() => {});
      for (let i = 0; i < bigRuns; i++) {
        for (const { client, server, direction, version } of plan) {
          const key = [client.name, server.name, direction, version].join('|');
          try {
            const { speed, cpu } = await transfer(client, server, direction, version);
            big.set(key, [...(big.get(key) ?? []), speed]);
            bigCpu.set(key, [...(bigCpu.get(key) ?? []), cpu]);
          } catch (error) {
            console.log(`  100 MiB ${key}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
          }
        }
      }
      console.log(`\n100 MiB over TLS, one request, median of ${bigRuns} (MB/s; server CPU ms per transfer from /proc):`);
      const rows = [['transfer', 'client', 'courier h2', 'courier h1', 'h2/h1', 'CPU h2', 'CPU h1', 'nginx h2', 'nginx h1', 'nginx h2/h1', 'CPU h2', 'CPU h1']];
      for (const direction of ['down', 'up']) {
        for (const client of clients) {
          const c2 = bigOf(client.name, 'courier h2', direction, 'h2');
          const c1 = bigOf(client.name, 'courier h2', direction, 'h1');
          const n2 = bigOf(client.name, 'nginx', direction, 'h2');
          const n1 = bigOf(client.name, 'nginx', direction, 'h1');
          rows.push([
            direction === 'down' ? 'download' : 'upload',
            client.name,
            fmt(c2 / 1e6),
            fmt(c1 / 1e6),
            ratio(c2, c1),
            fmt(cpuOf(client.name, 'courier h2', direction, 'h2')),
            fmt(cpuOf(client.name, 'courier h2', direction, 'h1')),
            fmt(n2 / 1e6),
            fmt(n1 / 1e6),
            ratio(n2, n1),
            fmt(cpuOf(client.name, 'nginx', direction, 'h2')),
            fmt(cpuOf(client.name, 'nginx', direction, 'h1')),
          ]);
        }
      }
      printTable(rows);
    }

    if (courier !== undefined) {
      const tls10 = cases.filter((c) => c.transport === 'tls' && c.streams === 10);
      console.log('\nTargets (TLS, -m10):');
      for (const c of tls10) {
        const name = c.path === '/hello' ? 'hello' : '1KiB';
        console.log(`  ${name}: courier/node:http2 = ${ratio(med(courier, c), med(nodePeer, c))} (target >= 3x), courier/nginx = ${ratio(med(courier, c), med(nginxPeer, c))} (target >= 1.0x)`);
      }
      for (const client of clients) {
        const down = ratio(bigOf(client.name, 'courier h2', 'down', 'h2'), bigOf(client.name, 'courier h2', 'down', 'h1'));
        const up = ratio(bigOf(client.name, 'courier h2', 'up', 'h2'), bigOf(client.name, 'courier h2', 'up', 'h1'));
        console.log(`  100 MiB (${client.name}): h2/h1 download = ${down}, upload = ${up} (target >= 0.9x)`);
      }
    }
  } finally {
    for (const child of children) await stop(child);
    rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--serve') {
  const [kind, root, certFile, keyFile] = process.argv.slice(3);
  const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  const ports = kind === 'courier' ? await startCourier(root, tls) : await startNode(root, tls);
  process.send(ports);
} else {
  await main();
}
