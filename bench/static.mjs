// bench:static — courier's static file server side by side with nginx (1 worker, sendfile,
// open_file_cache on), sirv-cli, http-server and python3 -m http.server, on one folder, in one run:
//   1 KiB index.html, keep-alive, 64 connections (wrk's one-header requests) -> requests/s
//   1 KiB image with ~650 bytes of browser-like request headers, 64 connections -> requests/s
//   100 KiB asset, keep-alive, 16 connections (wrk)                          -> requests/s
//   HTTPS 1 KiB, 64 connections (courier and nginx ssl, both TLS 1.3)         -> requests/s
//   100 MiB file downloaded with curl (median of 5)                           -> bytes/s
//   4 concurrent 100 MiB downloads (courier and nginx)                        -> bytes/s
// and the server's CPU time for each (per request, per 100 MiB served): the on-CPU time of every
// thread of the server's processes, read from /proc before and after a run (schedstat, or
// utime + stime from /proc/PID/stat where schedstat is missing).
// Runs take turns between the servers, round after round; medians are shown.
// Loopback only. Usage: node bench/static.mjs [--duration 5] [--rounds 3] [--only courier,nginx]
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, openSync, readFileSync, readdirSync, writeSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const DURATION = Number(option('duration', '5'));
const ONLY = option('only', '')
  .split(',')
  .filter((s) => s !== '');

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const tools = { wrk: has('wrk'), nginx: existsSync('/usr/sbin/nginx') || has('nginx'), curl: has('curl'), python3: has('python3') };
const autocannonBin = join(here, 'node_modules', '.bin', 'autocannon');
if (!tools.wrk) console.error(`bench: wrk is missing (apt-get install -y wrk)${existsSync(autocannonBin) ? '; using autocannon instead' : ''}`);
if (!tools.nginx) console.error('bench: nginx is missing (apt-get install -y nginx-light); skipping it');
if (!tools.curl) console.error('bench: curl is missing (apt-get install -y curl); skipping the 100 MiB downloads');
if (!tools.python3) console.error('bench: python3 is missing; skipping python3 -m http.server');

// The fixture folder.
const base = await mkdtemp(join(tmpdir(), 'courier-bench-static-'));
const root = join(base, 'www');
await mkdir(root);
const page = `<!doctype html><html><head><meta charset="utf-8"><title>bench</title></head><body>`;
const tail = `</body></html>\n`;
await writeFile(join(root, 'index.html'), page + 'x'.repeat(1024 - page.length - tail.length) + tail);
// A 1 KiB image (not compressible: every server sends the same bytes, whatever Accept-Encoding says).
const image = Buffer.alloc(1024);
for (let i = 0; i < image.length; i++) image[i] = (i * 13 + 7) & 0xff;
await writeFile(join(root, 'image.png'), image);
const asset = Buffer.alloc(100 * 1024);
for (let i = 0; i < asset.length; i++) asset[i] = (i * 31) & 0xff;
await writeFile(join(root, 'asset.bin'), asset);
{
  // 100 MiB written in 1 MiB blocks, not held in memory.
  const fd = openSync(join(root, 'big.bin'), 'w');
  const block = Buffer.alloc(1024 * 1024, 0x5a);
  for (let i = 0; i < 100; i++) writeSync(fd, block);
  closeSync(fd);
}

let nextPort = 18100 + Math.floor(Math.random() * 500) * 10;
const port = () => nextPort++;

// A certificate for the HTTPS runs (courier and nginx serve the same one).
const certFile = join(base, 'cert.pem');
const keyFile = join(base, 'key.pem');
const hasCert =
  spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' }).status === 0;
if (!hasCert) console.error('bench: openssl is missing; skipping the HTTPS runs');

function nginxConf(p, tlsPort) {
  const prefix = join(base, `nginx-${p}`);
  return {
    prefix,
    text: `worker_processes 1;
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
  open_file_cache max=1000 inactive=20s;
  keepalive_requests 1000000;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${p};
    root ${root};
  }
${
  tlsPort === undefined
    ? ''
    : `  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${certFile};
    ssl_certificate_key ${keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${root};
  }
`
}}
`,
  };
}

