// What the `courier get` test files share: the real binary run as `courier get`, and the order
// of the header names a request had.
import { MAIN, runCli, type CliOptions, type CliRun } from '../support/cli.js';
import type { Seen } from '../support/echo-server.js';

/** Run and RunOptions are the shared CLI spawner's (test/support/cli.ts). */
export type Run = CliRun;
export type RunOptions = CliOptions;
export { MAIN };

/** courier spawns `node main.js get ...args` and collects its output. */
export async function courier(args: string[], options: RunOptions = {}): Promise<Run> {
  return runCli(['get', ...args], options);
}

/** headerNames returns the raw header names of a request, lowercased, in order. */
export function headerNames(seen: Seen): string[] {
  return seen.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
}
