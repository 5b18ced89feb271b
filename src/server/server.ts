import * as net from 'node:net';
import * as tls from 'node:tls';
import type { ConnectionHost } from './connection.js';
import { ALPN_PROTOCOLS, openConnection, type ServerConnection } from './protocols.js';
import { baseUrl } from '../http/index.js';
import { InvalidServerOptionError } from './errors.js';
import { resolveLimits, type ResolvedLimits, type ServerLimits } from './options.js';
import type { Handler, RequestRejection, ServerRequest } from './types.js';

export type { RequestRejection } from './types.js';

/** TlsOptions are the certificate and key (PEM) a server answers HTTPS with, plus any node:tls option. */
export interface TlsOptions extends tls.SecureContextOptions {
  cert: string | Buffer | Array<string | Buffer>;
  key: string | Buffer | Array<string | Buffer>;
}

/** ServerOptions configure createServer: limits and timeouts, TLS, and error reporting. */
export interface ServerOptions extends ServerLimits {
  /** tls serves HTTPS through node:tls with the same engine. */
  tls?: TlsOptions;
  /**
   * onError hears about handler exceptions and responses that broke midway (the client got a 500
   * or a reset). Default: print to stderr.
   */
  onError?: (error: unknown, req: ServerRequest | null) => void;
  /** onRequestRejected hears about each request the codec refused, with the reason it was answered. */
  onRequestRejected?: (rejection: RequestRejection) => void;
}

/** ListenOptions say where to listen. */
export interface ListenOptions {
  /** port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** hostname (or address) to bind. Default "127.0.0.1". */
  hostname?: string;
  /** host is node:net's name for `hostname`, accepted too; when both are given, hostname wins. */
  host?: string;
}

function defaultOnError(error: unknown): void {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`courier: ${text}\n`);
}

/**
 * Server is an HTTP/1.1 server running a native Handler over node:net or node:tls. Create it
 * with createServer(), then listen().
 */
export class Server {
  #server: net.Server;
  #host: ConnectionHost;
  #connections = new Set<ServerConnection>();
  /** #tcpSockets are the TCP sockets under TLS, from accept on, handshake done or not. */
  #tcpSockets = new Set<net.Socket>();
  #sweepTimer: NodeJS.Timeout | null = null;
  #closing: Promise<void> | null = null;
  #port = 0;
  #hostname = '';
  #isTls: boolean;

