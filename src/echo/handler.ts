// echoHandler: a practice server that answers every request with the request itself, plus the
// httpbin routes people test HTTP clients with. Everything it does is bounded (ECHO_LIMITS).
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip } from 'node:zlib';
import type { Handler, ServerRequest, ServerResponse } from '../server/types.js';
import { reasonPhrase } from '../http/index.js';
import { describeRequest, requestText } from './describe.js';

/** ECHO_LIMITS are the caps of echoHandler: what a request may ask for, at most. */
export const ECHO_LIMITS = Object.freeze({
  /** maxBodyBytes: a longer request body is answered 413. */
  maxBodyBytes: 1024 * 1024,
  /** maxDelaySeconds: /delay/S waits at most this long. */
  maxDelaySeconds: 10,
  /** maxBytes: /bytes/N sends at most this many bytes. */
  maxBytes: 1024 * 1024,
  /** maxStreamLines: /stream/N sends at most this many lines. */
  maxStreamLines: 100,
  /** maxRedirects: /redirect/N chains at most this many redirects. */
  maxRedirects: 20,
});

const METHODS = 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS';
const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

type Fields = Record<string, string | number>;

// Indented JSON, with each [name, value] pair of `fields` kept on one line.
const PAIR = /\[\n\s+("(?:[^"\\]|\\.)*"),\n\s+("(?:[^"\\]|\\.)*")\n\s+\]/g;

