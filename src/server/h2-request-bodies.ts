// The request bodies of one HTTP/2 server connection: the codec's DATA pieces go to each stream's
// RequestBody without a copy, pieces of one stream from one socket read are joined (joinInRead, src/h2/join-in-read.ts)
// and their reader woken once that read is parsed whole, and flow-control credit goes back to the
// client only as a handler reads (RFC 9113 §6.9), or at once for octets nobody will read. Apart from
// the connection (h2-connection.ts) because it runs per socket read and per chunk of an upload.
import type { Buffer } from 'node:buffer';
import type { H2Connection, RequestHead } from '../h2/index.js';
import { joinInRead } from '../h2/join-in-read.js';
import type { BodyOwner, RequestBody } from './body.js';
import { H2Request, type H2RequestPeer } from './h2-request.js';


/** RequestBodiesHost is what the request bodies need of their connection. */
export interface RequestBodiesHost {
  readonly h2: H2Connection;
  /** requests maps the stream ids in progress to their requests. */
  readonly requests: ReadonlyMap<number, H2Request>;
  /** isClosing tells whether the connection stopped answering (closing or closed). */
  isClosing(): boolean;
}

/**
 * H2RequestBodies feeds the request bodies of one connection. The connection tells it where each
 * socket read starts and ends (startRead, endRead) and hands it the codec's DATA and trailers.
 */
export class H2RequestBodies {
  readonly #host: RequestBodiesHost;
  // The socket read being parsed, and the request bodies it fed (woken once it is parsed).
  #read: Uint8Array = EMPTY_READ;
  readonly #fed: RequestBody[] = [];

  constructor(host: RequestBodiesHost) {
    this.#host = host;
  }

  /** newRequest builds stream `streamId`'s request; one with a body credits the client as its handler reads. */
  newRequest(streamId: number, head: RequestHead, hasBody: boolean, peer: H2RequestPeer): H2Request {
    // The stream window bounds what is buffered, not a high-water mark.
    if (!hasBody) return new H2Request(streamId, head, null, peer, Number.MAX_SAFE_INTEGER);
    const owner = new H2BodyOwner(this.#host);
    const req = new H2Request(streamId, head, owner, peer, Number.MAX_SAFE_INTEGER);
    owner.req = req;
    return req;
  }

  /** startRead notes the socket read the codec is about to parse, whose pieces of one stream may be joined. */
  startRead(read: Uint8Array): void {
    this.#read = read;
  }

  /** endRead wakes the readers of the bodies the read fed, once the whole read is parsed (its pieces joined). */
  endRead(): void {
    this.#read = EMPTY_READ;
    // A plain array loop: a Set iterated in a finally block made V8 run six times the mark-compacts during uploads.
    const fed = this.#fed;
    if (fed.length > 0) {
      for (let i = 0; i < fed.length; i++) (fed[i] as RequestBody).wake();
      fed.length = 0;
    }
  }

  /** data takes the codec's DATA piece of stream `streamId`; octets no request body takes are credited back at once. */
  data(streamId: number, data: Uint8Array, endStream: boolean): void {
    const req = this.#host.requests.get(streamId);
    const body = req?.requestBody ?? null;
    if (req === undefined || body === null) {
      if (data.length > 0) this.#host.h2.consume(streamId, data.length); // nobody reads these octets
      return;
    }
    req.bodyActivity = Date.now();
    if (data.length > 0) {
      req.delivered += data.length;
      // Kept without a copy: the codec's view is of a socket read (Node gives each read its own
      // buffer) or of a payload the parser joined from several reads into a buffer of its own.
      body.queue(data as Buffer, this.#joinInRead);
      if (this.#fed[this.#fed.length - 1] !== body) this.#fed.push(body); // waking twice is harmless
    }
    if (endStream) body.end();
  }

  /** trailers ends stream `streamId`'s body: its trailer section is the end of its input. */
  trailers(streamId: number): void {
    this.#host.requests.get(streamId)?.requestBody?.end();
  }

  /** streamEnded credits back to the connection what the handler left unread of a stream that is over. */
  streamEnded(req: H2Request): void {
    const unread = req.delivered - req.taken;
    req.taken = req.delivered;
    if (unread > 0 && !this.#host.isClosing()) this.#host.h2.consume(req.streamId, unread);
  }

  #joinInRead = (last: Buffer, next: Buffer): Buffer | null => joinInRead(this.#read, last, next);
}

// The owner of one stream's request body: what its handler reads is credited back to the client.
class H2BodyOwner implements BodyOwner {
  readonly #host: RequestBodiesHost;
  // The request whose body this is, set as soon as it is built.
  req: H2Request | null = null;

  constructor(host: RequestBodiesHost) {
    this.#host = host;
  }

  bodyWanted(): void {}

  bodyStarted(): void {}

  bodyTaken(length: number): void {
    const req = this.req as H2Request;
    if (!req.isStreamOpen || this.#host.isClosing()) return; // credited when the stream ended
    req.taken += length;
    this.#host.h2.consume(req.streamId, length);
  }
}

const EMPTY_READ = new Uint8Array(0);
