import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { waitDrain, type Fields } from '../http/index.js';
import { ResponseParser, WireError, encodeChunk, lastChunk, type ParserOptions, type ResponseHead } from '../wire/index.js';
import type { H2ConnectionCallbacks } from '../h2/index.js';
import { BodyTimeoutError, ClientError, HeadersTimeoutError, InvalidArgumentError, InvalidResponseError, PartialBodyError, SocketClosedError, SocketError, SocketFailedError, TooManyInterimResponsesError, withRetryable } from './errors.js';
import type { ReadTap } from './connect.js';
import { serializeH1Head } from './h1-head.js';
import type { BodyControl } from './response-body.js';
import type { ClientConnection, ConnectionOwner, Dispatch, WireObserver } from './types.js';

/** ConnectionOptions tune one connection; the pool passes its own. */
export interface ConnectionOptions {
  /** address names the peer in messages, like `127.0.0.1:8000`. */
  address: string;
  /** pipelining is how many requests may be in flight at once. Default 1 (no pipelining). */
  pipelining: number;
  /** keepAliveTimeout closes an idle connection after this many ms. */
  keepAliveTimeout: number;
  /** keepAliveMaxTimeout caps what a server's `Keep-Alive: timeout` may ask for. */
  keepAliveMaxTimeout: number;
  /** maxInterimResponses caps the 1xx responses accepted before a final one. */
  maxInterimResponses: number;
  onWire: WireObserver | null;
  parser: ParserOptions;
  /** isAbsoluteForm writes the whole URL as request-target (plain http through a proxy). */
  isAbsoluteForm: boolean;
  /** onFrame sees every HTTP/2 frame both ways, decoded (an HTTP/2 connection only). */
  onFrame?: H2ConnectionCallbacks['onFrame'] | null;
}

// A small body goes out in the same write as its head; a larger one in slices of SLICE bytes.
const COALESCE_LIMIT = 64 * 1024;
const SLICE = 1024 * 1024;

function* slices(bytes: Uint8Array): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += SLICE) yield bytes.subarray(i, i + SLICE);
}

/**
 * DEFAULT_MAX_INTERIM_RESPONSES bounds the 1xx responses before a final one: each head is bounded
 * by the parser, but an endless run of them would hold a request for ever (RFC 9110 §15.2 sets no
 * count; Go's client allows 5, CPython's and Ruby's 100).
 */
export const DEFAULT_MAX_INTERIM_RESPONSES = 10;

/**
 * H1Connection owns one HTTP/1.x socket to one origin. It serializes each request's head (the
 * only place the client writes HTTP/1 text), writes requests in order (several at once when
 * pipelining), parses the responses with the wire codec, and hands each to its request's handler.
 */
export class H1Connection implements ClientConnection {
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #options: ConnectionOptions;
  readonly #parser: ResponseParser;
  readonly #inflight: Dispatch[] = [];
  #responses = 0;
  #isClosing = false;
  #isDestroyed = false;
  #isWriting = false;
  #isInterim = false;
  #interimCount = 0;
  #headSeen = false;
  /** Body bytes of the response being read, and its Content-Length (-1 when chunked). */
  #bodyBytes = 0;
  #expectedBytes = -1;
  #keepAlive = true;
  #idleTimeout: number;
  #timer: NodeJS.Timeout | null = null;
  #timerMs = 0;
  #isPaused = false;
  #isFreePending = false;

  constructor(socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null = null) {
    this.#socket = socket;
    this.#owner = owner;
    this.#options = options;
    this.#idleTimeout = options.keepAliveTimeout;
    this.#parser = new ResponseParser(
      {
        onHead: (head) => this.#onHead(head),
        onBody: (chunk) => {
          this.#bodyBytes += chunk.length;
          (this.#inflight[0] as Dispatch).handler.onData(chunk);
        },
        onComplete: (trailers) => this.#onComplete(trailers),
      },
      options.parser,
    );
    socket.setNoDelay(true);
    if (tap !== null) tap.attach((chunk) => this.#onData(chunk));
    else socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'EIO';
      this.#destroy(new SocketFailedError(`read ${code} ${options.address}`, false, { cause: error }));
    });
    socket.on('close', () => this.#destroy(this.#lostError()));
    socket.resume();
    socket.unref();
    this.#arm(this.#idleTimeout);
  }

