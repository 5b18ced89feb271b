import { CourierError, brand } from '../http/index.js';

/**
 * ClientErrorCode lists every way a client request can fail, one code per error class. Codes are
 * stable: switch on them (or test the class with `X.is(error)`), never on messages.
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
 * ClientError is the family of every error the client raises; it is never thrown itself. Each
 * class below it that is thrown has one fixed `code` (`HeadersTimeoutError` is always
 * `CLIENT_HEADERS_TIMEOUT`); the abstract classes between (ConnectError, TimeoutError,
 * ProtocolError, RedirectError, SocketError) group the codes a caller may want to catch together.
 * `cause` holds the underlying system, TLS or wire error when there is one.
 */
export abstract class ClientError extends CourierError {
  override name = 'ClientError';
  declare readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(ClientError, 'ClientError');

/** InvalidArgumentError is raised for an option, header or body the client cannot send (`CLIENT_INVALID_ARGUMENT`). */
export class InvalidArgumentError extends ClientError {
  override name = 'InvalidArgumentError';
  declare readonly code: 'CLIENT_INVALID_ARGUMENT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_INVALID_ARGUMENT', message, options);
  }
}

brand(InvalidArgumentError, 'InvalidArgumentError');

/** InvalidUrlError is raised for a URL that does not parse (`CLIENT_INVALID_URL`). */
export class InvalidUrlError extends ClientError {
  override name = 'InvalidUrlError';
  declare readonly code: 'CLIENT_INVALID_URL';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_INVALID_URL', message, options);
  }
}

brand(InvalidUrlError, 'InvalidUrlError');

/** UnsupportedProtocolError is raised for a scheme other than http: and https:, or an unknown httpVersion (`CLIENT_UNSUPPORTED_PROTOCOL`). */
export class UnsupportedProtocolError extends ClientError {
  override name = 'UnsupportedProtocolError';
  declare readonly code: 'CLIENT_UNSUPPORTED_PROTOCOL';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_UNSUPPORTED_PROTOCOL', message, options);
  }
}

brand(UnsupportedProtocolError, 'UnsupportedProtocolError');

/** BodyUsedError is raised when a body that can be read or sent once is used again (`CLIENT_BODY_USED`). */
export class BodyUsedError extends ClientError {
  override name = 'BodyUsedError';
  declare readonly code: 'CLIENT_BODY_USED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_BODY_USED', message, options);
  }
}

brand(BodyUsedError, 'BodyUsedError');

/** DecompressionError is raised for an encoded body that is malformed or cut short (`CLIENT_DECOMPRESSION`). */
export class DecompressionError extends ClientError {
  override name = 'DecompressionError';
  declare readonly code: 'CLIENT_DECOMPRESSION';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_DECOMPRESSION', message, options);
  }
}

brand(DecompressionError, 'DecompressionError');

/** DecompressionLimitError is raised when a decoded body grows past its limit (`CLIENT_DECOMPRESSION_LIMIT`). */
export class DecompressionLimitError extends ClientError {
  override name = 'DecompressionLimitError';
  declare readonly code: 'CLIENT_DECOMPRESSION_LIMIT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_DECOMPRESSION_LIMIT', message, options);
  }
}

brand(DecompressionLimitError, 'DecompressionLimitError');

/** ProxyError is raised when the proxy is misconfigured, refuses CONNECT or fails (`CLIENT_PROXY`). */
export class ProxyError extends ClientError {
  override name = 'ProxyError';
  declare readonly code: 'CLIENT_PROXY';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_PROXY', message, options);
  }
}

brand(ProxyError, 'ProxyError');

/** AgentClosedError is raised for a request made on, or cut by, an agent that closed (`CLIENT_AGENT_CLOSED`). */
export class AgentClosedError extends ClientError {
  override name = 'AgentClosedError';
  declare readonly code: 'CLIENT_AGENT_CLOSED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_AGENT_CLOSED', message, options);
  }
}

brand(AgentClosedError, 'AgentClosedError');

/** ConnectError groups the errors raised when no connection could be opened: DNS failure, refusal, reset. */
export abstract class ConnectError extends ClientError {
  override name = 'ConnectError';
  declare readonly code: 'CLIENT_DNS' | 'CLIENT_CONNECT_REFUSED' | 'CLIENT_CONNECT';
}

