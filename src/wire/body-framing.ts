// How a message's body is delimited, decided from its head (RFC 9112 §6.3), and whether the
// connection persists after it (RFC 9112 §9.3).
import type { Buffer } from 'node:buffer';
import { fieldNameIs, latin1 } from './chars.js';
import {
  CONNECTION_CLOSE,
  CONNECTION_KEEP_ALIVE,
  connectionOptions,
  isHostBytes,
  parseContentLength,
  parseTransferEncoding,
  type HeadFail,
} from './framing.js';
import type { BodyFraming } from './head.js';

/**
 * FramingFacts collects, field line by field line, what decides framing and connection handling:
 * Content-Length, Transfer-Encoding, Connection and Host. The parser calls note() for each header
 * field and reset() once the head is built.
 */
export class FramingFacts {
  #contentLength = -1;
  #transferEncoding: string | null = null;
  #hostCount = 0;
  #isHostValid = true;
  #hasClose = false;
  #hasKeepAlive = false;

  /** contentLength is the Content-Length value (all copies agree), or -1 without one. */
  get contentLength(): number {
    return this.#contentLength;
  }

  /** transferEncoding is the combined Transfer-Encoding list, or null without one. */
  get transferEncoding(): string | null {
    return this.#transferEncoding;
  }

  /** hostCount counts the Host fields. */
  get hostCount(): number {
    return this.#hostCount;
  }

  /** isHostValid is false once a Host value is not a uri-host [ ":" port ] by its characters. */
  get isHostValid(): boolean {
    return this.#isHostValid;
  }

  /** note looks at the field buf[start, nameEnd) : buf[valueStart, valueEnd) and keeps what matters. */
  note(buf: Buffer, start: number, nameEnd: number, valueStart: number, valueEnd: number, fail: HeadFail): void {
    switch (nameEnd - start) {
      case 4:
        if (fieldNameIs(buf, start, nameEnd, 'host')) {
          this.#hostCount++;
          if (!isHostBytes(buf, valueStart, valueEnd)) this.#isHostValid = false;
        }
        return;
      case 10:
        if (fieldNameIs(buf, start, nameEnd, 'connection')) {
          const tokens = connectionOptions(buf, valueStart, valueEnd);
          if ((tokens & CONNECTION_CLOSE) !== 0) this.#hasClose = true;
          if ((tokens & CONNECTION_KEEP_ALIVE) !== 0) this.#hasKeepAlive = true;
        }
        return;
      case 14:
        if (fieldNameIs(buf, start, nameEnd, 'content-length')) {
          this.#contentLength = parseContentLength(latin1(buf, valueStart, valueEnd), this.#contentLength, fail);
        }
        return;
      case 17:
        if (fieldNameIs(buf, start, nameEnd, 'transfer-encoding')) {
          const value = latin1(buf, valueStart, valueEnd);
          this.#transferEncoding = this.#transferEncoding === null ? value : `${this.#transferEncoding},${value}`;
        }
        return;
      default:
        return;
    }
  }

  /** keepAlive applies RFC 9112 §9.3: HTTP/1.1 persists unless closed, HTTP/1.0 only on request. */
  keepAlive(versionMinor: 0 | 1): boolean {
    if (versionMinor === 1) return !this.#hasClose;
    return this.#hasKeepAlive && !this.#hasClose;
  }

  /** reset forgets the facts of the head just built. */
  reset(): void {
    this.#hostCount = 0;
    this.#isHostValid = true;
    this.#hasClose = false;
    this.#hasKeepAlive = false;
    this.#transferEncoding = null;
    this.#contentLength = -1;
  }
}

/**
 * requestFraming decides how a request's body is delimited (RFC 9112 §6.3): chunked when it has
 * Transfer-Encoding, by length when it has Content-Length, else none. CONNECT has no body here:
 * what follows its head belongs to the tunnel.
 */
export function requestFraming(facts: FramingFacts, method: string, versionMinor: 0 | 1, fail: HeadFail): BodyFraming {
  let framing: BodyFraming = 'none';
  const transferEncoding = facts.transferEncoding;
  if (transferEncoding !== null) {
    // RFC 9112 §6.1: TE in HTTP/1.0 is a sign of a faulty or smuggling intermediary.
    if (versionMinor === 0) fail('WIRE_TRANSFER_ENCODING_IN_HTTP10', 'Invalid request: Transfer-Encoding in HTTP/1.0');
    // RFC 9112 §6.3 (3): TE with Content-Length is how requests are smuggled; reject outright.
    if (facts.contentLength !== -1) {
      fail('WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH', 'Invalid request: both Transfer-Encoding and Content-Length');
    }
    parseTransferEncoding(transferEncoding, true, fail);
    framing = 'chunked';
  } else if (facts.contentLength !== -1) {
    framing = 'length';
  }
  return method === 'CONNECT' ? 'none' : framing;
}

/**
 * responseFraming decides how a response's body is delimited (RFC 9112 §6.3): none for 1xx, 204,
 * 304, answers to HEAD and 2xx answers to CONNECT; chunked, or until close when chunked is not the
 * final coding; by Content-Length; otherwise until the connection closes.
 */
export function responseFraming(facts: FramingFacts, status: number, method: string, versionMinor: 0 | 1, fail: HeadFail): BodyFraming {
  if (status < 200) return 'none';
  if (method === 'CONNECT' && status < 300) return 'none';
  // RFC 9112 §6.3 (1): these responses never have content, whatever the fields say.
  if (method === 'HEAD' || status === 204 || status === 304) return 'none';
  const transferEncoding = facts.transferEncoding;
  if (transferEncoding !== null) {
    if (versionMinor === 0) fail('WIRE_TRANSFER_ENCODING_IN_HTTP10', 'Invalid response: Transfer-Encoding in HTTP/1.0');
    if (facts.contentLength !== -1) {
      fail('WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH', 'Invalid response: both Transfer-Encoding and Content-Length');
    }
    // RFC 9112 §6.3 (4): when chunked is not the final coding, the body runs until close.
    return parseTransferEncoding(transferEncoding, false, fail) ? 'chunked' : 'close';
  }
  if (facts.contentLength !== -1) return 'length';
  return 'close';
}

/** isResponseUpgrade tells whether the parser stops after this response head: 101, or 2xx to CONNECT. */
export function isResponseUpgrade(status: number, method: string): boolean {
  return status === 101 || (method === 'CONNECT' && status >= 200 && status < 300);
}
