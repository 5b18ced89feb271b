// `courier echo`: the practice server. Flags in, echoHandler out, an access log, Ctrl-C to stop.
import { parseArgs } from 'node:util';
import { baseUrl } from '../http/index.js';
import { ECHO_LIMITS, echoHandler } from '../echo/handler.js';
import { createServer } from '../server/index.js';
import { rejectionLog, withAccessLog, type LogFormat } from '../server/access-log.js';
import type { Command } from './commands.js';

/** ECHO_HELP is the text of `courier echo --help`. */
export const ECHO_HELP = `courier echo: a practice server that answers with the request it received

Usage: courier echo [--port N] [--host ADDR]

Any method (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS) on any path gets back its method,
target, version, header fields and body as JSON, or the request's own text with
"Accept: text/plain". Routes to test clients with, as httpbin has them:

  /anything[/...]          the request as JSON (so is every path not below)
  /get /post /put /patch /delete   the same, 405 for another method
  /status/N                answer with status N (200-599)
  /delay/S                 answer after S seconds (at most ${ECHO_LIMITS.maxDelaySeconds})
  /redirect/N              N redirects (302) then /anything (N at most ${ECHO_LIMITS.maxRedirects})
  /bytes/N                 N random bytes (at most ${ECHO_LIMITS.maxBytes})
  /stream/N                N JSON lines, streamed (at most ${ECHO_LIMITS.maxStreamLines})
  /gzip /brotli            the request as JSON, gzip or brotli encoded
  /headers /ip /user-agent the request's header fields, address, User-Agent
  /cookies                 the cookies sent; /cookies/set?name=value and /cookies/delete?name
  /basic-auth/USER/PASS    200 with the right Basic credentials, else 401
Request bodies over ${ECHO_LIMITS.maxBodyBytes} bytes get 413.

Options:
  -p, --port <n>           port (default 8080; 0 picks a free one)
      --host <addr>        address to bind (default 127.0.0.1)
      --log <format>       access log: combined (default) | json | off
  -h, --help               print this help
`;

function fail(message: string, status: number): number {
  process.stderr.write(`courier echo: ${message}\n`);
  return status;
}

/** echoCommand runs `courier echo` until Ctrl-C; it resolves to the exit code. */
export const echoCommand: Command = async (argv) => {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        log: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return fail(`${error instanceof Error ? error.message : String(error)} (see courier echo --help)`, 2);
  }
  if (values.help === true) {
    process.stdout.write(ECHO_HELP);
    return 0;
  }
  const portText = values.port ?? '8080';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return fail(`Invalid --port "${portText}": expected 0 to 65535 (see courier echo --help)`, 2);
  const log = values.log ?? 'combined';
  if (log !== 'combined' && log !== 'json' && log !== 'off') return fail(`Invalid --log "${log}": expected combined, json or off (see courier echo --help)`, 2);
  const host = values.host ?? '127.0.0.1';
  const write = (line: string): boolean => process.stdout.write(line);
  const handler = withAccessLog(echoHandler(), log as LogFormat, write);
  const onRequestRejected = rejectionLog(log as LogFormat, write);
  const server = createServer(handler, onRequestRejected === undefined ? {} : { onRequestRejected });
  try {
    await server.listen({ port: Number(portText), hostname: host });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') return fail(`Port ${portText} on ${host} is in use (EADDRINUSE): choose another with --port`, 1);
    return fail(`Cannot listen on ${host}:${portText}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
  const origin = baseUrl('http', host, server.port);
  process.stdout.write(
    `courier echo: a practice server that answers with the request it received\n  ${origin}/\n` +
      `Try: courier get ${origin}/anything -d hello   (routes: courier echo --help)\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  return 0;
};
