// A response that never changes, kept ready as bytes: the hot path of a static file server.
import { Buffer } from 'node:buffer';
import type { HeadersInit } from '../http/index.js';
import { dateLine } from './date.js';
import { contentLengthLine, HeadPlan, serializeHeaderFields, statusLine } from './head.js';
import type { ServerResponse } from './types.js';

/** PREBUILT_MAX is the largest body kept joined to its head as one Buffer. */
const PREBUILT_MAX = 64 * 1024;

/**
 * FixedResponse is a ServerResponse whose status, header fields and body never change once made
 * (the body bytes must not be modified). The HTTP/1 writer keeps its whole answer, head with the
 * current Date and small body, as one Buffer rebuilt only when the Date second changes, so a
 * keep-alive GET is answered with one write and no header work. Anywhere else (HEAD, HTTP/1.0,
 * a closing connection, HTTP/2) it is an ordinary ServerResponse. Invalid fields throw
 * SERVER_INVALID_RESPONSE from the constructor.
 */
export class FixedResponse implements ServerResponse {
  readonly status: number;
  readonly headers: HeadersInit;
  readonly body: Uint8Array | null;
  /** #head is the status line and the handler's field lines; #framing ends the head after Date. */
  readonly #head: string;
  readonly #framing: string;
  readonly #hasDate: boolean;
  readonly #isPrebuilt: boolean;
  #date = '';
  #bytes: Buffer | null = null;
  #text = '';

  constructor(status: number, headers: HeadersInit, body: Uint8Array | null) {
    // RFC 9110 §15.3.5, §15.4.5: 204 and 304 never have content (as ResponseWriter frames them).
    const isBodyless = status === 204 || status === 304;
    this.status = status;
    this.headers = headers;
    this.body = isBodyless ? null : body;
    const plan = new HeadPlan();
    const fields = serializeHeaderFields(headers, plan);
    this.#head = statusLine(status, 1) + fields;
    this.#hasDate = plan.hasDate;
    let framing: string;
    if (isBodyless) framing = status === 304 && plan.contentLength !== null ? `Content-Length: ${plan.contentLength}\r\n` : '';
    else framing = contentLengthLine(body === null ? 0 : body.byteLength);
    this.#framing = `${framing}\r\n`;
    // Fields that change the connection's fate or framing take the general path.
    this.#isPrebuilt = status >= 200 && status <= 999 && !plan.asksClose && !plan.hasTransferEncoding;
  }

  /**
   * keepAliveHead returns the whole head of this answer on a persistent HTTP/1.1 connection (with
   * the current Date), or null when the general writer must frame it.
   */
  keepAliveHead(): string | null {
    if (!this.#isPrebuilt) return null;
    const date = this.#hasDate ? '' : dateLine();
    if (date !== this.#date || this.#text === '') {
      this.#date = date;
      this.#text = this.#head + date + this.#framing;
      this.#bytes = null;
    }
    return this.#text;
  }

  /**
   * keepAliveBytes returns head and body as one Buffer for a persistent HTTP/1.1 connection,
   * rebuilt when the Date second changes (a new Buffer: the previous one may still be queued on
   * a socket), or null when the body is too big to keep twice or the general writer must frame it.
   */
  keepAliveBytes(): Buffer | null {
    const body = this.body;
    if (body !== null && body.byteLength > PREBUILT_MAX) return null;
    const head = this.keepAliveHead();
    if (head === null) return null;
    let bytes = this.#bytes;
    if (bytes === null) {
      const length = body === null ? 0 : body.byteLength;
      bytes = Buffer.allocUnsafeSlow(head.length + length);
      bytes.write(head, 0, 'latin1');
      if (body !== null) bytes.set(body, head.length);
      this.#bytes = bytes;
    }
    return bytes;
  }
}
