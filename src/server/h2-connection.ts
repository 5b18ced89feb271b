// An HTTP/2 server connection (RFC 9113) over one socket: the sans-IO codec of src/h2 decides what
// the frames mean; this file runs the same handlers as HTTP/1 on each stream, sends their answers
// as DATA under flow control, and applies the server's limits, timeouts and graceful shutdown.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { BatchedOutput } from '../http/index.js';
import { ERROR_CODES, H2Connection, MAX_WINDOW_SIZE, errorCodeName, type Frame, type H2Error, type H2ErrorReason, type RequestHead } from '../h2/index.js';
import type { ConnectionHost } from './connection.js';
import { ClientAbortedError, ConnectionClosedError, InvalidHandlerResponseError, ServerError } from './errors.js';
import { connectionExpiry, streamExpiry, type StreamExpiry } from './h2-deadlines.js';
import { FloodGuard, h2Limits, type H2Limits } from './h2-limits.js';
import type { H2Request } from './h2-request.js';
import { H2RequestBodies, type RequestBodiesHost } from './h2-request-bodies.js';
import { gone, sendBody, trailerFields } from './h2-response.js';
import { H2StreamOut, type StreamOutHost } from './h2-stream-out.js';
import { h2ResponseHead, type H2ResponseHead } from './h2-response-head.js';
import type { ResolvedLimits } from './options.js';
import type { ServerConnection } from './protocols.js';
import { SendStall } from './send-stall.js';
import type { ServerResponse } from './types.js';
import { disposeBody, errorResponse } from './writer.js';

/** LINGER_MS is how long a closing connection keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 2_000;

/**
 * H2ServerConnection drives one HTTP/2 socket: a stream per request, handlers run concurrently
 * (up to maxConcurrentStreams), request bodies credited back to the client only as the handler
 * reads them, responses paced by the stream and connection windows.
 */
export class H2ServerConnection implements ServerConnection {
  readonly socket: Socket;
  readonly isTls: boolean;
  readonly #host: ConnectionHost;
  readonly #limits: ResolvedLimits;
  readonly #h2: H2Connection;
  readonly #requests = new Map<number, H2Request>();
  /** Handlers called that have not answered, streams reset by the client included. */
  #running = 0;
  #isClosed = false;
  #destroyed = false;
  #isShuttingDown = false;
  #shutdownAt = 0;
  #isPeerGone = false;
  #idleSince = Date.now();
  readonly #output: BatchedOutput;
  // What each response's way out (h2-stream-out.ts) and the request bodies need of this connection.
  readonly #outHost: StreamOutHost & RequestBodiesHost;
  readonly #bodies: H2RequestBodies;
  #lingerTimer: NodeJS.Timeout | null = null;
  readonly #sendStall = new SendStall();
  /** When the header block in progress was first seen unfinished (0: none is). */
  #headerBlockSince = 0;
  readonly #h2Limits: H2Limits;
  readonly #floods: FloodGuard;
  readonly #streamWindow: number;

