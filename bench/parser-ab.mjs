// bench/parser-ab.mjs — two builds of courier's parser in one process, in alternating short
// rounds, so a machine whose load drifts slows both alike: prints each build's median msgs/s and
// the ratio B/A per case (1.00× = same speed). Use it to check that a change to src/wire costs
// nothing: build the old commit into one folder, the new one into another.
//
//   node bench/parser-ab.mjs OLD/dist NEW/dist        (ROUNDS=15 MS=300 by default; ONLY=chunked
//                                                      runs the cases whose name matches)
import { Buffer } from 'node:buffer';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cases } from './parser-cases.mjs';

const [distA, distB] = process.argv.slice(2);
if (distA === undefined || distB === undefined) {
  console.error('usage: node bench/parser-ab.mjs A/dist B/dist');
  process.exit(2);
}
const load = (dist) => import(pathToFileURL(resolve(dist, 'src/wire/index.js')).href);
const builds = { A: await load(distA), B: await load(distB) };

const ROUNDS = Number(process.env.ROUNDS ?? 15);
const MS = Number(process.env.MS ?? 300);
const ONLY = new RegExp(process.env.ONLY ?? '', 'i');

function parser(wire, kind) {
  let count = 0;
  // Reading a header, as a server does, makes the lazy fields do their work too.
  const callbacks = { onHead: (head) => head.headers.get('host'), onBody() {}, onComplete: () => count++ };
  const p = kind === 'request' ? new wire.RequestParser(callbacks) : new wire.ResponseParser(callbacks);
  return { feed: (buf) => p.execute(buf), count: () => count };
}

function measure(wire, kind, input, perBuffer) {
  const p = parser(wire, kind);
  p.feed(input);
  if (p.count() !== perBuffer) throw new Error(`parser saw ${p.count()} of ${perBuffer} messages`);
  const start = performance.now();
  const until = start + MS;
  let loops = 0;
  while ((loops & 63) !== 0 || performance.now() < until) {
    p.feed(input);
    loops++;
  }
  return (loops * perBuffer) / ((performance.now() - start) / 1000);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);

console.log(`bench:parser A/B — node ${process.version}, ${ROUNDS} alternating rounds × ${MS} ms, median msgs/s`);
console.log(`A = ${distA}\nB = ${distB}\n`);
const rows = [['case', 'A', 'B', 'B/A', 'B/A per-round median']];
for (const [name, kind, one] of cases) {
  if (!ONLY.test(name)) continue;
  for (const depth of [1, 16]) {
    const input = depth === 1 ? one : Buffer.concat(Array.from({ length: depth }, () => one));
    const a = [];
    const b = [];
    const ratios = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Alternate which build goes first, so neither always gets the warmer cache.
      const first = r % 2 === 0 ? 'A' : 'B';
      const x = measure(builds[first], kind, input, depth);
      const y = measure(builds[first === 'A' ? 'B' : 'A'], kind, input, depth);
      const [ra, rb] = first === 'A' ? [x, y] : [y, x];
      a.push(ra);
      b.push(rb);
      ratios.push(rb / ra);
    }
    rows.push([`${name}${depth > 1 ? `, pipelined ×${depth}` : ''}`, fmt(median(a)), fmt(median(b)), `${(median(b) / median(a)).toFixed(2)}×`, `${median(ratios).toFixed(2)}×`]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
