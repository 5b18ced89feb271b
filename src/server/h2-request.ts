// One HTTP/2 request as a native handler sees it (RFC 9113 §8.3.1): the pseudo-headers become
// method, target and host, the body streams through RequestBody with the stream's flow control.
import { Fields, type HttpVersion } from '../http/index.js';
import type { RequestHead } from '../h2/index.js';
import { EMPTY_BODY, RequestBody, type BodyOwner } from './body.js';
import type { ServerRequest, ServerResponse } from './types.js';

/** H2RequestPeer is what a request needs from its connection. */
export interface H2RequestPeer {
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly isTls: boolean;
}

/**
 * H2Request is one stream's request and the engine's state for answering it. It is the
 * ServerRequest a native handler sees, with httpVersion "2".
 */
export class H2Request implements ServerRequest {
  readonly streamId: number;
  readonly method: string;
  readonly target: string;
  readonly httpVersion: HttpVersion = '2';
  readonly headers: Fields;
  readonly hasBody: boolean;
  /** requestBody is the body stream, or null when the HEADERS ended the stream. */
  readonly requestBody: RequestBody | null;
  /** response is the handler's answer once known. */
  response: ServerResponse | null = null;
  /** handlerDeadline is when the handler times out (ms since epoch), or 0. */
  handlerDeadline = 0;
  /** isRunning tells whether the handler was called and has not answered yet. */
  isRunning = false;
  /** isStreamOpen tells whether the stream can still carry the response. */
  isStreamOpen = true;
  /** delivered and taken count body octets handed to the body and read by the handler (flow control). */
  delivered = 0;
  taken = 0;
  /** stalledSince is when sending last waited on a closed window without progress (0: not waiting). */
  stalledSince = 0;
  /** openedAt is when the stream's request head arrived (ms since epoch): requestTimeout counts from it. */
  readonly openedAt: number;
  /** bodyActivity is when the request body last moved, or the client was last held back by our window: bodyTimeout counts from it. */
  bodyActivity: number;
  /** wake resumes a sender waiting for window; set while one waits. */
  wake: (() => void) | null = null;
  #peer: H2RequestPeer;
  #controller: AbortController | null = null;
  #abortReason: unknown = null;
  #path: string | null = null;
  #query = '';

  constructor(streamId: number, head: RequestHead, hasBody: boolean, peer: H2RequestPeer, owner: BodyOwner, highWaterMark: number) {
    this.streamId = streamId;
    this.openedAt = Date.now();
    this.bodyActivity = this.openedAt;
    this.method = head.method;
    this.target = head.path ?? (head.method === 'CONNECT' ? (head.authority ?? '') : '*');
    this.headers = requestFields(head);
    this.hasBody = hasBody;
    this.#peer = peer;
    this.requestBody = hasBody ? new RequestBody(owner, highWaterMark) : null;
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
    this.wake?.();
  }

  #splitTarget(): void {
    const target = this.target;
    const q = target.indexOf('?');
    if (q === -1) {
      this.#path = target;
    } else {
      this.#path = target.slice(0, q);
      this.#query = target.slice(q + 1);
    }
  }
}

// The handler sees the fields an HTTP/1.1 request would carry: `:authority` as Host when the
// request has no Host field (RFC 9113 §8.3.1), and cookie fields joined with "; " (§8.2.3).
function requestFields(head: RequestHead): Fields {
  const names: string[] = [];
  const values: string[] = [];
  let hasHost = false;
  let cookie: string | null = null;
  let cookieAt = -1;
  for (const [name, value] of head.fields) {
    if (name === 'cookie') {
      if (cookie === null) {
        cookie = value;
        cookieAt = names.length;
        names.push(name);
        values.push(value);
      } else {
        cookie += `; ${value}`;
        values[cookieAt] = cookie;
      }
      continue;
    }
    if (name === 'host') hasHost = true;
    names.push(name);
    values.push(value);
  }
  if (!hasHost && head.authority !== null) {
    names.unshift('host');
    values.unshift(head.authority);
  }
  return new Fields(names, values);
}