  constructor(socket: Socket, host: ConnectionHost) {
    this.socket = socket;
    this.isTls = host.isTls;
    this.#host = host;
    this.#limits = host.limits;
    const h2 = h2Limits(host.limits);
    this.#h2Limits = h2;
    this.#floods = new FloodGuard(h2);
    // The stream window is the request body a handler may leave unread; the connection's, four of
    // them. Both grow while handlers keep up (maxBodyWindow).
    this.#streamWindow = Math.min(Math.max(host.limits.maxBodyBuffer, 65535), MAX_WINDOW_SIZE);
    this.#h2 = new H2Connection(
      {
        onSend: this.#onSend,
        onRequest: this.#onRequest,
        onData: this.#onStreamData,
        onTrailers: this.#onTrailers,
        onStreamReset: this.#onStreamReset,
        onWindowOpen: this.#onWindowOpen,
        onGoaway: this.#onGoaway,
        onConnectionError: this.#onConnectionError,
        onFrameReceived: this.#onFrameReceived,
      },
      {
        role: 'server',
        isFlowControlManual: true,
        settings: {
          maxConcurrentStreams: h2.maxConcurrentStreams === 0 ? Infinity : h2.maxConcurrentStreams,
          initialWindowSize: this.#streamWindow,
          maxHeaderListSize: Math.max(host.limits.maxHeadSize, 4096),
        },
        connectionWindowSize: Math.min(this.#streamWindow * 4, MAX_WINDOW_SIZE),
        maxStreamWindowSize: host.limits.maxBodyWindow,
        maxConnectionWindowSize: 2 * host.limits.maxBodyWindow,
        maxContinuations: h2.maxContinuations,
      },
    );
    this.#output = new BatchedOutput(socket);
    this.#outHost = { h2: this.#h2, output: this.#output, requests: this.#requests, isClosing: () => this.#isClosed };
    this.#bodies = new H2RequestBodies(this.#outHost);
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('drain', this.#onDrain);
    socket.on('error', noop);
    socket.on('close', this.#onClose);
    // The server's preface goes first, without waiting for the client's (RFC 9113 §3.4).
    this.#h2.start();
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }

  /** isIdle tells whether no stream is in progress. */
  get isIdle(): boolean {
    return this.#requests.size === 0;
  }

  /**
   * shutdown closes gracefully (RFC 9113 §6.8): GOAWAY with the largest stream id and a PING; once
   * the PING returns, a second GOAWAY names the last stream served; the streams up to it finish,
   * then the connection closes.
   */
  shutdown(): void {
    if (this.#isShuttingDown || this.#isClosed) return;
    this.#isShuttingDown = true;
    this.#shutdownAt = Date.now();
    if (this.#requests.size === 0) {
      this.#h2.goaway();
      this.#close();
      return;
    }
    this.#h2.shutdown();
  }

  /** destroy drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  /**
   * checkTimeouts enforces the deadlines (h2-deadlines.ts); the server calls it periodically. A
   * stream's end with 503, 408 or RST_STREAM CANCEL; the connection's with GOAWAY and close, or,
   * in a graceful shutdown, the final GOAWAY.
   */
  checkTimeouts(now: number): void {
    if (this.#isClosed) return;
    const limits = this.#limits;
    for (const req of [...this.#requests.values()]) {
      // A client held back by our flow-control window (the handler reads slowly) is not pausing.
      if (this.#h2.receiveWindow(req.streamId) === 0) req.bodyActivity = now;
      const expiry = streamExpiry(req, limits, now);
      if (expiry !== null) this.#expire(req, expiry);
    }
    if (!this.#destroyed && this.#sendStall.isStalled(this.socket, now, limits.sendTimeout)) this.socket.destroy();
    const isPingSent = this.#isShuttingDown && this.#h2.sentGoawayStreamId === -1;
    const clocks = { pingSentAt: isPingSent ? this.#shutdownAt : 0, headerBlockSince: this.#headerBlockSince, streamCount: this.#requests.size, idleSince: this.#idleSince };
    const expiry = connectionExpiry(clocks, limits, now);
    if (expiry === null) return;
    if (expiry.kind === 'shutdown') {
      this.#h2.goaway();
      this.#afterIo();
      return;
    }
    if (expiry.kind === 'headers') {
      // The block's stream was never processed: the GOAWAY leaves it out, and the client may retry it.
      this.#h2.goaway(ERROR_CODES.NO_ERROR, Buffer.from('SERVER_HEADERS_TIMEOUT'));
      this.#abortAll(expiry.error);
    } else {
      this.#h2.goaway();
    }
    this.#close();
  }

  // A stream's deadline passed. A request body's ends like its HTTP/1 counterpart: 408 if nothing
  // was answered yet, else the stream is reset; a response the client opened no window for is
  // cancelled, not the connection.
  #expire(req: H2Request, expiry: StreamExpiry): void {
    if (expiry.kind === 'handler') {
      req.abort(expiry.error);
      this.#respond(req, errorResponse(503));
      return;
    }
    if (expiry.kind === 'send') {
      this.#h2.resetStream(req.streamId, ERROR_CODES.CANCEL);
      this.#endStream(req, expiry.error);
      return;
    }
    req.abort(expiry.error);
    if (req.response === null) {
      this.#respond(req, errorResponse(408));
      return;
    }
    this.#h2.resetStream(req.streamId, ERROR_CODES.CANCEL);
    this.#endStream(req, expiry.error);
    this.#afterIo();
  }

  // --- the socket ------------------------------------------------------------------------------

  // Frames produced in one tick leave in one write.
  #onSend = (bytes: Uint8Array): void => {
    if (this.#destroyed) return;
    this.#output.send(bytes);
  };

  #onData = (chunk: Buffer): void => {
    if (this.#isClosed) return; // closing: what the client still sends is dropped
    this.#bodies.startRead(chunk);
    try {
      this.#h2.receive(chunk);
    } catch (error) {
      this.#host.onError(error, null);
      this.socket.destroy();
      return;
    }
    // Readers wake once the whole read is parsed, so its pieces of one stream could be joined.
    this.#bodies.endRead();
    if (!this.#h2.isInHeaderBlock) this.#headerBlockSince = 0;
    else if (this.#headerBlockSince === 0) this.#headerBlockSince = Date.now();
    this.#afterIo();
  };

  #onDrain = (): void => {
    this.#sendStall.drained();
  };

  // HTTP/2 has no half-close of the connection: a client that ended its side is gone.
  #onEnd = (): void => {
    this.#abortAll(new ClientAbortedError('Client closed its side of the connection'));
    this.#close();
  };

  #onClose = (): void => {
    this.#destroyed = true;
    this.#isClosed = true;
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer);
    this.#abortAll(new ClientAbortedError('Client closed the connection before the response was written'));
    this.#host.connectionClosed(this);
  };

  #abortAll(reason: ServerError): void {
    for (const req of this.#requests.values()) {
      req.isStreamOpen = false;
      req.abort(reason);
    }
    this.#requests.clear();
  }

  // After input or an answer: a shutdown, or a client's GOAWAY, ends the connection once its streams are done.
  #afterIo(): void {
    if (this.#isClosed || this.#requests.size !== 0) return;
    if (this.#isPeerGone || (this.#isShuttingDown && this.#h2.sentGoawayStreamId !== -1)) this.#close();
  }

  // Close after what is written: FIN, then keep draining input for a while so the client reads
  // the last frames rather than a reset.
  #close(): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#abortAll(new ConnectionClosedError('Connection closed before the request was answered'));
    this.#output.flush();
    this.socket.end();
    this.#lingerTimer = setTimeout(() => this.socket.destroy(), LINGER_MS);
    this.#lingerTimer.unref();
  }

  // --- the codec's events ----------------------------------------------------------------------

  #onFrameReceived = (frame: Frame): void => {
    const flood = this.#floods.frame(frame, Date.now);
    if (flood !== null) this.#h2.terminate(flood);
  };

  #onRequest = (streamId: number, head: RequestHead, endStream: boolean): void => {
    if (this.#running >= this.#h2Limits.maxRunningHandlers) {
      this.#h2.resetStream(streamId, ERROR_CODES.REFUSED_STREAM);
      return;
    }
    const req = this.#bodies.newRequest(streamId, head, !endStream && head.contentLength !== 0, this);
    this.#requests.set(streamId, req);
    if (head.fields.length > this.#limits.maxHeaderCount && this.#limits.maxHeaderCount !== 0) {
      const res = errorResponse(431);
      this.#rejected(streamId, 431, 'WIRE_TOO_MANY_HEADERS', `Too many header fields: over ${this.#limits.maxHeaderCount}`, String(res.body).length, null);
      this.#respond(req, res);
      return;
    }
    if (head.method === 'CONNECT') {
      this.#respond(req, errorResponse(501)); // not a proxy
      return;
    }
    this.#dispatch(req);
  };

  #onStreamData = (streamId: number, data: Uint8Array, endStream: boolean): void => {
    this.#bodies.data(streamId, data, endStream);
  };

  #onTrailers = (streamId: number): void => {
    this.#bodies.trailers(streamId);
  };

