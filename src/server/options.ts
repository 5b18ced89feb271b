import { InvalidServerOptionError } from './errors.js';

/**
 * ServerLimits bounds what one client can make the server hold or wait for, whatever protocol it
 * speaks. Every field is optional; 0 disables a timeout or a count limit. The HTTP/1 connection
 * hands the head limits to its parser; the HTTP/2 one applies them to header lists, and has
 * limits of its own (the max* fields after shutdownTimeout).
 */
export interface ServerLimits {
  /** maxHeadSize caps a request head (request line and fields), in bytes; answered 431. Default 16 KiB. */
  maxHeadSize?: number;
  /** maxHeaderCount caps the fields of a request head; answered 431. Default 100. */
  maxHeaderCount?: number;
  /** maxTargetLength caps the request-target, in bytes; answered 414. Default 8 KiB. */
  maxTargetLength?: number;
  /** maxChunkExtensionSize caps the extensions of one chunk of a chunked body, in bytes. Default 1 KiB. */
  maxChunkExtensionSize?: number;
  /** maxRequestsPerConnection closes a connection after this many requests. Default 0 (unlimited). */
  maxRequestsPerConnection?: number;
  /** maxPipelinedRequests is how many requests of one connection may be in flight before the server stops reading ahead. Default 32. */
  maxPipelinedRequests?: number;
  /** maxBodyBuffer is how many request body bytes are buffered before reading from the socket pauses. Default 256 KiB. */
  maxBodyBuffer?: number;
  /**
   * maxBodyWindow is how far an HTTP/2 stream's receive window may grow: it starts at maxBodyBuffer
   * and doubles while the handler keeps up with the body, so a fast upload is not paced by a small
   * window; a handler that falls behind never grows it. The connection's window starts at four
   * maxBodyBuffer and grows to twice this. What a handler that stops reading can be made to hold
   * is the window it had. Default 4 MiB; no more than maxBodyBuffer: fixed windows.
   */
  maxBodyWindow?: number;
  /** headersTimeout is the time, in ms, to receive a whole request head (slowloris guard); answered 408. Default 30 000. */
  headersTimeout?: number;
  /** keepAliveTimeout is how long, in ms, an idle keep-alive connection stays open. Default 5 000. */
  keepAliveTimeout?: number;
  /** bodyTimeout is the longest pause, in ms, between two pieces of a request body; answered 408. Default 30 000. */
  bodyTimeout?: number;
  /**
   * requestTimeout caps, in ms, a whole request from its first byte to the end of its body (the
   * name and default of node:http), however steadily the bytes trickle in; answered 408. Default 300 000.
   */
  requestTimeout?: number;
  /** handlerTimeout is how long, in ms, a handler may take to answer; answered 503. Default 60 000. */
  handlerTimeout?: number;
  /** sendTimeout is how long, in ms, a response may wait on a client that reads nothing before the connection is dropped. Default 60 000. */
  sendTimeout?: number;
  /** shutdownTimeout is how long, in ms, close() waits for in-flight requests before it destroys the connections left. Default 10 000. */
  shutdownTimeout?: number;
  /**
   * maxConcurrentStreams is the SETTINGS_MAX_CONCURRENT_STREAMS an HTTP/2 connection announces and
   * enforces (REFUSED_STREAM past it); twice as many handlers may run, reset streams included. Default 100.
   */
  maxConcurrentStreams?: number;
  /** maxContinuationFrames caps the CONTINUATION frames of one HTTP/2 header block (CVE-2024-27316); GOAWAY ENHANCE_YOUR_CALM. Default 32. */
  maxContinuationFrames?: number;
  /**
   * maxResetBurst and maxResetsPerSecond budget the HTTP/2 streams a client resets while their
   * handler runs (rapid reset, CVE-2023-44487): that many at once, refilled at that rate; past it
   * GOAWAY ENHANCE_YOUR_CALM. Defaults 100 and 50.
   */
  maxResetBurst?: number;
  maxResetsPerSecond?: number;
  /**
   * maxControlFrameBurst and maxControlFramesPerSecond budget, each on its own, the HTTP/2 SETTINGS,
   * PING, PRIORITY and empty DATA frames a client sends (CVE-2019-9512, -9515, -9518): past it
   * GOAWAY ENHANCE_YOUR_CALM. Defaults 100 and 10.
   */
  maxControlFrameBurst?: number;
  maxControlFramesPerSecond?: number;
}

/** ResolvedLimits is ServerLimits with every default applied. */
export type ResolvedLimits = Required<ServerLimits>;

/** DEFAULT_SERVER_LIMITS holds the defaults documented on ServerLimits. */
export const DEFAULT_SERVER_LIMITS: Readonly<ResolvedLimits> = Object.freeze({
  maxHeadSize: 16 * 1024,
  maxHeaderCount: 100,
  maxTargetLength: 8 * 1024,
  maxChunkExtensionSize: 1024,
  maxRequestsPerConnection: 0,
  maxPipelinedRequests: 32,
  maxBodyBuffer: 256 * 1024,
  maxBodyWindow: 4 * 1024 * 1024,
  headersTimeout: 30_000,
  keepAliveTimeout: 5_000,
  bodyTimeout: 30_000,
  requestTimeout: 300_000,
  handlerTimeout: 60_000,
  sendTimeout: 60_000,
  shutdownTimeout: 10_000,
  maxConcurrentStreams: 100,
  maxContinuationFrames: 32,
  maxResetBurst: 100,
  maxResetsPerSecond: 50,
  maxControlFrameBurst: 100,
  maxControlFramesPerSecond: 10,
});

/** resolveLimits applies the defaults and rejects negative or non-numeric values. */
export function resolveLimits(limits: ServerLimits): ResolvedLimits {
  const out = { ...DEFAULT_SERVER_LIMITS };
  for (const key of Object.keys(DEFAULT_SERVER_LIMITS) as (keyof ResolvedLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0)) {
      throw new InvalidServerOptionError(`Invalid option "${key}": expected a number >= 0`);
    }
    out[key] = value;
  }
  if (out.maxPipelinedRequests < 1) out.maxPipelinedRequests = 1;
  return out;
}
