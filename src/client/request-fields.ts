import { Buffer } from 'node:buffer';
import { fieldValueProblem, forEachField, tokenProblem, type FieldValue, type HeadersInit } from '../http/index.js';
import { ACCEPT_ENCODING } from './decompress.js';
import { InvalidArgumentError, InvalidUrlError, UnsupportedProtocolError } from './errors.js';
import type { PreparedBody } from './types.js';

/** RequestHeaders are the header shapes a request accepts. */
export type RequestHeaders = HeadersInit | Headers;

/** Attempt is one request of a redirect chain: where, how, and with what. */
export interface Attempt {
  url: URL;
  method: string;
  pairs: Array<[string, string]>;
  body: PreparedBody | null;
  /** omit names (lowercase) headers the client would add itself but must not send. */
  omit?: ReadonlySet<string> | undefined;
}

/**
 * requestFields returns the request's header fields in a form every protocol sends: the caller's
 * fields plus Content-Type from the body, Content-Length when the length is known (0 for a POST,
 * PUT or PATCH without a body), Accept-Encoding when decoding, credentials from the URL and the
 * proxy's, less what `attempt.omit` names. Host and Transfer-Encoding belong to HTTP/1 and are
 * added by its connection. Names,
 * values, method and path are checked here, so a bad request fails before any connection opens.
 */
export function requestFields(attempt: Attempt, path: string, decompress: boolean, proxyAuth: string | undefined): Array<[string, string]> {
  const { url, body } = attempt;
  const fields: Array<[string, string]> = [];
  let hasLength = false;
  let hasType = false;
  let hasAcceptEncoding = false;
  let hasAuthorization = false;
  const omit = attempt.omit;
  if (omit !== undefined && omit.size > 0) {
    hasType = omit.has('content-type');
    hasAcceptEncoding = omit.has('accept-encoding');
    hasAuthorization = omit.has('authorization');
    hasLength = body === null && omit.has('content-length');
  }
  check(tokenProblem(attempt.method, 'method'));
  check(targetProblem(path));
  for (const pair of attempt.pairs) {
    const name = pair[0];
    check(tokenProblem(name, 'header name') ?? fieldValueProblem(name, pair[1]));
    switch (name.length) {
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
    fields.push(pair);
  }
  if (body !== null) {
    if (!hasType && body.contentType !== null) fields.push(['Content-Type', body.contentType]);
    if (!hasLength && body.length >= 0) fields.push(['Content-Length', String(body.length)]);
  } else if (!hasLength && (attempt.method === 'POST' || attempt.method === 'PUT' || attempt.method === 'PATCH')) {
    // RFC 9110 §8.6: a user agent SHOULD send Content-Length 0 when a method expects content.
    fields.push(['Content-Length', '0']);
  }
  if (decompress && !hasAcceptEncoding) fields.push(['Accept-Encoding', ACCEPT_ENCODING]);
  if (!hasAuthorization && (url.username !== '' || url.password !== '')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    fields.push(['Authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`]);
  }
  if (proxyAuth !== undefined && omit?.has('proxy-authorization') !== true) fields.push(['Proxy-Authorization', proxyAuth]);
  return fields;
}

function check(problem: string | null): void {
  if (problem !== null) throw new InvalidArgumentError(problem);
}

// A request path is what a request-target may hold (RFC 9112 §3.2): no space, control, DEL or "#".
function targetProblem(path: string): string | null {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f || c === 0x23 || c > 0xff) return `Invalid request-target "${path}": contains a forbidden character`;
  }
  return path.length === 0 ? 'Invalid request-target "": empty' : null;
}

/** toUrl parses and checks a request URL. */
export function toUrl(input: string | URL): URL {
  let url: URL;
  if (input instanceof URL) url = input;
  else {
    try {
      url = new URL(input);
    } catch (error) {
      throw new InvalidUrlError(`Invalid URL "${String(input)}"`, { cause: error });
    }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UnsupportedProtocolError(`Unsupported protocol "${url.protocol}": use http: or https:`);
  }
  return url;
}

const STANDARD_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH']);

/** normalizeMethod uppercases the standard methods, as fetch does. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/** headerPairs flattens any accepted header shape into [name, value] pairs. */
export function headerPairs(headers: RequestHeaders | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  forEachField(headers as HeadersInit | undefined, pushPair, out);
  return out;
}

function pushPair(name: string, value: FieldValue, out: Array<[string, string]>): void {
  out.push([name, String(value)]);
}

// HTTP/1.0 has no chunked coding: a body of unknown length is read first to learn its length.
/** bufferBody reads a stream body whole (HTTP/1.0 cannot send chunked). */
export async function bufferBody(body: PreparedBody): Promise<PreparedBody> {
  const parts: Uint8Array[] = [];
  for await (const chunk of (body.stream as () => AsyncIterable<Uint8Array>)()) parts.push(chunk);
  const bytes = Buffer.concat(parts);
  return { length: bytes.length, contentType: body.contentType, bytes, stream: null, isReplayable: true };
}

// A stream sent with the caller's own Content-Length goes out with that length, not chunked.
/** withDeclaredLength gives a stream body the caller's Content-Length, so it is not sent chunked. */
export function withDeclaredLength(body: PreparedBody, pairs: Array<[string, string]>): PreparedBody {
  for (const [name, value] of pairs) {
    if (name.length === 14 && name.toLowerCase() === 'content-length' && /^\d+$/.test(value)) {
      return { ...body, length: Number(value) };
    }
  }
  return body;
}
