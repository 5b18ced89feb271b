// bench:parser — messages/second for courier's parser, Node's built-in llhttp and http-parser-js,
// side by side in one run, with ratios. Each case runs in interleaved rounds; the median counts.
//
//   npm run bench:parser            (ROUNDS=5 MS=1000 to change the rounds and time per round)
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import { RequestParser, ResponseParser } from '../dist/src/wire/index.js';
import { cases } from './parser-cases.mjs';

const require = createRequire(import.meta.url);
const { HTTPParser: LLHTTP } = require('_http_common');
const { HTTPParser: JSParser } = require('./node_modules/http-parser-js/http-parser.js');

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const MS = Number(process.env.MS ?? 700);

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