const servers = [
  {
    name: 'courier',
    start: (p) => spawn(process.execPath, [join(repo, 'dist/src/cli/main.js'), 'serve', root, '--port', String(p), '--log', 'off'], { stdio: 'ignore' }),
    startTls: (p) =>
      spawn(process.execPath, [join(repo, 'dist/src/cli/main.js'), 'serve', root, '--port', String(p), '--log', 'off', '--tls-cert', certFile, '--tls-key', keyFile], { stdio: 'ignore' }),
    isMain: true,
  },
  {
    name: 'nginx',
    available: tools.nginx,
    isMain: true,
    // One nginx serves both: the TLS port is the next one.
    start: async (p) => {
      const { prefix, text } = nginxConf(p, hasCert ? p + 1 : undefined);
      await mkdir(prefix, { recursive: true });
      await writeFile(join(prefix, 'nginx.conf'), text);
      return spawn('nginx', ['-p', prefix, '-c', join(prefix, 'nginx.conf')], { stdio: 'ignore' });
    },
  },
  {
    name: 'sirv-cli',
    available: existsSync(join(here, 'node_modules/.bin/sirv')),
    start: (p) => spawn(join(here, 'node_modules/.bin/sirv'), [root, '--port', String(p), '--host', '127.0.0.1', '--quiet', '--etag'], { stdio: 'ignore' }),
  },
  {
    name: 'http-server',
    available: existsSync(join(here, 'node_modules/.bin/http-server')),
    start: (p) => spawn(join(here, 'node_modules/.bin/http-server'), [root, '-p', String(p), '-a', '127.0.0.1', '-s'], { stdio: 'ignore' }),
  },
  {
    name: 'python http.server',
    available: tools.python3,
    start: (p) => spawn('python3', ['-m', 'http.server', String(p), '--bind', '127.0.0.1', '--directory', root], { stdio: 'ignore' }),
  },
].filter((s) => s.available !== false && (ONLY.length === 0 || ONLY.includes(s.name.split(' ')[0])));

async function waitReady(p, child, isTls = false) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const request = () => socket.write('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      const socket = isTls
        ? tlsConnect({ port: p, host: '127.0.0.1', rejectUnauthorized: false }, request)
        : connect({ port: p, host: '127.0.0.1' }, request);
      const done = (value) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(value);
      };
      const timer = setTimeout(() => done(false), 1000);
      let data = '';
      socket.on('data', (d) => {
        data += d;
        if (data.includes('\r\n')) done(/^HTTP\/1\.[01] 200/.test(data));
      });
      socket.on('close', () => done(false));
      socket.on('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('not ready within 15 s');
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// --- server CPU time --------------------------------------------------------------------------

function childrenOf(pid) {
  const out = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text !== '') for (const child of text.split(/\s+/)) out.push(Number(child), ...childrenOf(Number(child)));
    }
  } catch {
    // gone, or no /proc
  }
  return out;
}

const TICK_NS = 1e9 / 100; // USER_HZ: /proc/PID/stat counts in 1/100 s

