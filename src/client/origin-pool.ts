import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { HttpVersion } from '../http/index.js';
import type { H2ConnectionCallbacks } from '../h2/index.js';
import type { ParserOptions } from '../wire/index.js';
import { ReadTap, endpointAddress, openSocket, type Endpoint, type TlsOptions } from './connect.js';
import { DEFAULT_MAX_INTERIM_RESPONSES, type ConnectionOptions } from './h1-connection.js';
import { AgentClosedError, ClientError, InvalidArgumentError } from './errors.js';
import type { DispatchTarget, Route } from './dispatcher.js';
import { alpnProtocols, openConnection, protocolMode, type ProtocolMode } from './protocols.js';
import type { ClientConnection, ConnectionOwner, Dispatch, Timings, WireObserver } from './types.js';

/** PoolOptions tune the connections to one origin. Every field has a default. */
export interface PoolOptions {
  /** maxConnections caps open connections to the origin. Default Infinity. */
  maxConnections?: number;
  /** pipelining is how many requests one connection may carry at once. Default 1. */
  pipelining?: number;
  /** keepAliveTimeout closes a connection idle this long, in ms. Default 4000. */
  keepAliveTimeout?: number;
  /** keepAliveMaxTimeout caps the idle time a server's `Keep-Alive: timeout` may ask for. Default 600000. */
  keepAliveMaxTimeout?: number;
  /** connectTimeout bounds DNS, TCP connect and the TLS handshake, in ms. Default 10000. */
  connectTimeout?: number;
  /** maxRetries is how often a request that never reached the server is sent again. Default 2. */
  maxRetries?: number;
  /**
   * onConnect sees each new socket once it can carry HTTP (after the TLS handshake): its
   * addresses, and for https its TLS protocol, cipher, ALPN and peer certificate.
   */
  onConnect?: ((socket: Socket) => void) | null;
  /** onWire sees every byte written and read, for tracing. */
  onWire?: WireObserver | null;
  /** maxInterimResponses caps the 1xx responses accepted before a final one. Default 10. */
  maxInterimResponses?: number;
  /** parser passes limits (maxHeadSize, maxHeaderCount...) to the response parser. */
  parser?: ParserOptions;
  /**
   * httpVersion is the protocol of the connections: unset negotiates with ALPN over TLS (h2, then
   * http/1.1) and speaks HTTP/1.1 in clear; "1.1" (or "1.0") forces HTTP/1.x; "2" in clear sends
   * the HTTP/2 preface with prior knowledge. A request's own httpVersion picks an agent's pool.
   */
  httpVersion?: HttpVersion;
  /** onFrame sees every HTTP/2 frame both ways, decoded, for traces. */
  onFrame?: H2ConnectionCallbacks['onFrame'] | null;
}

/**
 * OriginPool holds the connections to one origin: it reuses idle ones, opens new ones up to
 * maxConnections, queues requests beyond that, and retries requests lost to a closing connection.
 * It knows nothing of redirects or decoding, and holds connections of any protocol: which one a
 * socket gets is decided by openConnection (protocols.ts). Agents make these; users get Pool.
 */
