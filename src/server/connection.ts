import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { RequestParser, WireError, reasonPhrase, type RequestHead } from '../wire/index.js';
import { httpDate } from '../http/index.js';
import { ClientAbortedError, ConnectionClosedError, HandlerTimeoutError, ServerBodyTimeoutError, ServerError, ServerRequestTimeoutError } from './errors.js';
import { Continue, Exchange, type ExchangeHost } from './exchange.js';
import { statusLine } from './head.js';
import type { ResolvedLimits } from './options.js';
import type { ServerConnection } from './protocols.js';
import { SendStall } from './send-stall.js';
import { CONTINUE, disposeBody, errorResponse, responseError, ResponseWriter } from './writer.js';
import type { Handler, RequestRejection, ServerRequest, ServerResponse } from './types.js';

/** ConnectionHost is what a connection needs from its server. */
export interface ConnectionHost {
  readonly limits: ResolvedLimits;
  readonly handler: Handler;
  readonly isTls: boolean;
  onError(error: unknown, req: ServerRequest | null): void;
  /** onRequestRejected hears about requests the codec refused (optional). */
  onRequestRejected?: ((rejection: RequestRejection) => void) | undefined;
  /** connectionClosed is told when a connection (of any protocol) has closed. */
  connectionClosed(conn: ServerConnection): void;
}

/** LINGER_MS is how long a closing connection keeps reading (and dropping) what the client still sends. */
const LINGER_MS = 2_000;

const IDLE_STARTS_AT_NEXT_SWEEP = -1;

/** Blocked names why a connection stops parsing ahead; several may hold at once (a bit set). */
const enum Blocked {
  None = 0,
  /** Body: the handler has not caught up with the request body buffered so far. */
  Body = 1,
  /** Queue: maxPipelinedRequests requests wait for their answers. */
  Queue = 2,
  /** Drain: the socket's write buffer is full; answers wait for it to drain. */
  Drain = 4,
}

/**
 * Reading is how far the connection still parses what the client sends. Parsing is the normal
 * state; shutdown() leads through Draining, ToCut and FinishingLast; anything may end it in Stopped.
 */
const enum Reading {
  /** Parsing: requests are parsed as they arrive. */
  Parsing,
  /** Draining: shutting down; the socket is read in full for one event-loop turn, to collect what was received. */
  Draining,
  /** ToCut: after that turn, only the bytes received before it are parsed (#cutRemaining of them are left). */
  ToCut,
  /** FinishingLast: every byte received before the cut is parsed; the message in progress is the last one. */
  FinishingLast,
  /** Stopped: no more requests are parsed (the last one was seen, or the connection is closing); input is dropped. */
  Stopped,
}

/** Life is where the connection stands on its way to closing; it only moves forward. */
const enum Life {
  /** Open: requests are read and answered. */
  Open,
  /** ShuttingDown: shutdown() was called; the requests already received are answered, then it closes. */
  ShuttingDown,
  /** Closing: the last answer is flushed and FIN sent; what the client still sends is read and dropped for a while. */
  Closing,
  /** Closed: the socket has closed. */
  Closed,
}

/** Eof is what the connection knows of the end of the client's stream (its FIN). */
const enum Eof {
  /** None: the client may still send. */
  None,
  /** Received: the client half-closed; acted on once what was received before it is parsed. */
  Received,
  /** Handled: the requests fully received are answered and the rest cancelled (see #checkEof). */
  Handled,
}

const enum Deadline {
  None,
  Head,
  Body,
  Idle,
}

// This file is longer than the ~400 lines where the style guide splits: reading, answering and
// deadlines are one state machine over the same states (blocked, reading state, life, queue), and
// spreading it over files would hide the transitions that must be read together.

/**
 * Connection drives one HTTP/1.x socket (RFC 9112 §9): it parses requests ahead (up to
 * maxPipelinedRequests), runs their handlers, writes the responses strictly in request order,
 * applies backpressure both ways, and closes when the protocol, a limit or a timeout says so.
 */
