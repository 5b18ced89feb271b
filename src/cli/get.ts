// `courier get URL`: flags in, requests out through the client library, the response printed.
// Every HTTP decision is the library's (framing, redirects via nextRedirect, TLS); this file
// walks the redirect hops itself so that cookies, -D, -i and -w see each one, retries, prints,
// and maps errors to curl's exit codes.
import { Buffer } from 'node:buffer';
import { appendFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, ClientError, RedirectRefusedError, TooManyRedirectsError, request, type AgentOptions, type ClientResponse, type RequestBody, type RequestOptions } from '../client/index.js';
import { BODY_HEADERS, CREDENTIAL_HEADERS, isRedirect, nextRedirect } from '../client/redirect.js';
import type { Command } from './commands.js';
import { CookieJar } from './cookie-jar.js';
import { planBody, readArgFile, readFileOr26, type BodyPlan } from './get-body.js';
import { ExitError } from './exit-error.js';
import { hintFor } from './get-hints.js';
import { GET_HELP, UsageError, parseGetArgs, type GetConfig } from './get-options.js';
import { RETRY_STATUSES, isTransientError, retryDelay } from './get-retry.js';
import { headText, printBody, remoteName, resumeOffset, saveBody, saveHeads, type Download } from './get-output.js';
import { askPassword } from './get-terminal.js';
import { formatTimings, newTransfer, writeOutValues, type Transfer } from './get-transfer.js';
import { Verbose } from './get-verbose.js';
import { formatTrace } from './trace.js';
import { frameTracer, speaksH2 } from './get-h2-trace.js';
import { renderWriteOut } from './write-out.js';
import { version } from './version.js';

export { isBinary, remoteName } from './get-output.js';

/** EXIT_CODES maps client error codes to curl-like exit statuses. */
export const EXIT_CODES: Readonly<Record<string, number>> = {
  CLIENT_INVALID_ARGUMENT: 2,
  CLIENT_INVALID_URL: 3,
  CLIENT_UNSUPPORTED_PROTOCOL: 1,
  CLIENT_DNS: 6,
  CLIENT_CONNECT_REFUSED: 7,
  CLIENT_CONNECT: 7,
  CLIENT_PROTOCOL: 8,
  CLIENT_TOO_MANY_INTERIM_RESPONSES: 8,
  CLIENT_PARTIAL_BODY: 18,
  CLIENT_CONNECT_TIMEOUT: 28,
  CLIENT_HEADERS_TIMEOUT: 28,
  CLIENT_BODY_TIMEOUT: 28,
  CLIENT_TIMEOUT: 28,
  CLIENT_TLS: 35,
  CLIENT_TOO_MANY_REDIRECTS: 47,
  CLIENT_REDIRECT: 1,
  CLIENT_SOCKET_CLOSED: 52,
  CLIENT_SOCKET: 56,
  CLIENT_DECOMPRESSION: 61,
  CLIENT_DECOMPRESSION_LIMIT: 61,
  CLIENT_PROXY: 97,
};

function hasHeader(headers: Array<[string, string]>, name: string): boolean {
  return headers.some(([n]) => n.toLowerCase() === name);
}

/** credentials gives the -u value as "user:password", asking for the password on a terminal. */
async function credentials(user: string): Promise<string> {
  if (user.includes(':')) return user;
  if (process.stdin.isTTY !== true) throw new UsageError(`--user "${user}" has no password: give user:password (courier asks for it only on a terminal)`);
  const password = await askPassword(`Enter host password for user '${user}': `);
  if (password === null) throw new ExitError(2, 'no password given');
  return `${user}:${password}`;
}

/** baseHeaders are the headers every hop sends: courier's defaults, then the flags, then -H. */
async function baseHeaders(config: GetConfig, plan: BodyPlan): Promise<Array<[string, string]>> {
  const removed = new Set(config.removed);
  const given = config.headers;
  const headers: Array<[string, string]> = [];
  const add = (name: string, value: string | undefined): void => {
    const lower = name.toLowerCase();
    if (value === undefined || removed.has(lower) || hasHeader(given, lower)) return;
    headers.push([name, value]);
  };
  // -A "" removes the User-Agent, as in curl.
  if (config.userAgent !== '') add('User-Agent', config.userAgent ?? `courier/${version()}`);
  add('Accept', plan.accept ?? '*/*');
  add('Referer', config.referer);
  if (config.range !== undefined) add('Range', config.range.startsWith('bytes=') ? config.range : `bytes=${config.range}`);
  add('Content-Type', plan.contentType);
  if (config.user !== undefined) add('Authorization', `Basic ${Buffer.from(await credentials(config.user), 'utf8').toString('base64')}`);
  headers.push(...given);
  return headers;
}

