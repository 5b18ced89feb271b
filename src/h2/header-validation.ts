// HTTP semantics of an HTTP/2 header list (RFC 9113 §8.1–§8.3): field names and values, pseudo-
// header fields (which, in what order, how many), connection-specific fields, TE, Content-Length.
// A list that breaks a rule is malformed: a stream error of type PROTOCOL_ERROR (§8.1.1).
import { TOKEN } from '../http/index.js';
import { H2StreamError } from './errors.js';

/** FieldLike is a decoded field (HeaderField fits). */
export interface FieldLike {
  readonly name: string;
  readonly value: string;
}

/** RequestHead is a validated request header list: pseudo-headers apart, regular fields in order. */
export interface RequestHead {
  method: string;
  scheme: string | null;
  authority: string | null;
  path: string | null;
  /** protocol is the `:protocol` of an extended CONNECT (RFC 8441 §4), else null. */
  protocol: string | null;
  fields: [name: string, value: string][];
  /** contentLength is the declared Content-Length, or -1. */
  contentLength: number;
}

/** ResponseHead is a validated response header list. */
export interface ResponseHead {
  status: number;
  fields: [name: string, value: string][];
  contentLength: number;
}

// RFC 9113 §8.2.2: fields that only mean something to an HTTP/1.1 connection.
const CONNECTION_SPECIFIC = new Set(['connection', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * validateRequestHeaders checks a request header list as a server receives it (RFC 9113 §8.3.1)
 * and throws an H2StreamError `H2_MALFORMED_HEADERS` on stream `streamId` when it is malformed.
 * `allowExtendedConnect` admits `:protocol` (RFC 8441), which needs SETTINGS_ENABLE_CONNECT_PROTOCOL.
 */
export function validateRequestHeaders(list: readonly FieldLike[], streamId: number, allowExtendedConnect = false): RequestHead {
  let method: string | null = null;
  let scheme: string | null = null;
  let authority: string | null = null;
  let path: string | null = null;
  let protocol: string | null = null;
  let isRegular = false;
  const fields: [string, string][] = [];
  let contentLength = -1;
  let host: string | null = null;
  for (let i = 0; i < list.length; i++) {
    const { name, value } = list[i] as FieldLike;
    if (name.charCodeAt(0) === 0x3a) {
      if (isRegular) fail(streamId, `pseudo-header "${name}" after a regular field (RFC 9113 §8.3)`);
      checkValue(name, value, streamId);
      switch (name) {
        case ':method':
          method = once(method, name, value, streamId);
          break;
        case ':scheme':
          scheme = once(scheme, name, value, streamId);
          break;
        case ':authority':
          authority = once(authority, name, value, streamId);
          break;
        case ':path':
          path = once(path, name, value, streamId);
          break;
        case ':protocol':
          if (!allowExtendedConnect) fail(streamId, '":protocol" without SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 §4)');
          protocol = once(protocol, name, value, streamId);
          break;
        default:
          fail(streamId, `unknown or response pseudo-header "${name}" in a request (RFC 9113 §8.3)`);
      }
      continue;
    }
    isRegular = true;
    contentLength = checkRegular(name, value, streamId, contentLength);
    if (name === 'host') host = value;
    fields.push([name, value]);
  }
  if (method === null) fail(streamId, 'no ":method" (RFC 9113 §8.3.1)');
  if (host !== null && authority !== null && host.toLowerCase() !== authority.toLowerCase()) {
    fail(streamId, `"host" "${host}" differs from ":authority" "${authority}" (RFC 9113 §8.3.1)`);
  }
  if (method === 'CONNECT' && protocol === null) {
    // RFC 9113 §8.5: CONNECT has :authority and neither :scheme nor :path.
    if (authority === null || scheme !== null || path !== null) fail(streamId, 'CONNECT needs ":authority" and no ":scheme" or ":path" (RFC 9113 §8.5)');
  } else {
    if (protocol !== null && method !== 'CONNECT') fail(streamId, '":protocol" on a method other than CONNECT (RFC 8441 §4)');
    if (scheme === null || path === null) fail(streamId, 'a request needs ":scheme" and ":path" (RFC 9113 §8.3.1)');
    if (path === '') fail(streamId, 'an empty ":path" (RFC 9113 §8.3.1)');
    // §8.3.1: for http and https, an origin-form path, or "*" for OPTIONS.
    if ((scheme === 'http' || scheme === 'https') && path.charCodeAt(0) !== 0x2f && !(path === '*' && method === 'OPTIONS')) {
      fail(streamId, `":path" "${path}" is neither "/..." nor "*" for OPTIONS (RFC 9113 §8.3.1)`);
    }
  }
  return { method, scheme, authority, path, protocol, fields, contentLength };
}

/**
 * validateResponseHeaders checks a response (or 1xx) header list as a client receives it
 * (RFC 9113 §8.3.2) and throws `H2_MALFORMED_HEADERS` on stream `streamId` when it is malformed.
 */
export function validateResponseHeaders(list: readonly FieldLike[], streamId: number): ResponseHead {
  let status: string | null = null;
  let isRegular = false;
  const fields: [string, string][] = [];
  let contentLength = -1;
  for (const { name, value } of list) {
    if (name.charCodeAt(0) === 0x3a) {
      if (isRegular) fail(streamId, `pseudo-header "${name}" after a regular field (RFC 9113 §8.3)`);
      if (name !== ':status') fail(streamId, `pseudo-header "${name}" in a response (RFC 9113 §8.3.2)`);
      status = once(status, name, value, streamId);
      continue;
    }
    isRegular = true;
    contentLength = checkRegular(name, value, streamId, contentLength);
    fields.push([name, value]);
  }
  if (status === null) fail(streamId, 'no ":status" (RFC 9113 §8.3.2)');
  if (!/^[1-9][0-9][0-9]$/.test(status)) fail(streamId, `":status" "${status}" is not a three-digit code`);
  if (status === '101') fail(streamId, '":status" 101: HTTP/2 has no protocol switch (RFC 9113 §8.6)');
  return { status: Number(status), fields, contentLength };
}

/** validateTrailers checks a trailer section: no pseudo-headers (RFC 9113 §8.1), the field rules of §8.2. */
export function validateTrailers(list: readonly FieldLike[], streamId: number): [name: string, value: string][] {
  const fields: [string, string][] = [];
  for (const { name, value } of list) {
    if (name.charCodeAt(0) === 0x3a) fail(streamId, `pseudo-header "${name}" in trailers (RFC 9113 §8.1)`);
    checkRegular(name, value, streamId, -1);
    fields.push([name, value]);
  }
  return fields;
}

// RFC 9113 §8.2.1–§8.2.2 for one regular field; returns the Content-Length seen so far.
function checkRegular(name: string, value: string, streamId: number, contentLength: number): number {
  if (name.length === 0) fail(streamId, 'an empty field name');
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    // §8.2.1 forbids uppercase and 0x00-0x20, 0x7f-0xff; like HTTP/1.1 we also hold names to the
    // token rule of RFC 9110 §5.6.2, as §8.2.1 allows.
    if (c >= 0x41 && c <= 0x5a) fail(streamId, `field name "${name}" has uppercase (RFC 9113 §8.2.1)`);
    if (c > 0xff || TOKEN[c] !== 1) fail(streamId, `field name "${name}" is not a token (RFC 9113 §8.2.1, RFC 9110 §5.6.2)`);
  }
  checkValue(name, value, streamId);
  if (CONNECTION_SPECIFIC.has(name)) fail(streamId, `connection-specific field "${name}" (RFC 9113 §8.2.2)`);
  if (name === 'te' && value !== 'trailers') fail(streamId, `"te" is "${value}", not "trailers" (RFC 9113 §8.2.2)`);
  if (name === 'content-length') {
    if (!/^[0-9]{1,15}$/.test(value)) fail(streamId, `"content-length" "${value}" is not a number`);
    const length = Number(value);
    if (contentLength !== -1 && contentLength !== length) fail(streamId, 'two different "content-length" values');
    return length;
  }
  return contentLength;
}

// RFC 9113 §8.2.1: no NUL, CR or LF, and, as §8.2.1 allows, no other control character either
// (RFC 9110 §5.5, as for HTTP/1.1); no leading or trailing SP or HTAB.
function checkValue(name: string, value: string, streamId: number): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // FIELD_VALUE without the table load: HTAB, SP to "~", and obs-text 0x80-0xff.
    if (c < 0x20 ? c !== 0x09 : c === 0x7f || c > 0xff) {
      fail(streamId, `value of "${name}" has control character 0x${c.toString(16)} (RFC 9113 §8.2.1, RFC 9110 §5.5)`);
    }
  }
  if (value.length > 0) {
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(value.length - 1);
    if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
      fail(streamId, `value of "${name}" starts or ends with whitespace (RFC 9113 §8.2.1)`);
    }
  }
}

function once(previous: string | null, name: string, value: string, streamId: number): string {
  if (previous !== null) fail(streamId, `"${name}" twice (RFC 9113 §8.3)`);
  return value;
}

function fail(streamId: number, detail: string): never {
  throw new H2StreamError('H2_MALFORMED_HEADERS', `Malformed header list on stream ${streamId}: ${detail}`, streamId);
}