brand(ConnectError, 'ConnectError');

/** DnsError is raised when the host name does not resolve (`CLIENT_DNS`). */
export class DnsError extends ConnectError {
  override name = 'DnsError';
  declare readonly code: 'CLIENT_DNS';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_DNS', message, options);
  }
}

brand(DnsError, 'DnsError');

/** ConnectRefusedError is raised when nothing listens at the address (`CLIENT_CONNECT_REFUSED`). */
export class ConnectRefusedError extends ConnectError {
  override name = 'ConnectRefusedError';
  declare readonly code: 'CLIENT_CONNECT_REFUSED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_CONNECT_REFUSED', message, options);
  }
}

brand(ConnectRefusedError, 'ConnectRefusedError');

/** ConnectFailedError is raised when connecting fails otherwise (unreachable, reset) (`CLIENT_CONNECT`). */
export class ConnectFailedError extends ConnectError {
  override name = 'ConnectFailedError';
  declare readonly code: 'CLIENT_CONNECT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_CONNECT', message, options);
  }
}

brand(ConnectFailedError, 'ConnectFailedError');

/** TlsError is raised when the TLS handshake fails, including certificate verification (`CLIENT_TLS`). */
export class TlsError extends ClientError {
  override name = 'TlsError';
  declare readonly code: 'CLIENT_TLS';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_TLS', message, options);
  }
}

brand(TlsError, 'TlsError');

/** TimeoutError groups the four timeouts: connect, response head, body inactivity and total. */
export abstract class TimeoutError extends ClientError {
  override name = 'TimeoutError';
  declare readonly code: 'CLIENT_CONNECT_TIMEOUT' | 'CLIENT_HEADERS_TIMEOUT' | 'CLIENT_BODY_TIMEOUT' | 'CLIENT_TIMEOUT';
}

brand(TimeoutError, 'TimeoutError');

/** ConnectTimeoutError is raised when no connection is open within `connectTimeout` (`CLIENT_CONNECT_TIMEOUT`). */
export class ConnectTimeoutError extends TimeoutError {
  override name = 'ConnectTimeoutError';
  declare readonly code: 'CLIENT_CONNECT_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_CONNECT_TIMEOUT', message, options);
  }
}

brand(ConnectTimeoutError, 'ConnectTimeoutError');

/** HeadersTimeoutError is raised when no response head arrives within `headersTimeout` (`CLIENT_HEADERS_TIMEOUT`). */
export class HeadersTimeoutError extends TimeoutError {
  override name = 'HeadersTimeoutError';
  declare readonly code: 'CLIENT_HEADERS_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_HEADERS_TIMEOUT', message, options);
  }
}

brand(HeadersTimeoutError, 'HeadersTimeoutError');

/** BodyTimeoutError is raised when the body sends nothing for `bodyTimeout` (`CLIENT_BODY_TIMEOUT`). */
export class BodyTimeoutError extends TimeoutError {
  override name = 'BodyTimeoutError';
  declare readonly code: 'CLIENT_BODY_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_BODY_TIMEOUT', message, options);
  }
}

brand(BodyTimeoutError, 'BodyTimeoutError');

/** RequestTimeoutError is raised when the whole request is not done within `timeout` (`CLIENT_TIMEOUT`). */
export class RequestTimeoutError extends TimeoutError {
  override name = 'RequestTimeoutError';
  declare readonly code: 'CLIENT_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_TIMEOUT', message, options);
  }
}

brand(RequestTimeoutError, 'RequestTimeoutError');

/** ProtocolError groups the errors raised when the server's answer breaks HTTP. */
export abstract class ProtocolError extends ClientError {
  override name = 'ProtocolError';
  declare readonly code: 'CLIENT_PROTOCOL' | 'CLIENT_TOO_MANY_INTERIM_RESPONSES';
}

brand(ProtocolError, 'ProtocolError');

/** InvalidResponseError is raised for a malformed response or one the client cannot take; `cause` is the codec's error when there is one (`CLIENT_PROTOCOL`). */
export class InvalidResponseError extends ProtocolError {
  override name = 'InvalidResponseError';
  declare readonly code: 'CLIENT_PROTOCOL';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_PROTOCOL', message, options);
  }
}