/** loadCookies builds the jar from -b files (a missing file is fine, as in curl) and -b strings. */
async function loadCookies(config: GetConfig): Promise<{ jar: CookieJar | null; literal: string | undefined }> {
  if (config.cookies.length === 0 && config.cookieJar === undefined) return { jar: null, literal: undefined };
  const jar = new CookieJar();
  const literals: string[] = [];
  for (const arg of config.cookies) {
    if (arg.includes('=')) {
      literals.push(arg.trim().replace(/;$/, ''));
      continue;
    }
    let text: string;
    try {
      text = (await readArgFile(arg)).toString('utf8');
    } catch {
      continue;
    }
    jar.loadNetscape(text);
  }
  return { jar, literal: literals.length === 0 ? undefined : literals.join('; ') };
}

/** connectTo maps a host and port to a --resolve address. */
function resolver(config: GetConfig): AgentOptions['resolve'] {
  if (config.resolve.length === 0) return undefined;
  return (hostname, port) => config.resolve.find((r) => r.host === hostname.toLowerCase() && r.port === port)?.address;
}

function buildAgent(config: GetConfig, transfer: Transfer, verbose: Verbose): Agent {
  const options: AgentOptions = { keepAliveTimeout: 1000 };
  if (config.insecure) options.rejectUnauthorized = false;
  if (config.cacert !== undefined) options.ca = readFileOr26(config.cacert);
  if (config.unixSocket !== undefined) options.socketPath = config.unixSocket;
  if (config.proxy !== undefined) options.proxy = config.proxy;
  else options.proxyFromEnv = true;
  if (config.connectTimeout !== undefined) options.connectTimeout = config.connectTimeout;
  if (config.family !== undefined) options.family = config.family;
  const resolve = resolver(config);
  if (resolve !== undefined) options.resolve = resolve;
  if (config.lenient) options.parser = { lenientLineEndings: true };
  options.onWire = (direction, bytes) => {
    if (direction === 'in' && transfer.firstByte === -1 && bytes.length > 0) transfer.firstByte = bytes[0] as number;
    if (config.trace && !isH2) process.stderr.write(formatTrace(direction, bytes));
  };
  // Over HTTP/2, --trace shows frames, decoded, instead of bytes.
  let isH2 = false;
  if (config.trace) options.onFrame = frameTracer((text) => process.stderr.write(text));
  options.onConnect = (socket) => {
    isH2 = speaksH2(socket, config.httpVersion === '2');
    transfer.connects++;
    transfer.remoteIp = socket.remoteAddress ?? '';
    transfer.remotePort = String(socket.remotePort ?? '');
    verbose.connected(socket);
  };
  return new Agent(options);
}

/** Run is one `courier get`: its config, what the flags prepared, and where output goes. */
interface Run {
  config: GetConfig;
  plan: BodyPlan;
  headers: Array<[string, string]>;
  jar: CookieJar | null;
  cookieLiteral: string | undefined;
  agent: Agent;
  verbose: Verbose;
  transfer: Transfer;
  deadline: number;
  /** heldHeads collects -i/-I heads that go into the -o file before the body, as curl puts them. */
  heldHeads: string[] | null;
}

/**
 * hops sends the request and follows redirects (unless --no-follow), one request() per hop so
 * that each hop's cookies are stored and sent, and its head shown; resolves to the last response.
 */
