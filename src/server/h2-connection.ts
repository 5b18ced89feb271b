// An HTTP/2 server connection (RFC 9113) over one socket: the sans-IO codec of src/h2 decides what
// the frames mean; this file owns the socket and the codec's events, keeps the streams in progress,
// and applies the server's limits, timeouts and graceful shutdown. Its parts have files of their
// own: the handlers run and their answers sent (h2-responder.ts), request bodies fed and credited
// back (h2-request-bodies.ts), which deadline passed (h2-deadlines.ts).
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { BatchedOutput } from '../http/index.js';
import { ERROR_CODES, H2Connection, MAX_WINDOW_SIZE, errorCodeName, type Frame, type H2Error, type H2ErrorReason, type RequestHead } from '../h2/index.js';
import type { ConnectionHost } from './connection.js';
import { ClientAbortedError, ConnectionClosedError, type ServerError } from './errors.js';
import { connectionExpiry, streamExpiry, type StreamExpiry } from './h2-deadlines.js';
import { FloodGuard, h2Limits, type H2Limits } from './h2-limits.js';
import type { H2Request } from './h2-request.js';
import { H2RequestBodies, type RequestBodiesHost } from './h2-request-bodies.js';
import { H2Responder, type ResponderHost } from './h2-responder.js';
import type { ResolvedLimits } from './options.js';
import type { ServerConnection } from './protocols.js';
import { SendStall } from './send-stall.js';
import { errorResponse } from './writer.js';

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
  #isClosed = false;
  #destroyed = false;
  #isShuttingDown = false;
  #shutdownAt = 0;
  #isPeerGone = false;
  #idleSince = Date.now();
  readonly #output: BatchedOutput;
  readonly #bodies: H2RequestBodies;
  readonly #responder: H2Responder;
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
    // What the request bodies, the responses and their way out (h2-stream-out.ts) see of this connection.
    const shared: RequestBodiesHost & ResponderHost = {
      h2: this.#h2,
      output: this.#output,
      requests: this.#requests,
      socket,
      server: host,
      isClosing: () => this.#isClosed,
      isDestroyed: () => this.#destroyed,
      endStream: (req, reason) => this.#endStream(req, reason),
      afterIo: () => this.#afterIo(),
    };
    this.#bodies = new H2RequestBodies(shared);
    this.#responder = new H2Responder(shared);
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
      this.#responder.respond(req, errorResponse(503));
      return;
    }
    if (expiry.kind === 'send') {
      this.#h2.resetStream(req.streamId, ERROR_CODES.CANCEL);
      this.#endStream(req, expiry.error);
      return;
    }
    req.abort(expiry.error);
    if (req.response === null) {
      this.#responder.respond(req, errorResponse(408));
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
    if (this.#responder.running >= this.#h2Limits.maxRunningHandlers) {
      this.#h2.resetStream(streamId, ERROR_CODES.REFUSED_STREAM);
      return;
    }
    const req = this.#bodies.newRequest(streamId, head, !endStream && head.contentLength !== 0, this);
    this.#requests.set(streamId, req);
    if (head.fields.length > this.#limits.maxHeaderCount && this.#limits.maxHeaderCount !== 0) {
      const res = errorResponse(431);
      this.#rejected(streamId, 431, 'WIRE_TOO_MANY_HEADERS', `Too many header fields: over ${this.#limits.maxHeaderCount}`, String(res.body).length, null);
      this.#responder.respond(req, res);
      return;
    }
    if (head.method === 'CONNECT') {
      this.#responder.respond(req, errorResponse(501)); // not a proxy
      return;
    }
    this.#responder.dispatch(req);
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

function noop(): void {}