export class Connection implements ExchangeHost, ServerConnection {
  readonly socket: Socket;
  readonly isTls: boolean;
  #host: ConnectionHost;
  #limits: ResolvedLimits;
  #parser: RequestParser;
  #writer: ResponseWriter;
  /** Requests parsed and not yet answered, in order; the first is the one being written. */
  #queue: Exchange[] = [];
  /** Requests parsed and not yet given to the handler, in order (a linked list). */
  #freshFirst: Exchange | null = null;
  #freshLast: Exchange | null = null;
  #lastHead: Exchange | null = null;
  /** Handlers called that have not answered yet, and how many may run at once (see #dispatchFresh). */
  #running = 0;
  #runLimit = 1;
  /** The request whose body the parser is reading. */
  #reading: Exchange | null = null;
  /** Bytes received and not yet parsed (the parser is paused). */
  #pending: Buffer | null = null;
  #inDrive = false;
  #again = false;
  /** Why parsing is held back: a set of Blocked reasons (none: parse on). */
  #blocked = Blocked.None;
  #socketPaused = false;
  /** How far the client's input is still parsed (see Reading). */
  #readState = Reading.Parsing;
  #life = Life.Open;
  #eof = Eof.None;
  #finalStatus = 0;
  /** #rejection is the codec error behind #finalStatus, whose reason the answer gives. */
  #rejection: WireError | null = null;
  #requestCount = 0;
  #headStart = Date.now();
  /** When the request whose body is being read started (its first byte, as near as known). */
  #requestStart = 0;
  #bodyActivity = 0;
  #deadline = 0;
  #deadlineKind = Deadline.None;
  /** Watches for a client that reads nothing while a response waits (sendTimeout). */
  readonly #sendStall = new SendStall();
  #lingerTimer: NodeJS.Timeout | null = null;
  /** Reading.ToCut: how many bytes of #pending were received before the cut and are not parsed yet. */
  #cutRemaining = 0;