async function hops(run: Run, url: URL, download: Download | null): Promise<ClientResponse> {
  const { config, plan, transfer } = run;
  const origin = url.origin;
  let method = config.isHead ? 'HEAD' : (config.method ?? plan.method);
  let body: RequestBody | null = plan.body;
  let keepsBodyHeaders = true;
  const omitHeaders = config.removed;
  for (let hop = 0; ; hop++) {
    transfer.url = url;
    transfer.method = method;
    let pairs = run.headers.filter(([name]) => keepsBodyHeaders || !BODY_HEADERS.has(name.toLowerCase()));
    if (url.origin !== origin) pairs = pairs.filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()));
    if (download !== null && download.offset > 0 && !hasHeader(pairs, 'range')) pairs.push(['Range', `bytes=${download.offset}-`]);
    const cookies = [run.jar?.cookieHeader(url), run.cookieLiteral].filter((c) => c !== undefined);
    if (cookies.length > 0 && !hasHeader(pairs, 'cookie')) pairs.push(['Cookie', cookies.join('; ')]);
    const options: RequestOptions = {
      method,
      headers: pairs,
      agent: run.agent,
      redirect: 'manual',
      decompress: config.compressed,
      onRequestHead: (head) => {
        transfer.requestBytes += head.length;
        run.verbose.requestHead(head);
      },
    };
    if (body !== null) options.body = body;
    if (omitHeaders.length > 0) options.omitHeaders = omitHeaders;
    if (config.isHttp10) options.httpVersion = '1.0';
    else if (config.httpVersion !== undefined) options.httpVersion = config.httpVersion;
    if (hop === 0 && config.requestTarget !== undefined) options.requestTarget = config.requestTarget;
    if (Number.isFinite(run.deadline)) options.timeout = Math.max(1, Math.round(run.deadline - performance.now()));
    let response: ClientResponse;
    try {
      response = await request(url, options);
    } catch (error) {
      run.verbose.drop();
      throw error;
    }
    noteHop(run, response);
    const location = response.headers.get('location');
    if (!config.follow || !isRedirect(response.status) || location === undefined) return response;
    if (hop >= config.maxRedirects) {
      await response.body.dump();
      throw new TooManyRedirectsError(`Too many redirects: more than ${config.maxRedirects}, last to "${location}"`);
    }
    const step = nextRedirect(response.status, location, url, method, false);
    await response.body.dump();
    if (!step.keepsBody) {
      body = null;
      keepsBodyHeaders = false;
    } else if (body !== null && plan.isStream) {
      throw new RedirectRefusedError(`Cannot follow ${response.status} to "${step.url.href}": the request body was stdin`);
    }
    transfer.redirects++;
    url = step.url;
    method = step.method;
  }
}

/** noteHop records one response head: cookies, sizes, timings, and -v, -i, -D output. */
function noteHop(run: Run, response: ClientResponse): void {
  const { config, transfer } = run;
  const t = response.timings;
  if (t.connect >= 0) {
    transfer.dnsAt = t.dns;
    transfer.connectAt = t.connect;
    transfer.tlsAt = t.tls;
  }
  const head = headText(response);
  transfer.headerBytes += Buffer.byteLength(head, 'latin1');
  if (run.jar !== null) for (const value of response.headers.getAll('set-cookie')) run.jar.setCookie(value, new URL(response.url));
  run.verbose.response(response);
  if (config.include || config.isHead) {
    if (run.heldHeads !== null) run.heldHeads.push(head);
    else process.stdout.write(head);
  }
  if (config.dumpHeader !== undefined) {
    if (config.dumpHeader === '-') process.stdout.write(head);
    else appendFileSync(config.dumpHeader, head, 'latin1');
  }
}

async function runGet(config: GetConfig, transfer: Transfer): Promise<number> {
  const plan = await planBody(config);
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new ExitError(3, `Invalid URL "${config.url}"`);
  }
  const ipFamily = isIP(url.hostname.replace(/^\[|\]$/g, ''));
  if (config.family !== undefined && ipFamily !== 0 && ipFamily !== config.family) {
    throw new ExitError(6, `Could not resolve "${url.hostname}" as an IPv${config.family} address (-${config.family})`);
  }
  if (plan.query !== undefined && plan.query !== '') url.search = url.search === '' ? `?${plan.query}` : `${url.search}&${plan.query}`;
  if (plan.uploadName !== undefined && url.pathname.endsWith('/')) url.pathname += encodeURIComponent(plan.uploadName);
  if (plan.isStream && config.retry > 0) process.stderr.write('courier get: --retry cannot resend stdin: no retries\n');
  transfer.url = url;
  if (plan.body instanceof Uint8Array) transfer.uploadBytes = plan.body.length;
  else if (plan.body instanceof Blob) transfer.uploadBytes = plan.body.size;
  if (config.removed.some((n) => n === 'content-length' || n === 'transfer-encoding') && plan.body !== null) {
    throw new UsageError('Cannot remove Content-Length or Transfer-Encoding: courier always frames a body');
  }
  const { jar, literal } = await loadCookies(config);
  const headers = await baseHeaders(config, plan);
  let download: Download | null = null;
  const outputPath = config.output ?? (config.remoteName ? remoteName(url) : undefined);
  if (outputPath !== undefined) download = { path: outputPath, offset: resumeOffset(config, outputPath) };
  if (config.dumpHeader !== undefined && config.dumpHeader !== '-') writeFileSync(config.dumpHeader, '');
  const verbose = new Verbose(config.verbose);
  const agent = buildAgent(config, transfer, verbose);
  const heldHeads = download !== null && (config.include || config.isHead) ? [] : null;
  const run: Run = { config, plan, headers, jar, cookieLiteral: literal, agent, verbose, transfer, deadline: Infinity, heldHeads };
  try {
    const retries = plan.isStream ? 0 : config.retry;
    for (let attempt = 0; ; attempt++) {
      transfer.begin = performance.now();
      transfer.redirects = 0;
      transfer.headerBytes = 0;
      run.heldHeads?.splice(0);
      run.deadline = config.timeout === undefined ? Infinity : transfer.begin + config.timeout;
      let response: ClientResponse;
      try {
        response = await hops(run, url, download);
      } catch (error) {
        if (attempt >= retries || !isTransientError(error, config.retryConnRefused)) throw error;
        await waitToRetry(config, attempt, retries, error instanceof Error ? error.message : String(error), undefined);
        continue;
      }
      transfer.response = response;
      if (attempt < retries && RETRY_STATUSES.has(response.status)) {
        await response.body.dump();
        await waitToRetry(config, attempt, retries, `HTTP ${response.status}`, response.headers.get('retry-after'));
        continue;
      }
      const status = await handleResponse(run, response, download);
      if (config.timing) process.stderr.write(`${formatTimings(transfer, response)}\n`);
      return status;
    }
  } finally {
    agent.destroy();
    if (jar !== null && config.cookieJar !== undefined) {
      const text = jar.toNetscape();
      if (config.cookieJar === '-') process.stdout.write(text);
      else writeFileSync(config.cookieJar, text);
    }
  }
}

