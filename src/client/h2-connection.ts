import type { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BatchedOutput, Fields } from '../http/index.js';
import { ERROR_CODES, H2Connection, errorCodeName, type H2Error, type ResponseHead } from '../h2/index.js';
import { joinInRead } from '../h2/join-in-read.js';
import { BodyTimeoutError, ClientError, HeadersTimeoutError, InvalidArgumentError, InvalidResponseError, PartialBodyError, ProtocolError, SocketClosedError, SocketError, SocketFailedError, TooManyInterimResponsesError, withRetryable } from './errors.js';
import type { ReadTap } from './connect.js';
import type { ConnectionOptions } from './h1-connection.js';
import { h2RequestFields, renderH2Head } from './h2-head.js';
import { H2Stream } from './h2-stream.js';
import type { BodyControl } from './response-body.js';
import type { ClientConnection, ConnectionOwner, Dispatch } from './types.js';

/** H2_STREAM_WINDOW is the receive window of each stream: what a paused reader may have to hold. */
const H2_STREAM_WINDOW = 4 * 1024 * 1024;
/** H2_CONNECTION_WINDOW is the connection's receive window, shared by all streams. */
const H2_CONNECTION_WINDOW = 32 * 1024 * 1024;
/** ASSUMED_MAX_STREAMS caps concurrency until the server's SETTINGS say otherwise (RFC 9113 §6.5.2 has no limit by default). */
const ASSUMED_MAX_STREAMS = 100;

const NO_READ = new Uint8Array(0);

/**
 * H2ClientConnection carries many requests at once over one HTTP/2 connection (RFC 9113): each
 * request is a stream of the sans-IO `H2Connection`, its body sent under flow control, its
 * response body read with backpressure (the window reopens as the reader takes bytes), each with
 * its own timeouts. A connection error fails every stream with a ProtocolError whose cause is the
 * H2Error; after the server's GOAWAY, the streams it did not process go back to the pool.
 */
export class H2ClientConnection implements ClientConnection {
  readonly isMultiplexed = true;
  readonly #socket: Socket;
  readonly #owner: ConnectionOwner;
  readonly #options: ConnectionOptions;
  readonly #h2: H2Connection;
  readonly #streams = new Map<number, H2Stream>();
  #hasSettings = false;
  #requests = 0;
  #isClosing = false;
  #isDestroyed = false;
  #idleTimer: NodeJS.Timeout | null = null;
  // Frames of one tick leave in one write; streams wait for drain on one list.
  readonly #output: BatchedOutput;
  // The read being parsed, and the last DATA piece from it not yet handed on: the next piece of
  // the same stream in the read may join it (joinInRead), so a reader gets a chunk per read.
  #read: Uint8Array = NO_READ;
  #pending: Uint8Array | null = null;
  #pendingStream: H2Stream | null = null;

