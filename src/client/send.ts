import { performance } from 'node:perf_hooks';
import type { Fields, HttpVersion } from '../http/index.js';
import type { Dispatcher } from './dispatcher.js';
import { prepareBody, prepareJson, type RequestBody } from './body.js';
import { DEFAULT_MAX_DECOMPRESSED_SIZE, decodingsFor, decompress } from './decompress.js';
import { InvalidResponseError, RedirectRefusedError, TooManyRedirectsError, UnsupportedProtocolError } from './errors.js';
import { Exchange, Guard } from './exchange.js';
import { BODY_HEADERS, CREDENTIAL_HEADERS, DEFAULT_MAX_REDIRECTS, isRedirect, nextRedirect } from './redirect.js';
import {
  bufferBody,
  headerPairs,
  requestFields,
  normalizeMethod,
  toUrl,
  withDeclaredLength,
  type Attempt,
  type RequestHeaders,
} from './request-fields.js';
import { ResponseBody } from './response-body.js';
import type { Dispatch, Timings } from './types.js';

export type { RequestHeaders } from './request-fields.js';

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
  /**
   * httpVersion is the version to speak. Unset: HTTP/2 when ALPN picks it on https, else HTTP/1.1.
   * "1.1" or "1.0" force HTTP/1.x; "2" on http:// speaks HTTP/2 with prior knowledge (h2c).
   */
  httpVersion?: HttpVersion;
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
  /** onInterim sees 1xx interim responses: status, reason and fields. */
  onInterim?: (interim: InterimResponse) => void;
  /**
   * omitHeaders names headers the client adds by itself (Host, Connection, Content-Type,
   * Accept-Encoding, Authorization, Proxy-Authorization, and Content-Length when there is no
   * body) that must not be sent, as curl's `-H 'Host:'`. A body's framing is always sent.
   */
  omitHeaders?: readonly string[];
  /**
   * requestTarget replaces the request-target of the first request (not of redirects), as curl's
   * --request-target: `*` for OPTIONS, or an absolute-form URL. It must be valid target bytes.
   */
  requestTarget?: string;
  /** onRequestHead sees each request head as its connection writes it (HTTP/1: the serialized text). */
  onRequestHead?: (head: string, url: URL) => void;
}

/** InterimResponse is a 1xx response (RFC 9110 §15.2) seen before the final one. */
export interface InterimResponse {
  status: number;
  statusText: string;
  headers: Fields;
}

