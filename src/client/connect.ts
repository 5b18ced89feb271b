import { Buffer } from 'node:buffer';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { ResponseParser, WireError, serializeRequestHead, type ResponseHead } from '../wire/index.js';
import { connectFailure, where } from './connect-failure.js';
import { ClientError, ConnectTimeoutError, InvalidArgumentError, ProxyError } from './errors.js';
import type { Timings } from './types.js';

/** TlsOptions are the certificate settings for https origins. */
export interface TlsOptions {
  /** ca replaces the default trusted roots (PEM). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** rejectUnauthorized turns certificate verification off when false. Default true. */
  rejectUnauthorized?: boolean;
  /** servername overrides the SNI name (default: the host, unless it is an IP literal). */
  servername?: string;
}

/** Endpoint says where to open a connection and how. */
export interface Endpoint {
  isTls: boolean;
  hostname: string;
  port: number;
  /** socketPath connects to a Unix socket instead of hostname:port. */
  socketPath?: string | undefined;
  tls: TlsOptions;
  /** family limits name resolution to IPv4 (4) or IPv6 (6), as curl's -4 and -6. */
  family?: 4 | 6 | undefined;
  /** connectTo is the address to connect to instead of resolving hostname (curl's --resolve); TLS still checks hostname. */
  connectTo?: string | undefined;
  /** tunnel, when set, reaches hostname:port through an HTTP proxy with CONNECT (RFC 9110 §9.3.6). */
  tunnel?: { proxy: Endpoint; authorization: string | undefined } | undefined;
}

// One read buffer shared by every plain TCP connection: libuv reads one socket at a time on the
// loop thread, and ReadTap copies each read out before the next one, so sharing is safe. Reads
// of up to 256 KiB (four times Node's default) make big downloads markedly faster.
const SHARED_READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * ReadTap takes a plain TCP socket's reads through `onread` into the shared buffer and hands each
 * one on as its own copy. Reads that arrive before a sink is attached wait in order.
 */
export class ReadTap {
  #sink: ((chunk: Buffer) => void) | null = null;
  #pending: Buffer[] = [];
  /** isActive tells whether openSocket wired this tap to a socket (plain TCP or Unix only). */
  isActive = false;

