// Fuzzing the server over real sockets: generated request streams (valid pipelined messages,
// then byte flips, insertions, deletions, truncation, split at random points, with or without a
// FIN) against an app that reads bodies. Every connection must end (answered and closed, or
// closed) within a bound, valid streams must be answered in full, the server must never report a
// client's bytes as its own error, and the process must not crash. `npm run fuzz` runs more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkOutcome, fuzzCase, runCase, startFuzzServer } from './fuzz-streams.js';

// A hang detector, far above the server's timeouts (at most 3 s here): not a speed measure.
const BOUND_MS = 20_000;

test('generated request streams always end in answers or a close, never a hang, crash or server error', { timeout: 120_000 }, async (t) => {
  // Timeouts longer than the fuzz run's, so a load spike on a shared machine cannot stall a
  // valid stream past them; still short enough for cases that wait for one to end.
  const { server, errors } = await startFuzzServer({ headersTimeout: 1000, bodyTimeout: 1000, keepAliveTimeout: 500, requestTimeout: 3000 });
  let connections = 0;
  let requests = 0;
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzCase, { minLength: 32, maxLength: 32 }), async (cases) => {
        const outcomes = await Promise.all(cases.map((c) => runCase(server.port, c, BOUND_MS)));
        for (const [i, c] of cases.entries()) {
          connections++;
          requests += c.messages.length;
          const problem = checkOutcome(c, outcomes[i] as Awaited<ReturnType<typeof runCase>>);
          assert.equal(problem, null, problem ?? '');
        }
        assert.deepEqual(errors, [], 'client bytes never make a server error');
      }),
      { numRuns: 10 },
    );
  } finally {
    t.diagnostic(`${connections} connections, ${requests} requests`);
    await server.close();
  }
  assert.ok(connections >= 32);
});
