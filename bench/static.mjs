// bench:static — courier's static file server side by side with nginx (1 worker, sendfile),
// sirv-cli, http-server and python3 -m http.server, on one folder, in one run:
//   1 KiB index.html, keep-alive, 64 connections (wrk)     -> requests/s
//   100 KiB asset, keep-alive, 16 connections (wrk)         -> requests/s
//   100 MiB file downloaded with curl (median of 5)         -> bytes/s
// Runs take turns between the servers, round after round; medians are shown.
// Loopback only. Usage: node bench/static.mjs [--duration 5] [--rounds 3] [--only courier,nginx]
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync, openSync, writeSync, closeSync } from 'node:fs';
import { connect } from 'node:net';
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

function nginxConf(p) {
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
}
`,
  };
}

const servers = [
  {
    name: 'courier',
    start: (p) => spawn(process.execPath, [join(repo, 'dist/src/cli/main.js'), 'serve', root, '--port', String(p), '--log', 'off'], { stdio: 'ignore' }),
  },
  {
    name: 'nginx',
    available: tools.nginx,
    start: async (p) => {
      const { prefix, text } = nginxConf(p);
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

async function waitReady(p, child) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const socket = connect({ port: p, host: '127.0.0.1' }, () => {
        socket.write('GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      });
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

async function load(url, connections, seconds) {
  if (tools.wrk) {
    const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN);
    const errors = /Socket errors: (.*)/.exec(stdout)?.[1];
    const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1];
    const p99 = /\s99%\s+(\S+)/.exec(stdout)?.[1];
    return { rps, note: [errors && `socket errors: ${errors}`, non2xx && `non-2xx: ${non2xx}`].filter(Boolean).join('; '), p99 };
  }
  const { stdout } = await run(autocannonBin, ['-j', '-c', String(connections), '-d', String(seconds), url], { timeout: (seconds + 30) * 1000, maxBuffer: 64 * 1024 * 1024 });
  const result = JSON.parse(stdout);
  return { rps: result.requests.average, note: result.non2xx ? `non-2xx: ${result.non2xx}` : '', p99: `${result.latency.p99} ms` };
}

async function download(url) {
  const { stdout } = await run('curl', ['-sS', '-o', '/dev/null', '--max-time', '60', '-w', '%{speed_download} %{size_download}', url], { timeout: 70_000 });
  const [speed, size] = stdout.trim().split(' ').map(Number);
  if (size !== 100 * 1024 * 1024) throw new Error(`downloaded ${size} bytes`);
  return speed;
}

const results = [];
const ROUNDS = Number(option('rounds', '3'));
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)];
};

console.log(
  `bench:static — ${new Date().toISOString()} — node ${process.version}, ${tools.wrk ? 'wrk -t1' : 'autocannon'}, ` +
    `${DURATION} s per run, ${ROUNDS} rounds interleaved across servers (median shown)`,
);
// Every server runs for the whole benchmark; the runs of one case take turns between servers,
// round after round, so a slow moment of the machine does not fall on one server only.
const live = [];
for (const server of servers) {
  const p = port();
  const child = await server.start(p);
  const row = { name: server.name, port: p, child, small: [], asset: [], big: [], notes: [] };
  try {
    await waitReady(p, child);
    await load(`http://127.0.0.1:${p}/index.html`, 64, 1); // warm-up
    live.push(row);
  } catch (error) {
    row.notes.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(child);
  }
  results.push(row);
}
const cases = [
  { key: 'small', path: '/index.html', connections: 64, label: '1KiB' },
  { key: 'asset', path: '/asset.bin', connections: 16, label: '100KiB' },
];
for (let round = 0; round < ROUNDS; round++) {
  for (const c of cases) {
    for (const row of live) {
      try {
        const r = await load(`http://127.0.0.1:${row.port}${c.path}`, c.connections, DURATION);
        row[c.key].push(r.rps);
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
}
for (const row of live) await stop(row.child);
for (const row of results) {
  row.small = median(row.small);
  row.asset = median(row.asset);
  row.big = median(row.big);
  row.notes = [...new Set(row.notes)];
}
await rm(base, { recursive: true, force: true });

const nginx = results.find((r) => r.name === 'nginx');
const courier = results.find((r) => r.name === 'courier');
const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : 'n/a');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
const rows = [['server', '1 KiB req/s', 'vs nginx', '100 KiB req/s', 'vs nginx', '100 MiB MB/s', 'vs nginx', 'notes']];
for (const r of results) {
  rows.push([
    r.name,
    fmt(r.small),
    ratio(r.small, nginx?.small),
    fmt(r.asset),
    ratio(r.asset, nginx?.asset),
    fmt(r.big / 1e6),
    ratio(r.big, nginx?.big),
    r.notes.join('; '),
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => String(row[i]).length)));
for (const row of rows) console.log(row.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd());

if (courier !== undefined) {
  const sirv = results.find((r) => r.name === 'sirv-cli');
  console.log('\nTargets:');
  console.log(`  1 KiB: courier/nginx = ${ratio(courier.small, nginx?.small)} (target >= 1.0x)`);
  console.log(`  1 KiB: courier/sirv  = ${ratio(courier.small, sirv?.small)} (target >= 5x)`);
  console.log(`  100 MiB: courier/nginx = ${ratio(courier.big, nginx?.big)} (target >= 0.9x)`);
}
