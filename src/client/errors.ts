import { CourierError, brand, hostForUrl } from '../http/index.js';

/**
 * ClientErrorCode lists every way a client request can fail. Codes are stable: switch on them,
 * never on messages.
 */
export type ClientErrorCode =
  | 'CLIENT_INVALID_ARGUMENT'
  | 'CLIENT_INVALID_URL'
  | 'CLIENT_UNSUPPORTED_PROTOCOL'
  | 'CLIENT_DNS'
  | 'CLIENT_CONNECT_REFUSED'
  | 'CLIENT_CONNECT'
  | 'CLIENT_CONNECT_TIMEOUT'
  | 'CLIENT_TLS'
  | 'CLIENT_SOCKET'
  | 'CLIENT_SOCKET_CLOSED'
  | 'CLIENT_HEADERS_TIMEOUT'
  | 'CLIENT_BODY_TIMEOUT'
  | 'CLIENT_TIMEOUT'
  | 'CLIENT_ABORTED'
  | 'CLIENT_PROTOCOL'
  | 'CLIENT_PARTIAL_BODY'
  | 'CLIENT_TOO_MANY_INTERIM_RESPONSES'
  | 'CLIENT_DECOMPRESSION'
  | 'CLIENT_DECOMPRESSION_LIMIT'
  | 'CLIENT_TOO_MANY_REDIRECTS'
  | 'CLIENT_REDIRECT'
  | 'CLIENT_PROXY'
  | 'CLIENT_BODY_USED'
  | 'CLIENT_AGENT_CLOSED';

/**
 * ClientError is the base of every error the client raises. `code` is stable; `cause` holds the
 * underlying system, TLS or wire error when there is one. Each subclass raises only its own codes
 * (see its constructor's type), so a `code` always comes with the same class.
 */
export class ClientError extends CourierError {
  override name = 'ClientError';
  declare readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(ClientError, 'ClientError');

/** ConnectError is raised when no connection could be opened: DNS failure, refusal, reset. */
export class ConnectError extends ClientError {
  override name = 'ConnectError';
  declare readonly code: 'CLIENT_DNS' | 'CLIENT_CONNECT_REFUSED' | 'CLIENT_CONNECT';

  constructor(code: ConnectError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(ConnectError, 'ConnectError');

/** TlsError is raised when the TLS handshake fails, including certificate verification. */
export class TlsError extends ClientError {
  override name = 'TlsError';
  declare readonly code: 'CLIENT_TLS';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_TLS', message, options);
  }
}

brand(TlsError, 'TlsError');

/** TimeoutError is raised when a connect, head, body-inactivity or total timeout expires. */
export class TimeoutError extends ClientError {
  override name = 'TimeoutError';
  declare readonly code: 'CLIENT_CONNECT_TIMEOUT' | 'CLIENT_HEADERS_TIMEOUT' | 'CLIENT_BODY_TIMEOUT' | 'CLIENT_TIMEOUT';

  constructor(code: TimeoutError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(TimeoutError, 'TimeoutError');

/**
 * ProtocolError is raised when the server's bytes break HTTP; `cause` is the codec's error. Its
 * code is CLIENT_PROTOCOL, or CLIENT_TOO_MANY_INTERIM_RESPONSES past the cap on 1xx responses.
 */
export class ProtocolError extends ClientError {
  override name = 'ProtocolError';
  declare readonly code: 'CLIENT_PROTOCOL' | 'CLIENT_TOO_MANY_INTERIM_RESPONSES';

  constructor(message: string, options?: { cause?: unknown; code?: ProtocolError['code'] }) {
    super(options?.code ?? 'CLIENT_PROTOCOL', message, options !== undefined && 'cause' in options ? { cause: options.cause } : undefined);
  }
}

brand(ProtocolError, 'ProtocolError');

/**
 * PartialBodyError is raised when the connection closed before the body reached its declared end
 * (Content-Length not reached, or chunked without its last chunk). `received` counts the body
 * bytes that arrived; `expected` is the Content-Length, or -1 for a chunked body.
 */
export class PartialBodyError extends ClientError {
  override name = 'PartialBodyError';
  declare readonly code: 'CLIENT_PARTIAL_BODY';
  readonly received: number;
  readonly expected: number;

  constructor(received: number, expected: number, address: string, options?: { cause?: unknown }) {
    const message =
      expected >= 0
        ? `Partial body: ${received} of ${expected} bytes received from ${address} before the connection closed`
        : `Partial body: ${received} bytes received from ${address}, the connection closed before the last chunk`;
    super('CLIENT_PARTIAL_BODY', message, options);
    this.received = received;
    this.expected = expected;
  }
}

brand(PartialBodyError, 'PartialBodyError');

/** AbortError is raised when the request's AbortSignal fires or a body is cancelled; `cause` is the reason. */
export class AbortError extends ClientError {
  override name = 'AbortError';
  declare readonly code: 'CLIENT_ABORTED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_ABORTED', message, options);
  }
}

brand(AbortError, 'AbortError');

/** RedirectError is raised for a redirect that may not be followed (count, scheme, downgrade, body). */
export class RedirectError extends ClientError {
  override name = 'RedirectError';
  declare readonly code: 'CLIENT_REDIRECT' | 'CLIENT_TOO_MANY_REDIRECTS';

  constructor(code: RedirectError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(RedirectError, 'RedirectError');

/** SocketError is raised when an open connection fails or closes while a request is on it. */
export class SocketError extends ClientError {
  override name = 'SocketError';
  declare readonly code: 'CLIENT_SOCKET' | 'CLIENT_SOCKET_CLOSED';
  /** isRetryable tells whether the request never reached the server and may be sent again. */
  readonly isRetryable: boolean;

  constructor(code: SocketError['code'], message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super(code, message, options);
    this.isRetryable = isRetryable;
  }
}

brand(SocketError, 'SocketError');

/** where renders a socket address for messages: `127.0.0.1:8000`, `[::1]:8000` or a socket path. */
export function where(host: string, port: number | string, socketPath?: string): string {
  if (socketPath !== undefined) return socketPath;
  return `${hostForUrl(host)}:${port}`;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/**
 * connectFailure turns a system or TLS error raised while connecting into a typed error whose
 * message names the operation, the errno and the address, like `connect ECONNREFUSED 127.0.0.1:8000`.
 */
export function connectFailure(error: unknown, address: string): ClientError {
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : 'UNKNOWN';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NODATA') {
    return new ConnectError('CLIENT_DNS', `getaddrinfo ${code} ${address}`, { cause: error });
  }
  if (code === 'ECONNREFUSED') return new ConnectError('CLIENT_CONNECT_REFUSED', `connect ECONNREFUSED ${address}`, { cause: error });
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : code;
    return new TlsError(`tls ${code} ${address}: ${detail}`, { cause: error });
  }
  return new ConnectError('CLIENT_CONNECT', `connect ${code} ${address}`, { cause: error });
}
