// `courier get` flags: parsed into a GetConfig with node:util parseArgs. No I/O here except
// nothing: files named with @ are read later, by get.ts.
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';

export { UsageError };

/** GET_HELP is the text of `courier get --help`. */
export const GET_HELP = `courier get: make an HTTP request and print the response body

Usage: courier get URL [options]

Request:
  -X, --request METHOD     method to use (default GET, or POST with a body)
  -H, --header 'N: v'      add a request header (repeatable)
  -d, --data DATA          send DATA as a form body; @file reads a file (repeatable, joined by &)
      --json JSON          send JSON (@file reads a file); sets Content-Type and Accept
  -F, --form name=value    multipart form field; name=@path attaches a file (repeatable)
  -I, --head               send HEAD and print the response head
      --http1.0            send an HTTP/1.0 request line
      --compressed         ask for gzip, deflate or br and decode the body
  -L, --location           follow redirects (the default)
      --no-follow          do not follow redirects
      --max-redirs N       follow at most N redirects (default 20)
      --timeout SECONDS    give up on the whole exchange after SECONDS
      --connect-timeout S  give up connecting after S seconds (default 10)
  -k, --insecure           do not verify the server's TLS certificate
      --cacert FILE        trust the CA certificates in FILE (PEM)
      --proxy URL          use this HTTP proxy (default: HTTP_PROXY / HTTPS_PROXY / NO_PROXY)
      --unix-socket PATH   connect to a Unix socket instead of the URL's host

Output:
  -o, --output FILE        write the body to FILE (a progress bar shows on a terminal)
  -O, --remote-name        write the body to a file named like the URL's last segment
  -C, --continue-at N|-    resume a download at byte N, or "-" for the size of the output file
  -i, --include            print the status line and headers before the body
  -v, --verbose            print request (>) and response (<) heads on stderr
      --trace              print every byte sent and received on stderr, CR and LF escaped
      --timing             print DNS, connect, TLS, first byte and total times on stderr
  -f, --fail               exit 22 without printing the body when the status is 400 or more
  -s, --silent             no progress bar
  -h, --help               print this help

Exit codes: 0 ok, 1 other error, 2 usage, 3 bad URL, 6 DNS, 7 connect, 8 bad response,
22 HTTP error with --fail, 23 write error, 26 read error, 28 timeout, 35 TLS, 47 too many
redirects, 52 empty reply, 56 connection lost, 61 bad content encoding, 97 proxy.
`;

/** GetConfig is a parsed `courier get` command line. */
export interface GetConfig {
  url: string;
  method: string | undefined;
  headers: Array<[string, string]>;
  data: string[];
  json: string | undefined;
  form: string[];
  isHead: boolean;
  isHttp10: boolean;
  compressed: boolean;
  follow: boolean;
  maxRedirects: number;
  timeout: number | undefined;
  connectTimeout: number | undefined;
  insecure: boolean;
  cacert: string | undefined;
  proxy: string | undefined;
  unixSocket: string | undefined;
  output: string | undefined;
  remoteName: boolean;
  continueAt: string | undefined;
  include: boolean;
  verbose: boolean;
  trace: boolean;
  timing: boolean;
  fail: boolean;
  silent: boolean;
  help: boolean;
}

function seconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`Invalid ${flag} "${text}": expected a positive number of seconds`);
  return Math.round(n * 1000);
}

/** parseHeader reads one -H "Name: value" into a pair, or throws UsageError. */
export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new UsageError(`Invalid --header "${text}": expected "Name: value"`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** parseGetArgs turns argv (after `get`) into a GetConfig, or throws UsageError. */
export function parseGetArgs(argv: string[]): GetConfig {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        request: { type: 'string', short: 'X' },
        header: { type: 'string', short: 'H', multiple: true },
        data: { type: 'string', short: 'd', multiple: true },
        json: { type: 'string' },
        form: { type: 'string', short: 'F', multiple: true },
        head: { type: 'boolean', short: 'I' },
        'http1.0': { type: 'boolean' },
        compressed: { type: 'boolean' },
        location: { type: 'boolean', short: 'L' },
        'no-follow': { type: 'boolean' },
        'max-redirs': { type: 'string' },
        timeout: { type: 'string' },
        'connect-timeout': { type: 'string' },
        insecure: { type: 'boolean', short: 'k' },
        cacert: { type: 'string' },
        proxy: { type: 'string' },
        'unix-socket': { type: 'string' },
        output: { type: 'string', short: 'o' },
        'remote-name': { type: 'boolean', short: 'O' },
        'continue-at': { type: 'string', short: 'C' },
        include: { type: 'boolean', short: 'i' },
        verbose: { type: 'boolean', short: 'v' },
        trace: { type: 'boolean' },
        timing: { type: 'boolean' },
        fail: { type: 'boolean', short: 'f' },
        silent: { type: 'boolean', short: 's' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  const help = v.help === true;
  if (parsed.positionals.length > 1) throw new UsageError(`Too many arguments: ${parsed.positionals.slice(1).map((p) => `"${p}"`).join(' ')}`);
  const url = parsed.positionals[0];
  if (url === undefined && !help) throw new UsageError('Missing URL (try courier get --help)');
  let maxRedirects = 20;
  if (v['max-redirs'] !== undefined) {
    maxRedirects = Number(v['max-redirs']);
    if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new UsageError(`Invalid --max-redirs "${v['max-redirs']}": expected a whole number`);
  }
  const continueAt = v['continue-at'];
  if (continueAt !== undefined && continueAt !== '-' && !/^\d+$/.test(continueAt)) {
    throw new UsageError(`Invalid --continue-at "${continueAt}": expected a byte offset or "-"`);
  }
  const output = v.output;
  const remoteName = v['remote-name'] === true;
  if (continueAt !== undefined && output === undefined && !remoteName) throw new UsageError('--continue-at needs --output or --remote-name');
  const bodies = [v.data !== undefined, v.json !== undefined, v.form !== undefined].filter(Boolean).length;
  if (bodies > 1) throw new UsageError('Use only one of --data, --json and --form');
  return {
    url: url ?? '',
    method: v.request,
    headers: (v.header ?? []).map(parseHeader),
    data: v.data ?? [],
    json: v.json,
    form: v.form ?? [],
    isHead: v.head === true,
    isHttp10: v['http1.0'] === true,
    compressed: v.compressed === true,
    follow: v['no-follow'] !== true,
    maxRedirects,
    timeout: seconds('--timeout', v.timeout),
    connectTimeout: seconds('--connect-timeout', v['connect-timeout']),
    insecure: v.insecure === true,
    cacert: v.cacert,
    proxy: v.proxy,
    unixSocket: v['unix-socket'],
    output,
    remoteName,
    continueAt,
    include: v.include === true,
    verbose: v.verbose === true,
    trace: v.trace === true,
    timing: v.timing === true,
    fail: v.fail === true,
    silent: v.silent === true,
    help,
  };
}
