import { Buffer } from 'node:buffer';
import { open } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { reasonPhrase } from '../http/index.js';
import { dateLine } from './date.js';
import { InvalidHandlerResponseError } from './errors.js';
import { Continue, type Exchange } from './exchange.js';
import { FixedResponse } from './fixed-response.js';
import { contentLengthLine, HeadPlan, serializeHeaderFields, statusLine } from './head.js';
import { writeFile, writeStream } from './response.js';
import type { FileRange, ResponseBody, ServerResponse } from './types.js';

/** WriterHost hears when an asynchronous response body is done or broke. */
export interface WriterHost {
  responseDone(ex: Exchange): void;
  responseFailed(ex: Exchange, error: unknown): void;
}

/** BATCH_BYTES is how much latin1 text a batch collects before it is written. */
const BATCH_BYTES = 64 * 1024;
/** SMALL_BYTES bodies are copied next to their head so both leave in one write. */
const SMALL_BYTES = 16 * 1024;
const TEXT_PLAIN = Object.freeze({ 'Content-Type': 'text/plain; charset=utf-8' });
const errorResponses = new Map<number, ServerResponse>();
/** CONTINUE is the interim answer to Expect: 100-continue (RFC 9110 §15.2.1). */
export const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** errorResponse returns the engine's plain-text answer for a status (its reason phrase). */
export function errorResponse(status: number): ServerResponse {
  let res = errorResponses.get(status);
  if (res === undefined) {
    res = Object.freeze({ status, headers: TEXT_PLAIN, body: reasonPhrase(status) });
    errorResponses.set(status, res);
  }
  return res;
}

/** isFileRange tells whether a response body is a FileRange. */
export function isFileRange(body: object): body is FileRange {
  return (body as Partial<FileRange>).kind === 'file' && typeof (body as Partial<FileRange>).path === 'string';
}

/** isStream tells whether a response body is a stream or async iterable. */
export function isStream(body: object): body is Readable | AsyncIterable<Uint8Array> {
  return Symbol.asyncIterator in body;
}

/**
 * responseLength is the content length a response body will have, or -1 when a stream's length is
 * unknown; `contentLength` is the Content-Length the handler stated, if any. Both HTTP versions
 * frame their answers from it. It throws SERVER_INVALID_RESPONSE for a body it cannot send.
 */
export function responseLength(method: string, body: ResponseBody | null, contentLength: string | null): number {
  if (body === null) {
    // HEAD may state the Content-Length a GET would send (RFC 9110 §9.3.2): Hono's HEAD is a
    // bodiless copy of its GET response.
    return method === 'HEAD' && contentLength !== null && /^[0-9]{1,15}$/.test(contentLength) ? Number(contentLength) : 0;
  }
  if (typeof body === 'string') return Buffer.byteLength(body, 'utf8');
  if (body instanceof Uint8Array) return body.byteLength;
  if (typeof body === 'object' && isFileRange(body)) {
    if (!Number.isSafeInteger(body.start) || !Number.isSafeInteger(body.end) || body.start < 0 || body.end < body.start) {
      throw new InvalidHandlerResponseError(`Invalid file range "${body.start}-${body.end}" for "${body.path}"`);
    }
    return body.end - body.start;
  }
  if (typeof body !== 'object' || !isStream(body)) {
    throw new InvalidHandlerResponseError(`Invalid response body: ${typeof body}`);
  }
  if (contentLength === null) return -1;
  if (!/^[0-9]{1,15}$/.test(contentLength)) throw new InvalidHandlerResponseError(`Invalid Content-Length "${contentLength}"`);
  return Number(contentLength);
}

/** responseError tells what is wrong with what a handler returned as its response, or null: it needs an object with a numeric status. */
export function responseError(res: unknown): InvalidHandlerResponseError | null {
  if (res !== null && typeof res === 'object' && typeof (res as ServerResponse).status === 'number') return null;
  return new InvalidHandlerResponseError('Invalid response: handler must return an object with a numeric status');
}

