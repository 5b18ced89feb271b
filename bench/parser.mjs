// bench:parser — messages/second for courier's parser, Node's built-in llhttp and http-parser-js,
// side by side in one run, with ratios. Each case runs in interleaved rounds; the median counts.
//
//   npm run bench:parser            (ROUNDS=5 MS=1000 to change the rounds and time per round)
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import { RequestParser, ResponseParser } from '../dist/src/wire/index.js';

const require = createRequire(import.meta.url);
const { HTTPParser: LLHTTP } = require('_http_common');
const { HTTPParser: JSParser } = require('./node_modules/http-parser-js/http-parser.js');

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MS = Number(process.env.MS ?? 700);

// (a) a ~500-byte browser GET with 10 headers
const browserGet = Buffer.from(
  'GET /assets/app/main.js?v=20261123 HTTP/1.1\r\n' +
    'Host: www.example.com\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Language: en-US,en;q=0.9\r\n' +
    'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
    'Connection: keep-alive\r\n' +
    'Referer: https://www.example.com/\r\n' +
    'Cookie: session=8f2b1c9a7d; theme=dark\r\n' +
    'Sec-Fetch-Mode: no-cors\r\n' +
    'Cache-Control: no-cache\r\n\r\n',
  'latin1',
);

// (b) a POST with a 1 KiB JSON body
const json = JSON.stringify({ items: Array.from({ length: 24 }, (_, i) => ({ id: i, name: `item-${i}`, ok: true })) }).slice(0, 1024);
const jsonPost = Buffer.concat([
  Buffer.from(
    'POST /api/items HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\nAccept: application/json\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n`,
    'latin1',
  ),
  Buffer.from(json),
]);

// (c) a 64 KiB chunked response, in 16 chunks of 4 KiB
const chunk = Buffer.alloc(4096, 0x61);
const chunkedResponse = Buffer.concat([
  Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nDate: Mon, 23 Nov 2026 10:00:00 GMT\r\n\r\n', 'latin1'),
  ...Array.from({ length: 16 }, () => Buffer.concat([Buffer.from('1000\r\n'), chunk, Buffer.from('\r\n')])),
  Buffer.from('0\r\n\r\n'),
]);

function courier(kind) {
  let count = 0;
  let bytes = 0;
  const callbacks = {
    onHead() {},
    onBody(b) {
      bytes += b.length;
    },
    onComplete() {
      count++;
    },
  };
  const parser = kind === 'request' ? new RequestParser(callbacks) : new ResponseParser(callbacks);
  return { feed: (buf) => parser.execute(buf), count: () => count };
}

function llhttp(kind) {
  let count = 0;
  let bytes = 0;
  const parser = new LLHTTP();
  // Node 20: initialize(type, asyncResource, maxHeaderSize, lenientFlags, headersTimeout)
  parser.initialize(kind === 'request' ? LLHTTP.REQUEST : LLHTTP.RESPONSE, {}, 0, 0);
  parser[LLHTTP.kOnHeaders] = () => {};
  parser[LLHTTP.kOnHeadersComplete] = () => 0;
  parser[LLHTTP.kOnBody] = (b) => {
    bytes += b.length;
  };
  parser[LLHTTP.kOnMessageComplete] = () => {
    count++;
  };
  parser[LLHTTP.kOnExecute] = () => {};
  return {
    feed: (buf) => {
      const r = parser.execute(buf);
      if (r instanceof Error) throw r;
    },
    count: () => count,
  };
}

function httpParserJs(kind) {
  let count = 0;
  let bytes = 0;
  const parser = new JSParser(kind === 'request' ? JSParser.REQUEST : JSParser.RESPONSE);
  // http-parser-js counts a whole buffer that ends between messages as head bytes; lift its
  // limit so pipelined 64 KiB bodies are measured instead of rejected.
  JSParser.maxHeaderSize = 1e9;
  parser[JSParser.kOnHeaders] = () => {};
  parser[JSParser.kOnHeadersComplete] = () => 0;
  parser[JSParser.kOnBody] = (b, start, len) => {
    bytes += len;
  };
  parser[JSParser.kOnMessageComplete] = () => {
    count++;
  };
  return {
    feed: (buf) => {
      const r = parser.execute(buf);
      if (r instanceof Error) throw r;
    },
    count: () => count,
  };
}

const PARSERS = { courier, llhttp, 'http-parser-js': httpParserJs };

function measure(make, kind, input, perBuffer) {
  const p = make(kind);
  // Check the parser really parsed every message before timing it.
  p.feed(input);
  if (p.count() !== perBuffer) throw new Error(`parser saw ${p.count()} of ${perBuffer} messages`);
  const until = performance.now() + MS;
  let loops = 0;
  const start = performance.now();
  while ((loops & 63) !== 0 || performance.now() < until) {
    p.feed(input);
    loops++;
  }
  const seconds = (performance.now() - start) / 1000;
  return (loops * perBuffer) / seconds;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);

const cases = [
  ['(a) browser GET, 10 headers', 'request', browserGet],
  ['(b) POST, 1 KiB JSON body', 'request', jsonPost],
  ['(c) 64 KiB chunked response', 'response', chunkedResponse],
];

console.log(`bench:parser — node ${process.version}, ${ROUNDS} rounds × ${MS} ms, median msgs/s\n`);
const header = ['case', 'courier', 'llhttp', 'http-parser-js', 'vs llhttp', 'vs http-parser-js'];
const rows = [];
for (const [name, kind, one] of cases) {
  for (const depth of [1, 16]) {
    const input = depth === 1 ? one : Buffer.concat(Array.from({ length: depth }, () => one));
    const samples = Object.fromEntries(Object.keys(PARSERS).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [k, make] of Object.entries(PARSERS)) samples[k].push(measure(make, kind, input, depth));
    }
    const m = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, median(xs)]));
    rows.push([
      `${name}${depth > 1 ? `, pipelined ×${depth}` : ''}`,
      fmt(m.courier),
      fmt(m.llhttp),
      fmt(m['http-parser-js']),
      `${(m.courier / m.llhttp).toFixed(2)}×`,
      `${(m.courier / m['http-parser-js']).toFixed(2)}×`,
    ]);
  }
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));