  #onStreamReset = (streamId: number, errorCode: number, error: H2Error | null): void => {
    const req = this.#requests.get(streamId);
    if (req === undefined) {
      // A request the codec refused before any handler saw it (RFC 9113 §8.1.1): the stream is reset.
      if (error !== null && REJECTED_STATUS[error.reason] !== undefined) {
        this.#rejected(streamId, REJECTED_STATUS[error.reason] as number, error.reason, error.message, 0, errorCodeName(errorCode));
      }
      return;
    }
    if (error === null) {
      // The client cancelled a stream whose handler ran: counted (CVE-2023-44487).
      const flood = this.#floods.reset(Date.now());
      if (flood !== null) this.#h2.terminate(flood);
      this.#endStream(req, new ClientAbortedError(`Client reset stream ${streamId} (${errorCodeName(errorCode)})`));
    } else {
      this.#endStream(req, error);
    }
  };

  #rejected(streamId: number, status: number, code: string, message: string, bytes: number, errorCode: string | null): void {
    const onRequestRejected = this.#host.onRequestRejected;
    if (onRequestRejected === undefined) return;
    const reason = message.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    const rejection = { remoteAddress: this.remoteAddress, remotePort: this.remotePort, status, code, reason, bytes, time: new Date(), streamId };
    onRequestRejected(errorCode === null ? rejection : { ...rejection, errorCode });
  }

  #onWindowOpen = (streamId: number): void => {
    if (streamId !== 0) {
      this.#requests.get(streamId)?.wake?.();
      return;
    }
    for (const req of this.#requests.values()) req.wake?.();
  };

  #onGoaway = (): void => {
    this.#isPeerGone = true;
  };

  #onConnectionError = (): void => {
    this.#close();
  };

  // --- answering -------------------------------------------------------------------------------

  #dispatch(req: H2Request): void {
    let result: ServerResponse | Promise<ServerResponse>;
    req.isRunning = true;
    this.#running++;
    try {
      result = this.#host.handler(req);
    } catch (error) {
      this.#handlerFailed(req, error);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<ServerResponse>).then === 'function') {
      // The handler was called in the tick its request arrived in: openedAt is now.
      if (this.#limits.handlerTimeout !== 0) req.handlerDeadline = req.openedAt + this.#limits.handlerTimeout;
      // One promise per request: what #respond or #handlerFailed throw is caught here, not by a .catch.
      (result as Promise<ServerResponse>).then(
        (res) => {
          try {
            this.#respond(req, res);
          } catch (error) {
            this.#internalError(req, error);
          }
        },
        (error: unknown) => {
          try {
            this.#handlerFailed(req, error);
          } catch (failure) {
            this.#internalError(req, failure);
          }
        },
      );
      return;
    }
    this.#respond(req, result as ServerResponse);
  }

  #handlerFailed(req: H2Request, error: unknown): void {
    if (req.response !== null) return;
    if (!req.isAborted) this.#host.onError(error, req);
    this.#respond(req, errorResponse(500));
  }

  #internalError(req: H2Request | null, error: unknown): void {
    this.#host.onError(error, req);
    this.socket.destroy();
  }

  #respond(req: H2Request, res: ServerResponse): void {
    if (req.isRunning) {
      req.isRunning = false;
      this.#running--;
    }
    if (req.response !== null || !req.isStreamOpen || this.#isClosed) {
      disposeBody(res?.body);
      return;
    }
    if (res === null || typeof res !== 'object' || typeof res.status !== 'number') {
      this.#handlerFailed(req, new InvalidHandlerResponseError('Invalid response: handler must return an object with a numeric status'));
      return;
    }
    req.response = res;
    req.handlerDeadline = 0;
    let head: H2ResponseHead;
    let trailers: [string, string][];
    try {
      head = h2ResponseHead(res, req.method);
      trailers = head.hasBody && res.trailers !== undefined ? trailerFields(res.trailers) : NO_TRAILERS;
    } catch (error) {
      // Nothing was sent: the handler's answer could not be serialized.
      this.#host.onError(error, req);
      disposeBody(res.body);
      res = errorResponse(500);
      req.response = res;
      head = h2ResponseHead(res, req.method);
      trailers = NO_TRAILERS;
    }
    if (!head.hasBody) {
      if (res.body !== null && typeof res.body === 'object') disposeBody(res.body);
      this.#h2.sendHeaders(req.streamId, head.fields, true);
      this.#responseDone(req);
      return;
    }
    const body = res.body;
    if (trailers.length === 0 && (typeof body === 'string' || body instanceof Uint8Array)) {
      // A small text or bytes body: HEADERS and DATA in one buffer, no promise, when the windows allow it.
      let isSent: boolean;
      try {
        isSent = this.#h2.respond(req.streamId, head.fields, body);
      } catch (error) {
        this.#responseFailed(req, error);
        return;
      }
      if (isSent) {
        if (this.#output.needsDrain && !this.#destroyed) this.#drainThenDone(req);
        else this.#responseDone(req);
        return;
      }
    }
    sendBody(new H2StreamOut(this.#outHost, req), res, head, trailers, req.method).then(
      () => this.#responseDone(req),
      (error: unknown) => this.#responseFailed(req, error),
    );
  }

  // A response sent whole waits, as a body written in pieces does, for the socket to take it before its stream ends.
  #drainThenDone(req: H2Request): void {
    this.#output.waitDrain().then(
      () => {
        if (this.#destroyed) this.#responseFailed(req, gone());
        else this.#responseDone(req);
      },
      (error: unknown) => this.#internalError(req, error),
    );
  }

  #responseDone(req: H2Request): void {
    if (req.isStreamOpen && this.#h2.streamState(req.streamId) !== 'closed') {
      // A complete response before the whole request: the client may stop sending (RFC 9113 §8.1).
      this.#h2.resetStream(req.streamId, ERROR_CODES.NO_ERROR);
    }
    this.#endStream(req, null);
    this.#afterIo();
  }

  #responseFailed(req: H2Request, error: unknown): void {
    const isGone = ServerError.is(error) && error.code === 'SERVER_CLIENT_ABORTED';
    if (!req.isAborted && !isGone && !this.#destroyed) this.#host.onError(error, req);
    if (req.isStreamOpen && !this.#isClosed) this.#h2.resetStream(req.streamId, ERROR_CODES.INTERNAL_ERROR);
    this.#endStream(req, error);
    this.#afterIo();
  }

  // The stream is over for us: its request forgotten, its unread body credited back to the connection.
  #endStream(req: H2Request, reason: unknown): void {
    req.isStreamOpen = false;
    if (reason !== null) req.abort(reason);
    else {
      req.wake?.();
      req.requestBody?.discard();
    }
    this.#bodies.streamEnded(req);
    if (this.#requests.delete(req.streamId) && this.#requests.size === 0) this.#idleSince = Date.now();
  }
}

// The codec's refusals of a request that onRequestRejected hears of, with the status HTTP/1 would
// answer. Refused streams (the client retries them) and frames on closed streams are not requests.
const REJECTED_STATUS: Partial<Record<H2ErrorReason, number>> = {
  H2_MALFORMED_HEADERS: 400,
  H2_CONTENT_LENGTH_MISMATCH: 400,
  H2_SELF_DEPENDENCY: 400,
  H2_HEADER_LIST_TOO_LARGE: 431,
};

// The trailers of a response that has none: shared, never changed.
const NO_TRAILERS: [string, string][] = [];

function noop(): void {}
