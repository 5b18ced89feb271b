// `courier get` flags: parsed into a GetConfig with node:util parseArgs. No I/O here: files
// named with @ are read later, by get-body.ts and get.ts.
import { parseArgs } from 'node:util';
import { GET_HELP } from './get-help.js';
import { nearest } from './suggest.js';
import { UsageError } from './usage.js';

export { UsageError };

export { GET_HELP };

/** DataPart is one -d, --data-binary, --data-raw or --data-urlencode argument, in command-line order. */
export interface DataPart {
  kind: 'data' | 'data-binary' | 'data-raw' | 'data-urlencode';
  text: string;
}

/** GetConfig is a parsed `courier get` command line. */
export interface GetConfig {
  url: string;
  method: string | undefined;
  /** headers are the -H headers to send ('Name: value' and 'Name;'), in order. */
  headers: Array<[string, string]>;
  /** removed lists (lowercase) the headers given as 'Name:', which are not sent at all. */
  removed: string[];
  userAgent: string | undefined;
  referer: string | undefined;
  user: string | undefined;
  cookies: string[];
  cookieJar: string | undefined;
  range: string | undefined;
  isGet: boolean;
  data: DataPart[];
  json: string[];
  form: string[];
  uploadFile: string | undefined;
  isHead: boolean;
  isHttp10: boolean;
  /** httpVersion is what --http1.1 ('1.1') or --http2-prior-knowledge ('2') ask for; --http2 is the default on https. */
  httpVersion: '1.1' | '2' | undefined;
  requestTarget: string | undefined;
  compressed: boolean;
  follow: boolean;
  maxRedirects: number;
  timeout: number | undefined;
  connectTimeout: number | undefined;
  retry: number;
  retryConnRefused: boolean;
  insecure: boolean;
  cacert: string | undefined;
  proxy: string | undefined;
  unixSocket: string | undefined;
  family: 4 | 6 | undefined;
  resolve: Array<{ host: string; port: number; address: string }>;
  lenient: boolean;
  output: string | undefined;
  remoteName: boolean;
  continueAt: string | undefined;
  include: boolean;
  dumpHeader: string | undefined;
  writeOut: string | undefined;
  verbose: boolean;
  trace: boolean;
  timing: boolean;
  fail: boolean;
  failWithBody: boolean;
  silent: boolean;
  showError: boolean;
  help: boolean;
  version: boolean;
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

/** OPTIONS are the flags `courier get` knows, for parseArgs. */
const OPTIONS = {
  request: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  'user-agent': { type: 'string', short: 'A' },
  referer: { type: 'string', short: 'e' },
  user: { type: 'string', short: 'u' },
  cookie: { type: 'string', short: 'b', multiple: true },
  'cookie-jar': { type: 'string', short: 'c' },
  range: { type: 'string', short: 'r' },
  get: { type: 'boolean', short: 'G' },
  url: { type: 'string' },
  data: { type: 'string', short: 'd', multiple: true },
  'data-ascii': { type: 'string', multiple: true },
  'data-binary': { type: 'string', multiple: true },
  'data-raw': { type: 'string', multiple: true },
  'data-urlencode': { type: 'string', multiple: true },
  json: { type: 'string', multiple: true },
  form: { type: 'string', short: 'F', multiple: true },
  'upload-file': { type: 'string', short: 'T' },
  head: { type: 'boolean', short: 'I' },
  'http1.0': { type: 'boolean' },
  'http1.1': { type: 'boolean' },
  http2: { type: 'boolean' },
  'http2-prior-knowledge': { type: 'boolean' },
  'request-target': { type: 'string' },
  compressed: { type: 'boolean' },
  location: { type: 'boolean', short: 'L' },
  'no-follow': { type: 'boolean' },
  'max-redirs': { type: 'string' },
  timeout: { type: 'string' },
  'max-time': { type: 'string', short: 'm' },
  'connect-timeout': { type: 'string' },
  retry: { type: 'string' },
  'retry-connrefused': { type: 'boolean' },
  insecure: { type: 'boolean', short: 'k' },
  cacert: { type: 'string' },
  proxy: { type: 'string', short: 'x' },
  'unix-socket': { type: 'string' },
  ipv4: { type: 'boolean', short: '4' },
  ipv6: { type: 'boolean', short: '6' },
  resolve: { type: 'string', multiple: true },
  lenient: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'remote-name': { type: 'boolean', short: 'O' },
  'continue-at': { type: 'string', short: 'C' },
  include: { type: 'boolean', short: 'i' },
  'dump-header': { type: 'string', short: 'D' },
  'write-out': { type: 'string', short: 'w' },
  verbose: { type: 'boolean', short: 'v' },
  trace: { type: 'boolean' },
  timing: { type: 'boolean' },
  fail: { type: 'boolean', short: 'f' },
  'fail-with-body': { type: 'boolean' },
  silent: { type: 'boolean', short: 's' },
  'show-error': { type: 'boolean', short: 'S' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} satisfies Record<string, OptionSpec>;

const SPECS: Record<string, OptionSpec> = OPTIONS;
const LONG_NAMES = Object.keys(SPECS).map((name) => `--${name}`);
const SHORT_TAKES_VALUE = new Set(Object.values(SPECS).filter((s) => s.type === 'string' && s.short !== undefined).map((s) => s.short as string));
const SHORT_KNOWN = new Set(Object.values(SPECS).flatMap((s) => (s.short === undefined ? [] : [s.short])));

/**
 * attachValues glues each value to its option (`-r -500` becomes `-r=-500`-like), so values that
 * start with a dash, as curl allows (`-r -500`, `-C -`, `-d -x`), are not taken for options.
 */
function attachValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--') && !arg.includes('=') && SPECS[arg.slice(2)]?.type === 'string' && next !== undefined) {
      out.push(`${arg}=${next}`);
      i++;
      continue;
    }
    if (/^-[^-]/.test(arg) && next !== undefined) {
      // A group like -sSo: the first option that takes a value takes the rest or the next arg.
      let j = 1;
      while (j < arg.length && SHORT_KNOWN.has(arg[j] as string) && !SHORT_TAKES_VALUE.has(arg[j] as string)) j++;
      if (j === arg.length - 1 && SHORT_TAKES_VALUE.has(arg[j] as string)) {
        out.push(`${arg}${next}`);
        i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

/** unknownOption words the parse error for an unknown flag, with the nearest known one. */
function unknownOption(flag: string): UsageError {
  let suggestion: string | undefined;
  if (flag.startsWith('--')) suggestion = nearest(flag, LONG_NAMES);
  const hint = suggestion === undefined ? '' : `, did you mean ${suggestion}?`;
  return new UsageError(`unknown option ${flag}${hint} (see courier get --help)`);
}

function seconds(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`Invalid ${flag} "${text}": expected a positive number of seconds`);
  return Math.round(n * 1000);
}

function wholeNumber(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`Invalid ${flag} "${text}": expected a whole number`);
  return n;
}

/**
 * parseHeader reads one -H with curl's rules: "Name: value" is sent (replacing a header courier
 * would add), "Name:" removes the header (value null), "Name;" sends it with an empty value.
 */
export function parseHeader(text: string): [string, string | null] {
  const colon = text.indexOf(':');
  if (colon === -1 && text.endsWith(';') && text.length > 1) return [text.slice(0, -1).trim(), ''];
  if (colon <= 0) throw new UsageError(`Invalid --header "${text}": expected "Name: value", "Name:" to remove or "Name;" for empty`);
  const value = text.slice(colon + 1).trim();
  return [text.slice(0, colon).trim(), value === '' ? null : value];
}

/**
 * parseResolve reads one --resolve "host:port:address" (curl's form; an IPv6 address may be in
 * brackets).
 */
export function parseResolve(text: string): { host: string; port: number; address: string } {
  const match = /^([^:]+):(\d{1,5}):\[?([0-9A-Fa-f:.]+)\]?$/.exec(text);
  if (match === null) throw new UsageError(`Invalid --resolve "${text}": expected host:port:address`);
  return { host: (match[1] as string).toLowerCase(), port: Number(match[2]), address: match[3] as string };
}

/**
 * normalizeUrl applies HTTPie's shorthands: ":8000/path" is http://localhost:8000/path, ":/path"
 * is http://localhost/path, and a URL without a scheme gets http://.
 */
export function normalizeUrl(text: string): string {
  if (text.startsWith(':')) {
    const rest = /^:(\d*)(.*)$/.exec(text) as RegExpExecArray;
    const port = rest[1] === '' ? '' : `:${rest[1]}`;
    const path = (rest[2] as string) === '' ? '/' : (rest[2] as string);
    return `http://localhost${port}${path.startsWith('/') ? path : `/${path}`}`;
  }
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
}

/** parseGetArgs turns argv (after `get`) into a GetConfig, or throws UsageError. */
export function parseGetArgs(argv: string[]): GetConfig {
  let parsed;
  try {
    parsed = parseArgs({ args: attachValues(argv), allowPositionals: true, strict: true, tokens: true, options: OPTIONS });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && typeof e.message === 'string') {
      const flag = /'([^']+)'/.exec(e.message)?.[1];
      if (flag !== undefined) throw unknownOption(flag);
    }
    throw new UsageError(typeof e.message === 'string' ? e.message.split('\n')[0] as string : String(error));
  }
  const v = parsed.values;
  const help = v.help === true;
  const version = v.version === true;
  const positionals = [...parsed.positionals];
  if (v.url !== undefined) positionals.unshift(v.url);
  if (positionals.length > 1) throw new UsageError(`Too many arguments: ${positionals.slice(1).map((p) => `"${p}"`).join(' ')}`);
  const url = positionals[0];
  if (url === undefined && !help && !version) throw new UsageError('Missing URL (see courier get --help)');
  const continueAt = v['continue-at'];
  if (continueAt !== undefined && continueAt !== '-' && !/^\d+$/.test(continueAt)) {
    throw new UsageError(`Invalid --continue-at "${continueAt}": expected a byte offset or "-"`);
  }
  const output = v.output === '-' ? undefined : v.output;
  const remoteName = v['remote-name'] === true;
  if (continueAt !== undefined && output === undefined && !remoteName) throw new UsageError('--continue-at needs --output FILE or --remote-name');
  const data: DataPart[] = [];
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || token.value === undefined) continue;
    const name = token.name === 'data-ascii' ? 'data' : token.name;
    if (name === 'data' || name === 'data-binary' || name === 'data-raw' || name === 'data-urlencode') data.push({ kind: name, text: token.value });
  }
  const bodies = [data.length > 0 && v.get !== true, v.json !== undefined, v.form !== undefined, v['upload-file'] !== undefined].filter(Boolean).length;
  if (bodies > 1) throw new UsageError('Use only one of --data, --json, --form and --upload-file');
  if (v.get === true && (v.json !== undefined || v.form !== undefined || v['upload-file'] !== undefined)) {
    throw new UsageError('--get sends -d data in the URL: it cannot go with --json, --form or --upload-file');
  }
  const headers: Array<[string, string]> = [];
  const removed: string[] = [];
  for (const text of v.header ?? []) {
    const [name, value] = parseHeader(text);
    if (value === null) removed.push(name.toLowerCase());
    else headers.push([name, value]);
  }
  if (v.ipv4 === true && v.ipv6 === true) throw new UsageError('Use only one of --ipv4 and --ipv6');
  const retry = wholeNumber('--retry', v.retry, 0);
  if (retry > 100) throw new UsageError(`Invalid --retry "${v.retry}": at most 100`);
  return {
    url: url === undefined ? '' : normalizeUrl(url),
    method: v.request,
    headers,
    removed,
    userAgent: v['user-agent'],
    referer: v.referer,
    user: v.user,
    cookies: v.cookie ?? [],
    cookieJar: v['cookie-jar'],
    range: v.range,
    isGet: v.get === true,
    data,
    json: v.json ?? [],
    form: v.form ?? [],
    uploadFile: v['upload-file'],
    isHead: v.head === true,
    isHttp10: v['http1.0'] === true,
    httpVersion: v['http1.1'] === true ? '1.1' : v['http2-prior-knowledge'] === true ? '2' : undefined,
    requestTarget: v['request-target'],
    compressed: v.compressed === true,
    follow: v['no-follow'] !== true,
    maxRedirects: wholeNumber('--max-redirs', v['max-redirs'], 20),
    timeout: seconds('--max-time', v['max-time'] ?? v.timeout),
    connectTimeout: seconds('--connect-timeout', v['connect-timeout']),
    retry,
    retryConnRefused: v['retry-connrefused'] === true,
    insecure: v.insecure === true,
    cacert: v.cacert,
    proxy: v.proxy,
    unixSocket: v['unix-socket'],
    family: v.ipv4 === true ? 4 : v.ipv6 === true ? 6 : undefined,
    resolve: (v.resolve ?? []).map(parseResolve),
    lenient: v.lenient === true,
    output,
    remoteName,
    continueAt,
    include: v.include === true,
    dumpHeader: v['dump-header'],
    writeOut: v['write-out'],
    verbose: v.verbose === true,
    trace: v.trace === true,
    timing: v.timing === true,
    fail: v.fail === true,
    failWithBody: v['fail-with-body'] === true,
    silent: v.silent === true,
    showError: v['show-error'] === true,
    help,
    version,
  };
}
