#!/usr/bin/env node
import { version } from './version.js';

const HELP = `courier: HTTP from the socket up

Usage:
  courier serve [dir] [options]   serve a folder over HTTP (see courier serve --help)
  courier get URL [options]       make a request, like curl (see courier get --help)
  courier raw HOST:PORT 'REQUEST' send bytes over a socket, show every byte back (see courier raw --help)
  courier echo [--port N]         a practice server that answers with your request (see courier echo --help)
  courier render URL [options]    load a page in headless Chromium (see courier render --help)
  courier --version, -v           print the version
  courier --help                  print this help
`;

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (first === '--version' || first === '-V' || first === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const { COMMANDS } = await import('./commands.js');
  const load = COMMANDS[first];
  if (load === undefined) {
    const { nearest } = await import('./suggest.js');
    const guess = nearest(first, Object.keys(COMMANDS));
    process.stderr.write(`courier: unknown command "${first}"${guess === undefined ? '' : `, did you mean "${guess}"?`} (try courier --help)\n`);
    return 2;
  }
  const command = await load();
  return command(rest);
}

let isSettled = false;

// Node exits 0 when nothing is left to wait for, even while a command still awaits a promise that
// can no longer settle (a stalled body once ended `courier get` that way, with truncated output):
// that is a failure, never a success.
process.on('beforeExit', () => {
  if (isSettled) return;
  isSettled = true;
  process.stderr.write('courier: stopped before the command finished: nothing was left to wait for (a bug in courier, please report it)\n');
  process.exitCode = 1;
});

main(process.argv.slice(2)).then(
  (code) => {
    isSettled = true;
    process.exitCode = code;
  },
  (error: unknown) => {
    isSettled = true;
    process.stderr.write(`courier: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