  constructor(socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null = null) {
    this.#socket = socket;
    this.#output = new BatchedOutput(socket);
    this.#owner = owner;
    this.#options = options;
    const onWire = options.onWire;
    this.#h2 = new H2Connection(
      {
        onSend: (bytes) => {
          if (this.#isDestroyed) return;
          onWire?.('out', bytes);
          this.#output.send(bytes);
        },
        onResponse: (id, head, endStream) => this.#onResponse(id, head, endStream),
        onData: (id, data, endStream) => this.#onData(id, data, endStream),
        onTrailers: (id, fields) => this.#complete(id, toFields(fields)),
        onStreamReset: (id, errorCode, error) => this.#onStreamReset(id, errorCode, error),
        onWindowOpen: (id) => this.#onWindowOpen(id),
        onSettings: () => {
          this.#hasSettings = true;
          if (this.canAccept) this.#owner.onFree(this);
        },
        onGoaway: () => this.#onGoaway(),
        onConnectionError: (error) => {
          this.#destroy(new InvalidResponseError(`Invalid HTTP/2 from ${options.address}: ${error.message}`, { cause: error }));
        },
        ...(options.onFrame === null || options.onFrame === undefined ? {} : { onFrame: options.onFrame }),
      },
      {
        role: 'client',
        isFlowControlManual: true,
        connectionWindowSize: H2_CONNECTION_WINDOW,
        settings: { initialWindowSize: H2_STREAM_WINDOW },
      },
    );
    socket.setNoDelay(true);
    if (tap !== null) tap.attach((chunk) => this.#onBytes(chunk));
    else socket.on('data', (chunk: Buffer) => this.#onBytes(chunk));
    socket.on('end', () => this.#destroy(this.#closedError()));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? 'EIO';
      this.#destroy(new SocketFailedError(`read ${code} ${options.address}`, false, { cause: error }));
    });
    socket.on('close', () => this.#destroy(this.#closedError()));
    socket.resume();
    socket.unref();
    // The preface and our SETTINGS go out at once (RFC 9113 §3.4); requests need not wait for the server's.
    this.#h2.start();
    this.#armIdle();
  }

  /** canAccept tells whether another stream may be opened now (the server's MAX_CONCURRENT_STREAMS, GOAWAY). */
  get canAccept(): boolean {
    if (this.#isClosing || this.#isDestroyed || !this.#h2.canOpenStream) return false;
    return this.#hasSettings || this.#streams.size < ASSUMED_MAX_STREAMS;
  }

  /** isIdle tells whether no stream is in flight. */
  get isIdle(): boolean {
    return this.#streams.size === 0;
  }

  /** dispatch opens a stream for the request; the caller checks canAccept first. */
  dispatch(d: Dispatch): void {
    const fields = h2RequestFields(d);
    d.onRequestHead?.(renderH2Head(fields));
    d.timings.isReused = this.#requests > 0;
    this.#requests++;
    const body = d.body;
    const isEmpty = body === null || (body.bytes !== null && body.bytes.length === 0);
    let id: number;
    try {
      id = this.#h2.request(fields, isEmpty, d.method === 'HEAD');
    } catch (error) {
      // Only a misuse can land here (canAccept was checked): fail the one request.
      d.handler.onError(new InvalidArgumentError(`HTTP/2 request failed: ${(error as Error).message}`, { cause: error }));
      return;
    }
    if (this.#streams.size === 0) {
      this.#disarmIdle();
      this.#socket.ref();
    }
    const stream = new H2Stream(id, d, () => this.#onTimeout(stream));
    this.#streams.set(id, stream);
    stream.arm(d.headersTimeout);
    d.detach = (error) => this.#cancel(stream, error, true);
    if (!isEmpty) {
      this.#sendBody(stream).catch((error: unknown) => {
        const failure = ClientError.is(error)
          ? error
          : new InvalidArgumentError(`Request body failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        this.#cancel(stream, failure, true);
      });
    }
  }

  /** close ends the connection once idle (GOAWAY, then the socket); in-flight streams finish first. */
  close(): void {
    this.#isClosing = true;
    if (this.#streams.size === 0) this.#shutdown();
  }

  /** destroy closes the socket now, failing every stream with the error. */
  destroy(error: Error): void {
    this.#destroy(error);
  }

  // Request body: bytes or a stream, sent as the flow-control windows and the socket allow.
  async #sendBody(stream: H2Stream): Promise<void> {
    const body = stream.d.body as NonNullable<Dispatch['body']>;
    if (body.bytes !== null) {
      await this.#write(stream, body.bytes, true);
      return;
    }
    let sent = 0;
    for await (const part of (body.stream as () => AsyncIterable<Uint8Array>)()) {
      if (!stream.isSending) return;
      const chunk = typeof part === 'string' ? new TextEncoder().encode(part) : part;
      if (chunk.length === 0) continue;
      sent += chunk.length;
      if (body.length >= 0 && sent > body.length) {
        throw new InvalidArgumentError(`Request body longer than its Content-Length "${body.length}"`);
      }
      await this.#write(stream, chunk, false);
    }
    if (!stream.isSending) return;
    if (body.length >= 0 && sent !== body.length) {
      throw new InvalidArgumentError(`Request body shorter than its Content-Length "${body.length}": ${sent} bytes`);
    }
    await this.#write(stream, new Uint8Array(0), true);
  }

  async #write(stream: H2Stream, data: Uint8Array, endStream: boolean): Promise<void> {
    let offset = 0;
    for (;;) {
      if (!stream.isSending || this.#isDestroyed) return;
      offset += this.#h2.sendData(stream.id, data.subarray(offset), endStream);
      if (offset === data.length) {
        if (endStream) stream.isSending = false;
        if (this.#output.needsDrain) await this.#output.waitDrain();
        return;
      }
      // Out of window: wait for WINDOW_UPDATE (RFC 9113 §6.9), and for the socket to drain.
      if (this.#output.needsDrain) await this.#output.waitDrain();
      else await stream.waitForWindow();
    }
  }

  #onBytes(chunk: Buffer): void {
    this.#options.onWire?.('in', chunk);
    const now = performance.now();
    for (const stream of this.#streams.values()) if (stream.d.timings.firstByte < 0) stream.d.timings.firstByte = now;
    this.#read = chunk;
    try {
      this.#h2.receive(chunk);
    } catch (error) {
      this.#destroy(error instanceof Error ? error : new Error(String(error)));
    }
    this.#handOn();
    this.#read = NO_READ;
  }

  // The piece held back from the read goes to its reader; done before anything else that the
  // stream hears, so its bytes come before its end, error or trailers.
  #handOn(): void {
    const data = this.#pending;
    if (data === null) return;
    const stream = this.#pendingStream as H2Stream;
    this.#pending = null;
    this.#pendingStream = null;
    if (this.#streams.get(stream.id) === stream) stream.d.handler.onData(data);
  }

  #onResponse(id: number, head: ResponseHead, endStream: boolean): void {
    const stream = this.#streams.get(id);
    if (stream === undefined) return;
    const d = stream.d;
    if (head.status < 200) {
      if (++stream.interimCount > this.#options.maxInterimResponses) {
        const max = this.#options.maxInterimResponses;
        this.#cancel(stream, new TooManyInterimResponsesError(`Too many interim responses from ${this.#options.address}: over ${max} before the final response`), true);
        return;
      }
      d.handler.onInterim(head.status, '', toFields(head.fields));
      return;
    }
    stream.isHeadSeen = true;
    stream.expected = head.contentLength;
    stream.arm(d.bodyTimeout);
    const hasBody = !endStream && d.method !== 'HEAD' && head.status !== 204 && head.status !== 304;
    d.handler.onHead(head.status, '', toFields(head.fields), '2', hasBody, this.#controlFor(stream));
    if (endStream) this.#complete(id, null);
  }

  #onData(id: number, data: Uint8Array, endStream: boolean): void {
    const stream = this.#streams.get(id);
    if (stream === undefined) {
      this.#h2.consume(id, data.length);
      return;
    }
    stream.received += data.length;
    // Held while the reader is paused: the window reopens only as it reads (RFC 9113 §5.2).
    if (stream.isPaused) stream.held += data.length;
    else this.#h2.consume(id, data.length);
    stream.refresh();
    // No copy: the codec's view is of a read that is the connection's own (TLS gives each read its
    // own buffer; ReadTap copies each plain TCP read out of the shared buffer). Held back until
    // the read is parsed, or until the stream's next piece from it does not join it.
    if (data.length > 0) {
      const joined = this.#pendingStream === stream ? joinInRead(this.#read, this.#pending as Uint8Array, data) : null;
      if (joined !== null) this.#pending = joined;
      else {
        this.#handOn();
        this.#pending = data;
        this.#pendingStream = stream;
      }
    }
    if (endStream) this.#complete(id, null);
  }

  #controlFor(stream: H2Stream): BodyControl {
    return {
      pause: () => {
        if (!this.#streams.has(stream.id)) return;
        stream.isPaused = true;
        stream.disarm();
      },
      resume: () => {
        if (!this.#streams.has(stream.id) || !stream.isPaused) return;
        stream.isPaused = false;
        if (stream.held > 0) this.#h2.consume(stream.id, stream.held);
        stream.held = 0;
        stream.arm(stream.d.bodyTimeout);
      },
      cancel: (reason) => this.#cancel(stream, reason, false),
    };
  }

  #complete(id: number, trailers: Fields | null): void {
    this.#handOn();
    const stream = this.#streams.get(id);
    if (stream === undefined) return;
    // A server may answer before the request body is all sent; then the rest is not needed (RFC 9113 §8.1).
    if (stream.isSending) {
      stream.isSending = false;
      this.#h2.resetStream(id, ERROR_CODES.NO_ERROR);
    }
    if (stream.held > 0) this.#h2.consume(id, stream.held);
    this.#end(stream);
    stream.d.timings.end = performance.now();
    stream.d.handler.onComplete(trailers);
    this.#afterStream();
  }

  #onStreamReset(id: number, errorCode: number, error: H2Error | null): void {
    this.#handOn();
    const stream = this.#streams.get(id);
    if (stream === undefined) return;
    this.#end(stream);
    const d = stream.d;
    const address = this.#options.address;
    if (error !== null) {
      d.handler.onError(new InvalidResponseError(`Invalid HTTP/2 response from ${address}: ${error.message}`, { cause: error }));
    } else if (errorCode === ERROR_CODES.REFUSED_STREAM && !stream.isHeadSeen) {
      // Refused, or above the last stream id of a GOAWAY: not processed, safe to send again (RFC 9113 §8.7).
      const failure = new SocketClosedError(`Stream refused by ${address} before processing (REFUSED_STREAM)`, true);
      const isReplayable = (d.body === null || d.body.isReplayable) && !d.isCancelled;
      if (!isReplayable || !this.#owner.retry(d, failure)) d.handler.onError(failure);
    } else if (stream.isHeadSeen) {
      d.handler.onError(new PartialBodyError(stream.received, stream.expected, address, { cause: new Error(`RST_STREAM ${errorCodeName(errorCode)}`) }));
    } else {
      d.handler.onError(new SocketClosedError(`Stream reset by ${address} before the response: ${errorCodeName(errorCode)}`, false));
    }
    this.#afterStream();
  }

  #onWindowOpen(id: number): void {
    if (id !== 0) {
      this.#streams.get(id)?.wakeWindow();
      return;
    }
    for (const stream of this.#streams.values()) stream.wakeWindow();
  }

  // GOAWAY: no new streams here; those the server will process finish, then the connection closes.
  #onGoaway(): void {
    this.#isClosing = true;
    if (this.#streams.size === 0) this.#shutdown();
    else this.#owner.onClose(this);
  }

  // Abort, body cancel, timeout or a failed request body: RST_STREAM(CANCEL) ends this stream only.
  #cancel(stream: H2Stream, error: Error, tellHandler: boolean): void {
    if (!this.#streams.has(stream.id)) return;
    this.#end(stream);
    this.#h2.resetStream(stream.id, ERROR_CODES.CANCEL);
    if (tellHandler) stream.d.handler.onError(error);
    this.#afterStream();
  }

  #onTimeout(stream: H2Stream): void {
    const d = stream.d;
    const address = this.#options.address;
    const error = stream.isHeadSeen
      ? new BodyTimeoutError(`Body timeout: no data from ${address} for ${d.bodyTimeout} ms`)
      : new HeadersTimeoutError(`Headers timeout: no response head from ${address} within ${d.headersTimeout} ms`);
    this.#cancel(stream, error, true);
  }

  #end(stream: H2Stream): void {
    this.#streams.delete(stream.id);
    stream.d.detach = null;
    stream.isSending = false;
    stream.disarm();
    stream.wakeWindow();
  }

  #afterStream(): void {
    if (this.#isDestroyed || this.#streams.size > 0) {
      if (!this.#isDestroyed && this.canAccept) this.#owner.onFree(this);
      return;
    }
    // An idle connection must not keep the process alive, as undici and node:http do.
    this.#socket.unref();
    if (this.#isClosing) {
      this.#shutdown();
      return;
    }
    this.#armIdle();
    this.#owner.onFree(this);
  }

  #armIdle(): void {
    const ms = this.#options.keepAliveTimeout;
    if (ms <= 0 || !Number.isFinite(ms)) return;
    this.#disarmIdle();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#streams.size === 0) this.close();
    }, ms);
    this.#idleTimer.unref();
  }

