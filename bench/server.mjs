// Server benchmark: courier native, courier serve({ fetch }), node:http and a raw node:net
// server (fixed answer, no parsing: the ceiling for Node here), side by side, with wrk. A fifth,
// raw-codec, is raw-net plus courier's request parser: the ceiling for an engine on this codec.
// Falls back to autocannon when wrk is missing. Each server runs in its own process; loopback only.
//
//   npm run bench:server   (or: node bench/server.mjs [--duration 3] [--rounds 3] [--idle 10000])
import { execFile, fork } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const BODY = 'Hello, World!';
const KINDS = ['courier-native', 'courier-fetch', 'node-http', 'raw-net', 'raw-codec'];

// --- child: one server -------------------------------------------------------------------------
if (process.argv[2] === '--serve') {
  const kind = process.argv[3];
  const port = await startServer(kind);
  process.send({ port });
  process.on('message', (m) => {
    if (m === 'rss') process.send({ rss: process.memoryUsage().rss });
  });
} else {
  await main();
}

async function startServer(kind) {
  const limits = { keepAliveTimeout: 120_000, headersTimeout: 120_000 };
  if (kind === 'courier-native') {
    const { createServer } = await import('../dist/src/server/index.js');
    const headers = { 'Content-Type': 'text/plain' };
    const server = createServer(() => ({ status: 200, headers, body: BODY }), limits);
    await server.listen({ port: 0 });
    return server.port;
  }
  if (kind === 'courier-fetch') {
    const { serve } = await import('../dist/src/server/index.js');
    const server = await serve({ fetch: () => new Response(BODY, { headers: { 'Content-Type': 'text/plain' } }), port: 0, ...limits });
    return server.port;
  }
  if (kind === 'node-http') {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': BODY.length });
      res.end(BODY);
    });
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 120_000;
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return server.address().port;
  }
  if (kind === 'raw-net') {
    // Counts request ends ("\r\n\r\n") and answers each with the same bytes: no parsing at all.
    const response = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nDate: ${new Date().toUTCString()}\r\n\r\n${BODY}`);
    const server = net.createServer({ noDelay: true }, (socket) => {
      let tail = 0; // bytes of "\r\n\r\n" matched across reads
      socket.on('data', (chunk) => {
        let count = 0;
        for (let i = 0; i < chunk.length; i++) {
          const b = chunk[i];
          if ((tail === 0 || tail === 2) && b === 13) tail++;
          else if ((tail === 1 || tail === 3) && b === 10) tail++;
          else tail = b === 13 ? 1 : 0;
          if (tail === 4) {
            count++;
            tail = 0;
          }
        }
        if (count === 1) socket.write(response);
        else if (count > 1) socket.write(Buffer.concat(Array(count).fill(response)));
      });
      socket.on('error', () => {});
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return server.address().port;
  }
  if (kind === 'raw-codec') {
    // raw-net plus courier's RequestParser: the ceiling for any engine built on this codec.
    const { RequestParser } = await import('../dist/src/wire/index.js');
    const response = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\nDate: ${new Date().toUTCString()}\r\n\r\n${BODY}`);
    const server = net.createServer({ noDelay: true }, (socket) => {
      let count = 0;
      const parser = new RequestParser({ onHead: () => count++ });
      socket.on('data', (chunk) => {
        count = 0;
        try {
          parser.execute(chunk);
        } catch {
          socket.destroy();
          return;
        }
        if (count === 1) socket.write(response);
        else if (count > 1) socket.write(Buffer.concat(Array(count).fill(response)));
      });
      socket.on('error', () => {});
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    return server.address().port;
  }
  throw new Error(`unknown server kind "${kind}"`);
}

// --- parent ------------------------------------------------------------------------------------
function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 1 << 24 }, (error, stdout, stderr) => resolve({ error, stdout: String(stdout), stderr: String(stderr) }));
  });
}

async function hasCommand(cmd) {
  const { error } = await run('sh', ['-c', `command -v ${cmd}`]);
  return error === null;
}

function spawnServer(kind) {
  const child = fork(new URL(import.meta.url).pathname, ['--serve', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: m.port }));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code}`)));
  });
}

function rssOf(child) {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m.rss));
    child.send('rss');
  });
}

async function wrk(port, seconds, connections, script) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (script) args.push('-s', script);
  args.push(`http://127.0.0.1:${port}/`);
  const { stdout, stderr } = await run('wrk', args);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)/.exec(stdout);
  if (!rps) throw new Error(`wrk failed: ${stderr || stdout}`);
  return { rps: Number(rps[1]), note: errors ? errors[0] : '' };
}

async function autocannon(port, seconds, connections, pipelining) {
  const { default: ac } = await import('./node_modules/autocannon/autocannon.js');
  const result = await ac({ url: `http://127.0.0.1:${port}/`, connections, duration: seconds, pipelining });
  return { rps: result.requests.average, note: result.non2xx ? `non-2xx: ${result.non2xx}` : '' };
}

