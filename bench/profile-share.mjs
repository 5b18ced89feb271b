// profile-share: summarises a V8 CPU profile (node --cpu-prof) by self time: the top functions,
// and the share of each area (static handler, server engine, codec, Node's JS, native calls such
// as the socket write, and the garbage collector). Idle time is left out.
//
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/src/cli/main.js serve DIR --port 8080 --log off
//   (load it with wrk, then Ctrl-C)
//   node bench/profile-share.mjs /tmp/prof [top=25]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [target, topArg] = process.argv.slice(2);
if (target === undefined) {
  console.error('usage: node bench/profile-share.mjs <file.cpuprofile | folder> [top]');
  process.exit(2);
}
const file = statSync(target).isDirectory() ? join(target, readdirSync(target).find((f) => f.endsWith('.cpuprofile')) ?? '') : target;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const timeById = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  timeById.set(id, (timeById.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}

function areaOf(frame) {
  const url = frame.url;
  if (url.includes('/static/')) return 'handler (src/static)';
  if (url.includes('/server/')) return 'engine (src/server)';
  if (url.includes('/wire/') || url.includes('/http/')) return 'codec (src/wire, src/http)';
  if (url.startsWith('node:')) return "Node's JavaScript (streams, net, timers)";
  if (url === '' && frame.functionName === '(garbage collector)') return 'garbage collector';
  if (url === '') return `native: ${frame.functionName}`;
  return 'other JavaScript';
}

let total = 0;
const byFunction = new Map();
const byArea = new Map();
for (const [id, time] of timeById) {
  const frame = byId.get(id).callFrame;
  if (frame.functionName === '(idle)') continue;
  total += time;
  const where = frame.url.replace(/^.*\/dist\/src\//, '').replace(/^file:\/\//, '');
  const key = `${frame.functionName || '(anonymous)'} ${where}${where === '' ? '' : `:${frame.lineNumber + 1}`}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + time);
  const area = areaOf(frame);
  byArea.set(area, (byArea.get(area) ?? 0) + time);
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(`${file}: ${(total / 1e6).toFixed(2)} s of CPU samples (idle left out)\n\ntop functions by self time:`);
for (const [key, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg ?? 25))) console.log(`${pct(time)}  ${key}`);
console.log('\nby area:');
for (const [area, time] of [...byArea].sort((a, b) => b[1] - a[1])) if ((100 * time) / total >= 0.1) console.log(`${pct(time)}  ${area}`);
