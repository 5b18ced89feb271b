import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { Fields, WireError, hasToken, serializeRequestHead, type FieldValue, type ResponseHead } from '../wire/index.js';
import { getGlobalAgent, type Dispatcher } from './agent.js';
import { prepareBody, prepareJson, type RequestBody } from './body.js';
import { ACCEPT_ENCODING, DEFAULT_MAX_DECOMPRESSED_SIZE, decodingsFor, decompress } from './decompress.js';
import { AbortError, ClientError, RedirectError, TimeoutError } from './errors.js';
import { BODY_HEADERS, CREDENTIAL_HEADERS, DEFAULT_MAX_REDIRECTS, isRedirect, nextRedirect } from './redirect.js';
import { ResponseBody, type BodyControl } from './response-body.js';
import type { Dispatch, DispatchHandler, PreparedBody, Timings } from './types.js';

/** RequestHeaders are the header shapes a request accepts. */
export type RequestHeaders =
  | Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>
  | Iterable<readonly [string, FieldValue]>
  | Fields
  | Headers;

/** RequestOptions describe one request. Every field is optional. */
export interface RequestOptions {
  /** method defaults to GET (POST when a body or json is given is NOT implied: say it). */
  method?: string;
  headers?: RequestHeaders;
  body?: RequestBody;
  /** json sends the value as JSON with Content-Type application/json. */
  json?: unknown;
  signal?: AbortSignal;
  /** agent carries the request: an Agent, or a Pool for the URL's origin. Default the global agent. */
  agent?: Dispatcher;
  /** httpVersion is "1.1" (default) or "1.0" for the request line. */
  httpVersion?: '1.0' | '1.1';
  /** redirect: "follow" (default), "manual" (return the 3xx) or "error" (fail on a 3xx). */
  redirect?: 'follow' | 'manual' | 'error';
  /** maxRedirects is the most redirects followed. Default 20. */
  maxRedirects?: number;
  /** allowDowngrade lets a redirect go from https to http. Default false. */
  allowDowngrade?: boolean;
  /** decompress asks for and decodes gzip, deflate and br. Default false. */
  decompress?: boolean;
  /** maxDecompressedSize caps a decoded body, in bytes. Default 1 GiB. */
  maxDecompressedSize?: number;
  /** headersTimeout bounds the wait for the response head, in ms. Default 300000. */
  headersTimeout?: number;
  /** bodyTimeout bounds the silence between body bytes, in ms. Default 300000. */
  bodyTimeout?: number;
  /** timeout bounds the whole exchange including redirects and the body, in ms. Default none. */
  timeout?: number;
  /** onRedirect sees each redirect response before it is followed (its body is discarded). */
  onRedirect?: (response: ClientResponse, next: URL) => void;
  /** onInterim sees 1xx interim response heads. */
  onInterim?: (head: ResponseHead) => void;
  /** onRequestHead sees each serialized request head as it is dispatched. */
  onRequestHead?: (head: string, url: URL) => void;
}

/** ClientResponse is what request() resolves to once the response head has arrived. */
export interface ClientResponse {
  status: number;
  statusText: string;
  /** httpVersion is "1.0" or "1.1", as the server answered. */
  httpVersion: '1.0' | '1.1';
  headers: Fields;
  body: ResponseBody;
  /** trailers holds the chunked trailer fields once the body has been read, else null. */
  trailers: Fields | null;
  /** url is the URL of this response, after redirects. */
  url: string;
  redirected: boolean;
  timings: Timings;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);
const DEFAULT_TIMEOUT = 300_000;

interface Attempt {
  url: URL;
  method: string;
  pairs: Array<[string, string]>;
  body: PreparedBody | null;
}

/**
 * request sends an HTTP/1.x request and resolves when the response head arrives. The body is an
 * async iterable with text(), json(), bytes() and dump(); read or dump it to free the connection.
 */