  #disarmIdle(): void {
    if (this.#idleTimer !== null) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  // A polite end: GOAWAY (RFC 9113 §6.8), then the socket.
  #shutdown(): void {
    if (this.#isDestroyed) return;
    if (!this.#h2.isDead) this.#h2.goaway(ERROR_CODES.NO_ERROR);
    this.#destroy(this.#closedError(), true);
  }

  #closedError(): SocketError {
    return new SocketClosedError(`Connection to ${this.#options.address} closed before the response`, true);
  }

  // Fail every stream: a stream that never got its head may be retried when idempotent and the
  // connection had answered before (as for HTTP/1.1); others get the error.
  #destroy(error: Error, isGraceful = false): void {
    if (this.#isDestroyed) return;
    this.#handOn();
    this.#isDestroyed = true;
    this.#disarmIdle();
    if (isGraceful || error instanceof ProtocolError) {
      // Let the GOAWAY leave first.
      this.#output.flush();
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 1000).unref();
    } else {
      this.#socket.destroy();
    }
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    const address = this.#options.address;
    for (const stream of streams) {
      const d = stream.d;
      d.detach = null;
      stream.isSending = false;
      stream.disarm();
      stream.wakeWindow();
      if (!(error instanceof SocketError)) {
        d.handler.onError(error);
      } else if (stream.isHeadSeen) {
        d.handler.onError(new PartialBodyError(stream.received, stream.expected, address, { cause: error }));
      } else {
        const isRetryable = d.isIdempotent && (d.body === null || d.body.isReplayable) && !d.isCancelled && d.timings.isReused;
        const failure = withRetryable(error, isRetryable);
        if (!isRetryable || !this.#owner.retry(d, failure)) d.handler.onError(failure);
      }
    }
    this.#owner.onClose(this);
  }
}

function toFields(list: ReadonlyArray<readonly [string, string]>): Fields {
  const names: string[] = [];
  const values: string[] = [];
  for (const [name, value] of list) {
    names.push(name);
    values.push(value);
  }
  return new Fields(names, values);
}
