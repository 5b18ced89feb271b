import type { Fields, HttpVersion } from '../http/index.js';
import type { RequestHead } from '../wire/index.js';
import { EMPTY_BODY, RequestBody } from './body.js';
import type { ServerRequest, ServerResponse } from './types.js';

/**
 * Continue is where a request that asked for `Expect: 100-continue` (RFC 9110 §10.1.1) stands
 * with its interim answer.
 */
export const enum Continue {
  /** NotAsked: no 100-continue expected (or HTTP/1.0, or no body). */
  NotAsked,
  /** Asked: the client waits for 100 Continue before sending the body. */
  Asked,
  /** ReaderWaits: the handler reads the body, so 100 Continue must go out now. */
  ReaderWaits,
  /** Sent: 100 Continue was written. */
  Sent,
  /** Moot: the final response went first; the body will not be asked for. */
  Moot,
}

/** ExchangeHost is what an exchange needs from its connection. */
export interface ExchangeHost {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly isTls: boolean;
  /** bodyWanted runs when the exchange's body reader caught up after reading paused. */
  bodyWanted(ex: Exchange): void;
  /** bodyStarted runs when the handler first reads the body. */
  bodyStarted(ex: Exchange): void;
}

/**
 * Exchange is one request on a connection and the engine's state for answering it. It is the
 * ServerRequest a native handler sees; the engine's fields are private or internal.
 */
export class Exchange implements ServerRequest {
  readonly method: string;
  readonly target: string;
  readonly httpVersion: HttpVersion;
  /** versionMinor is the HTTP/1 minor version, for the HTTP/1 writer (1 for HTTP/2). */
  readonly versionMinor: 0 | 1;
  readonly headers: Fields;
  readonly hasBody: boolean;
  /** keepAlive is what the request asked for (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  /** isChunked tells whether the request body is chunked (its length is unknown). */
  readonly isChunked: boolean;
  readonly contentLength: number;
  /** expectation is the Expect field value, lowercased, or null. */
  readonly expectation: string | null;
  /** requestBody is the body stream, or null without content. */
  readonly requestBody: RequestBody | null;
  /** response is the handler's answer once known. */
  response: ServerResponse | null = null;
  /** isClosing marks the last request the connection serves. */
  isClosing = false;
  /** handlerDeadline is when the handler times out (ms since epoch), or 0. */
  handlerDeadline = 0;
  /** nextFresh links requests parsed and not yet given to the handler. */
  nextFresh: Exchange | null = null;
  /** isRunning tells whether the handler was called and has not answered yet. */
  isRunning = false;
  /** continueState is where an `Expect: 100-continue` stands. */
  continueState = Continue.NotAsked;
  #peer: ExchangeHost;
  #controller: AbortController | null = null;
  #abortReason: unknown = null;
  #path: string | null = null;
  #query = '';

  constructor(head: RequestHead, peer: ExchangeHost, highWaterMark: number) {
    this.method = head.method;
    this.target = head.target;
    this.versionMinor = head.versionMinor;
    this.httpVersion = head.versionMinor === 0 ? '1.0' : '1.1';
    this.headers = head.headers;
    this.keepAlive = head.keepAlive;
    this.isChunked = head.framing === 'chunked';
    this.contentLength = head.contentLength;
    this.hasBody = this.isChunked || (head.framing === 'length' && head.contentLength > 0);
    this.#peer = peer;
    this.requestBody = this.hasBody
      ? new RequestBody({ bodyWanted: () => peer.bodyWanted(this), bodyStarted: () => peer.bodyStarted(this) }, highWaterMark)
      : null;
    this.expectation = findExpect(head.headers);
    // RFC 9110 §10.1.1: 100-continue in an HTTP/1.0 request MUST be ignored.
    if (this.expectation === '100-continue' && this.versionMinor === 1 && this.hasBody) this.continueState = Continue.Asked;
  }

  get path(): string {
    if (this.#path === null) this.#splitTarget();
    return this.#path as string;
  }

  get query(): string {
    if (this.#path === null) this.#splitTarget();
    return this.#query;
  }

  get body(): AsyncIterable<Uint8Array> {
    return this.requestBody ?? EMPTY_BODY;
  }

  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#abortReason !== null) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get remoteAddress(): string {
    return this.#peer.remoteAddress;
  }

  get remotePort(): number {
    return this.#peer.remotePort;
  }

  get isTls(): boolean {
    return this.#peer.isTls;
  }

  /** isAborted tells whether abort() ran. */
  get isAborted(): boolean {
    return this.#abortReason !== null;
  }

  /** abort fires the request's signal and fails its body, once. */
  abort(reason: unknown): void {
    if (this.#abortReason !== null) return;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.requestBody?.fail(reason);
  }

  #splitTarget(): void {
    let target = this.target;
    if (target.charCodeAt(0) !== 0x2f && target !== '*') {
      // absolute-form (RFC 9112 §3.2.2): the path starts after the authority.
      const scheme = target.indexOf('://');
      const from = scheme === -1 ? 0 : scheme + 3;
      let end = from;
      while (end < target.length && target[end] !== '/' && target[end] !== '?' && target[end] !== '#') end++;
      target = target[end] === '/' ? target.slice(end) : `/${target.slice(end)}`;
    }
    const q = target.indexOf('?');
    if (q === -1) {
      this.#path = target;
    } else {
      this.#path = target.slice(0, q);
      this.#query = target.slice(q + 1);
    }
  }
}

// Most requests have no Expect: a lazy Fields finds that out by comparing name lengths and bytes,
// without making a string of every header name and value (getAll, not names/values).
function findExpect(headers: Fields): string | null {
  const all = headers.getAll('expect');
  if (all.length === 0) return null;
  return all.length === 1 ? (all[0] as string).toLowerCase() : all.join(', ').toLowerCase();
}
