// What a request is to a handler, whatever protocol it came in: the ServerRequest half that
// HTTP/1 (Exchange) and HTTP/2 (H2Request) share — path and query split lazily from the target,
// the body, the abort signal made only when asked for, the peer's address — and the engine's state
// both answer from (the response, the handler's deadline). Each subclass adds its protocol's state.
import type { Fields, HttpVersion } from '../http/index.js';
import { EMPTY_BODY, RequestBody, type BodyOwner } from './body.js';
import type { ServerRequest, ServerResponse } from './types.js';

/** RequestPeer is what a request needs from its connection. */
export interface RequestPeer {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly isTls: boolean;
}

/** BaseRequest is the ServerRequest a native handler sees, and the engine's answering state. */
export class BaseRequest implements ServerRequest {
  readonly method: string;
  readonly target: string;
  readonly httpVersion: HttpVersion;
  readonly headers: Fields;
  readonly hasBody: boolean;
  /** requestBody is the body stream, or null without content. */
  readonly requestBody: RequestBody | null;
  /** response is the handler's answer once known. */
  response: ServerResponse | null = null;
  /** handlerDeadline is when the handler times out (ms since epoch), or 0. */
  handlerDeadline = 0;
  /** isRunning tells whether the handler was called and has not answered yet. */
  isRunning = false;
  readonly #peer: RequestPeer;
  #controller: AbortController | null = null;
  #abortReason: unknown = null;
  #path: string | null = null;
  #query = '';

  constructor(method: string, target: string, httpVersion: HttpVersion, headers: Fields, peer: RequestPeer, bodyOwner: BodyOwner | null, highWaterMark: number) {
    this.method = method;
    this.target = target;
    this.httpVersion = httpVersion;
    this.headers = headers;
    this.hasBody = bodyOwner !== null;
    this.#peer = peer;
    this.requestBody = bodyOwner === null ? null : new RequestBody(bodyOwner, highWaterMark);
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

  /** abort fires the request's signal and fails its body, once; false if it had already run. */
  abort(reason: unknown): boolean {
    if (this.#abortReason !== null) return false;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    this.requestBody?.fail(reason);
    return true;
  }

  #splitTarget(): void {
    let target = this.target;
    if (target.charCodeAt(0) !== 0x2f && target !== '*') {
      // absolute-form (RFC 9112 §3.2.2): the path starts after the authority. (An HTTP/2 `:path`
      // always starts with "/" or is "*", RFC 9113 §8.3.1.)
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
