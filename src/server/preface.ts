// Cleartext connections speak HTTP/1.x or, with prior knowledge, HTTP/2 (RFC 9113 §3.3) on the same
// port: the first octets decide. The HTTP/2 connection preface starts "PRI * HTTP/2.0", a request
// line HTTP/1 servers reject, so a client that sent that much meant HTTP/2.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import { CONNECTION_PREFACE } from '../h2/index.js';
import type { ConnectionHost } from './connection.js';
import type { ServerConnection } from './protocols.js';

/**
 * DECISIVE_OCTETS is how much of the preface makes a connection HTTP/2: "PRI * HTTP/2.0". A client
 * that breaks the preface after it gets HTTP/2's answer, a connection error (RFC 9113 §3.4).
 */
const DECISIVE_OCTETS = 14;

/** OpenConnection makes the HTTP/2 (`isH2`) or HTTP/1.x connection for a socket. */
export type OpenConnection = (isH2: boolean, socket: Socket, host: ConnectionHost) => ServerConnection;

/**
 * PrefaceSniffer holds a cleartext socket until its first octets tell the protocol: as long as
 * they are a prefix of the HTTP/2 preface it waits for more, then hands the socket, octets
 * included, to the connection of that protocol and forwards everything to it.
 */
export class PrefaceSniffer implements ServerConnection {
  readonly #socket: Socket;
  readonly #host: ConnectionHost;
  readonly #open: OpenConnection;
  readonly #start = Date.now();
  #inner: ServerConnection | null = null;
  #received: Buffer | null = null;
  #isShuttingDown = false;
  #isSettling = false;

  constructor(socket: Socket, host: ConnectionHost, open: OpenConnection) {
    this.#socket = socket;
    this.#host = host;
    this.#open = open;
    socket.on('data', this.#onData);
    socket.on('end', this.#onEnd);
    socket.on('error', noop);
    socket.on('close', this.#onClose);
  }

  get isIdle(): boolean {
    return this.#inner?.isIdle ?? true;
  }

  checkTimeouts(now: number): void {
    if (this.#inner !== null) {
      this.#inner.checkTimeouts(now);
      return;
    }
    // Nothing decisive within headersTimeout: as HTTP/1 does with a silent client, close, once
    // what the socket already holds is read (it may be a request).
    const limit = this.#host.limits.headersTimeout;
    if (limit !== 0 && now - this.#start >= limit && !this.#isSettling) this.#settle(false);
  }

  shutdown(): void {
    if (this.#inner !== null) {
      this.#inner.shutdown();
      return;
    }
    this.#isShuttingDown = true;
    if (!this.#isSettling) this.#settle(true);
  }

  // Read for one full turn of the event loop (an I/O poll phase lies between the two immediates),
  // then answer what arrived with the protocol it started, or close if nothing did.
  #settle(isShutdown: boolean): void {
    this.#isSettling = true;
    setImmediate(() =>
      setImmediate(() => {
        if (this.#inner !== null) return;
        const received = this.#received;
        if (received === null) {
          if (isShutdown) this.#socket.end();
          else this.#socket.destroy();
          return;
        }
        const inner = this.#handOver(received.length >= DECISIVE_OCTETS, received);
        if (!isShutdown) inner.shutdown();
      }),
    );
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #onData = (chunk: Buffer): void => {
    const received = this.#received === null ? chunk : Buffer.concat([this.#received, chunk]);
    const n = Math.min(received.length, CONNECTION_PREFACE.length);
    let same = 0;
    while (same < n && received[same] === CONNECTION_PREFACE[same]) same++;
    if (same === received.length && same < CONNECTION_PREFACE.length) {
      this.#received = received; // a prefix of the preface: wait for more
      return;
    }
    this.#handOver(same >= DECISIVE_OCTETS, received);
  };

  #handOver(isH2: boolean, received: Buffer): ServerConnection {
    const socket = this.#socket;
    socket.off('data', this.#onData);
    socket.off('end', this.#onEnd);
    socket.off('close', this.#onClose);
    this.#received = null;
    // The octets read go back in front of the socket's input for the connection to read first.
    socket.pause();
    socket.unshift(received);
    const host: ConnectionHost = Object.create(this.#host, {
      connectionClosed: { value: () => this.#host.connectionClosed(this) },
    }) as ConnectionHost;
    const inner = this.#open(isH2, socket, host);
    this.#inner = inner;
    if (this.#isShuttingDown) inner.shutdown();
    socket.resume();
    return inner;
  }

  // EOF before the protocol was known: nothing to answer.
  #onEnd = (): void => {
    this.#socket.end();
  };

  #onClose = (): void => {
    this.#host.connectionClosed(this);
  };
}

function noop(): void {}