/** disposeBody releases a response body that will not be sent (HEAD, 304, a late answer). */
export function disposeBody(body: ResponseBody | undefined): void {
  if (body === null || body === undefined || typeof body !== 'object' || body instanceof Uint8Array) return;
  try {
    if (typeof (body as Readable).destroy === 'function') {
      (body as Readable).destroy();
    } else if (isStream(body)) {
      const it = body[Symbol.asyncIterator]();
      it.return?.()?.catch(noop);
    }
  } catch {
    // A body that fails to close has nothing more to give.
  }
}

function fileErrorStatus(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 404;
  if (code === 'EACCES' || code === 'EPERM') return 403;
  return 500;
}

/**
 * ResponseWriter turns ServerResponses into bytes on one socket. Responses written while a
 * batch is open (one socket read's worth of pipelined requests) leave in a single write.
 */
export class ResponseWriter {
  #socket: Socket;
  #host: WriterHost;
  #plan = new HeadPlan();
  #isBatching = false;
  #out = '';
  #isBusy = false;

  constructor(socket: Socket, host: WriterHost) {
    this.#socket = socket;
    this.#host = host;
  }

  /** isBusy tells whether a streamed or file body is being written. */
  get isBusy(): boolean {
    return this.#isBusy;
  }

  /** startBatch collects latin1 writes until endBatch, to leave in one socket write. */
  startBatch(): void {
    this.#isBatching = true;
  }

  /** endBatch writes what the batch collected. */
  endBatch(): void {
    this.#isBatching = false;
    this.flush();
  }

  /** flush writes what the batch holds. */
  flush(): void {
    if (this.#out.length > 0) {
      const out = this.#out;
      this.#out = '';
      this.#socket.write(out, 'latin1');
    }
  }

  /** write sends latin1 text (batched) or bytes, in order. */
  write(data: string | Uint8Array): void {
    if (typeof data === 'string') {
      // The batch stays small, so the socket (and its writableNeedDrain) sees big answers at once.
      if (this.#isBatching && data.length < BATCH_BYTES) {
        this.#out += data;
        if (this.#out.length >= BATCH_BYTES) this.flush();
        return;
      }
      this.flush();
      this.#socket.write(data, 'latin1');
      return;
    }
    this.flush();
    this.#socket.write(data);
  }

  // A head and a body too big to copy leave corked: one writev, and over TLS one record write.
  #writeJoined(head: string, body: Uint8Array): void {
    const socket = this.#socket;
    socket.cork();
    this.flush();
    socket.write(head, 'latin1');
    socket.write(body);
    socket.uncork();
  }

