import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { ReadTap } from './connect.js';
import { H1Connection, type ConnectionOptions } from './h1-connection.js';
import type { ClientConnection, ConnectionOwner } from './types.js';

/** ConnectionClass makes the connection of one protocol over a connected socket. */
type ConnectionClass = new (socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null) => ClientConnection;

/**
 * CONNECTIONS maps an ALPN protocol id (RFC 7301) to the connection class that speaks it. The
 * HTTP/2 client connection joins as `h2`.
 */
const CONNECTIONS: Readonly<Record<string, ConnectionClass>> = {
  'http/1.1': H1Connection,
};

/**
 * ALPN_PROTOCOLS is what the client offers in the TLS handshake, most wanted first: offered here
 * and nowhere else.
 */
export const ALPN_PROTOCOLS: readonly string[] = Object.keys(CONNECTIONS);

/**
 * openConnection gives a connected socket to the connection class of the protocol it speaks: the
 * one place where the client looks at what ALPN chose. Without ALPN (cleartext, or a server that
 * picks none) it is HTTP/1.1.
 */
export function openConnection(socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null): ClientConnection {
  const protocol = (socket as Partial<TLSSocket>).alpnProtocol;
  const Connection = (typeof protocol === 'string' ? CONNECTIONS[protocol] : undefined) ?? H1Connection;
  return new Connection(socket, owner, options, tap);
}
