// `courier get URL`: flags in, one request out through the client library, the response printed.
// Every HTTP decision is the library's; this file parses, prints and maps errors to exit codes.
import { once } from 'node:events';
import { createWriteStream, readFileSync, statSync, truncateSync, type WriteStream } from 'node:fs';
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, ClientError, request, type AgentOptions, type ClientResponse, type RequestOptions, type Timings } from '../client/index.js';
import type { Command } from './commands.js';
import { GET_HELP, UsageError, parseGetArgs, type GetConfig } from './get-options.js';
import { ProgressBar } from './progress.js';
import { formatRequestHead, formatResponseHead, formatTrace, responseHeadText } from './trace.js';

/** EXIT_CODES maps client error codes to curl-like exit statuses. */
export const EXIT_CODES: Readonly<Record<string, number>> = {
  CLIENT_INVALID_ARGUMENT: 2,
  CLIENT_INVALID_URL: 3,
  CLIENT_UNSUPPORTED_PROTOCOL: 1,
  CLIENT_DNS: 6,
  CLIENT_CONNECT_REFUSED: 7,
  CLIENT_CONNECT: 7,
  CLIENT_PROTOCOL: 8,
  CLIENT_PARTIAL_BODY: 18,
  CLIENT_CONNECT_TIMEOUT: 28,
  CLIENT_HEADERS_TIMEOUT: 28,
  CLIENT_BODY_TIMEOUT: 28,
  CLIENT_TIMEOUT: 28,
  CLIENT_TLS: 35,
  CLIENT_TOO_MANY_REDIRECTS: 47,
  CLIENT_SOCKET_CLOSED: 52,
  CLIENT_SOCKET: 56,
  CLIENT_DECOMPRESSION: 61,
  CLIENT_DECOMPRESSION_LIMIT: 61,
  CLIENT_PROXY: 97,
};

/** ExitError ends the command with a message and an exit status. */
class ExitError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return String(pkg.version);
  } catch {
    return '0';
  }
}

function readArgFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ExitError(26, `cannot read "${path}": ${typeof code === 'string' ? code : String(error)}`);
  }
}

/** isBinary tells whether bytes look like binary data (a NUL byte, as HTTPie checks). */
export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 4096).includes(0);
}

function hasHeader(config: GetConfig, name: string): boolean {
  return config.headers.some(([n]) => n.toLowerCase() === name);
}

/** buildRequest turns the flags into request options (body files are read here). */
function buildRequest(config: GetConfig): RequestOptions {
  const headers: Array<[string, string]> = [];
  if (!hasHeader(config, 'user-agent')) headers.push(['User-Agent', `courier/${version()}`]);
  if (!hasHeader(config, 'accept')) headers.push(['Accept', config.json !== undefined ? 'application/json' : '*/*']);
  const options: RequestOptions = { headers };
  let impliedMethod = 'GET';
  if (config.data.length > 0) {
    const parts = config.data.map((d) => (d.startsWith('@') ? readArgFile(d.slice(1)) : Buffer.from(d, 'utf8')));
    const joined: Buffer[] = [];
    parts.forEach((p, i) => joined.push(...(i === 0 ? [p] : [Buffer.from('&'), p])));
    options.body = Buffer.concat(joined);
    if (!hasHeader(config, 'content-type')) headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
    impliedMethod = 'POST';
  } else if (config.json !== undefined) {
    options.body = config.json.startsWith('@') ? readArgFile(config.json.slice(1)) : Buffer.from(config.json, 'utf8');
    if (!hasHeader(config, 'content-type')) headers.push(['Content-Type', 'application/json']);
    impliedMethod = 'POST';
  } else if (config.form.length > 0) {
    const form = new FormData();
    for (const field of config.form) {
      const eq = field.indexOf('=');
      if (eq <= 0) throw new UsageError(`Invalid --form "${field}": expected name=value or name=@file`);
      const name = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (value.startsWith('@')) form.append(name, new Blob([readArgFile(value.slice(1))]), basename(value.slice(1)));
      else form.append(name, value);
    }
    options.body = form;
    impliedMethod = 'POST';
  }
  headers.push(...config.headers);
  options.method = config.isHead ? 'HEAD' : (config.method ?? impliedMethod);
  if (config.isHttp10) options.httpVersion = '1.0';
  options.redirect = config.follow ? 'follow' : 'manual';
  options.maxRedirects = config.maxRedirects;
  options.decompress = config.compressed;
  if (config.timeout !== undefined) options.timeout = config.timeout;
  return options;
}