export class OriginPool implements DispatchTarget {
  readonly #endpoint: Endpoint;
  readonly #connections = new Set<ClientConnection>();
  #free: ClientConnection[] = [];
  #queue: Dispatch[] = [];
  #queueHead = 0;
  #connecting = 0;
  #isClosed = false;
  #isDestroyed = false;
  readonly #maxConnections: number;
  readonly #connectTimeout: number;
  readonly #maxRetries: number;
  readonly #connectionOptions: ConnectionOptions;
  readonly #onConnect: ((socket: Socket) => void) | null;
  readonly #mode: ProtocolMode;
  // Whether a connection carries many requests: 'unknown' until the first TLS handshake says.
  #multiplexing: 'yes' | 'no' | 'unknown';
  #onEmpty: (() => void) | null = null;
  // The connections' callbacks, kept off the pool's public type.
  readonly #owner: ConnectionOwner = {
    onFree: (connection) => this.#onFree(connection),
    onClose: (connection) => this.#onClose(connection),
    retry: (d) => this.#retry(d),
  };

  /**
   * `isAbsoluteForm` is set by an agent for plain http through a proxy: requests then name the
   * whole URL as their target (RFC 9112 §3.2.2).
   */
  constructor(origin: string | URL | Endpoint, options: PoolOptions & TlsOptions & { socketPath?: string } = {}, isAbsoluteForm = false) {
    const endpoint = typeof origin === 'string' || origin instanceof URL ? endpointFor(new URL(origin), options) : origin;
    this.#endpoint = endpoint;
    this.#maxConnections = options.maxConnections ?? Infinity;
    this.#connectTimeout = options.connectTimeout ?? 10_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#onConnect = options.onConnect ?? null;
    this.#mode = isAbsoluteForm ? 'http/1.1' : protocolMode(options.httpVersion, endpoint.isTls);
    this.#multiplexing = this.#mode === 'h2-prior-knowledge' ? 'yes' : this.#mode === 'negotiate' && endpoint.isTls ? 'unknown' : 'no';
    this.#connectionOptions = {
      address: endpointAddress(endpoint),
      pipelining: Math.max(1, options.pipelining ?? 1),
      keepAliveTimeout: options.keepAliveTimeout ?? 4000,
      keepAliveMaxTimeout: options.keepAliveMaxTimeout ?? 600_000,
      maxInterimResponses: options.maxInterimResponses ?? DEFAULT_MAX_INTERIM_RESPONSES,
      onWire: options.onWire ?? null,
      parser: options.parser ?? {},
      isAbsoluteForm,
      onFrame: options.onFrame ?? null,
    };
  }

  /**
   * route lets a pool stand in for an agent: every URL must be on the pool's origin, and a
   * request's httpVersion must fit the pool's protocol.
   */
  route(url: URL, httpVersion?: HttpVersion): Route {
    const e = this.#endpoint;
    if (httpVersion !== undefined && protocolMode(httpVersion, e.isTls) !== this.#mode) {
      throw new InvalidArgumentError(`httpVersion "${httpVersion}" does not fit this pool: make the Pool with { httpVersion: '${httpVersion}' }`);
    }
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    if ((url.protocol === 'https:') !== e.isTls || url.hostname.replace(/^\[|\]$/g, '') !== e.hostname || port !== e.port) {
      throw new InvalidArgumentError(`URL "${url.href}" is not on this pool's origin`);
    }
    return { pool: this, proxyAuthorization: undefined };
  }

  /** size is the number of open connections. */
  get size(): number {
    return this.#connections.size;
  }

  /** pending is the number of queued requests waiting for a connection. */
  get pending(): number {
    return this.#queue.length - this.#queueHead;
  }

  /** dispatch sends the request on a free connection, or queues it. */
  dispatch(d: Dispatch): void {
    if (this.#isClosed) {
      d.handler.onError(new AgentClosedError('Agent closed: no new requests'));
      return;
    }
    const connection = this.#takeFree();
    if (connection !== null) {
      connection.dispatch(d);
      if (connection.canAccept) this.#free.push(connection);
      return;
    }
    this.#queue.push(d);
    this.#grow();
  }

  #takeFree(): ClientConnection | null {
    const free = this.#free;
    while (free.length > 0) {
      const c = free.pop() as ClientConnection;
      if (c.canAccept) return c;
    }
    return null;
  }

  #nextQueued(): Dispatch | null {
    while (this.#queueHead < this.#queue.length) {
      const d = this.#queue[this.#queueHead] as Dispatch;
      this.#queue[this.#queueHead++] = undefined as unknown as Dispatch;
      if (this.#queueHead === this.#queue.length) {
        this.#queue = [];
        this.#queueHead = 0;
      }
      if (!d.isCancelled) return d;
    }
    return null;
  }

  // Open connections while requests wait and the cap allows. One HTTP/2 connection carries many
  // requests: while it may be one, a new connection opens only when none is coming and none has room.
  #grow(): void {
    if (this.#multiplexing !== 'no') {
      if (this.pending > 0 && this.#connecting === 0 && this.#connections.size < this.#maxConnections && ![...this.#connections].some((c) => c.canAccept)) {
        this.#open();
      }
      return;
    }
    while (this.pending > this.#connecting && this.#connections.size + this.#connecting < this.#maxConnections) {
      this.#open();
    }
  }

  #open(): void {
    this.#connecting++;
    const timings: Timings = { start: performance.now(), dns: -1, connect: -1, tls: -1, firstByte: -1, end: -1, isReused: false };
    const tap = new ReadTap();
    openSocket(this.#endpoint, this.#connectTimeout, timings, tap, alpnProtocols(this.#mode)).then(
      (socket) => {
        this.#connecting--;
        if (this.#isDestroyed || (this.#isClosed && !this.#hasWaiting())) {
          socket.destroy();
          // close() may be waiting for this very connection.
          this.#checkEmpty();
          return;
        }
        this.#onConnect?.(socket);
        const connection = openConnection(socket, this.#owner, this.#connectionOptions, tap.isActive ? tap : null, this.#mode);
        this.#connections.add(connection);
        if (this.#multiplexing === 'unknown') this.#multiplexing = connection.isMultiplexed === true ? 'yes' : 'no';
        // The request that waited longest gets this connection's connect timings.
        const first = this.#queue[this.#queueHead];
        if (first !== undefined) {
          first.timings.dns = timings.dns;
          first.timings.connect = timings.connect;
          first.timings.tls = timings.tls;
        }
        this.#onFree(connection);
        this.#grow();
      },
      (error: ClientError) => {
        this.#connecting--;
        // With no live connection to the origin every waiting request fails with the connect
        // error; otherwise the oldest one does and the others wait for the live connections.
        if (this.#connections.size === 0 && this.#connecting === 0) {
          for (let d = this.#nextQueued(); d !== null; d = this.#nextQueued()) d.handler.onError(error);
        } else {
          this.#nextQueued()?.handler.onError(error);
        }
        this.#checkEmpty();
      },
    );
  }

  // A connection can take another request.
  #onFree(connection: ClientConnection): void {
    while (connection.canAccept) {
      const d = this.#nextQueued();
      if (d === null) break;
      connection.dispatch(d);
    }
    if (connection.canAccept && !this.#free.includes(connection)) this.#free.push(connection);
    if (this.#isClosed && connection.isIdle && !this.#hasWaiting()) connection.close();
  }

  // A connection has closed.
  #onClose(connection: ClientConnection): void {
    this.#connections.delete(connection);
    const i = this.#free.indexOf(connection);
    if (i !== -1) this.#free.splice(i, 1);
    this.#grow();
    this.#checkEmpty();
  }

  // Queue again a request that a closing connection never answered.
  #retry(d: Dispatch): boolean {
    if (this.#isDestroyed || d.retries >= this.#maxRetries) return false;
    d.retries++;
    // Front of the line: it was sent before anything still queued.
    if (this.#queueHead > 0) this.#queue[--this.#queueHead] = d;
    else this.#queue.unshift(d);
    queueMicrotask(() => {
      const c = this.#takeFree();
      if (c !== null) this.#onFree(c);
      this.#grow();
    });
    return true;
  }

  // Whether a request still waits for a connection (cancelled ones at the head are dropped).
  #hasWaiting(): boolean {
    while (this.#queueHead < this.#queue.length && (this.#queue[this.#queueHead] as Dispatch).isCancelled) {
      this.#queue[this.#queueHead++] = undefined as unknown as Dispatch;
    }
    if (this.#queueHead === this.#queue.length) {
      this.#queue = [];
      this.#queueHead = 0;
    }
    return this.pending > 0;
  }

  #checkEmpty(): void {
    if (this.#onEmpty !== null && this.#connections.size === 0 && this.#connecting === 0) {
      const done = this.#onEmpty;
      this.#onEmpty = null;
      done();
    }
  }

  /**
   * close refuses new requests, lets those already made finish (queued ones too, as undici does),
   * then closes every connection and resolves.
   */
  close(): Promise<void> {
    this.#isClosed = true;
    if (!this.#hasWaiting()) for (const c of this.#connections) if (c.isIdle) c.close();
    if (this.#connections.size === 0 && this.#connecting === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#onEmpty = resolve;
    });
  }

  /** destroy closes every connection now, failing in-flight and queued requests. */
  destroy(error?: Error): void {
    this.#isClosed = true;
    this.#isDestroyed = true;
    const reason = error ?? new AgentClosedError('Agent destroyed');
    for (const d of this.#queue.splice(0)) if (d !== undefined && !d.isCancelled) d.handler.onError(reason);
    this.#queueHead = 0;
    for (const c of this.#connections) c.destroy(reason);
  }
}

function endpointFor(url: URL, options: TlsOptions & { socketPath?: string }): Endpoint {
  const isTls = url.protocol === 'https:';
  const tls: TlsOptions = {};
  if (options.ca !== undefined) tls.ca = options.ca;
  if (options.rejectUnauthorized !== undefined) tls.rejectUnauthorized = options.rejectUnauthorized;
  if (options.servername !== undefined) tls.servername = options.servername;
  return {
    isTls,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? (isTls ? 443 : 80) : Number(url.port),
    socketPath: options.socketPath,
    tls,
  };
}