export async function request(input: string | URL, options: RequestOptions = {}): Promise<ClientResponse> {
  let url = toUrl(input);
  const agent = options.agent ?? getGlobalAgent();
  let method = options.method === undefined ? 'GET' : normalizeMethod(options.method);
  let body = options.json !== undefined ? prepareJson(options.json) : prepareBody(options.body);
  const versionMinor = options.httpVersion === '1.0' ? 0 : 1;
  if (body !== null && body.length < 0 && versionMinor === 0) body = await bufferBody(body);
  let pairs = headerPairs(options.headers);
  if (body !== null && body.length < 0) body = withDeclaredLength(body, pairs);
  const guard = new Guard(options);
  const redirectMode = options.redirect ?? 'follow';
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let redirects = 0;
  try {
    for (;;) {
      const response = await send({ url, method, pairs, body }, agent, options, versionMinor, guard, redirects > 0);
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === undefined || redirectMode === 'manual') {
        return finish(response, options, guard);
      }
      if (redirectMode === 'error') {
        await response.body.dump();
        throw new RedirectError('CLIENT_REDIRECT', `Redirect ${response.status} to "${location}" refused: redirect mode is error`);
      }
      if (redirects >= maxRedirects) {
        await response.body.dump();
        throw new RedirectError('CLIENT_TOO_MANY_REDIRECTS', `Too many redirects: more than ${maxRedirects}, last to "${location}"`);
      }
      const step = nextRedirect(response.status, location, url, method, options.allowDowngrade === true);
      options.onRedirect?.(response, step.url);
      await response.body.dump();
      if (!step.keepsBody) {
        body = null;
        pairs = pairs.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase()));
      } else if (body !== null && !body.isReplayable) {
        throw new RedirectError('CLIENT_REDIRECT', `Cannot follow ${response.status} to "${step.url.href}": the request body was a stream`);
      }
      if (step.isCrossOrigin) pairs = pairs.filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase()));
      url = step.url;
      method = step.method;
      redirects++;
    }
  } catch (error) {
    guard.done();
    throw error;
  }
}

function finish(response: ClientResponse, options: RequestOptions, guard: Guard): ClientResponse {
  const encoding = response.headers.get('content-encoding');
  const raw = response.body;
  if (options.decompress === true && encoding !== undefined) {
    const codings = decodingsFor(encoding);
    if (codings !== null && codings.length > 0) {
      const max = options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE;
      response.body = ResponseBody.from(decompress(raw, codings, max), raw);
    }
  }
  guard.attach(raw);
  return response;
}

/** Guard enforces the signal and the total timeout over a whole exchange, redirects included. */
class Guard {
  #error: Error | null = null;
  #current: Dispatch | null = null;
  #body: ResponseBody | null = null;
  #timer: NodeJS.Timeout | null = null;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | null = null;

  constructor(options: RequestOptions) {
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.#error = new AbortError('CLIENT_ABORTED', 'Request aborted', { cause: signal.reason });
        return;
      }
      this.#signal = signal;
      this.#onAbort = () => this.#trip(new AbortError('CLIENT_ABORTED', 'Request aborted', { cause: signal.reason }));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const timeout = options.timeout;
    if (timeout !== undefined && timeout > 0 && Number.isFinite(timeout)) {
      this.#timer = setTimeout(() => this.#trip(new TimeoutError('CLIENT_TIMEOUT', `Request timeout: not complete within ${timeout} ms`)), timeout);
    }
  }

  get error(): Error | null {
    return this.#error;
  }

  get isActive(): boolean {
    return this.#onAbort !== null || this.#timer !== null;
  }

  track(d: Dispatch): void {
    this.#current = d;
  }

  #trip(error: Error): void {
    if (this.#error !== null) return;
    this.#error = error;
    const d = this.#current;
    if (d !== null) {
      d.isCancelled = true;
      if (d.detach !== null) d.detach(error);
      else d.handler.onError(error);
    }
    this.#body?.fail(error);
    this.done();
  }

  /** attach keeps guarding the final response until its body is read, then lets go. */
  attach(raw: ResponseBody): void {
    if (!this.isActive) return;
    this.#body = raw;
    const exchange = this.#current?.handler;
    if (exchange instanceof Exchange) exchange.isFinal = true;
    if (raw.isDone) this.done();
  }

  /** done stops the timer and the abort listener. */
  done(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#onAbort !== null) this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = null;
    this.#current = null;
  }
}