// cpuNs is the on-CPU time (ns) of a process tree: every thread's schedstat when the kernel has it
// (nanoseconds), else utime + stime from /proc/PID/stat (1/100 s). NaN without /proc.
function cpuNs(pid) {
  let total = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    try {
      let viaSchedstat = 0;
      for (const task of readdirSync(`/proc/${p}/task`)) {
        viaSchedstat += Number(readFileSync(`/proc/${p}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      }
      total += viaSchedstat;
    } catch {
      try {
        const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        total += (Number(fields[11]) + Number(fields[12])) * TICK_NS; // utime, stime
      } catch {
        return NaN;
      }
    }
  }
  return total;
}

// --- load ---------------------------------------------------------------------------------------

// About 650 bytes of header fields a browser sends for an image (wrk adds Host).
const BROWSER_HEADERS = [
  'Connection: keep-alive',
  'sec-ch-ua: "Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
  'sec-ch-ua-mobile: ?0',
  'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'sec-ch-ua-platform: "Linux"',
  'Accept: image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8',
  'Sec-Fetch-Site: same-origin',
  'Sec-Fetch-Mode: no-cors',
  'Sec-Fetch-Dest: image',
  'Referer: http://127.0.0.1/index.html',
  'Accept-Encoding: gzip, deflate, br, zstd',
  'Accept-Language: en-US,en;q=0.9,de;q=0.8',
  'Cookie: session=5f2b8c1e9a7d4e3f8b6a2c1d0e9f8a7b; theme=dark; _ga=GA1.1.1234567890.1700000000; _gid=GA1.1.987654321.1700000000',
];
const browserBytes = BROWSER_HEADERS.reduce((n, line) => n + line.length + 2, 0) + 'Host: 127.0.0.1:18100\r\n'.length;

async function load(url, connections, seconds, pid, headers = []) {
  const before = cpuNs(pid);
  let result;
  if (tools.wrk) {
    const extra = headers.flatMap((line) => ['-H', line]);
    const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', ...extra, url], { timeout: (seconds + 30) * 1000 });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
    const errors = /Socket errors: (.*)/.exec(stdout)?.[1];
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1];
    result = { rps, requests, note: [errors && `socket errors: ${errors}`, non2xx && `non-2xx: ${non2xx}`].filter(Boolean).join('; ') };
  } else {
    const extra = headers.flatMap((line) => ['-H', line]);
    const { stdout } = await run(autocannonBin, ['-j', '-c', String(connections), '-d', String(seconds), ...extra, url], { timeout: (seconds + 30) * 1000, maxBuffer: 64 * 1024 * 1024 });
    const parsed = JSON.parse(stdout);
    result = { rps: parsed.requests.average, requests: parsed.requests.total, note: parsed.non2xx ? `non-2xx: ${parsed.non2xx}` : '' };
  }
  const cpu = cpuNs(pid) - before;
  return { ...result, cpuPerRequestUs: cpu / 1000 / result.requests };
}

async function download(url) {
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '--max-time', '60', '-w', '%{speed_download} %{size_download}', url], { timeout: 70_000 });
  const [speed, size] = stdout.trim().split(' ').map(Number);
  if (size !== 100 * 1024 * 1024) throw new Error(`downloaded ${size} bytes`);
  return speed;
}

// Four downloads at once: total bytes over the wall time, and server CPU per 100 MiB served.
async function downloads4(url, pid) {
  const before = cpuNs(pid);
  const start = process.hrtime.bigint();
  await Promise.all([0, 1, 2, 3].map(() => download(url)));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = cpuNs(pid) - before;
  return { bytesPerSecond: (4 * 100 * 1024 * 1024) / seconds, cpuPer100MiBMs: cpu / 1e6 / 4 };
}

const results = [];
const ROUNDS = Number(option('rounds', '3'));
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
};

console.log(
  `bench:static — ${new Date().toISOString()} — node ${process.version}, ${tools.wrk ? 'wrk -t1' : 'autocannon'}, ` +
    `${DURATION} s per run, ${ROUNDS} rounds interleaved across servers (median shown); browser-like headers: ${browserBytes} bytes`,
);
// Every server runs for the whole benchmark; the runs of one case take turns between servers,
// round after round, so a slow moment of the machine does not fall on one server only.
const CASES = [
  { key: 'small', path: '/index.html', connections: 64, label: '1KiB' },
  { key: 'browser', path: '/image.png', connections: 64, label: '1KiB+hdrs', headers: BROWSER_HEADERS },
  { key: 'asset', path: '/asset.bin', connections: 16, label: '100KiB' },
  { key: 'tls', path: '/index.html', connections: 64, label: 'HTTPS 1KiB', isTls: true },
];
const live = [];
for (const server of servers) {
  const p = port();
  const tlsPort = port();
  const row = { name: server.name, port: p, tlsPort: null, child: null, tlsChild: null, big: [], big4: [], cpu4: [], notes: [] };
  for (const c of CASES) {
    row[c.key] = [];
    row[`${c.key}Cpu`] = [];
  }
  try {
    row.child = await server.start(p);
    await waitReady(p, row.child);
    await load(`http://127.0.0.1:${p}/index.html`, 64, 1, row.child.pid); // warm-up
    if (hasCert && server.name === 'nginx') {
      await waitReady(p + 1, row.child, true);
      row.tlsPort = p + 1;
    } else if (hasCert && server.startTls !== undefined) {
      row.tlsChild = await server.startTls(tlsPort);
      await waitReady(tlsPort, row.tlsChild, true);
      row.tlsPort = tlsPort;
    }
    if (row.tlsPort !== null) await load(`https://127.0.0.1:${row.tlsPort}/index.html`, 64, 1, (row.tlsChild ?? row.child).pid);
    live.push(row);
  } catch (error) {
    row.notes.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
    if (row.child !== null) await stop(row.child);
    if (row.tlsChild !== null) await stop(row.tlsChild);
  }
  results.push(row);
}
for (let round = 0; round < ROUNDS; round++) {
  for (const c of CASES) {
    for (const row of live) {
      if (c.isTls && row.tlsPort === null) continue;
      try {
        const url = c.isTls ? `https://127.0.0.1:${row.tlsPort}${c.path}` : `http://127.0.0.1:${row.port}${c.path}`;
        const r = await load(url, c.connections, DURATION, (c.isTls ? (row.tlsChild ?? row.child) : row.child).pid, c.headers);
        row[c.key].push(r.rps);
        row[`${c.key}Cpu`].push(r.cpuPerRequestUs);
        if (r.note) row.notes.push(`${c.label} ${r.note}`);
      } catch (error) {
        row.notes.push(`${c.label} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  console.error(`  round ${round + 1}/${ROUNDS} done`);
}
if (tools.curl) {
  for (let i = 0; i < 5; i++) {
    for (const row of live) {
      try {
        row.big.push(await download(`http://127.0.0.1:${row.port}/big.bin`));
      } catch (error) {
        row.notes.push(`100MiB failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const row of live.filter((r) => servers.find((s) => s.name === r.name)?.isMain)) {
      try {
        const r = await downloads4(`http://127.0.0.1:${row.port}/big.bin`, row.child.pid);
        row.big4.push(r.bytesPerSecond);
        row.cpu4.push(r.cpuPer100MiBMs);
      } catch (error) {
        row.notes.push(`4x100MiB failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
for (const row of live) {
  await stop(row.child);
  if (row.tlsChild !== null) await stop(row.tlsChild);
}
for (const row of results) {
  for (const key of Object.keys(row)) if (Array.isArray(row[key]) && key !== 'notes') row[key] = median(row[key]);
  row.notes = [...new Set(row.notes)];
}
await rm(base, { recursive: true, force: true });

const nginx = results.find((r) => r.name === 'nginx');
const courier = results.find((r) => r.name === 'courier');
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
const table = (rows) => {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
  for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd());
};
console.log('\nRequests per second (vs nginx), and server CPU per request in µs:');
const rows = [['server', ...CASES.flatMap((c) => [`${c.label} req/s`, 'vs nginx', 'µs/req'])]];
for (const r of results) rows.push([r.name, ...CASES.flatMap((c) => [fmt(r[c.key]), ratio(r[c.key], nginx?.[c.key]), fmt(r[`${c.key}Cpu`], 1)])]);
table(rows);
console.log('\nBig files: one 100 MiB download (curl, median of 5), and 4 at once (MB/s total; server CPU ms per 100 MiB):');
const bigRows = [['server', '100 MiB MB/s', 'vs nginx', '4x100 MiB MB/s', 'vs nginx', 'CPU ms/100 MiB', 'vs nginx', 'notes']];
for (const r of results) {
  bigRows.push([r.name, fmt(r.big / 1e6), ratio(r.big, nginx?.big), fmt(r.big4 / 1e6), ratio(r.big4, nginx?.big4), fmt(r.cpu4, 1), ratio(r.cpu4, nginx?.cpu4), r.notes.join('; ')]);
}
table(bigRows);

if (courier !== undefined) {
  const sirv = results.find((r) => r.name === 'sirv-cli');
  console.log('\nTargets (issue 13):');
  console.log(`  1 KiB: courier/nginx = ${ratio(courier.small, nginx?.small)} (target >= 1.0x); CPU per request ${ratio(courier.smallCpu, nginx?.smallCpu)} of nginx's (target <= 1.1x)`);
  console.log(`  1 KiB, browser headers: courier/nginx = ${ratio(courier.browser, nginx?.browser)}; CPU per request ${ratio(courier.browserCpu, nginx?.browserCpu)} of nginx's`);
  console.log(`  1 KiB: courier/sirv  = ${ratio(courier.small, sirv?.small)} (target >= 5x)`);
  console.log(`  100 KiB: courier/nginx = ${ratio(courier.asset, nginx?.asset)} (target >= 0.9x)`);
  console.log(`  HTTPS 1 KiB: courier/nginx = ${ratio(courier.tls, nginx?.tls)} (target >= 0.8x)`);
  console.log(`  100 MiB: courier/nginx = ${ratio(courier.big, nginx?.big)} (target >= 0.9x)`);
  console.log(`  4 x 100 MiB: courier/nginx = ${ratio(courier.big4, nginx?.big4)} MB/s (target >= 0.95x); CPU per 100 MiB ${ratio(courier.cpu4, nginx?.cpu4)} of nginx's (target <= 2x)`);
}
