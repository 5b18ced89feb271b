// The fields that decide framing and connection handling, read strictly (RFC 9112 §6, §9).
import { HOST, HTAB, SP, TOKEN } from './chars.js';
import type { ParseReason } from './errors.js';
import { fieldNameIs } from './chars.js';

/** HeadFail reports a rejection of the head as a whole; it never returns. */
export type HeadFail = (reason: ParseReason, message: string, status?: number) => never;

/**
 * parseContentLength reads one Content-Length field value and returns the length. RFC 9112 §6.3
 * (5): several fields, or a list, are accepted only when every value is the same (`previous` is
 * the earlier value or -1); each value is 1*DIGIT (RFC 9110 §8.6), so no sign, space or hex.
 */
export function parseContentLength(value: string, previous: number, fail: HeadFail): number {
  let from = 0;
  let length = previous;
  for (;;) {
    let to = value.indexOf(',', from);
    if (to === -1) to = value.length;
    let a = from;
    let b = to;
    while (a < b && (value.charCodeAt(a) === SP || value.charCodeAt(a) === HTAB)) a++;
    while (b > a && (value.charCodeAt(b - 1) === SP || value.charCodeAt(b - 1) === HTAB)) b--;
    if (a === b) fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": empty value`);
    let n = 0;
    for (let i = a; i < b; i++) {
      const d = value.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": not a decimal number`);
      n = n * 10 + d;
      if (n > Number.MAX_SAFE_INTEGER) fail('WIRE_CONTENT_LENGTH_TOO_LARGE', `Content-Length "${value}" is too large`, 413);
    }
    if (length !== -1 && length !== n) {
      fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": differs from an earlier value`);
    }
    length = n;
    if (to === value.length) return length;
    from = to + 1;
  }
}

function isToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return false;
  }
  return s.length > 0;
}

/**
 * parseTransferEncoding checks the combined Transfer-Encoding list and tells whether it ends in
 * chunked, which may appear once (RFC 9112 §6.1, §7). A request must end in chunked and use no
 * other coding; a response may use others and frame its body by close (RFC 9112 §6.3 (4)): what
 * the codings mean is the recipient's business.
 */
export function parseTransferEncoding(value: string, isRequest: boolean, fail: HeadFail): boolean {
  const codings = value.split(',');
  let unknown = '';
  let chunked = 0;
  for (let k = 0; k < codings.length; k++) {
    const coding = (codings[k] as string).trim().toLowerCase();
    if (coding === '' || !isToken(coding)) {
      fail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": malformed list`);
    }
    if (coding === 'chunked') {
      if (k !== codings.length - 1 && isRequest) {
        fail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": chunked is not the final coding`);
      }
      if (++chunked > 1) fail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": chunked more than once`);
    } else if (unknown === '') {
      unknown = coding;
    }
  }
  const isChunked = (codings[codings.length - 1] as string).trim().toLowerCase() === 'chunked';
  // RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
  if (isRequest && !isChunked) {
    fail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": chunked is not the final coding`);
  }
  // RFC 9112 §6.1: a server that does not understand a transfer coding answers 501.
  if (unknown !== '' && isRequest) fail('WIRE_UNSUPPORTED_TRANSFER_ENCODING', `Unsupported transfer coding "${unknown}"`, 501);
  return isChunked;
}

/** CONNECTION_CLOSE and CONNECTION_KEEP_ALIVE are the bits connectionOptions returns. */
export const CONNECTION_CLOSE = 1;
export const CONNECTION_KEEP_ALIVE = 2;

/**
 * connectionOptions reads the comma-separated Connection list in buf[start, end) in one pass and
 * returns CONNECTION_CLOSE and CONNECTION_KEEP_ALIVE bits for the options it names (any case).
 */
export function connectionOptions(buf: Uint8Array, start: number, end: number): number {
  let found = 0;
  let i = start;
  while (i <= end) {
    let j = i;
    while (j < end && buf[j] !== 0x2c) j++;
    let a = i;
    let b = j;
    while (a < b && (buf[a] === SP || buf[a] === HTAB)) a++;
    while (b > a && (buf[b - 1] === SP || buf[b - 1] === HTAB)) b--;
    if (fieldNameIs(buf, a, b, 'close')) found |= CONNECTION_CLOSE;
    else if (fieldNameIs(buf, a, b, 'keep-alive')) found |= CONNECTION_KEEP_ALIVE;
    i = j + 1;
  }
  return found;
}

/** isHostBytes tells whether buf[start, end) is a uri-host [ ":" port ] by its characters. */
export function isHostBytes(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (HOST[buf[i] as number] !== 1) return false;
  }
  return true;
}

/** isHost is isHostBytes for a string. */
export function isHost(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || HOST[c] !== 1) return false;
  }
  return true;
}