/** Exchange is the handler for one dispatch: it resolves on the final head and feeds the body. */
class Exchange implements DispatchHandler {
  response: ClientResponse | null = null;
  /** isFinal marks the response request() returns, not a redirect hop. */
  isFinal = false;
  readonly #resolve: (response: ClientResponse) => void;
  readonly #reject: (error: Error) => void;
  readonly #url: URL;
  readonly #method: string;
  readonly #timings: Timings;
  readonly #isRedirected: boolean;
  readonly #options: RequestOptions;
  readonly #guard: Guard;

  constructor(
    resolve: (response: ClientResponse) => void,
    reject: (error: Error) => void,
    url: URL,
    method: string,
    timings: Timings,
    isRedirected: boolean,
    options: RequestOptions,
    guard: Guard,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#url = url;
    this.#method = method;
    this.#timings = timings;
    this.#isRedirected = isRedirected;
    this.#options = options;
    this.#guard = guard;
  }

  onInterim(head: ResponseHead): void {
    this.#options.onInterim?.(head);
  }

  onHead(head: ResponseHead, control: BodyControl): void {
    const hasBody = head.framing !== 'none' && !(head.framing === 'length' && head.contentLength === 0) && this.#method !== 'HEAD';
    const body = hasBody ? new ResponseBody(control) : ResponseBody.empty();
    this.response = {
      status: head.statusCode,
      statusText: head.reasonPhrase,
      httpVersion: head.versionMinor === 0 ? '1.0' : '1.1',
      headers: head.headers,
      body,
      trailers: null,
      url: this.#url.href,
      redirected: this.#isRedirected,
      timings: this.#timings,
    };
    this.#resolve(this.response);
  }

  onData(chunk: Uint8Array): void {
    (this.response as ClientResponse).body.push(chunk);
  }

  onComplete(trailers: import('../wire/index.js').Fields | null): void {
    const response = this.response as ClientResponse;
    response.trailers = trailers;
    response.body.end();
    if (this.isFinal) this.#guard.done();
  }

  onError(error: Error): void {
    const response = this.response;
    if (response === null) this.#reject(error);
    else response.body.fail(error);
    if (this.isFinal || response === null) this.#guard.done();
  }
}