/** waitToRetry says what failed and waits as curl would before the next attempt. */
async function waitToRetry(config: GetConfig, attempt: number, retries: number, what: string, retryAfter: string | undefined): Promise<void> {
  const delay = retryDelay(attempt, retryAfter);
  const left = retries - attempt;
  if (!config.silent) {
    process.stderr.write(`courier get: ${what}: retrying in ${delay / 1000} s, ${left} ${left === 1 ? 'retry' : 'retries'} left\n`);
  }
  await sleep(delay);
}

async function handleResponse(run: Run, response: ClientResponse, download: Download | null): Promise<number> {
  const { config, transfer } = run;
  const isHttpError = response.status >= 400 && (config.fail || config.failWithBody);
  const failure = new ExitError(22, `The requested URL returned error: ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`);
  if (isHttpError && !config.failWithBody) {
    await response.body.dump();
    throw failure;
  }
  if (config.isHead) {
    await response.body.dump();
    if (download !== null) saveHeads(download, run.heldHeads ?? []);
    return 0;
  }
  if (download !== null) await saveBody(response, download, config.silent, transfer, run.heldHeads ?? []);
  else await printBody(response, transfer, config.silent);
  if (isHttpError) throw failure;
  return 0;
}

function exitFor(error: unknown): { status: number; message: string } {
  if (error instanceof ExitError) return { status: error.status, message: error.message };
  if (error instanceof UsageError) return { status: 2, message: error.message };
  if (ClientError.is(error)) return { status: EXIT_CODES[error.code] ?? 1, message: error.message };
  if (error instanceof TypeError && (error as { code?: unknown }).code === 'ERR_INVALID_URL') return { status: 3, message: `Invalid URL: ${error.message}` };
  return { status: 1, message: error instanceof Error ? error.message : String(error) };
}

function printWriteOut(format: string, transfer: Transfer, exitCode: number): void {
  const text = format.startsWith('@') ? readFileOr26(format.slice(1) === '-' ? '/dev/stdin' : format.slice(1)).toString('utf8') : format;
  const { pieces, unknown } = renderWriteOut(text, writeOutValues(transfer, exitCode), (name) => transfer.response?.headers.get(name));
  for (const name of unknown) process.stderr.write(`courier get: unknown --write-out variable "${name}"\n`);
  for (const piece of pieces) (piece.stream === 'stderr' ? process.stderr : process.stdout).write(piece.text);
}

/** getCommand runs `courier get` and resolves to its exit status. */
export const getCommand: Command = async (argv) => {
  let config: GetConfig;
  try {
    config = parseGetArgs(argv);
  } catch (error) {
    process.stderr.write(`courier get: ${exitFor(error).message}\n`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(GET_HELP);
    return 0;
  }
  if (config.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const transfer = newTransfer();
  let status: number;
  try {
    status = await runGet(config, transfer);
  } catch (error) {
    const exit = exitFor(error);
    status = exit.status;
    const hint = transfer.url === null ? undefined : hintFor(error, { url: transfer.url, firstByte: transfer.firstByte });
    transfer.errorMessage = exit.message;
    if (!config.silent || config.showError || error instanceof UsageError) {
      process.stderr.write(`courier get: ${exit.message}${hint === undefined ? '' : ` (${hint})`}\n`);
    }
  }
  if (config.writeOut !== undefined) {
    try {
      printWriteOut(config.writeOut, transfer, status);
    } catch (error) {
      process.stderr.write(`courier get: ${exitFor(error).message}\n`);
    }
  }
  return status;
};
