import type { Fields } from '../http/index.js';
import type { RequestHead } from '../wire/index.js';
import { BaseRequest, type RequestPeer } from './base-request.js';
import type { BodyOwner } from './body.js';

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
export interface ExchangeHost extends RequestPeer {
  /** bodyWanted runs when the exchange's body reader caught up after reading paused. */
  bodyWanted(ex: Exchange): void;
  /** bodyStarted runs when the handler first reads the body. */
  bodyStarted(ex: Exchange): void;
}

/**
 * Exchange is one HTTP/1 request on a connection and the engine's state for answering it. It is
 * the ServerRequest a native handler sees (BaseRequest); the HTTP/1 state is added here.
 */
export class Exchange extends BaseRequest {
  /** versionMinor is the HTTP/1 minor version, for the HTTP/1 writer. */
  readonly versionMinor: 0 | 1;
  /** keepAlive is what the request asked for (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
  /** isChunked tells whether the request body is chunked (its length is unknown). */
  readonly isChunked: boolean;
  readonly contentLength: number;
  /** expectation is the Expect field value, lowercased, or null. */
  readonly expectation: string | null;
  /** isClosing marks the last request the connection serves. */
  isClosing = false;
  /** nextFresh links requests parsed and not yet given to the handler. */
  nextFresh: Exchange | null = null;
  /** continueState is where an `Expect: 100-continue` stands. */
  continueState = Continue.NotAsked;

  constructor(head: RequestHead, peer: ExchangeHost, highWaterMark: number) {
    const isChunked = head.framing === 'chunked';
    const hasBody = isChunked || (head.framing === 'length' && head.contentLength > 0);
    const owner = hasBody ? new ExchangeBodyOwner(peer) : null;
    super(head.method, head.target, head.versionMinor === 0 ? '1.0' : '1.1', head.headers, peer, owner, highWaterMark);
    if (owner !== null) owner.ex = this;
    this.versionMinor = head.versionMinor;
    this.keepAlive = head.keepAlive;
    this.isChunked = isChunked;
    this.contentLength = head.contentLength;
    this.expectation = findExpect(head.headers);
    // RFC 9110 §10.1.1: 100-continue in an HTTP/1.0 request MUST be ignored.
    if (this.expectation === '100-continue' && this.versionMinor === 1 && hasBody) this.continueState = Continue.Asked;
  }
}

// The body's owner tells the connection which exchange wants more (made before the exchange is).
class ExchangeBodyOwner implements BodyOwner {
  readonly #peer: ExchangeHost;
  ex: Exchange | null = null;

  constructor(peer: ExchangeHost) {
    this.#peer = peer;
  }

  bodyWanted(): void {
    this.#peer.bodyWanted(this.ex as Exchange);
  }

  bodyStarted(): void {
    this.#peer.bodyStarted(this.ex as Exchange);
  }
}

// Most requests have no Expect: a lazy Fields finds that out by comparing name lengths and bytes,
// without making a string of every header name and value, or an array (has, then getAll).
function findExpect(headers: Fields): string | null {
  if (!headers.has('expect')) return null;
  const all = headers.getAll('expect');
  return all.length === 1 ? (all[0] as string).toLowerCase() : all.join(', ').toLowerCase();
}