/** ClientResponse is what request() resolves to once the response head has arrived. */
export interface ClientResponse {
  status: number;
  statusText: string;
  /** httpVersion is the version the server answered with: "1.0", "1.1" or "2". */
  httpVersion: HttpVersion;
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


/**
 * sendRequest sends a request through `agent`, follows redirects and decodes the body as asked,
 * and resolves when the final response head arrives. request() and the dispatchers' request()
 * methods call it; it never picks a default agent itself.
 */
export async function sendRequest(agent: Dispatcher, input: string | URL, options: RequestOptions): Promise<ClientResponse> {
  let url = toUrl(input);
  let method = options.method === undefined ? 'GET' : normalizeMethod(options.method);
  let body = options.json !== undefined ? prepareJson(options.json) : prepareBody(options.body);
  const httpVersion = options.httpVersion ?? '1.1';
  if (httpVersion !== '1.0' && httpVersion !== '1.1' && httpVersion !== '2') {
    throw new UnsupportedProtocolError(`Unsupported httpVersion "${String(httpVersion)}": use "2", "1.1" or "1.0"`);
  }
  // HTTP/1.0 has no chunked coding: a body of unknown length is read first to learn its length.
  if (body !== null && body.length < 0 && httpVersion === '1.0') body = await bufferBody(body);
  let pairs = headerPairs(options.headers);
  if (body !== null && body.length < 0) body = withDeclaredLength(body, pairs);
  const guard = new Guard(options);
  const redirectMode = options.redirect ?? 'follow';
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let redirects = 0;
  const omit = options.omitHeaders === undefined ? undefined : new Set(options.omitHeaders.map((name) => name.toLowerCase()));
  try {
    for (;;) {
      const response = await send({ url, method, pairs, body, omit }, agent, options, httpVersion, guard, redirects > 0);
      const location = response.headers.get('location');
      if (!isRedirect(response.status) || location === undefined || redirectMode === 'manual') {
        return finish(response, options, guard, method);
      }
      if (redirectMode === 'error') {
        await response.body.dump();
        throw new RedirectRefusedError(`Redirect ${response.status} to "${location}" refused: redirect mode is error`);
      }
      if (redirects >= maxRedirects) {
        await response.body.dump();
        throw new TooManyRedirectsError(`Too many redirects: more than ${maxRedirects}, last to "${location}"`);
      }
      const step = nextRedirect(response.status, location, url, method, options.allowDowngrade === true);
      options.onRedirect?.(response, step.url);
      await response.body.dump();
      if (!step.keepsBody) {
        body = null;
        pairs = pairs.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase()));
      } else if (body !== null && !body.isReplayable) {
        throw new RedirectRefusedError(`Cannot follow ${response.status} to "${step.url.href}": the request body was a stream`);
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

function finish(response: ClientResponse, options: RequestOptions, guard: Guard, method: string): ClientResponse {
  const raw = response.body;
  const codings = transferDecodings(response, method);
  const encoding = response.headers.get('content-encoding');
  if (options.decompress === true && encoding !== undefined) codings.push(...(decodingsFor(encoding) ?? []));
  if (codings.length > 0) {
    const max = options.maxDecompressedSize ?? DEFAULT_MAX_DECOMPRESSED_SIZE;
    response.body = ResponseBody.from(decompress(raw, codings, max), raw);
  }
  guard.attach(raw);
  return response;
}

// Transfer codings are hop-by-hop (RFC 9112 §7): whatever `decompress` says, the ones before the
// final chunked (or all of them, for a body read until close) are undone here, first. One the
// client cannot undo fails the response rather than handing over coded bytes as the content.
function transferDecodings(response: ClientResponse, method: string): string[] {
  const fields = response.headers.getAll('transfer-encoding');
  // RFC 9112 §6.3 (1): these responses have no content, whatever the fields say.
  if (fields.length === 0 || method === 'HEAD' || response.status === 204 || response.status === 304) return [];
  const list = fields.join(',').split(',').map((c) => c.trim().toLowerCase());
  if (list.at(-1) === 'chunked') list.pop();
  if (list.length === 0) return [];
  const codings = list.includes('chunked') ? null : decodingsFor(list.join(','));
  if (codings !== null) return codings;
  const error = new InvalidResponseError(`Unsupported transfer coding "${list.join(', ')}" from ${new URL(response.url).host}`);
  response.body.cancel(error);
  throw error;
}

function send(attempt: Attempt, agent: Dispatcher, options: RequestOptions, httpVersion: HttpVersion, guard: Guard, isRedirected: boolean): Promise<ClientResponse> {
  if (guard.error !== null) return Promise.reject(guard.error);
  const { url, method } = attempt;
  const route = options.httpVersion === undefined ? agent.route(url) : agent.route(url, options.httpVersion);
  const path = `${url.pathname}${url.search}`;
  const requestTarget = options.requestTarget !== undefined && !isRedirected ? options.requestTarget : null;
  const fields = requestFields(attempt, requestTarget ?? path, options.decompress === true, route.proxyAuthorization);
  const onRequestHead = options.onRequestHead;
  const timings: Timings = { start: performance.now(), dns: -1, connect: -1, tls: -1, firstByte: -1, end: -1, isReused: false };
  return new Promise<ClientResponse>((resolve, reject) => {
    const handler = new Exchange(resolve, reject, url, method, timings, isRedirected, options, guard);
    const d: Dispatch = {
      method,
      scheme: url.protocol === 'https:' ? 'https' : 'http',
      authority: url.host,
      path,
      requestTarget,
      fields,
      omit: attempt.omit ?? null,
      body: attempt.body,
      httpVersion,
      isIdempotent: IDEMPOTENT.has(method),
      headersTimeout: options.headersTimeout ?? DEFAULT_TIMEOUT,
      bodyTimeout: options.bodyTimeout ?? DEFAULT_TIMEOUT,
      timings,
      handler,
      onRequestHead: onRequestHead === undefined ? null : (head) => onRequestHead(head, url),
      retries: 0,
      isCancelled: false,
      detach: null,
    };
    if (guard.isActive) guard.track(d);
    route.pool.dispatch(d);
  });
}