  /** canAccept tells whether another request may be written now. */
  get canAccept(): boolean {
    return !this.#isClosing && !this.#isDestroyed && !this.#isWriting && this.#inflight.length < this.#options.pipelining;
  }

  /** isIdle tells whether no request is in flight. */
  get isIdle(): boolean {
    return this.#inflight.length === 0;
  }

  /** isClosed tells whether the connection is gone or going. */
  get isClosed(): boolean {
    return this.#isDestroyed || this.#isClosing;
  }

  /** dispatch writes a request; the caller checks canAccept first. */
  dispatch(d: Dispatch): void {
    const { head, closes } = serializeH1Head(d, this.#options.isAbsoluteForm);
    d.onRequestHead?.(head);
    d.timings.isReused = this.#responses > 0 || this.#inflight.length > 0;
    if (this.#inflight.length === 0) this.#socket.ref();
    this.#inflight.push(d);
    // RFC 9112 §9.6: after sending close, a client sends no further request on the connection.
    if (closes) this.#isClosing = true;
    d.detach = (error) => {
      if (this.#inflight.includes(d)) this.#destroy(error, d);
    };
    this.#parser.expectResponseTo(d.method);
    if (this.#inflight.length === 1) this.#arm(d.headersTimeout);
    const body = d.body;
    const onWire = this.#options.onWire;
    if (body === null || (body.bytes !== null && body.bytes.length === 0)) {
      if (onWire !== null) onWire('out', Buffer.from(head, 'latin1'));
      this.#socket.write(head, 'latin1');
    } else if (body.bytes !== null && body.bytes.length <= COALESCE_LIMIT) {
      const bytes = body.bytes;
      const out = Buffer.allocUnsafe(head.length + bytes.length);
      out.write(head, 0, 'latin1');
      out.set(bytes, head.length);
      if (onWire !== null) onWire('out', out);
      this.#socket.write(out);
    } else {
      if (onWire !== null) onWire('out', Buffer.from(head, 'latin1'));
      this.#socket.write(head, 'latin1');
      this.#isWriting = true;
      this.#pump(d).then(
        () => {
          this.#isWriting = false;
          if (this.canAccept) this.#owner.onFree(this);
        },
        (error: unknown) => {
          const failure = ClientError.is(error)
            ? error
            : new InvalidArgumentError(`Request body failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          this.#destroy(failure, d);
        },
      );
    }
  }

  // Stream a body with backpressure; chunked when its length is unknown (RFC 9112 §7.1). A large
  // byte body goes out in slices the same way, so that sending shows progress.
  async #pump(d: Dispatch): Promise<void> {
    const body = d.body as NonNullable<Dispatch['body']>;
    const isChunked = body.length < 0;
    const onWire = this.#options.onWire;
    let sent = 0;
    const source = body.bytes !== null ? slices(body.bytes) : (body.stream as () => AsyncIterable<Uint8Array>)();
    for await (const part of source) {
      if (this.#isDestroyed) return;
      const chunk = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      if (chunk.length === 0) continue;
      sent += chunk.length;
      if (!isChunked && sent > body.length) {
        throw new InvalidArgumentError(`Request body longer than its Content-Length "${body.length}"`);
      }
      const out = isChunked ? encodeChunk(chunk) : chunk;
      if (onWire !== null) onWire('out', out);
      if (!this.#socket.write(out)) await waitDrain(this.#socket);
      this.#onSendProgress(d);
    }
    if (this.#isDestroyed) return;
    if (isChunked) {
      const end = lastChunk();
      if (onWire !== null) onWire('out', Buffer.from(end, 'latin1'));
      this.#socket.write(end, 'latin1');
    } else if (sent !== body.length) {
      throw new InvalidArgumentError(`Request body shorter than its Content-Length "${body.length}": ${sent} bytes`);
    }
  }

  // headersTimeout is the server's silence after the request (undici: "while not sending the
  // request"): while the request still goes out, its head deadline starts again.
  #onSendProgress(d: Dispatch): void {
    if (this.#inflight[0] === d && !this.#headSeen) this.#timer?.refresh();
  }

  /** close ends the connection once idle; in-flight requests finish first. */
  close(): void {
    this.#isClosing = true;
    if (this.#inflight.length === 0) this.#destroy(this.#closedError());
  }

  /** destroy closes the socket now, failing whatever is in flight with the error. */
  destroy(error: Error): void {
    this.#destroy(error);
  }

  #onData(chunk: Buffer): void {
    const onWire = this.#options.onWire;
    if (onWire !== null) onWire('in', chunk);
    const d = this.#inflight[0];
    if (d === undefined) {
      // A server may say 408 or the like before closing an idle connection; nobody asked.
      this.#destroy(this.#closedError());
      return;
    }
    if (d.timings.firstByte < 0) d.timings.firstByte = performance.now();
    // The body timeout is about silence; the head timeout is a deadline a trickle cannot extend.
    if (this.#headSeen) this.#timer?.refresh();
    try {
      const consumed = this.#parser.execute(chunk);
      if (consumed < chunk.length && !this.#isDestroyed) {
        this.#destroy(new InvalidResponseError(`Invalid response from ${this.#options.address}: unexpected protocol switch`));
      } else if (this.#inflight.length === 0 && !this.#parser.isIdle && !this.#isDestroyed) {
        // Bytes past the last response that nobody asked for: never let them answer the next request.
        this.#destroy(this.#closedError());
      }
      if (this.#isFreePending && !this.#isDestroyed) {
        this.#isFreePending = false;
        if (this.canAccept) this.#owner.onFree(this);
      }
    } catch (error) {
      if (error instanceof WireError) {
        this.#destroy(new InvalidResponseError(`Invalid response from ${this.#options.address}: ${error.message}`, { cause: error }));
      } else {
        this.#destroy(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  #onHead(head: ResponseHead): void {
    const d = this.#inflight[0];
    if (d === undefined) throw new InvalidResponseError(`Invalid response from ${this.#options.address}: Unexpected response: no request is waiting`);
    if (head.statusCode < 200 && head.statusCode !== 101) {
      if (++this.#interimCount > this.#options.maxInterimResponses) {
        const max = this.#options.maxInterimResponses;
        throw new TooManyInterimResponsesError(`Too many interim responses from ${this.#options.address}: over ${max} before the final response`);
      }
      this.#isInterim = true;
      d.handler.onInterim(head.statusCode, head.reasonPhrase, head.headers);
      return;
    }
    if (head.isUpgrade) throw new InvalidResponseError(`Invalid response from ${this.#options.address}: Unexpected ${head.statusCode} protocol switch`);
    this.#headSeen = true;
    this.#interimCount = 0;
    this.#bodyBytes = 0;
    this.#expectedBytes = head.framing === 'length' ? head.contentLength : -1;
    this.#keepAlive = head.keepAlive;
    const keepAlive = head.headers.get('keep-alive');
    if (keepAlive !== undefined) this.#noteKeepAlive(keepAlive);
    this.#arm(d.bodyTimeout);
    const hasBody = head.framing !== 'none' && !(head.framing === 'length' && head.contentLength === 0) && d.method !== 'HEAD';
    d.handler.onHead(head.statusCode, head.reasonPhrase, head.headers, head.versionMinor === 0 ? '1.0' : '1.1', hasBody, this.#controlFor(d));
  }

  // A body steers the socket only while its response is being read: once the response is
  // complete, a late pause, resume or cancel from it must not touch the next response.
  #controlFor(d: Dispatch): BodyControl {
    const isCurrent = (): boolean => this.#inflight[0] === d && this.#headSeen;
    return {
      pause: () => {
        if (!isCurrent()) return;
        this.#isPaused = true;
        this.#disarm();
        this.#socket.pause();
      },
      resume: () => {
        if (!isCurrent() || !this.#isPaused) return;
        this.#isPaused = false;
        this.#armForState();
        this.#socket.resume();
      },
      cancel: (reason) => {
        if (isCurrent()) this.#destroy(reason);
      },
    };
  }

  // Keep-Alive: timeout=N (RFC 2068 §19.7.1.1): leave the connection before the server does.
  #noteKeepAlive(value: string): void {
    const match = /(?:^|[,;\s])timeout\s*=\s*(\d+)/i.exec(value);
    if (match === null) return;
    const serverMs = Number(match[1]) * 1000;
    this.#idleTimeout = Math.min(Math.max(serverMs - 500, 100), this.#options.keepAliveMaxTimeout);
  }

  #onComplete(trailers: Fields | null): void {
    if (this.#isInterim) {
      this.#isInterim = false;
      return;
    }
    const d = this.#inflight.shift() as Dispatch;
    d.detach = null;
    this.#headSeen = false;
    // The whole response is in its body's queue: an unread body no longer holds the socket.
    if (this.#isPaused) {
      this.#isPaused = false;
      this.#socket.resume();
    }
    this.#responses++;
    d.timings.end = performance.now();
    if (!this.#keepAlive) this.#isClosing = true;
    d.handler.onComplete(trailers);
    if (this.#isClosing) {
      this.#destroy(this.#closedError());
      return;
    }
    const next = this.#inflight[0];
    this.#arm(next === undefined ? this.#idleTimeout : next.headersTimeout);
    // An idle kept-alive connection must not keep the process alive, as undici and node:http do.
    if (next === undefined) this.#socket.unref();
    // Offer the connection for the next request only once the whole read is parsed, so bytes
    // that follow this response cannot be taken as the answer to a request sent meanwhile.
    this.#isFreePending = true;
  }

  #onEnd(): void {
    try {
      this.#parser.finish();
    } catch (error) {
      if (error instanceof WireError && this.#inflight.length > 0 && this.#headSeen) {
        this.#destroy(this.#lostError(error));
        return;
      }
      if (error instanceof WireError && this.#inflight.length > 0 && !this.#parser.isIdle) {
        this.#destroy(
          new InvalidResponseError(`Incomplete response from ${this.#options.address}: connection closed inside the message`, {
            cause: error,
          }),
        );
        return;
      }
    }
    this.#destroy(this.#closedError());
  }

  // The connection went away: inside a body (head seen, body not complete) that is a partial
  // body, never a short success; before any head it may be retried.
  #lostError(cause?: unknown): ClientError {
    if (this.#headSeen && this.#inflight.length > 0) {
      return new PartialBodyError(this.#bodyBytes, this.#expectedBytes, this.#options.address, cause === undefined ? undefined : { cause });
    }
    return this.#closedError();
  }

  #closedError(): SocketError {
    return new SocketClosedError(`Connection to ${this.#options.address} closed before the response`, true);
  }

  #isRetryable(d: Dispatch, index: number): boolean {
    if (!d.isIdempotent || (d.body !== null && !d.body.isReplayable) || d.isCancelled) return false;
    if (index > 0) return true;
    return d.timings.isReused && !this.#headSeen && this.#parser.isIdle;
  }

  // Fail everything in flight: `culprit` (default: the request being answered) gets `error`; a
  // request that never reached the server may be retried by the owner (RFC 9112 §9.3.1).
  #destroy(error: Error, culprit?: Dispatch): void {
    if (this.#isDestroyed) return;
    this.#isDestroyed = true;
    this.#disarm();
    this.#socket.destroy();
    const list = this.#inflight.splice(0);
    for (let i = 0; i < list.length; i++) {
      const d = list[i] as Dispatch;
      d.detach = null;
      const isCulprit = culprit === undefined ? i === 0 : d === culprit;
      if (isCulprit && !(error instanceof SocketError)) {
        d.handler.onError(error);
        continue;
      }
      const retryable = this.#isRetryable(d, isCulprit ? 0 : 1);
      const failure =
        error instanceof SocketError && isCulprit
          ? withRetryable(error, retryable)
          : new SocketClosedError(`Connection to ${this.#options.address} closed before the response`, retryable, { cause: error });
      if (!retryable || !this.#owner.retry(d, failure)) d.handler.onError(failure);
    }
    this.#owner.onClose(this);
  }

  #armForState(): void {
    const d = this.#inflight[0];
    if (d === undefined) this.#arm(this.#idleTimeout);
    else this.#arm(this.#headSeen ? d.bodyTimeout : d.headersTimeout);
  }

  #arm(ms: number): void {
    if (ms <= 0 || !Number.isFinite(ms)) {
      this.#disarm();
      return;
    }
    if (this.#timer !== null && this.#timerMs === ms) {
      this.#timer.refresh();
      return;
    }
    this.#disarm();
    this.#timerMs = ms;
    this.#timer = setTimeout(() => this.#onTimeout(), ms);
    this.#timer.unref();
  }

  #disarm(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #onTimeout(): void {
    this.#timer = null;
    const d = this.#inflight[0];
    if (d === undefined) {
      this.#destroy(this.#closedError());
      return;
    }
    const address = this.#options.address;
    if (this.#headSeen) {
      this.#destroy(new BodyTimeoutError(`Body timeout: no data from ${address} for ${d.bodyTimeout} ms`));
    } else {
      this.#destroy(new HeadersTimeoutError(`Headers timeout: no response head from ${address} within ${d.headersTimeout} ms`));
    }
  }
}