function pretty(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(PAIR, '[$1, $2]')}\n`;
}

function json(status: number, value: unknown, headers: Fields = {}): ServerResponse {
  return { status, headers: { 'Content-Type': JSON_TYPE, ...headers }, body: pretty(value) };
}

function text(status: number, body: string, headers: Fields = {}): ServerResponse {
  return { status, headers: { 'Content-Type': TEXT_TYPE, ...headers }, body };
}

function problem(status: number, detail: string): ServerResponse {
  return text(status, `${status} ${reasonPhrase(status)}: ${detail}\n`);
}

/** readBody reads the request content, or returns null when it is longer than the cap. */
async function readBody(req: ServerRequest): Promise<Buffer | null> {
  if (!req.hasBody) return Buffer.alloc(0);
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of req.body) {
    length += chunk.length;
    if (length > ECHO_LIMITS.maxBodyBytes) return null;
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function wantsText(req: ServerRequest): boolean {
  const accept = req.headers.get('accept') ?? '';
  return /(^|,)\s*text\/plain\b/i.test(accept) && !/(^|,)\s*application\/json\b/i.test(accept);
}

/** echo answers with the request: JSON, or its own text with Accept: text/plain. */
async function echo(req: ServerRequest, extra: Record<string, unknown> = {}, headers: Fields = {}): Promise<ServerResponse> {
  const body = await readBody(req);
  if (body === null) return problem(413, `the body is over ${ECHO_LIMITS.maxBodyBytes} bytes, the limit of courier echo`);
  if (wantsText(req)) return { status: 200, headers: { 'Content-Type': TEXT_TYPE, ...headers }, body: requestText(req, body) };
  return json(200, { ...describeRequest(req, body), ...extra }, headers);
}

/** count reads a whole number from a path segment within [min, max], or undefined. */
function count(segment: string | undefined, min: number, max: number): number | undefined {
  if (segment === undefined || !/^\d{1,9}$/.test(segment)) return undefined;
  const n = Number(segment);
  return n >= min && n <= max ? n : undefined;
}

function status(code: string | undefined): ServerResponse {
  const n = count(code, 200, 599);
  if (n === undefined) return problem(400, `"${code ?? ''}" is not a status code from 200 to 599`);
  const headers: Fields = {};
  if ([301, 302, 303, 307, 308].includes(n)) headers.Location = '/anything';
  if (n === 401) headers['WWW-Authenticate'] = 'Basic realm="courier echo"';
  if (n === 407) headers['Proxy-Authenticate'] = 'Basic realm="courier echo"';
  if (n === 204 || n === 304) return { status: n, headers };
  return text(n, `${n} ${reasonPhrase(n)}\n`, headers);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

async function delay(req: ServerRequest, seconds: string | undefined): Promise<ServerResponse> {
  if (seconds === undefined || !/^\d{1,3}(\.\d{1,3})?$/.test(seconds) || Number(seconds) > ECHO_LIMITS.maxDelaySeconds) {
    return problem(400, `the delay is a number of seconds from 0 to ${ECHO_LIMITS.maxDelaySeconds}`);
  }
  await sleep(Number(seconds) * 1000, req.signal);
  return echo(req, { delay: Number(seconds) });
}

function cookies(req: ServerRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const field of req.headers.getAll('cookie')) {
    for (const pair of field.split(';')) {
      const eq = pair.indexOf('=');
      if (eq > 0) out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

// RFC 6265 §4.1.1: cookie-name is a token; cookie-value is cookie-octets, optionally quoted.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

function setCookies(req: ServerRequest, isDelete: boolean): ServerResponse {
  const set: string[] = [];
  for (const [name, value] of new URLSearchParams(req.query)) {
    if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value)) return problem(400, `"${name}=${value}" is not a valid cookie (RFC 6265 §4.1.1)`);
    set.push(isDelete ? `${name}=; Max-Age=0; Path=/` : `${name}=${value}; Path=/`);
  }
  if (set.length === 0) return problem(400, `name the cookies in the query: /cookies/${isDelete ? 'delete?name' : 'set?name=value'}`);
  return { status: 302, headers: { Location: '/cookies', 'Set-Cookie': set }, body: null };
}

function basicAuth(req: ServerRequest, user: string | undefined, password: string | undefined): ServerResponse {
  if (user === undefined || password === undefined) return problem(400, 'use /basic-auth/USER/PASSWORD');
  const field = req.headers.get('authorization') ?? '';
  const match = /^basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(field);
  const given = match === null ? null : Buffer.from(match[1] as string, 'base64').toString('utf8');
  if (given !== `${decodeURIComponent(user)}:${decodeURIComponent(password)}`) {
    return json(401, { authenticated: false }, { 'WWW-Authenticate': 'Basic realm="courier echo"' });
  }
  return json(200, { authenticated: true, user: decodeURIComponent(user) });
}

async function compressed(req: ServerRequest, coding: 'gzip' | 'br'): Promise<ServerResponse> {
  const body = await readBody(req);
  if (body === null) return problem(413, `the body is over ${ECHO_LIMITS.maxBodyBytes} bytes, the limit of courier echo`);
  const flag = coding === 'gzip' ? { gzipped: true } : { brotli: true };
  const plain = Buffer.from(pretty({ ...describeRequest(req, body), ...flag }));
  const bytes = coding === 'gzip' ? await gzipAsync(plain) : await brotliAsync(plain);
  return { status: 200, headers: { 'Content-Type': JSON_TYPE, 'Content-Encoding': coding }, body: bytes };
}

function stream(req: ServerRequest, lines: string | undefined): ServerResponse {
  const n = count(lines, 1, ECHO_LIMITS.maxStreamLines);
  if (n === undefined) return problem(400, `/stream/N takes N from 1 to ${ECHO_LIMITS.maxStreamLines}`);
  const record = describeRequest(req, Buffer.alloc(0));
  const total = n;
  async function* lineByLine(): AsyncGenerator<Uint8Array> {
    for (let id = 0; id < total; id++) yield Buffer.from(`${JSON.stringify({ id, ...record, body: undefined, bodyEncoding: undefined })}\n`);
  }
  // No Content-Length: HTTP/1.1 gets it chunked, a line per chunk; HTTP/1.0 up to the close.
  return { status: 200, headers: { 'Content-Type': 'application/x-ndjson' }, body: lineByLine() };
}

/** onlyFor answers 405 unless the request uses `method` (HEAD counts as GET). */
function onlyFor(req: ServerRequest, method: string): ServerResponse | null {
  if (req.method === method || (method === 'GET' && req.method === 'HEAD')) return null;
  return { ...problem(405, `${req.path} takes ${method} only`), headers: { 'Content-Type': TEXT_TYPE, Allow: method === 'GET' ? 'GET, HEAD' : method } };
}

/**
 * echoHandler returns a handler for any method that answers with the request it received —
 * method, target, version, header fields and body — as JSON (the request's own text with
 * `Accept: text/plain`), plus httpbin's routes: /status/N, /delay/S, /redirect/N, /bytes/N,
 * /stream/N, /gzip, /brotli, /headers, /ip, /user-agent, /cookies, /cookies/set?name=value,
 * /cookies/delete?name, /basic-auth/USER/PASSWORD, /get, /post, /put, /patch, /delete and
 * /anything. Sizes and delays are capped by ECHO_LIMITS.
 */
export function echoHandler(): Handler {
  return (req) => {
    const parts = req.path.split('/');
    const route = parts[1] ?? '';
    const arg = parts[2];
    if (req.method === 'OPTIONS') return echo(req, {}, { Allow: METHODS });
    switch (route) {
      case 'status':
        return status(arg);
      case 'delay':
        return delay(req, arg);
      case 'redirect': {
        const n = count(arg, 1, ECHO_LIMITS.maxRedirects);
        if (n === undefined) return problem(400, `/redirect/N takes N from 1 to ${ECHO_LIMITS.maxRedirects}`);
        return { status: 302, headers: { Location: n === 1 ? '/anything' : `/redirect/${n - 1}` }, body: null };
      }
      case 'bytes': {
        const n = count(arg, 0, ECHO_LIMITS.maxBytes);
        if (n === undefined) return problem(400, `/bytes/N takes N from 0 to ${ECHO_LIMITS.maxBytes}`);
        return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: randomBytes(n) };
      }
      case 'stream':
        return stream(req, arg);
      case 'gzip':
        return compressed(req, 'gzip');
      case 'brotli':
        return compressed(req, 'br');
      case 'headers':
        return json(200, { headers: describeRequest(req, Buffer.alloc(0)).headers });
      case 'ip':
        return json(200, { origin: req.remoteAddress });
      case 'user-agent':
        return json(200, { 'user-agent': req.headers.get('user-agent') ?? null });
      case 'cookies':
        if (arg === 'set' || arg === 'delete') return setCookies(req, arg === 'delete');
        return json(200, { cookies: cookies(req) });
      case 'basic-auth':
        return basicAuth(req, arg, parts[3]);
      case 'get':
      case 'post':
      case 'put':
      case 'patch':
      case 'delete':
        if (parts.length === 2) return onlyFor(req, route.toUpperCase()) ?? echo(req);
        return echo(req);
      default:
        return echo(req);
    }
  };
}