  constructor(handler: Handler, options: ServerOptions = {}) {
    const limits = resolveLimits(options);
    this.#isTls = options.tls !== undefined;
    const connections = this.#connections;
    this.#host = {
      limits,
      handler,
      isTls: this.#isTls,
      onError: options.onError ?? defaultOnError,
      onRequestRejected: options.onRequestRejected,
      connectionClosed(conn: ServerConnection): void {
        connections.delete(conn);
      },
    };
    if (options.tls !== undefined) {
      // The client's cipher order wins (as nginx's default, ssl_prefer_server_ciphers off): a
      // browser offering AES-128-GCM first gets it, not Node's server-preferred AES-256-GCM.
      // Session tickets and the session cache are node:tls defaults, so resumption works.
      // A handshake is bounded like a request head (Node's own default is 120 s) unless the
      // caller set its own.
      const handshakeTimeout = limits.headersTimeout > 0 ? limits.headersTimeout : undefined;
      const server = tls.createServer({ ALPNProtocols: [...ALPN_PROTOCOLS], honorCipherOrder: false, handshakeTimeout, ...options.tls, allowHalfOpen: true });
      server.on('secureConnection', this.#onConnection);
      // Until its handshake completes a socket is not a connection of ours, yet close() must end
      // it too (a client gone mid-handshake leaves it open: allowHalfOpen keeps it).
      server.on('connection', (raw: net.Socket) => {
        this.#tcpSockets.add(raw);
        raw.once('close', () => this.#tcpSockets.delete(raw));
      });
      // A failed handshake has nothing to answer; a timed-out one is not destroyed by Node.
      server.on('tlsClientError', (_error: Error, socket: tls.TLSSocket) => socket.destroy());
      this.#server = server;
    } else {
      this.#server = net.createServer({ allowHalfOpen: true, noDelay: true }, this.#onConnection);
    }
    this.#server.on('error', noop);
  }

  #onConnection = (socket: net.Socket): void => {
    if (this.#isTls) socket.setNoDelay(true);
    const conn = openConnection(socket, this.#host);
    this.#connections.add(conn);
    if (this.#closing !== null) conn.shutdown();
  };

  /** limits are the resolved limits and timeouts in force. */
  get limits(): Readonly<ResolvedLimits> {
    return this.#host.limits;
  }

  /** port is the port listened on (after listen() resolved). */
  get port(): number {
    return this.#port;
  }

  /** hostname is the address listened on. */
  get hostname(): string {
    return this.#hostname;
  }

  /** url is the server's base URL, like "http://127.0.0.1:8080/". */
  get url(): string {
    return `${baseUrl(this.#isTls ? 'https' : 'http', this.#hostname, this.#port)}/`;
  }

  /** connectionCount is the number of open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** listen binds the server and resolves once it accepts connections. */
  listen(options: ListenOptions = {}): Promise<this> {
    const port = options.port ?? 0;
    const hostname = options.hostname ?? options.host ?? '127.0.0.1';
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.#server.once('error', onError);
      this.#server.listen({ port, host: hostname, backlog: 2048 }, () => {
        this.#server.off('error', onError);
        const address = this.#server.address();
        if (address !== null && typeof address === 'object') {
          this.#port = address.port;
          this.#hostname = address.address;
        }
        this.#startSweep();
        resolve(this);
      });
    });
  }

  // One timer per server checks every connection's deadlines, rather than one timer each.
  #startSweep(): void {
    const limits = this.#host.limits;
    const { headersTimeout, keepAliveTimeout, bodyTimeout, requestTimeout, handlerTimeout, sendTimeout } = limits;
    const timeouts = [headersTimeout, keepAliveTimeout, bodyTimeout, requestTimeout, handlerTimeout, sendTimeout].filter((t) => t > 0);
    const interval = Math.min(1000, Math.max(10, Math.floor(Math.min(...timeouts, 4000) / 4)));
    this.#sweepTimer = setInterval(() => {
      const now = Date.now();
      for (const conn of this.#connections) {
        try {
          conn.checkTimeouts(now);
        } catch (error) {
          // A fault of the engine on one connection must not end the process: report, drop it.
          this.#host.onError(error, null);
          conn.destroy();
        }
      }
    }, interval);
    this.#sweepTimer.unref();
  }

  /**
   * close stops accepting connections, lets the requests in flight finish (the last response
   * on each connection says Connection: close), closes idle connections, and resolves when every
   * connection is gone. Connections still busy after shutdownTimeout are destroyed.
   */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    this.#closing = new Promise((resolve) => {
      if (!this.#server.listening) {
        this.#stopSweep();
        resolve();
        return;
      }
      let force: NodeJS.Timeout | null = null;
      this.#server.close(() => {
        this.#stopSweep();
        if (force !== null) clearTimeout(force);
        resolve();
      });
      for (const conn of this.#connections) conn.shutdown();
      const limit = this.#host.limits.shutdownTimeout;
      if (limit > 0) {
        force = setTimeout(() => {
          for (const conn of this.#connections) conn.destroy();
          for (const socket of this.#tcpSockets) socket.destroy();
        }, limit);
        force.unref();
      }
    });
    return this.#closing;
  }

  #stopSweep(): void {
    if (this.#sweepTimer !== null) clearInterval(this.#sweepTimer);
    this.#sweepTimer = null;
  }
}

/**
 * createServer returns a Server that answers every request with `handler`. Call listen() on it.
 * Limits and timeouts default as documented on ServerLimits.
 */
export function createServer(handler: Handler, options: ServerOptions = {}): Server {
  if (typeof handler !== 'function') throw new InvalidServerOptionError('Invalid handler: expected a function');
  return new Server(handler, options);
}

function noop(): void {}
