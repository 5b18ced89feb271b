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

/**
 * BaseRequest is the ServerRequest a native handler sees, and the engine's answering state.
 *
 * It declares no class fields, not even #private ones, and sets everything in its constructor: V8
 * builds an instance of a subclass about twice as slowly when the base class has field
 * initializers (measured ~10 ns more per request, and every request makes one). Its private state
 * is TypeScript-private instead.
 */
export class BaseRequest implements ServerRequest {
  declare readonly method: string;
  declare readonly target: string;
  declare readonly httpVersion: HttpVersion;
  declare readonly headers: Fields;
  declare readonly hasBody: boolean;
  /** requestBody is the body stream, or null without content. */
  declare readonly requestBody: RequestBody | null;
  /** response is the handler's answer once known. */
  declare response: ServerResponse | null;
  /** handlerDeadline is when the handler times out (ms since epoch), or 0. */
  declare handlerDeadline: number;
  /** isRunning tells whether the handler was called and has not answered yet. */
  declare isRunning: boolean;
  declare private readonly peer: RequestPeer;
  declare private controller: AbortController | null;
  declare private abortReason: unknown;
  declare private splitPath: string | null;
  declare private splitQuery: string;

  constructor(method: string, target: string, httpVersion: HttpVersion, headers: Fields, peer: RequestPeer, bodyOwner: BodyOwner | null, highWaterMark: number) {
    this.method = method;
    this.target = target;
    this.httpVersion = httpVersion;
    this.headers = headers;
    this.hasBody = bodyOwner !== null;
    this.requestBody = bodyOwner === null ? null : new RequestBody(bodyOwner, highWaterMark);
    this.response = null;
    this.handlerDeadline = 0;
    this.isRunning = false;
    this.peer = peer;
    this.controller = null;
    this.abortReason = null;
    this.splitPath = null;
    this.splitQuery = '';
  }

  get path(): string {
    if (this.splitPath === null) this.splitTarget();
    return this.splitPath as string;
  }

  get query(): string {
    if (this.splitPath === null) this.splitTarget();
    return this.splitQuery;
  }

  get body(): AsyncIterable<Uint8Array> {
    return this.requestBody ?? EMPTY_BODY;
  }

  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abortReason !== null) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get remoteAddress(): string {
    return this.peer.remoteAddress;
  }

  get remotePort(): number {
    return this.peer.remotePort;
  }

  get isTls(): boolean {
    return this.peer.isTls;
  }

  /** isAborted tells whether abort() ran. */
  get isAborted(): boolean {
    return this.abortReason !== null;
  }

  /** abort fires the request's signal and fails its body, once; false if it had already run. */
  abort(reason: unknown): boolean {
    if (this.abortReason !== null) return false;
    this.abortReason = reason;
    this.controller?.abort(reason);
    this.requestBody?.fail(reason);
    return true;
  }

  private splitTarget(): void {
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
      this.splitPath = target;
    } else {
      this.splitPath = target.slice(0, q);
      this.splitQuery = target.slice(q + 1);
    }
  }
}
