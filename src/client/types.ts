import type { Fields, ResponseHead } from '../wire/index.js';

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

/** DispatchHandler receives one response, in order: interim heads, the head, data, then complete or error. */
export interface DispatchHandler {
  onInterim(head: ResponseHead): void;
  onHead(head: ResponseHead, control: import('./response-body.js').BodyControl): void;
  onData(chunk: Uint8Array): void;
  onComplete(trailers: Fields | null): void;
  onError(error: Error): void;
}

/** Dispatch is one request on its way through a pool to a connection. */
export interface Dispatch {
  method: string;
  /** head is the serialized request line and header section. */
  head: string;
  body: PreparedBody | null;
  /** isIdempotent tells whether the request may be sent again after a connection failure (RFC 9110 §9.2.2). */
  isIdempotent: boolean;
  /** closesConnection is set when the request says `Connection: close`: nothing may follow it. */
  closesConnection: boolean;
  headersTimeout: number;
  bodyTimeout: number;
  timings: Timings;
  handler: DispatchHandler;
  /** retries counts how many times the request was sent again. */
  retries: number;
  /** cancelled is set when the request is aborted; a pool skips it. */
  isCancelled: boolean;
  /** detach, set by the connection carrying the request, tears it down on abort. */
  detach: ((error: Error) => void) | null;
}
