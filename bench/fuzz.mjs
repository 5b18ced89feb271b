// Fuzz run: the generated request streams of test/server/fuzz-streams.ts (valid pipelined
// messages, byte flips, insertions, deletions, truncation, random splits, with or without a FIN)
// sent over many concurrent connections to a real createServer app on 127.0.0.1 that reads bodies,
// until `--requests` requests went out. Every connection must end (answered and closed, or closed)
// within the bound, valid streams must be answered in full, the server must report no error of
// its own, and the process must not crash. The first failures are printed with their bytes.
//
//   npm run fuzz   (or: node bench/fuzz.mjs [--requests 200000] [--concurrency 256] [--seed N])
import fc from 'fast-check';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '256' },
    seed: { type: 'string', default: String(Date.now() % 2 ** 31) },
    bound: { type: 'string', default: '30000' },
  },
});
const TARGET = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const SEED = Number(values.seed);
const BOUND_MS = Number(values.bound);

const { checkOutcome, fuzzCase, runCase, startFuzzServer, streamOf } = await import('../dist/test/server/fuzz-streams.js');
const { server, errors } = await startFuzzServer();

let requests = 0;
let connections = 0;
let mutated = 0;
let failures = 0;
const shown = [];
const started = Date.now();
let batch = 0;
let queue = [];

// Cases come from fast-check in seeded batches, so a failure is reproducible from the seed and
// its batch number.
function nextCase() {
  if (queue.length === 0) queue = fc.sample(fuzzCase, { numRuns: 1000, seed: SEED + batch++ });
  return queue.pop();
}

async function worker() {
  while (requests < TARGET) {
    const c = nextCase();
    requests += c.messages.length;
    connections++;
    if (c.mutations.length > 0) mutated++;
    const outcome = await runCase(server.port, c, BOUND_MS);
    const problem = checkOutcome(c, outcome);
    if (problem !== null) {
      failures++;
      if (shown.length < 10) {
        shown.push(problem);
        console.log(`FAILURE (seed ${SEED}, batch ${batch - 1}): ${problem}`);
        console.log(`  sent ${JSON.stringify(streamOf(c).toString('latin1'))} fin=${c.sendsFin} splits=${JSON.stringify(c.splits)}`);
        console.log(`  got  ${JSON.stringify(outcome.bytes.toString('latin1').slice(0, 500))}`);
      }
    }
  }
}

const progress = setInterval(() => {
  const s = (Date.now() - started) / 1000;
  console.log(`  ${s.toFixed(0)} s: ${requests} requests on ${connections} connections, ${failures} failures`);
}, 10_000);
console.log(`fuzz: ${TARGET} requests, ${CONCURRENCY} connections at a time, seed ${SEED}, node ${process.version}`);
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
clearInterval(progress);
const seconds = (Date.now() - started) / 1000;
await server.close();
console.log(
  `\nfuzz: ${requests} requests on ${connections} connections (${mutated} mutated streams) in ${seconds.toFixed(1)} s: ` +
    `${failures} failures, ${errors.length} server errors, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);
for (const error of errors.slice(0, 5)) console.log(`  server error: ${error instanceof Error ? error.stack : String(error)}`);
process.exitCode = failures === 0 && errors.length === 0 ? 0 : 1;