function buildAgent(config: GetConfig): Agent {
  const options: AgentOptions = { keepAliveTimeout: 1000 };
  if (config.insecure) options.rejectUnauthorized = false;
  if (config.cacert !== undefined) options.ca = readArgFile(config.cacert);
  if (config.unixSocket !== undefined) options.socketPath = config.unixSocket;
  if (config.proxy !== undefined) options.proxy = config.proxy;
  else options.proxyFromEnv = true;
  if (config.connectTimeout !== undefined) options.connectTimeout = config.connectTimeout;
  if (config.trace) options.onWire = (direction, bytes) => process.stderr.write(formatTrace(direction, bytes));
  return new Agent(options);
}

/** remoteName picks a local file name from the URL's last path segment, like curl -O. */
export function remoteName(url: URL): string {
  const segment = url.pathname.split('/').pop() ?? '';
  let name = '';
  try {
    name = basename(decodeURIComponent(segment));
  } catch {
    name = basename(segment);
  }
  if (name === '' || name === '.' || name === '..') return 'index.html';
  return name;
}

/** formatTimings lists when each phase ended, in seconds since `begin` (like curl -w time_*). */
function formatTimings(t: Timings, begin: number): string {
  const at = (stamp: number): string => (stamp < 0 ? '-' : `${((stamp - begin) / 1000).toFixed(6)} s`);
  return [
    `dns         ${at(t.dns)}`,
    `connect     ${at(t.connect)}`,
    `tls         ${at(t.tls)}`,
    `first byte  ${at(t.firstByte)}`,
    `total       ${at(t.end < 0 ? performance.now() : t.end)}`,
    `reused      ${t.isReused ? 'yes' : 'no'}`,
  ].join('\n');
}

async function write(stream: NodeJS.WritableStream | WriteStream, chunk: Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/**
 * stdoutWriter writes to stdout with backpressure; once stdout fails (a closed pipe: EPIPE) every
 * write fails with exit status 23, as curl's "Failure writing output".
 */
function stdoutWriter(): (chunk: Uint8Array) => Promise<void> {
  const out = process.stdout;
  let failure: ExitError | null = null;
  let onFailure: ((error: ExitError) => void) | null = null;
  out.on('error', (error: NodeJS.ErrnoException) => {
    failure = new ExitError(23, `Failure writing output: ${error.code ?? error.message}`);
    onFailure?.(failure);
  });
  return async (chunk) => {
    if (failure !== null) throw failure;
    if (out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      onFailure = reject;
      out.once('drain', () => resolve());
    });
    onFailure = null;
  };
}

interface Download {
  path: string;
  offset: number;
}

function resumeOffset(config: GetConfig, path: string): number {
  if (config.continueAt === undefined) return 0;
  if (config.continueAt !== '-') return Number(config.continueAt);
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function run(config: GetConfig): Promise<number> {
  const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(config.url) ? config.url : `http://${config.url}`);
  const options = buildRequest(config);
  let download: Download | null = null;
  const outputPath = config.output ?? (config.remoteName ? remoteName(url) : undefined);
  if (outputPath !== undefined) {
    download = { path: outputPath, offset: resumeOffset(config, outputPath) };
    if (download.offset > 0) (options.headers as Array<[string, string]>).push(['Range', `bytes=${download.offset}-`]);
  }
  const err = process.stderr;
  if (config.verbose) {
    options.onRequestHead = (head) => err.write(formatRequestHead(head));
    options.onRedirect = (response) => err.write(formatResponseHead(response));
  }
  const agent = buildAgent(config);
  const begin = performance.now();
  try {
    const response = await request(url, { ...options, agent });
    if (config.verbose) err.write(formatResponseHead(response));
    const status = await handleResponse(config, response, download);
    if (config.timing) err.write(`${formatTimings(response.timings, begin)}\n`);
    return status;
  } finally {
    agent.destroy();
  }
}

