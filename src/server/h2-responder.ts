// Answering on an HTTP/2 server connection: a stream's handler is run, its answer (or the 4xx/5xx
// the connection chose) checked and sent, a small body in one write with its HEADERS, any other
// through H2StreamOut under flow control (h2-stream-out.ts), and the stream ended for us once the
// response is complete or has failed. Apart from the connection (h2-connection.ts), which owns the
// socket, the codec's events and the streams' bookkeeping, and calls in here for each request.
import type { Socket } from 'node:net';
import { ERROR_CODES } from '../h2/index.js';
import type { ConnectionHost } from './connection.js';
import { ServerError } from './errors.js';
import type { H2Request } from './h2-request.js';
import { gone, sendBody, trailerFields } from './h2-response.js';
import { h2ResponseHead, type H2ResponseHead } from './h2-response-head.js';
import { H2StreamOut, type StreamOutHost } from './h2-stream-out.js';
import type { ServerResponse } from './types.js';
import { disposeBody, errorResponse, responseError } from './writer.js';

/** ResponderHost is what answering needs of its connection (a response's way out included). */
export interface ResponderHost extends StreamOutHost {
  readonly socket: Socket;
  /** server is the connection's host: the handler, the limits, where errors are reported. */
  readonly server: ConnectionHost;
  /** isDestroyed tells whether the socket is destroyed. */
  isDestroyed(): boolean;
  /** endStream ends a stream for the connection: forgotten, aborted with `reason` unless it is null, its unread body credited back. */
  endStream(req: H2Request, reason: unknown): void;
  /** afterIo closes the connection when a shutdown or the client's GOAWAY waits only for streams now ended. */
  afterIo(): void;
}

/** H2Responder runs the handlers of one connection's streams and sends their responses. */
export class H2Responder {
  readonly #host: ResponderHost;
  #running = 0;

  constructor(host: ResponderHost) {
    this.#host = host;
  }

  /** running counts the handlers called that have not answered, streams reset by the client included. */
  get running(): number {
    return this.#running;
  }

  /** dispatch calls the handler with `req` and sends its answer; a handler that throws or rejects is answered 500. */
  dispatch(req: H2Request): void {
    let result: ServerResponse | Promise<ServerResponse>;
    req.isRunning = true;
    this.#running++;
    const server = this.#host.server;
    try {
      result = server.handler(req);
    } catch (error) {
      this.#handlerFailed(req, error);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<ServerResponse>).then === 'function') {
      // The handler was called in the tick its request arrived in: openedAt is now.
      if (server.limits.handlerTimeout !== 0) req.handlerDeadline = req.openedAt + server.limits.handlerTimeout;
      // One promise per request: what respond or #handlerFailed throw is caught here, not by a .catch.
      (result as Promise<ServerResponse>).then(
        (res) => {
          try {
            this.respond(req, res);
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
    this.respond(req, result as ServerResponse);
  }

  /**
   * respond sends `res` on the stream of `req`, unless it was answered already or can no longer
   * carry a response (the body is disposed of then); an answer that cannot be serialized becomes 500.
   */
  respond(req: H2Request, res: ServerResponse): void {
    const host = this.#host;
    if (req.isRunning) {
      req.isRunning = false;
      this.#running--;
    }
    if (req.response !== null || !req.isStreamOpen || host.isClosing()) {
      disposeBody(res?.body);
      return;
    }
    const invalid = responseError(res);
    if (invalid !== null) {
      this.#handlerFailed(req, invalid);
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
      host.server.onError(error, req);
      disposeBody(res.body);
      res = errorResponse(500);
      req.response = res;
      head = h2ResponseHead(res, req.method);
      trailers = NO_TRAILERS;
    }
    if (!head.hasBody) {
      if (res.body !== null && typeof res.body === 'object') disposeBody(res.body);
      host.h2.sendHeaders(req.streamId, head.fields, true);
      this.#responseDone(req);
      return;
    }
    const body = res.body;
    if (trailers.length === 0 && (typeof body === 'string' || body instanceof Uint8Array)) {
      // A small text or bytes body: HEADERS and DATA in one buffer, no promise, when the windows allow it.
      let isSent: boolean;
      try {
        isSent = host.h2.respond(req.streamId, head.fields, body);
      } catch (error) {
        this.#responseFailed(req, error);
        return;
      }
      if (isSent) {
        if (host.output.needsDrain && !host.isDestroyed()) this.#drainThenDone(req);
        else this.#responseDone(req);
        return;
      }
    }
    sendBody(new H2StreamOut(host, req), res, head, trailers, req.method).then(
      () => this.#responseDone(req),
      (error: unknown) => this.#responseFailed(req, error),
    );
  }

  #handlerFailed(req: H2Request, error: unknown): void {
    if (req.response !== null) return;
    if (!req.isAborted) this.#host.server.onError(error, req);
    this.respond(req, errorResponse(500));
  }

  #internalError(req: H2Request, error: unknown): void {
    this.#host.server.onError(error, req);
    this.#host.socket.destroy();
  }

  // A response sent whole waits, as a body written in pieces does, for the socket to take it before its stream ends.
  #drainThenDone(req: H2Request): void {
    this.#host.output.waitDrain().then(
      () => {
        if (this.#host.isDestroyed()) this.#responseFailed(req, gone());
        else this.#responseDone(req);
      },
      (error: unknown) => this.#internalError(req, error),
    );
  }

  #responseDone(req: H2Request): void {
    const host = this.#host;
    if (req.isStreamOpen && host.h2.streamState(req.streamId) !== 'closed') {
      // A complete response before the whole request: the client may stop sending (RFC 9113 §8.1).
      host.h2.resetStream(req.streamId, ERROR_CODES.NO_ERROR);
    }
    host.endStream(req, null);
    host.afterIo();
  }

  #responseFailed(req: H2Request, error: unknown): void {
    const host = this.#host;
    const isGone = ServerError.is(error) && error.code === 'SERVER_CLIENT_ABORTED';
    if (!req.isAborted && !isGone && !host.isDestroyed()) host.server.onError(error, req);
    if (req.isStreamOpen && !host.isClosing()) host.h2.resetStream(req.streamId, ERROR_CODES.INTERNAL_ERROR);
    host.endStream(req, error);
    host.afterIo();
  }
}

// The trailers of a response that has none: shared, never changed.
const NO_TRAILERS: [string, string][] = [];
