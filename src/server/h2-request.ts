// One HTTP/2 request as a native handler sees it (RFC 9113 §8.3.1): the pseudo-headers become
// method, target and host, the body streams through RequestBody with the stream's flow control.
import { Fields } from '../http/index.js';
import type { RequestHead } from '../h2/index.js';
import { BaseRequest, type RequestPeer } from './base-request.js';
import type { BodyOwner } from './body.js';

/** H2RequestPeer is what a request needs from its connection. */
export type H2RequestPeer = RequestPeer;

/**
 * H2Request is one stream's request and the engine's state for answering it. It is the
 * ServerRequest a native handler sees (BaseRequest), with httpVersion "2"; the stream's state is
 * added here.
 */
export class H2Request extends BaseRequest {
  readonly streamId: number;
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

  /** The request has a body when it has an `owner` to credit what the handler reads. */
  constructor(streamId: number, head: RequestHead, owner: BodyOwner | null, peer: H2RequestPeer, highWaterMark: number) {
    const target = head.path ?? (head.method === 'CONNECT' ? (head.authority ?? '') : '*');
    super(head.method, target, '2', requestFields(head), peer, owner, highWaterMark);
    this.streamId = streamId;
    this.openedAt = Date.now();
    this.bodyActivity = this.openedAt;
  }

  /** abort fires the signal and fails the body (once), and wakes a sender waiting for window. */
  override abort(reason: unknown): boolean {
    const isFirst = super.abort(reason);
    if (isFirst) this.wake?.();
    return isFirst;
  }
}

// The handler sees the fields an HTTP/1.1 request would carry: `:authority` as Host when the
// request has no Host field (RFC 9113 §8.3.1), and cookie fields joined with "; " (§8.2.3).
function requestFields(head: RequestHead): Fields {
  const list = head.fields;
  const names: string[] = [];
  const values: string[] = [];
  let hasHost = false;
  for (let i = 0; i < list.length; i++) {
    if ((list[i] as [string, string])[0] === 'host') {
      hasHost = true;
      break;
    }
  }
  // Host first, as a client's HTTP/1.1 request would have it: pushed before the rest, not unshifted after.
  if (!hasHost && head.authority !== null) {
    names.push('host');
    values.push(head.authority);
  }
  let cookie: string | null = null;
  let cookieAt = -1;
  for (let i = 0; i < list.length; i++) {
    const [name, value] = list[i] as [string, string];
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
    names.push(name);
    values.push(value);
  }
  return new Fields(names, values);
}
