import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Connection, type ConnectionHost } from './connection.js';
import { H2ServerConnection } from './h2-connection.js';
import { PrefaceSniffer } from './preface.js';

/**
 * ServerConnection is what the server holds for each socket, whatever protocol it speaks: it
 * answers the socket's requests, enforces its deadlines and closes on shutdown.
 */
export interface ServerConnection {
  /** isIdle tells whether no request is in progress. */
  readonly isIdle: boolean;
  /** checkTimeouts enforces the connection's deadlines; the server calls it periodically. */
  checkTimeouts(now: number): void;
  /** shutdown answers what was received, then closes. */
  shutdown(): void;
  /** destroy drops the connection at once. */
  destroy(): void;
}

/** ConnectionClass makes the connection of one protocol over an accepted socket. */
type ConnectionClass = new (socket: Socket, host: ConnectionHost) => ServerConnection;

/**
 * CONNECTIONS maps an ALPN protocol id (RFC 7301) to the connection class that speaks it, most
 * wanted first: HTTP/2 (RFC 9113 §3.2), then HTTP/1.1.
 */
const CONNECTIONS: Readonly<Record<string, ConnectionClass>> = {
  h2: H2ServerConnection,
  'http/1.1': Connection,
};

/** ALPN_PROTOCOLS is what a TLS server offers, most wanted first: offered here and nowhere else. */
export const ALPN_PROTOCOLS: readonly string[] = Object.keys(CONNECTIONS);

/**
 * openConnection decides the protocol of an accepted socket, in this one place, and hands the
 * socket to that protocol's connection class. Over TLS, ALPN decided it during the handshake; a
 * client that named no protocol speaks HTTP/1.1. Cleartext is HTTP/1.x, or HTTP/2 with prior
 * knowledge (RFC 9113 §3.3) when the first octets are the HTTP/2 connection preface.
 */
export function openConnection(socket: Socket, host: ConnectionHost): ServerConnection {
  if (host.isTls) {
    const protocol = (socket as Partial<TLSSocket>).alpnProtocol;
    const Class = (typeof protocol === 'string' ? CONNECTIONS[protocol] : undefined) ?? Connection;
    return new Class(socket, host);
  }
  return new PrefaceSniffer(socket, host, openCleartext);
}

function openCleartext(isH2: boolean, socket: Socket, host: ConnectionHost): ServerConnection {
  return isH2 ? new H2ServerConnection(socket, host) : new Connection(socket, host);
}
