import type { Fields, HttpVersion } from '../http/index.js';
import type { BodyControl } from './response-body.js';

/** Direction marks which way bytes went on a socket: out to the server or in from it. */
export type Direction = 'out' | 'in';

/** WireObserver sees every byte written to and read from a connection's socket (after TLS). */
export type WireObserver = (direction: Direction, bytes: Uint8Array) => void;

/**
 * Timings holds timestamps (performance.now() milliseconds) of one exchange. Connection phases
 * are -1 when a kept-alive connection was reused; dns is -1 for IP literals and Unix sockets.
 */
export interface Timings {
  start: number;
  dns: number;
  connect: number;
  tls: number;
  firstByte: number;
  end: number;
  /** isReused tells whether the request went on a kept-alive connection. */
  isReused: boolean;
}

/** PreparedBody is a request body turned into bytes, or a way to stream them. */
export interface PreparedBody {
  /** length is the byte count, or -1 for unknown (sent chunked on HTTP/1.1). */
  length: number;
  contentType: string | null;
  bytes: Uint8Array | null;
  /** stream gives the bytes when they are not held in `bytes`; called once per attempt. */
  stream: (() => AsyncIterable<Uint8Array>) | null;
  /** isReplayable tells whether the body can be sent again (retries, 307/308 redirects). */
  isReplayable: boolean;
}

/**
 * DispatchHandler receives one response, in order: interim heads, the head, data, then complete
 * or error. What it is given is the same for every protocol: status, reason, fields.
 */
export interface DispatchHandler {
  onInterim(status: number, statusText: string, headers: Fields): void;
  /** onHead gets the final head; `hasBody` is false when the response has no content at all. */
  onHead(status: number, statusText: string, headers: Fields, httpVersion: HttpVersion, hasBody: boolean, control: BodyControl): void;
  onData(chunk: Uint8Array): void;
  onComplete(trailers: Fields | null): void;
  onError(error: Error): void;
}

/**
 * Dispatch is one request on its way through a pool to a connection, in a form every protocol
 * can send: method, scheme, authority, path and fields (no Host, no framing: the connection adds
 * what its protocol needs), plus the body and the bookkeeping of the exchange.
 */
export interface Dispatch {
  method: string;
  scheme: 'http' | 'https';
  /** authority is host[:port] of the URL (Host in HTTP/1, :authority in HTTP/2). */
  authority: string;
  /** path is the path and query (origin-form). */
  path: string;
  /** requestTarget, when set, is written as the HTTP/1 request-target instead of the path (curl's --request-target). */
  requestTarget: string | null;
  /** fields are the request's header fields, validated, without Host or framing fields. */
  fields: Array<[string, string]>;
  /** omit names (lowercase) fields the connection would add itself but must not (curl's `-H 'Host:'`). */
  omit: ReadonlySet<string> | null;
  body: PreparedBody | null;
  /** httpVersion is the version asked for; an HTTP/1 connection writes it in the request line. */
  httpVersion: HttpVersion;
  /** isIdempotent tells whether the request may be sent again after a connection failure (RFC 9110 §9.2.2). */
  isIdempotent: boolean;
  headersTimeout: number;
  bodyTimeout: number;
  timings: Timings;
  handler: DispatchHandler;
  /** onRequestHead sees the head as the connection writes it (HTTP/1: the serialized text). */
  onRequestHead: ((head: string) => void) | null;
  /** retries counts how many times the request was sent again. */
  retries: number;
  /** cancelled is set when the request is aborted; a pool skips it. */
  isCancelled: boolean;
  /** detach, set by the connection carrying the request, tears it down on abort. */
  detach: ((error: Error) => void) | null;
}

/** ClientConnection is what a pool holds: one connection of any protocol to its origin. */
export interface ClientConnection {
  /** isMultiplexed is set by a connection that carries many requests at once (HTTP/2). */
  readonly isMultiplexed?: boolean;
  /** canAccept tells whether another request may be dispatched now. */
  readonly canAccept: boolean;
  /** isIdle tells whether no request is in flight. */
  readonly isIdle: boolean;
  dispatch(d: Dispatch): void;
  /** close ends the connection once idle; in-flight requests finish first. */
  close(): void;
  /** destroy closes the connection now, failing whatever is in flight with the error. */
  destroy(error: Error): void;
}

/** ConnectionOwner is told when a connection can take another request, closes, or has one to retry. */
export interface ConnectionOwner {
  onFree(connection: ClientConnection): void;
  onClose(connection: ClientConnection): void;
  /** retry takes back a request that never reached the server; false lets it fail. */
  retry(dispatch: Dispatch, error: Error): boolean;
}