function send(attempt: Attempt, agent: Dispatcher, options: RequestOptions, versionMinor: 0 | 1, guard: Guard, isRedirected: boolean): Promise<ClientResponse> {
  if (guard.error !== null) return Promise.reject(guard.error);
  const { url, method } = attempt;
  const route = agent.route(url);
  const target = route.isAbsoluteForm ? url.href.replace(/#.*$/, '') : `${url.pathname}${url.search}`;
  const { head, closes } = buildHead(attempt, target, versionMinor, options, route.proxyAuthorization);
  options.onRequestHead?.(head, url);
  const timings: Timings = { start: performance.now(), dns: -1, connect: -1, tls: -1, firstByte: -1, end: -1, isReused: false };
  return new Promise<ClientResponse>((resolve, reject) => {
    const handler = new Exchange(resolve, reject, url, method, timings, isRedirected, options, guard);
    const d: Dispatch = {
      method,
      head,
      body: attempt.body,
      isIdempotent: IDEMPOTENT.has(method),
      closesConnection: closes,
      headersTimeout: options.headersTimeout ?? DEFAULT_TIMEOUT,
      bodyTimeout: options.bodyTimeout ?? DEFAULT_TIMEOUT,
      timings,
      handler,
      retries: 0,
      isCancelled: false,
      detach: null,
    };
    if (guard.isActive) guard.track(d);
    route.pool.dispatch(d);
  });
}

function buildHead(attempt: Attempt, target: string, versionMinor: 0 | 1, options: RequestOptions, proxyAuth: string | undefined): { head: string; closes: boolean } {
  const { url, body } = attempt;
  const headers: Array<[string, string]> = [];
  let hasHost = false;
  let hasLength = false;
  let hasType = false;
  let hasAcceptEncoding = false;
  let hasAuthorization = false;
  let closes = false;
  for (const pair of attempt.pairs) {
    const name = pair[0];
    switch (name.length) {
      case 10:
        if (name.toLowerCase() === 'connection' && hasToken(pair[1], 'close')) closes = true;
        break;
      case 4:
        if (name.toLowerCase() === 'host') hasHost = true;
        break;
      case 12:
        if (name.toLowerCase() === 'content-type') hasType = true;
        break;
      case 13:
        if (name.toLowerCase() === 'authorization') hasAuthorization = true;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') hasLength = true;
        break;
      case 15:
        if (name.toLowerCase() === 'accept-encoding') hasAcceptEncoding = true;
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') hasLength = true;
        break;
    }
  }
  if (!hasHost) headers.push(['Host', url.host]);
  for (const pair of attempt.pairs) headers.push(pair);
  if (body !== null) {
    if (!hasType && body.contentType !== null) headers.push(['Content-Type', body.contentType]);
    if (!hasLength) headers.push(body.length >= 0 ? ['Content-Length', String(body.length)] : ['Transfer-Encoding', 'chunked']);
  } else if (!hasLength && (attempt.method === 'POST' || attempt.method === 'PUT' || attempt.method === 'PATCH')) {
    // RFC 9110 §8.6: a user agent SHOULD send Content-Length 0 when a method expects content.
    headers.push(['Content-Length', '0']);
  }
  if (options.decompress === true && !hasAcceptEncoding) headers.push(['Accept-Encoding', ACCEPT_ENCODING]);
  if (!hasAuthorization && (url.username !== '' || url.password !== '')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.push(['Authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`]);
  }
  if (proxyAuth !== undefined) headers.push(['Proxy-Authorization', proxyAuth]);
  if (versionMinor === 0 && !closes) headers.push(['Connection', 'keep-alive']);
  try {
    return { head: serializeRequestHead({ method: attempt.method, target, headers, versionMinor }), closes };
  } catch (error) {
    if (error instanceof WireError) throw new ClientError('CLIENT_INVALID_ARGUMENT', error.message, { cause: error });
    throw error;
  }
}

/** toUrl parses and checks a request URL. */
export function toUrl(input: string | URL): URL {
  let url: URL;
  if (input instanceof URL) url = input;
  else {
    try {
      url = new URL(input);
    } catch (error) {
      throw new ClientError('CLIENT_INVALID_URL', `Invalid URL "${String(input)}"`, { cause: error });
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientError('CLIENT_UNSUPPORTED_PROTOCOL', `Unsupported protocol "${url.protocol}": use http: or https:`);
  }
  return url;
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

// Fetch normalizes these methods to uppercase; any other token is sent as given.
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/** headerPairs flattens any accepted header shape into [name, value] pairs. */
export function headerPairs(headers: RequestHeaders | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (headers === undefined) return out;
  if (headers instanceof Fields || Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, FieldValue]>) out.push([name, String(value)]);
    return out;
  }
  const record = headers as Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly FieldValue[]) out.push([name, String(v)]);
    else out.push([name, String(value as FieldValue)]);
  }
  return out;
}

// HTTP/1.0 has no chunked coding: a body of unknown length is read first to learn its length.
async function bufferBody(body: PreparedBody): Promise<PreparedBody> {
  const parts: Uint8Array[] = [];
  for await (const chunk of (body.stream as () => AsyncIterable<Uint8Array>)()) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  return { length: bytes.length, contentType: body.contentType, bytes, stream: null, isReplayable: true };
}

// A stream sent with the caller's own Content-Length goes out with that length, not chunked.
function withDeclaredLength(body: PreparedBody, pairs: Array<[string, string]>): PreparedBody {
  for (const [name, value] of pairs) {
    if (name.length === 14 && name.toLowerCase() === 'content-length' && /^\d+$/.test(value)) {
      return { ...body, length: Number(value) };
    }
  }
  return body;
}