async function handleResponse(config: GetConfig, response: ClientResponse, download: Download | null): Promise<number> {
  const out = process.stdout;
  if (config.fail && response.status >= 400) {
    await response.body.dump();
    throw new ExitError(22, `The requested URL returned error: ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`);
  }
  if (config.include || config.isHead) out.write(`${responseHeadText(response).join('\r\n')}\r\n\r\n`);
  if (config.isHead) {
    await response.body.dump();
    return 0;
  }
  if (download !== null) return saveBody(response, download, config.silent);
  const writeOut = stdoutWriter();
  const iterator = response.body[Symbol.asyncIterator]();
  let first = true;
  for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) {
    if (first && out.isTTY && isBinary(r.value)) {
      await iterator.return?.();
      process.stderr.write('courier get: binary body not shown on a terminal: use -o FILE or a pipe\n');
      return 0;
    }
    first = false;
    try {
      await writeOut(r.value);
    } catch (error) {
      await iterator.return?.();
      throw error;
    }
  }
  return 0;
}

async function saveBody(response: ClientResponse, download: Download, isSilent: boolean): Promise<number> {
  let append = false;
  if (download.offset > 0) {
    if (response.status === 416) {
      await response.body.dump();
      process.stderr.write(`courier get: "${download.path}" is already complete\n`);
      return 0;
    }
    if (response.status === 206) {
      truncateSync(download.path, download.offset);
      append = true;
    } else {
      process.stderr.write('courier get: the server ignored the range: downloading from the start\n');
      download.offset = 0;
    }
  }
  // A deep buffer lets the next socket read overlap the file write instead of waiting on it.
  const file = createWriteStream(download.path, { flags: append ? 'a' : 'w', highWaterMark: 4 * 1024 * 1024 });
  const opened = once(file, 'open');
  const failed = new Promise<never>((_, reject) => file.on('error', (e) => reject(new ExitError(23, `cannot write "${download.path}": ${(e as NodeJS.ErrnoException).code ?? e.message}`))));
  failed.catch(() => {});
  await Promise.race([opened, failed]);
  const length = Number(response.headers.get('content-length') ?? -1);
  const bar = process.stderr.isTTY && !isSilent ? new ProgressBar(process.stderr, length >= 0 ? length + download.offset : -1, download.offset) : null;
  try {
    for await (const chunk of response.body) {
      bar?.add(chunk.length);
      await Promise.race([write(file, chunk), failed]);
    }
  } finally {
    bar?.done();
    file.end();
  }
  await Promise.race([once(file, 'finish'), failed]);
  return 0;
}

function exitFor(error: unknown): { status: number; message: string } {
  if (error instanceof ExitError) return { status: error.status, message: error.message };
  if (error instanceof UsageError) return { status: 2, message: error.message };
  if (ClientError.is(error)) return { status: EXIT_CODES[error.code] ?? 1, message: error.message };
  if (error instanceof TypeError && (error as { code?: unknown }).code === 'ERR_INVALID_URL') return { status: 3, message: `Invalid URL: ${error.message}` };
  return { status: 1, message: error instanceof Error ? error.message : String(error) };
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
  try {
    return await run(config);
  } catch (error) {
    const { status, message } = exitFor(error);
    process.stderr.write(`courier get: ${message}\n`);
    return status;
  }
};
