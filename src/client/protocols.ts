import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { HttpVersion } from '../http/index.js';
import type { ReadTap } from './connect.js';
import { H1Connection, type ConnectionOptions } from './h1-connection.js';
import { H2ClientConnection } from './h2-connection.js';
import type { ClientConnection, ConnectionOwner } from './types.js';

/** ConnectionClass makes the connection of one protocol over a connected socket. */
type ConnectionClass = new (socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null) => ClientConnection;

/** CONNECTIONS maps an ALPN protocol id (RFC 7301) to the connection class that speaks it. */
const CONNECTIONS: Readonly<Record<string, ConnectionClass>> = {
  h2: H2ClientConnection,
  'http/1.1': H1Connection,
};

/**
 * ProtocolMode is what a pool's connections may speak: `negotiate` (over TLS, ALPN offers h2 then
 * http/1.1, as curl and Go do; in clear, HTTP/1.1), `http/1.1` only, or `h2-prior-knowledge`
 * (in clear, the HTTP/2 preface straight away, RFC 9113 §3.3; over TLS the same as negotiate).
 */
export type ProtocolMode = 'negotiate' | 'http/1.1' | 'h2-prior-knowledge';

/**
 * protocolMode says which mode a request's `httpVersion` asks for: unset negotiates, "1.0" and
 * "1.1" force HTTP/1.x, "2" negotiates over TLS and uses prior knowledge in clear.
 */
export function protocolMode(httpVersion: HttpVersion | undefined, isTls: boolean): ProtocolMode {
  if (httpVersion === '1.0' || httpVersion === '1.1') return 'http/1.1';
  if (isTls) return 'negotiate';
  return httpVersion === '2' ? 'h2-prior-knowledge' : 'http/1.1';
}

/** alpnProtocols is what the client offers in the TLS handshake, most wanted first: decided here and nowhere else. */
export function alpnProtocols(mode: ProtocolMode): readonly string[] {
  return mode === 'http/1.1' ? ['http/1.1'] : ['h2', 'http/1.1'];
}

/**
 * openConnection gives a connected socket to the connection class of the protocol it speaks: the
 * one place where the client looks at what ALPN chose. Without ALPN (cleartext, or a server that
 * picks none) it is HTTP/2 with prior knowledge when asked, else HTTP/1.1.
 */
export function openConnection(socket: Socket, owner: ConnectionOwner, options: ConnectionOptions, tap: ReadTap | null, mode: ProtocolMode): ClientConnection {
  const protocol = (socket as Partial<TLSSocket>).alpnProtocol;
  const fallback = mode === 'h2-prior-knowledge' && typeof protocol !== 'string' ? H2ClientConnection : H1Connection;
  const Connection = (typeof protocol === 'string' ? CONNECTIONS[protocol] : undefined) ?? fallback;
  return new Connection(socket, owner, options, tap);
}