  constructor(socket: Socket, host: ConnectionHost) {
    this.socket = socket;
    this.isTls = host.isTls;
    this.#host = host;
    this.#limits = host.limits;
    this.#writer = new ResponseWriter(socket, this);
    this.#parser = new RequestParser(
      { onHead: this.#onHead, onBody: this.#onBody, onComplete: this.#onComplete },
      {
        maxHeadSize: host.limits.maxHeadSize,
        maxHeaderCount: host.limits.maxHeaderCount,
        maxTargetLength: host.limits.maxTargetLength,
        maxChunkExtensionSize: host.limits.maxChunkExtensionSize,
      },
    );
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('drain', this.#onDrain);
    socket.on('error', noop);
    socket.on('close', this.#onClose);
    this.#updateDeadline();
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  get remotePort(): number {
    return this.socket.remotePort ?? 0;
  }

  /** isIdle tells whether no request is in progress. */
  get isIdle(): boolean {
    return this.#queue.length === 0 && this.#reading === null && this.#pending === null && this.#parser.isIdle;
  }

  /**
   * shutdown answers the requests already received (the last answer says Connection: close),
   * then closes; requests that arrive later are not read. An idle connection closes once what
   * its socket holds is read.
   */
  shutdown(): void {
    if (this.#life !== Life.Open) return;
    this.#life = Life.ShuttingDown;
    if (this.#readState === Reading.Stopped) {
      if (this.#queue.length === 0 && this.#reading === null) this.#close();
      return;
    }
    // Bytes the client sent before close() may sit in the kernel or in Node's buffer of a paused
    // socket: read everything for one full turn of the event loop (an I/O poll phase lies between
    // the two immediates), then parse no further than what arrived.
    this.#readState = Reading.Draining;
    if (this.#socketPaused) {
      this.#socketPaused = false;
      this.socket.resume();
    }
    setImmediate(() => setImmediate(this.#cut));
  }

  #cut = (): void => {
    if (this.#life >= Life.Closing) return;
    if (this.#readState === Reading.Draining) {
      this.#readState = Reading.ToCut;
      this.#cutRemaining = this.#pending === null ? 0 : this.#pending.length;
    }
    this.#drive();
    // The answer held back during the turn now knows whether it is the last.
    if (this.#life < Life.Closing) this.#writeFront();
    this.#afterIo();
  };

  // Every byte received before the cut is parsed: stop at this message boundary, or after the
  // message in progress.
  #atCut(): void {
    if (this.#parser.isIdle && this.#reading === null) this.#stopAfterLast();
    else this.#readState = Reading.FinishingLast;
  }

  // No request after the last one parsed: it is answered with Connection: close (RFC 9112 §9.6).
  #stopAfterLast(): void {
    this.#readState = Reading.Stopped;
    this.#pending = null;
    this.#parser.pause();
    const last = this.#queue[this.#queue.length - 1];
    if (last !== undefined && last === this.#lastHead) last.isClosing = true;
  }

  /** destroy drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  /** checkTimeouts enforces the handler, head, body and idle deadlines; the server calls it periodically. */
  checkTimeouts(now: number): void {
    for (let i = 0; i < this.#queue.length; i++) {
      const ex = this.#queue[i] as Exchange;
      if (ex.response === null && ex.handlerDeadline !== 0 && now >= ex.handlerDeadline) {
        ex.abort(new HandlerTimeoutError(`Handler did not answer within ${this.#limits.handlerTimeout} ms`));
        this.respond(ex, errorResponse(503));
      }
    }
    if (this.#life !== Life.Closed && this.#sendStall.isStalled(this.socket, now, this.#limits.sendTimeout)) this.socket.destroy();
    if (this.#deadline === IDLE_STARTS_AT_NEXT_SWEEP) {
      this.#deadline = now + this.#limits.keepAliveTimeout;
      return;
    }
    if (this.#deadline === 0 || now < this.#deadline || this.#life >= Life.Closing) return;
    // A deadline fires once; what follows sets the next one.
    this.#deadline = 0;
    switch (this.#deadlineKind) {
      case Deadline.Head:
        this.#readState = Reading.Stopped;
        this.#pending = null;
        this.#finalStatus = 408;
        this.#queueChanged();
        return;
      case Deadline.Body: {
        const ex = this.#reading as Exchange;
        const limits = this.#limits;
        this.#reading = null;
        this.#readState = Reading.Stopped;
        this.#pending = null;
        const isWhole = limits.requestTimeout !== 0 && now >= this.#requestStart + limits.requestTimeout;
        ex.abort(
          isWhole
            ? new ServerRequestTimeoutError(`Request not received within ${limits.requestTimeout} ms`)
            : new ServerBodyTimeoutError(`Request body stalled for ${limits.bodyTimeout} ms`),
        );
        ex.isClosing = true;
        if (ex.response === null) this.respond(ex, errorResponse(408));
        else this.#queueChanged();
        this.#afterIo();
        return;
      }
      case Deadline.Idle:
        // A request may have arrived in the same turn as the deadline (the timers run before
        // the reads): close as close() does, answering what the socket already holds.
        this.shutdown();
        return;
      default:
        return;
    }
  }

  // --- reading ---------------------------------------------------------------------------------

  #onData = (chunk: Buffer): void => {
    if (this.#readState === Reading.Stopped) return; // closing: what the client still sends is dropped
    this.#pending = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    try {
      this.#drive();
    } catch (error) {
      this.#internalError(null, error);
    }
  };

  #isBlocked(): boolean {
    return this.#blocked !== Blocked.None || this.#readState === Reading.Stopped;
  }

  // Parse what is pending as far as the blocks allow, then hand new requests to the handler.
  // Re-entry (a handler that reads its body or answers synchronously) only asks for another round.
  #drive(): void {
    if (this.#inDrive) {
      this.#again = true;
      return;
    }
    this.#inDrive = true;
    this.#writer.startBatch();
    try {
      for (;;) {
        this.#again = false;
        if (this.#readState === Reading.ToCut && this.#cutRemaining === 0) this.#atCut();
        const buf = this.#pending;
        if (buf !== null && !this.#isBlocked()) {
          this.#pending = null;
          // After the cut, bytes that arrived later are parsed only to finish the last message.
          const input = this.#readState === Reading.ToCut && buf.length > this.#cutRemaining ? buf.subarray(0, this.#cutRemaining) : buf;
          this.#parser.resume();
          let consumed = input.length;
          try {
            consumed = this.#parser.execute(input);
          } catch (error) {
            this.#parseFailed(error);
          }
          if (consumed < buf.length && this.#readState !== Reading.Stopped) this.#pending = buf.subarray(consumed);
          if (this.#readState === Reading.ToCut) {
            this.#cutRemaining -= consumed;
            if (this.#cutRemaining === 0) this.#atCut();
          }
        }
        this.#dispatchFresh();
        if (this.#life === Life.Closed) return;
        if (!this.#again && (this.#pending === null || this.#isBlocked())) break;
      }
      if (this.#queue.length === 0) this.#queueChanged();
    } finally {
      this.#inDrive = false;
      this.#writer.endBatch();
    }
    this.#afterIo();
  }

  // Handlers start in request order, only while the responses before them drain, and the
  // handlers of pipelined requests run at once only as far as earlier answers proved small (the
  // limit doubles with each small answer written without congestion, up to maxPipelinedRequests,
  // and falls back to 1 otherwise, like TCP's slow start). So a client that pipelines requests and
  // never reads holds a response or two and the socket's buffer, not one response per request.
  #dispatchFresh(): void {
    while (this.#freshFirst !== null && this.#life !== Life.Closed) {
      if (this.socket.writableNeedDrain) {
        this.#blocked |= Blocked.Drain;
        return;
      }
      if (this.#running >= this.#runLimit) return; // respond() comes back here
      const ex = this.#freshFirst;
      this.#freshFirst = ex.nextFresh;
      if (this.#freshFirst === null) this.#freshLast = null;
      ex.nextFresh = null;
      this.#dispatch(ex);
    }
  }

  #afterIo(): void {
    const life = this.#life;
    if (life === Life.Closed) return;
    if ((this.#blocked & Blocked.Drain) === 0 && this.socket.writableNeedDrain && life < Life.Closing) this.#blocked |= Blocked.Drain;
    // Stopped: the socket is read (and dropped); Draining: it is read in full for one turn.
    const shouldPause = this.#blocked !== Blocked.None && this.#readState !== Reading.Stopped && this.#readState !== Reading.Draining;
    if (shouldPause !== this.#socketPaused) {
      this.#socketPaused = shouldPause;
      if (shouldPause) this.socket.pause();
      else this.socket.resume();
    }
    this.#checkEof();
    this.#updateDeadline();
  }

  #onHead = (head: RequestHead): void => {
    const headStart = this.#headStart;
    this.#headStart = 0;
    this.#requestCount++;
    const ex = new Exchange(head, this, this.#limits.maxBodyBuffer);
    this.#queue.push(ex);
    if (this.#freshLast === null) this.#freshFirst = ex;
    else this.#freshLast.nextFresh = ex;
    this.#freshLast = ex;
    this.#lastHead = ex;
    const max = this.#limits.maxRequestsPerConnection;
    if (!head.keepAlive || (max !== 0 && this.#requestCount >= max)) ex.isClosing = true;
    if (head.isUpgrade) {
      // CONNECT (the only upgrade the codec reports for requests): not a proxy, so 501 and close.
      ex.isClosing = true;
      ex.response = errorResponse(501);
    }
    if (ex.hasBody) {
      const now = Date.now();
      this.#reading = ex;
      this.#bodyActivity = now;
      this.#requestStart = headStart !== 0 ? headStart : now;
    }
  };

  #onBody = (chunk: Buffer): void => {
    const ex = this.#reading;
    if (ex === null || ex.requestBody === null) return;
    this.#bodyActivity = Date.now();
    if (!ex.requestBody.push(chunk)) {
      this.#blocked |= Blocked.Body;
      this.#parser.pause();
    }
  };

  #onComplete = (): void => {
    const ex = this.#reading;
    if (ex !== null) {
      ex.requestBody?.end();
      this.#reading = null;
      this.#blocked &= ~Blocked.Body;
    }
    if (this.#readState === Reading.FinishingLast) {
      this.#stopAfterLast();
    } else if (this.#lastHead?.isClosing === true) {
      this.#readState = Reading.Stopped;
      this.#parser.pause();
    } else if (this.#queue.length >= this.#limits.maxPipelinedRequests) {
      this.#blocked |= Blocked.Queue;
      this.#parser.pause();
    }
  };

  #parseFailed(error: unknown): void {
    this.#readState = Reading.Stopped;
    if (!WireError.is(error)) {
      this.#host.onError(error, null);
      this.socket.destroy();
      return;
    }
    const ex = this.#reading;
    if (ex === null) {
      this.#finalStatus = error.status;
      this.#rejection = error;
      return;
    }
    // The body broke: the handler's body iterator throws the WireError, and the request gets
    // the codec's status if not answered yet (through respond(), which writes it in its turn).
    this.#reading = null;
    this.#blocked &= ~Blocked.Body;
    ex.abort(error);
    ex.isClosing = true;
    this.respond(ex, errorResponse(error.status));
  }

  /** bodyWanted resumes parsing once the handler caught up with its body. */
  bodyWanted(ex: Exchange): void {
    if (ex !== this.#reading || (this.#blocked & Blocked.Body) === 0) return;
    this.#blocked &= ~Blocked.Body;
    this.#drive();
  }

  /** bodyStarted sends 100 Continue when the handler first reads a body that expects it. */
  bodyStarted(ex: Exchange): void {
    if (ex.continueState !== Continue.Asked) return;
    // 100 Continue must not cut into an earlier response: it waits for its turn.
    if (this.#queue[0] === ex && !this.#writer.isBusy) {
      ex.continueState = Continue.Sent;
      this.#writer.write(CONTINUE);
    } else {
      ex.continueState = Continue.ReaderWaits;
    }
  }

  #onDrain = (): void => {
    this.#sendStall.drained();
    if ((this.#blocked & Blocked.Drain) === 0) return;
    this.#blocked &= ~Blocked.Drain;
    this.#drive();
  };

  #onEnd = (): void => {
    this.#eof = Eof.Received;
    this.#checkEof();
  };

  // The client half-closed: answer what was fully received, then close (RFC 9112 §9.6).
  #checkEof(): void {
    if (this.#eof !== Eof.Received || this.#life === Life.Closed) return;
    if (this.#pending !== null && this.#readState !== Reading.Stopped) return;
    this.#eof = Eof.Handled;
    if (this.#readState !== Reading.Stopped) {
      this.#readState = Reading.Stopped;
      try {
        this.#parser.finish();
      } catch (error) {
        // The client ended its side inside a request body: its fault, not the server's. The
        // handler's body iterator throws SERVER_CLIENT_ABORTED and the request is answered 400
        // (a half-closed client may still read it).
        const ex = this.#reading;
        this.#reading = null;
        this.#blocked &= ~Blocked.Body;
        if (ex !== null) {
          ex.abort(new ClientAbortedError('Client closed its side of the connection inside the request body', { cause: error }));
          ex.isClosing = true;
          this.respond(ex, errorResponse(WireError.is(error) ? error.status : 400));
        }
      }
    }
    // Like Go's net/http: EOF cancels the requests still being handled (a client that closed
    // fully looks the same as one that half-closed); the answers are still written if they come.
    const reason = new ClientAbortedError('Client closed its side of the connection');
    for (const ex of this.#queue) if (ex.response === null) ex.abort(reason);
    if (this.#queue.length === 0) this.#queueChanged();
  }

  // --- answering -------------------------------------------------------------------------------

  #dispatch(ex: Exchange): void {
    if (ex.response !== null) {
      this.#writeFront();
      return;
    }
    const expectation = ex.expectation;
    // RFC 9110 §10.1.1: an expectation the server does not understand may be answered 417.
    if (expectation !== null && expectation !== '100-continue') {
      this.respond(ex, errorResponse(417));
      return;
    }
    let result: ServerResponse | Promise<ServerResponse>;
    ex.isRunning = true;
    this.#running++;
    try {
      result = this.#host.handler(ex);
    } catch (error) {
      this.#handlerFailed(ex, error);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as Promise<ServerResponse>).then === 'function') {
      if (this.#limits.handlerTimeout !== 0) ex.handlerDeadline = Date.now() + this.#limits.handlerTimeout;
      (result as Promise<ServerResponse>)
        .then(
          (res) => this.respond(ex, res),
          (error: unknown) => this.#handlerFailed(ex, error),
        )
        .catch((error: unknown) => this.#internalError(ex, error));
      return;
    }
    this.respond(ex, result as ServerResponse);
  }

  /** respond records a request's answer and writes it when its turn comes. */
  respond(ex: Exchange, res: ServerResponse): void {
    if (ex.response !== null || this.#life >= Life.Closing) {
      disposeBody(res?.body);
      return;
    }
    const invalid = responseError(res);
    if (invalid !== null) {
      this.#handlerFailed(ex, invalid);
      return;
    }
    ex.response = res;
    ex.handlerDeadline = 0;
    if (ex.isRunning) {
      ex.isRunning = false;
      this.#running--;
      this.#runLimit = isSmall(res) && !this.socket.writableNeedDrain ? Math.min(this.#runLimit * 2, this.#limits.maxPipelinedRequests) : 1;
    }
    if (this.#queue[0] === ex) this.#writeFront();
    // An answer from outside a read (an async handler, a timeout): start the handlers it lets
    // run, and follow with the deadlines, the pause state and EOF handling as after a read.
    if (!this.#inDrive && this.#life < Life.Closing) this.#drive();
  }

  // A fault of the engine itself, out of an asynchronous path: report it and drop the connection
  // rather than let an unhandled rejection end the process.
  #internalError(ex: Exchange | null, error: unknown): void {
    this.#host.onError(error, ex);
    this.socket.destroy();
  }

  #handlerFailed(ex: Exchange, error: unknown): void {
    if (ex.response !== null || this.#life >= Life.Closing) return;
    if (!ex.isAborted) this.#host.onError(error, ex);
    this.respond(ex, errorResponse(500));
  }

  #writeFront(): void {
    const writer = this.#writer;
    while (!writer.isBusy && this.#queue.length > 0 && this.#life !== Life.Closed) {
      const ex = this.#queue[0] as Exchange;
      if (ex.response === null) {
        if (ex.continueState === Continue.ReaderWaits) {
          ex.continueState = Continue.Sent;
          writer.write(CONTINUE);
        }
        break;
      }
      // Shutting down, while the socket is read for what it holds: whether the only answer left
      // is the last one (and says Connection: close) is known at the cut, one turn later.
      if (this.#readState === Reading.Draining && this.#queue.length === 1 && this.#pending === null && this.#parser.isIdle) break;
      let isDone: boolean;
      try {
        isDone = writer.writeResponse(ex, this.#mustClose(ex), this.#hasUnreadBody(ex));
      } catch (error) {
        // Nothing was written: the handler's answer could not be serialized.
        this.#host.onError(error, ex);
        disposeBody(ex.response.body);
        ex.response = errorResponse(500);
        isDone = writer.writeResponse(ex, this.#mustClose(ex), this.#hasUnreadBody(ex));
      }
      if (!isDone) return; // the writer calls responseDone() when the body is out
      if (!this.#completed(ex)) return;
    }
    if (this.#queue.length === 0 || (this.#blocked & Blocked.Queue) !== 0) this.#queueChanged();
  }

  // Whether the connection must close after this response, as far as the engine knows before the
  // handler's own fields are read.
  #mustClose(ex: Exchange): boolean {
    if (ex.isClosing) return true;
    // Shutting down: the last request in flight carries Connection: close (RFC 9112 §9.6).
    return this.#life === Life.ShuttingDown && this.#readState === Reading.Stopped && this.#finalStatus === 0 && this.#queue.length === 1 && this.#reading === null;
  }

  // Whether the request body will be left unread once a response that does not stream is out,
  // so the connection should close rather than read (or wait for) the rest.
  #hasUnreadBody(ex: Exchange): boolean {
    const body = ex.requestBody;
    if (body === null || body.isComplete) return false;
    // A client that waits for 100 Continue that never came will not send the body.
    if (ex.continueState === Continue.Asked || ex.continueState === Continue.ReaderWaits || body.isFailed) return true;
    if (body.isStarted) return false; // the handler reads it while answering
    return !isSkippable(ex);
  }

  /** responseDone is called by the writer when a streamed response is fully written. */
  responseDone(ex: Exchange): void {
    if (this.#life === Life.Closed) return;
    if (this.#completed(ex)) this.#writeFront();
    this.#afterIo();
  }

  /** responseFailed is called by the writer when a streamed response broke midway. */
  responseFailed(ex: Exchange, error: unknown): void {
    if (this.#life !== Life.Closed && !ex.isAborted && !(ServerError.is(error) && error.code === 'SERVER_CLIENT_ABORTED')) {
      this.#host.onError(error, ex);
    }
    this.socket.destroy();
  }

  // The front response is fully written; returns whether the connection goes on.
  #completed(ex: Exchange): boolean {
    this.#queue.shift();
    const body = ex.requestBody;
    if (body !== null && !body.isComplete) {
      // The response is out and the body is not all in: skip a small rest, else close (the
      // response was complete, so the client reads it whole either way).
      if (!isSkippable(ex) || ex.continueState === Continue.Moot) ex.isClosing = true;
      body.discard();
    }
    if (ex.isClosing) {
      this.#close();
      return false;
    }
    return true;
  }

  #queueChanged(): void {
    if (this.#life >= Life.Closing) return;
    if (this.#queue.length === 0) {
      if (this.#finalStatus !== 0) {
        const status = this.#finalStatus;
        const rejection = this.#rejection;
        // A rejected request is told what was wrong and where (control bytes made visible).
        const reason = rejection === null ? '' : `${rejection.message}${rejection.offset >= 0 ? ` (byte ${rejection.offset})` : ''}`.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
        const text = rejection === null ? reasonPhrase(status) : `${status} ${reasonPhrase(status)}: ${reason}\n`;
        this.#writer.write(
          `${statusLine(status, 1)}Date: ${httpDate()}\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n${text}`,
        );
        if (rejection !== null) {
          this.#host.onRequestRejected?.({ remoteAddress: this.remoteAddress, remotePort: this.remotePort, status, code: rejection.reason, reason, bytes: text.length, time: new Date() });
        }
        this.#close();
        return;
      }
      if (this.#readState === Reading.Stopped && this.#reading === null) {
        this.#close();
        return;
      }
      // Whichever path emptied the queue, the idle deadline starts now.
      this.#updateDeadline();
    }
    if ((this.#blocked & Blocked.Queue) !== 0 && this.#queue.length < this.#limits.maxPipelinedRequests) {
      this.#blocked &= ~Blocked.Queue;
      this.#drive();
    }
  }

  // Close after what is written: FIN, then keep draining input for a while so the client reads
  // the response rather than a reset (RFC 9112 §9.6, "lingering close").
  #close(): void {
    if (this.#life >= Life.Closing) return;
    this.#life = Life.Closing;
    this.#readState = Reading.Stopped;
    this.#pending = null;
    this.#deadline = 0;
    const reason = new ConnectionClosedError('Connection closed before the request was answered');
    for (const ex of this.#queue) ex.abort(reason);
    this.#queue.length = 0;
    this.#freshFirst = this.#freshLast = null;
    this.#running = 0;
    this.#reading?.abort(reason);
    this.#reading = null;
    this.#writer.flush();
    this.socket.end();
    if (this.#socketPaused) {
      this.#socketPaused = false;
      this.socket.resume();
    }
    this.#lingerTimer = setTimeout(() => this.socket.destroy(), LINGER_MS);
    this.#lingerTimer.unref();
  }

  #onClose = (): void => {
    this.#life = Life.Closed;
    this.#readState = Reading.Stopped;
    this.#deadline = 0;
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer);
    const reason = new ClientAbortedError('Client closed the connection before the response was written');
    for (const ex of this.#queue) ex.abort(reason);
    this.#queue.length = 0;
    this.#freshFirst = this.#freshLast = null;
    this.#reading?.abort(reason);
    this.#reading = null;
    this.#pending = null;
    this.#host.connectionClosed(this);
  };

  #updateDeadline(): void {
    const limits = this.#limits;
    if (this.#life >= Life.Closing) {
      this.#deadline = 0;
    } else if (this.#reading !== null) {
      this.#deadlineKind = Deadline.Body;
      // A pause while the handler is behind, or while a response does not drain, is not the
      // client's; the whole request's time is.
      const pause = (this.#blocked & (Blocked.Body | Blocked.Drain)) !== 0 ? 0 : limits.bodyTimeout;
      this.#deadline = earliest(this.#bodyActivity, pause, this.#requestStart, limits.requestTimeout);
    } else if (!this.#parser.isIdle && this.#readState !== Reading.Stopped) {
      if (this.#headStart === 0) this.#headStart = Date.now();
      this.#deadlineKind = Deadline.Head;
      this.#deadline = earliest(this.#headStart, limits.headersTimeout, this.#headStart, limits.requestTimeout);
    } else if (this.#queue.length === 0 && this.#pending === null && this.#readState !== Reading.Stopped) {
      this.#deadlineKind = Deadline.Idle;
      if (this.#requestCount === 0) this.#deadline = earliest(this.#headStart, limits.headersTimeout, this.#headStart, limits.requestTimeout);
      // No clock read per request: the next sweep starts the idle period (so it lasts between
      // keepAliveTimeout and keepAliveTimeout plus one sweep interval).
      else this.#deadline = limits.keepAliveTimeout === 0 ? 0 : IDLE_STARTS_AT_NEXT_SWEEP;
    } else {
      this.#deadline = 0;
    }
  }
}

/** SKIPPABLE_BODY is how many unread request body bytes are read and dropped to keep a connection. */
const SKIPPABLE_BODY = 64 * 1024;

/** isSmall tells whether an answer holds little memory: no body, a short text or bytes, or a body read as it is sent. */
function isSmall(res: ServerResponse): boolean {
  const body = res.body;
  if (typeof body === 'string') return body.length <= SMALL_ANSWER;
  if (body instanceof Uint8Array) return body.byteLength <= SMALL_ANSWER;
  return true;
}

const SMALL_ANSWER = 16 * 1024;

function isSkippable(ex: Exchange): boolean {
  const body = ex.requestBody;
  return body !== null && !ex.isChunked && !body.isFailed && ex.contentLength - body.received <= SKIPPABLE_BODY;
}

// The earlier of two deadlines `start + timeout`, where a timeout of 0 is none; 0 when neither applies.
function earliest(startA: number, timeoutA: number, startB: number, timeoutB: number): number {
  const a = timeoutA === 0 ? 0 : startA + timeoutA;
  const b = timeoutB === 0 ? 0 : startB + timeoutB;
  if (a === 0) return b;
  return b === 0 || a < b ? a : b;
}

function noop(): void {}