  /**
   * writeResponse writes ex.response; it returns true when the whole response is out, false when
   * a file or stream body continues asynchronously (then host.responseDone follows). It throws,
   * having written nothing, when the response is invalid.
   */
  writeResponse(ex: Exchange, mustClose: boolean, hasUnreadBody: boolean): boolean {
    let closes = mustClose;
    const res = ex.response as ServerResponse;
    if (res instanceof FixedResponse && !mustClose && !hasUnreadBody && ex.versionMinor === 1 && ex.method === 'GET' && isContinueSettled(ex)) {
      // The hot path: the answer's bytes are ready (see FixedResponse).
      const bytes = res.keepAliveBytes();
      if (bytes !== null) {
        ex.isClosing = false;
        this.write(bytes);
        return true;
      }
      const head = res.keepAliveHead();
      if (head !== null) {
        ex.isClosing = false;
        if (res.body === null) this.write(head);
        else this.#writeJoined(head, res.body);
        return true;
      }
    }
    const status = res.status;
    if (!Number.isInteger(status) || status < 200 || status > 999) {
      throw new InvalidHandlerResponseError(`Invalid response status "${status}": expected an integer from 200 to 999`);
    }
    const plan = this.#plan;
    plan.reset();
    const fields = serializeHeaderFields(res.headers, plan);
    const body = res.body ?? null;
    const length = responseLength(ex.method, body, plan.contentLength);
    const isHead = ex.method === 'HEAD';
    // RFC 9110 §15.3.5, §15.4.5: 204 and 304 never have content.
    const isBodyless = status === 204 || status === 304;
    let framing = '';
    let isChunked = false;
    if (isBodyless) {
      if (status === 304 && plan.contentLength !== null) framing = `Content-Length: ${plan.contentLength}\r\n`;
    } else if (length >= 0) {
      // HEAD gets the Content-Length a GET would (RFC 9110 §9.3.2).
      framing = contentLengthLine(length);
    } else if (ex.versionMinor === 1) {
      isChunked = !isHead;
      if (isChunked) framing = 'Transfer-Encoding: chunked\r\n';
    } else if (!isHead) {
      closes = true; // HTTP/1.0 has no chunked coding: the close delimits the body
    }
    if (plan.asksClose) closes = true;
    // A streamed answer may still read the request body: the rest is judged when it ends.
    if (hasUnreadBody && (length >= 0 || isHead || isBodyless)) closes = true;
    ex.isClosing = closes;
    let head = statusLine(status, 1) + fields;
    if (ex.continueState === Continue.ReaderWaits || (ex.continueState === Continue.Asked && length < 0 && !isHead && !isBodyless)) {
      // The handler waits for the body, or streams an answer that may read it: the client gets
      // its 100 Continue first.
      head = CONTINUE + head;
      ex.continueState = Continue.Sent;
    } else if (ex.continueState === Continue.Asked) {
      ex.continueState = Continue.Moot;
    }
    if (!plan.hasDate) head += dateLine();
    head += framing;
    if (closes) head += 'Connection: close\r\n\r\n';
    else if (ex.versionMinor === 0) head += 'Connection: keep-alive\r\n\r\n';
    else head += '\r\n';

    if (isHead || isBodyless || body === null || length === 0) {
      if (body !== null && typeof body === 'object') disposeBody(body);
      this.write(head);
      return true;
    }
    if (typeof body === 'string') {
      if (length === body.length) {
        // All ASCII: one latin1 string, no intermediate buffer.
        this.write(head + body);
      } else {
        const out = Buffer.allocUnsafe(head.length + length);
        out.write(head, 0, 'latin1');
        out.write(body, head.length, 'utf8');
        this.write(out);
      }
      return true;
    }
    if (body instanceof Uint8Array) {
      if (length <= SMALL_BYTES) {
        const out = Buffer.allocUnsafe(head.length + length);
        out.write(head, 0, 'latin1');
        out.set(body, head.length);
        this.write(out);
      } else {
        this.#writeJoined(head, body);
      }
      return true;
    }
    this.flush();
    this.#isBusy = true;
    const sending = isFileRange(body)
      ? this.#sendFile(ex, head, body, closes)
      : this.#sendStream(ex, head, body, isChunked, plan.contentLength === null ? -1 : length, res);
    sending.catch((error: unknown) => this.#host.responseFailed(ex, error));
    return false;
  }

  async #sendFile(ex: Exchange, head: string, range: FileRange, closes: boolean): Promise<void> {
    let file;
    try {
      file = await open(range.path, 'r');
    } catch (error) {
      // Nothing is written yet: answer the failure instead.
      this.#isBusy = false;
      if (this.#socket.destroyed) return;
      ex.response = errorResponse(fileErrorStatus(error));
      this.writeResponse(ex, closes, false);
      this.#host.responseDone(ex);
      return;
    }
    try {
      await writeFile(this.#socket, head, file, range.start, range.end - range.start);
    } catch (error) {
      this.#isBusy = false;
      this.#host.responseFailed(ex, error);
      return;
    } finally {
      file.close().catch(noop);
    }
    this.#isBusy = false;
    this.#host.responseDone(ex);
  }

  async #sendStream(
    ex: Exchange,
    head: string,
    body: Readable | AsyncIterable<Uint8Array>,
    isChunked: boolean,
    expected: number,
    res: ServerResponse,
  ): Promise<void> {
    this.#socket.write(head, 'latin1');
    try {
      await writeStream(this.#socket, body, isChunked, expected, res.trailers);
    } catch (error) {
      this.#isBusy = false;
      this.#host.responseFailed(ex, error);
      return;
    }
    this.#isBusy = false;
    this.#host.responseDone(ex);
  }
}

// No 100 Continue is owed: none was asked for, or it was sent, or it became moot.
function isContinueSettled(ex: Exchange): boolean {
  const state = ex.continueState;
  return state === Continue.NotAsked || state === Continue.Sent || state === Continue.Moot;
}

function noop(): void {}
