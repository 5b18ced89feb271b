import { Buffer } from 'node:buffer';
import { forEachField, hasToken, type FieldValue, type HeadersInit } from '../http/index.js';
import { WireError, serializeRequestHead } from '../wire/index.js';
import { ACCEPT_ENCODING } from './decompress.js';
import { ClientError } from './errors.js';
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
 * buildHead serializes the request head: the caller's fields plus Host, framing (Content-Length
 * or chunked), Content-Type from the body, Accept-Encoding when decoding, and credentials from
 * the URL. `closes` tells whether the caller asked for Connection: close. A name in
 * `attempt.omit` is not added (curl's `-H 'Host:'`); framing of a body is never omitted.
 */
export function buildHead(
  attempt: Attempt,
  target: string,
  versionMinor: 0 | 1,
  decompress: boolean,
  proxyAuth: string | undefined,
): { head: string; closes: boolean } {
  const { url, body } = attempt;
  const headers: Array<[string, string]> = [];
  let hasHost = false;
  let hasLength = false;
  let hasType = false;
  let hasAcceptEncoding = false;
  let hasAuthorization = false;
  let closes = false;
  const omit = attempt.omit;
  if (omit !== undefined && omit.size > 0) {
    hasHost = omit.has('host');
    hasType = omit.has('content-type');
    hasAcceptEncoding = omit.has('accept-encoding');
    hasAuthorization = omit.has('authorization');
    hasLength = body === null && omit.has('content-length');
  }
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
  if (decompress && !hasAcceptEncoding) headers.push(['Accept-Encoding', ACCEPT_ENCODING]);
  if (!hasAuthorization && (url.username !== '' || url.password !== '')) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.push(['Authorization', `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`]);
  }
  if (proxyAuth !== undefined && omit?.has('proxy-authorization') !== true) headers.push(['Proxy-Authorization', proxyAuth]);
  if (versionMinor === 0 && !closes && omit?.has('connection') !== true) headers.push(['Connection', 'keep-alive']);
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