async function idleConnections(port, count) {
  const sockets = [];
  const request = Buffer.from('GET / HTTP/1.1\r\nHost: bench\r\n\r\n');
  let answered = 0;
  await new Promise((resolve, reject) => {
    let opened = 0;
    const openMore = () => {
      // Open in waves to stay under the listen backlog.
      const wave = Math.min(500, count - opened);
      for (let i = 0; i < wave; i++) {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('data', () => {
          if (++answered === count) resolve();
          else if (answered === opened && opened < count) openMore();
        });
        socket.on('error', reject);
        socket.write(request);
        sockets.push(socket);
      }
      opened += wave;
    };
    openMore();
  });
  return sockets;
}

function ratio(a, b) {
  return b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a';
}

async function main() {
  const { values } = parseArgs({
    options: { duration: { type: 'string', default: '3' }, rounds: { type: 'string', default: '3' }, idle: { type: 'string', default: '10000' } },
  });
  const seconds = Number(values.duration);
  const rounds = Number(values.rounds);
  const idle = Number(values.idle);
  const useWrk = await hasCommand('wrk');
  if (!useWrk) console.log('bench: wrk not found (apt-get install -y wrk); falling back to autocannon');
  const dir = mkdtempSync(join(tmpdir(), 'courier-bench-'));
  const script = join(dir, 'pipeline.lua');
  writeFileSync(
    script,
    'init = function(args)\n  local r = {}\n  for i = 1, 16 do r[i] = wrk.format(nil, "/") end\n  req = table.concat(r)\nend\nrequest = function() return req end\n',
  );
  const load = (port, pipelined) => (useWrk ? wrk(port, seconds, 64, pipelined ? script : null) : autocannon(port, seconds, 64, pipelined ? 16 : 1));

  console.log(
    `courier server benchmark — ${new Date().toISOString()} — node ${process.version}, ${useWrk ? 'wrk -t1 -c64' : 'autocannon -c64'}, ` +
      `${seconds}s per case, best of ${rounds} interleaved rounds, hello world (13 bytes)`,
  );
  // All servers stay up (idle ones cost nothing); rounds interleave them so a burst of load
  // from elsewhere on the machine does not land on one server only. The best round counts.
  const servers = {};
  for (const kind of KINDS) {
    servers[kind] = await spawnServer(kind);
    await load(servers[kind].port, false); // warm-up (JIT), not recorded
  }
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const kind of KINDS) {
      const port = servers[kind].port;
      const plain = await load(port, false);
      const piped = await load(port, true);
      const best = (results[kind] ??= { plain, piped });
      if (plain.rps > best.plain.rps) best.plain = plain;
      if (piped.rps > best.piped.rps) best.piped = piped;
    }
  }
  for (const kind of KINDS) {
    const { plain, piped } = results[kind];
    console.log(`  ${kind.padEnd(15)} keep-alive ${plain.rps.toFixed(0).padStart(8)} req/s   pipelined x16 ${piped.rps.toFixed(0).padStart(8)} req/s ${plain.note} ${piped.note}`);
    servers[kind].child.kill();
  }
  const r = (k, m) => results[k][m].rps;
  console.log('\nratios                       keep-alive  pipelined');
  for (const [label, a, b] of [
    ['native / node:http', 'courier-native', 'node-http'],
    ['native / raw ceiling', 'courier-native', 'raw-net'],
    ['native / raw+codec', 'courier-native', 'raw-codec'],
    ['raw+codec / raw', 'raw-codec', 'raw-net'],
    ['fetch / node:http', 'courier-fetch', 'node-http'],
    ['fetch / native', 'courier-fetch', 'courier-native'],
  ]) {
    console.log(`  ${label.padEnd(26)} ${ratio(r(a, 'plain'), r(b, 'plain')).padStart(10)} ${ratio(r(a, 'piped'), r(b, 'piped')).padStart(10)}`);
  }

  if (idle > 0) {
    console.log(`\nRSS with ${idle} idle keep-alive connections (target < 150 MB for courier native)`);
    for (const kind of ['courier-native', 'node-http']) {
      const { child, port } = await spawnServer(kind);
      const before = await rssOf(child);
      let sockets = [];
      try {
        sockets = await idleConnections(port, idle);
        await new Promise((res) => setTimeout(res, 500));
        const after = await rssOf(child);
        console.log(`  ${kind.padEnd(15)} ${(after / 1048576).toFixed(1)} MB (idle server ${(before / 1048576).toFixed(1)} MB)`);
      } catch (error) {
        console.log(`  ${kind.padEnd(15)} failed: ${error.message} (raise ulimit -n?)`);
      }
      for (const s of sockets) s.destroy();
      child.kill();
    }
  }
  process.exit(0);
}
