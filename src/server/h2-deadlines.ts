// The deadlines of an HTTP/2 server connection, as pure decisions: which of a stream's timeouts
// (handler, send, request body) or of the connection's (the shutdown's PING, an unfinished header
// block, idleness) has passed at a given time, and the error to end it with. The connection
// (h2-connection.ts) reads its clocks into these and carries out what they decide.
import { HandlerTimeoutError, SendTimeoutError, ServerBodyTimeoutError, ServerHeadersTimeoutError, ServerRequestTimeoutError } from './errors.js';
import type { ResolvedLimits } from './options.js';

/** GOAWAY_PING_MS is how long a graceful shutdown waits for its PING before it sends the final GOAWAY anyway. */
export const GOAWAY_PING_MS = 1_000;

/** DeadlineLimits are the server limits the deadlines read (0 turns one off). */
export type DeadlineLimits = Pick<ResolvedLimits, 'handlerTimeout' | 'sendTimeout' | 'requestTimeout' | 'bodyTimeout' | 'headersTimeout' | 'keepAliveTimeout'>;

/** StreamClocks is what a stream's deadlines are computed from (an H2Request has it all). */
export interface StreamClocks {
  /** response is the handler's answer, null while there is none. */
  readonly response: unknown;
  /** handlerDeadline is when the handler times out (ms since epoch), or 0. */
  readonly handlerDeadline: number;
  /** stalledSince is when sending last waited on a closed window without progress (0: not waiting). */
  readonly stalledSince: number;
  /** openedAt is when the request head arrived. */
  readonly openedAt: number;
  /** bodyActivity is when the request body last moved, or the client was last held back by our window. */
  readonly bodyActivity: number;
  readonly requestBody: { readonly isComplete: boolean } | null;
  readonly isAborted: boolean;
}

/**
 * StreamExpiry is a stream's deadline that passed: `handler` is answered 503; `send` (the client
 * opened no window for the response) resets the stream; `body` (requestTimeout or bodyTimeout) is
 * answered 408 when no response started, else resets the stream. `error` is what the request is
 * aborted with.
 */
export type StreamExpiry =
  | { readonly kind: 'handler'; readonly error: HandlerTimeoutError }
  | { readonly kind: 'send'; readonly error: SendTimeoutError }
  | { readonly kind: 'body'; readonly error: ServerRequestTimeoutError | ServerBodyTimeoutError };

/**
 * streamExpiry returns the deadline of `req` that passed at `now`, or null: first the handler's,
 * then the response's wait for window, then, while the request body is still arriving, the whole
 * request's (requestTimeout) and the body's pause (bodyTimeout). A client held back by our window
 * is not pausing: its connection moves bodyActivity to now while that window is closed.
 */
export function streamExpiry(req: StreamClocks, limits: DeadlineLimits, now: number): StreamExpiry | null {
  if (req.response === null && req.handlerDeadline !== 0 && now >= req.handlerDeadline) {
    return { kind: 'handler', error: new HandlerTimeoutError(`Handler did not answer within ${limits.handlerTimeout} ms`) };
  }
  if (req.stalledSince !== 0 && limits.sendTimeout !== 0 && now - req.stalledSince >= limits.sendTimeout) {
    return { kind: 'send', error: new SendTimeoutError(`Client opened no flow-control window for ${limits.sendTimeout} ms`) };
  }
  if (req.requestBody === null || req.requestBody.isComplete || req.isAborted) return null;
  if (limits.requestTimeout !== 0 && now - req.openedAt >= limits.requestTimeout) {
    return { kind: 'body', error: new ServerRequestTimeoutError(`Request not received within ${limits.requestTimeout} ms`) };
  }
  if (limits.bodyTimeout !== 0 && now - req.bodyActivity >= limits.bodyTimeout) {
    return { kind: 'body', error: new ServerBodyTimeoutError(`Request body stalled for ${limits.bodyTimeout} ms`) };
  }
  return null;
}

/** ConnectionClocks is what a connection's own deadlines are computed from. */
export interface ConnectionClocks {
  /** pingSentAt is when a graceful shutdown sent its PING, while its final GOAWAY is not sent (0: none waits). */
  readonly pingSentAt: number;
  /** headerBlockSince is when the header block in progress was first seen unfinished (0: none is). */
  readonly headerBlockSince: number;
  /** streamCount is how many streams are in progress. */
  readonly streamCount: number;
  /** idleSince is when the last stream ended (or the connection opened). */
  readonly idleSince: number;
}

/**
 * ConnectionExpiry is a connection's deadline that passed: `shutdown` sends the final GOAWAY
 * without waiting longer for the PING (RFC 9113 §6.8); `headers` (a header block left unfinished
 * for headersTimeout) and `idle` (no stream for keepAliveTimeout) end the connection with GOAWAY.
 */
export type ConnectionExpiry =
  | { readonly kind: 'shutdown' }
  | { readonly kind: 'headers'; readonly error: ServerHeadersTimeoutError }
  | { readonly kind: 'idle' };

const SHUTDOWN: ConnectionExpiry = { kind: 'shutdown' };
const IDLE: ConnectionExpiry = { kind: 'idle' };

/**
 * connectionExpiry returns the connection's deadline that passed at `now`, or null. While a header
 * block is unfinished the connection is not idle, whatever its stream count.
 */
export function connectionExpiry(clocks: ConnectionClocks, limits: DeadlineLimits, now: number): ConnectionExpiry | null {
  if (clocks.pingSentAt !== 0 && now - clocks.pingSentAt >= GOAWAY_PING_MS) return SHUTDOWN;
  if (clocks.headerBlockSince !== 0) {
    if (limits.headersTimeout === 0 || now - clocks.headerBlockSince < limits.headersTimeout) return null;
    return { kind: 'headers', error: new ServerHeadersTimeoutError(`Header block not completed within ${limits.headersTimeout} ms`) };
  }
  if (clocks.streamCount === 0 && limits.keepAliveTimeout !== 0 && now - clocks.idleSince >= limits.keepAliveTimeout) return IDLE;
  return null;
}