brand(InvalidResponseError, 'InvalidResponseError');

/** TooManyInterimResponsesError is raised past `maxInterimResponses` 1xx responses before the final one (`CLIENT_TOO_MANY_INTERIM_RESPONSES`). */
export class TooManyInterimResponsesError extends ProtocolError {
  override name = 'TooManyInterimResponsesError';
  declare readonly code: 'CLIENT_TOO_MANY_INTERIM_RESPONSES';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_TOO_MANY_INTERIM_RESPONSES', message, options);
  }
}

brand(TooManyInterimResponsesError, 'TooManyInterimResponsesError');

/**
 * PartialBodyError is raised when the connection closed before the body reached its declared end
 * (Content-Length not reached, or chunked without its last chunk) (`CLIENT_PARTIAL_BODY`).
 * `received` counts the body bytes that arrived; `expected` is the Content-Length, or -1 for a
 * chunked body.
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

/** AbortError is raised when the request's AbortSignal fires or a body is cancelled; `cause` is the reason (`CLIENT_ABORTED`). */
export class AbortError extends ClientError {
  override name = 'AbortError';
  declare readonly code: 'CLIENT_ABORTED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_ABORTED', message, options);
  }
}

brand(AbortError, 'AbortError');

/** RedirectError groups the errors raised for a redirect that may not be followed. */
export abstract class RedirectError extends ClientError {
  override name = 'RedirectError';
  declare readonly code: 'CLIENT_REDIRECT' | 'CLIENT_TOO_MANY_REDIRECTS';
}

brand(RedirectError, 'RedirectError');

/** TooManyRedirectsError is raised past `maxRedirects` redirects (`CLIENT_TOO_MANY_REDIRECTS`). */
export class TooManyRedirectsError extends RedirectError {
  override name = 'TooManyRedirectsError';
  declare readonly code: 'CLIENT_TOO_MANY_REDIRECTS';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_TOO_MANY_REDIRECTS', message, options);
  }
}

brand(TooManyRedirectsError, 'TooManyRedirectsError');

/** RedirectRefusedError is raised for a redirect refused by scheme, downgrade, body or `redirect: 'error'` (`CLIENT_REDIRECT`). */
export class RedirectRefusedError extends RedirectError {
  override name = 'RedirectRefusedError';
  declare readonly code: 'CLIENT_REDIRECT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('CLIENT_REDIRECT', message, options);
  }
}

brand(RedirectRefusedError, 'RedirectRefusedError');

/**
 * SocketError groups the errors raised when an open connection fails or closes while a request is
 * on it. `isRetryable` tells whether the request never reached the server and may be sent again.
 */
export abstract class SocketError extends ClientError {
  override name = 'SocketError';
  declare readonly code: 'CLIENT_SOCKET' | 'CLIENT_SOCKET_CLOSED';
  readonly isRetryable: boolean;

  constructor(code: SocketError['code'], message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super(code, message, options);
    this.isRetryable = isRetryable;
  }
}

brand(SocketError, 'SocketError');

/** SocketFailedError is raised when the socket reports a system error (reset, broken pipe) while a request is on it (`CLIENT_SOCKET`). */
export class SocketFailedError extends SocketError {
  override name = 'SocketFailedError';
  declare readonly code: 'CLIENT_SOCKET';

  constructor(message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super('CLIENT_SOCKET', message, isRetryable, options);
  }
}

brand(SocketFailedError, 'SocketFailedError');

/** SocketClosedError is raised when the connection closes (or a stream is refused or reset) before the response (`CLIENT_SOCKET_CLOSED`). */
export class SocketClosedError extends SocketError {
  override name = 'SocketClosedError';
  declare readonly code: 'CLIENT_SOCKET_CLOSED';

  constructor(message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super('CLIENT_SOCKET_CLOSED', message, isRetryable, options);
  }
}

brand(SocketClosedError, 'SocketClosedError');

/** withRetryable returns a SocketError of the same class and message that says whether a retry may resend the request. */
export function withRetryable(error: SocketError, isRetryable: boolean): SocketError {
  const options = { cause: error.cause };
  return error.code === 'CLIENT_SOCKET' ? new SocketFailedError(error.message, isRetryable, options) : new SocketClosedError(error.message, isRetryable, options);
}