  /** onread is the socket option that routes reads through this tap. */
  readonly onread = {
    buffer: SHARED_READ_BUFFER,
    callback: (nread: number, buffer: Uint8Array): boolean => {
      const chunk = Buffer.allocUnsafe(nread);
      chunk.set(buffer.subarray(0, nread));
      if (this.#sink !== null) this.#sink(chunk);
      else this.#pending.push(chunk);
      return true;
    },
  };

  /** attach starts delivering reads to sink, first those already waiting. */
  attach(sink: (chunk: Buffer) => void): void {
    this.#sink = sink;
    for (const chunk of this.#pending.splice(0)) sink(chunk);
  }
}

/** endpointAddress renders an endpoint for messages, like `127.0.0.1:8000`. */
export function endpointAddress(endpoint: Endpoint): string {
  return where(endpoint.hostname, endpoint.port, endpoint.socketPath);
}

// The CONNECT request to a TLS proxy is HTTP/1.1 whatever the origin behind it speaks.
const PROXY_ALPN: readonly string[] = ['http/1.1'];

/**
 * openSocket connects to the endpoint (through a tunnel if asked) and resolves once the socket
 * can carry HTTP: after the TLS handshake for https. Phases are stamped into timings.
 */
export function openSocket(endpoint: Endpoint, connectTimeout: number, timings: Timings, tap: ReadTap | undefined, alpn: readonly string[]): Promise<Socket> {
  const address = endpointAddress(endpoint);
  const family = endpoint.family === undefined ? {} : { family: endpoint.family };
  return new Promise<Socket>((resolve, reject) => {
    let socket: Socket;
    let done = false;
    const fail = (error: ClientError): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket?.destroy();
      reject(error);
    };
    const timer = setTimeout(() => {
      fail(new ConnectTimeoutError(`connect ETIMEDOUT ${address}: no connection after ${connectTimeout} ms`));
    }, connectTimeout);
    const ready = (s: Socket): void => {
      if (done) {
        s.destroy();
        return;
      }
      done = true;
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    };
    const secure = (raw: Socket | undefined): void => {
      const tlsSocket: TLSSocket = tlsConnect({
        ...(raw === undefined ? { host: endpoint.connectTo ?? endpoint.hostname, port: endpoint.port, ...family } : { socket: raw }),
        ...(endpoint.socketPath !== undefined && raw === undefined ? { path: endpoint.socketPath } : {}),
        servername: endpoint.tls.servername ?? (isIP(endpoint.hostname) === 0 ? endpoint.hostname : ''),
        rejectUnauthorized: endpoint.tls.rejectUnauthorized !== false,
        ALPNProtocols: [...alpn],
        ...(endpoint.tls.ca !== undefined ? { ca: endpoint.tls.ca } : {}),
      });
      socket = tlsSocket;
      tlsSocket.on('error', (error) => fail(connectFailure(error, address)));
      if (raw === undefined) stampConnect(tlsSocket, timings);
      tlsSocket.once('secureConnect', () => {
        timings.tls = performance.now();
        ready(tlsSocket);
      });
    };
    if (endpoint.tunnel !== undefined) {
      const { proxy, authorization } = endpoint.tunnel;
      openSocket(proxy, connectTimeout, timings, undefined, PROXY_ALPN).then(
        (proxySocket) => {
          socket = proxySocket;
          if (done) {
            proxySocket.destroy();
            return;
          }
          tunnel(proxySocket, endpoint, authorization).then(
            () => (endpoint.isTls ? secure(proxySocket) : ready(proxySocket)),
            (error: ClientError) => fail(error),
          );
        },
        (error: ClientError) => fail(error),
      );
      return;
    }
    if (endpoint.isTls) {
      secure(undefined);
      return;
    }
    const onread = tap === undefined ? {} : { onread: tap.onread };
    if (tap !== undefined) tap.isActive = true;
    socket =
      endpoint.socketPath !== undefined
        ? netConnect({ path: endpoint.socketPath, ...onread })
        : netConnect({ host: endpoint.connectTo ?? endpoint.hostname, port: endpoint.port, ...family, ...onread });
    stampConnect(socket, timings);
    socket.on('error', (error) => fail(connectFailure(error, address)));
    socket.once('connect', () => ready(socket));
  });
}

function stampConnect(socket: Socket, timings: Timings): void {
  socket.once('lookup', () => {
    timings.dns = performance.now();
  });
  socket.once('connect', () => {
    timings.connect = performance.now();
  });
}

/** tunnel asks the proxy on `socket` to CONNECT to the endpoint and waits for its 2xx. */
function tunnel(socket: Socket, endpoint: Endpoint, authorization: string | undefined): Promise<void> {
  const authority = where(endpoint.hostname, endpoint.port);
  const proxyAddress = endpointAddress((endpoint.tunnel as { proxy: Endpoint }).proxy);
  return new Promise<void>((resolve, reject) => {
    let head: ResponseHead | null = null;
    const parser = new ResponseParser({
      onHead: (h) => {
        if (h.statusCode >= 200) head = h;
      },
    });
    parser.expectResponseTo('CONNECT');
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      // Stop the flow until the next owner (TLS or the connection) starts reading.
      socket.pause();
    };
    const onData = (chunk: Buffer): void => {
      let consumed: number;
      try {
        consumed = parser.execute(chunk);
      } catch (error) {
        cleanup();
        reject(new ProxyError(`proxy ${proxyAddress}: malformed answer to CONNECT`, { cause: error }));
        return;
      }
      if (head === null) return;
      cleanup();
      if (head.statusCode >= 300 || !parser.isUpgraded) {
        const reason = head.reasonPhrase === '' ? '' : ` ${head.reasonPhrase}`;
        reject(new ProxyError(`proxy ${proxyAddress} refused CONNECT ${authority}: ${head.statusCode}${reason}`));
        return;
      }
      // Bytes after the 2xx head already belong to the tunnel.
      if (consumed < chunk.length) socket.unshift(chunk.subarray(consumed));
      resolve();
    };
    const onEnd = (): void => {
      cleanup();
      reject(new ProxyError(`proxy ${proxyAddress} closed the connection before answering CONNECT ${authority}`));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(connectFailure(error, proxyAddress));
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    const headers: Array<[string, string]> = [['Host', authority]];
    if (authorization !== undefined) headers.push(['Proxy-Authorization', authorization]);
    try {
      socket.write(serializeRequestHead({ method: 'CONNECT', target: authority, headers }), 'latin1');
    } catch (error) {
      cleanup();
      reject(error instanceof WireError ? new InvalidArgumentError(error.message, { cause: error }) : error);
    }
  });
}
