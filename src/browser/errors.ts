import { CourierError, brand } from '../http/index.js';

/**
 * BrowserErrorCode lists every way driving the browser can fail, one code per error class. Codes
 * are stable: switch on them (or test the class with `X.is(error)`), never on messages.
 * Navigation failures use the same families as the client's codes (DNS, refused, TLS, timeout) so
 * that `courier render` exits like `courier get`.
 */
export type BrowserErrorCode =
  | 'BROWSER_INVALID_ARGUMENT'
  | 'BROWSER_NOT_FOUND'
  | 'BROWSER_LAUNCH'
  | 'BROWSER_CLOSED'
  | 'BROWSER_PROTOCOL'
  | 'BROWSER_TIMEOUT'
  | 'BROWSER_ABORTED'
  | 'BROWSER_EVALUATE'
  | 'BROWSER_INVALID_URL'
  | 'BROWSER_DNS'
  | 'BROWSER_CONNECT_REFUSED'
  | 'BROWSER_CONNECT'
  | 'BROWSER_TLS'
  | 'BROWSER_PROXY'
  | 'BROWSER_BAD_RESPONSE'
  | 'BROWSER_EMPTY_REPLY'
  | 'BROWSER_CONNECTION_LOST'
  | 'BROWSER_TOO_MANY_REDIRECTS'
  | 'BROWSER_NAVIGATION';

/**
 * BrowserError is the family of every error the browser driver raises; it is never thrown itself.
 * Each class below it has one fixed `code`; NavigationError groups the pages that failed to load.
 * `cause` holds the underlying error when there is one; `netError` is Chromium's own name for a
 * failed navigation (`net::ERR_CONNECTION_REFUSED`), when the error is one.
 */
export abstract class BrowserError extends CourierError {
  override name = 'BrowserError';
  declare readonly code: BrowserErrorCode;
  readonly netError: string | undefined;

  constructor(code: BrowserErrorCode, message: string, options?: { cause?: unknown; netError?: string }) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.netError = options?.netError;
  }
}

brand(BrowserError, 'BrowserError');

/** BrowserArgumentError is raised when an option of a render is not valid (a `wait` value, a selector Chromium cannot parse) (`BROWSER_INVALID_ARGUMENT`). */
export class BrowserArgumentError extends BrowserError {
  override name = 'BrowserArgumentError';
  declare readonly code: 'BROWSER_INVALID_ARGUMENT';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_INVALID_ARGUMENT', message, options);
  }
}

brand(BrowserArgumentError, 'BrowserArgumentError');

/** BrowserNotFoundError is raised when no Chromium executable is found; the message says how to install one (`BROWSER_NOT_FOUND`). */
export class BrowserNotFoundError extends BrowserError {
  override name = 'BrowserNotFoundError';
  declare readonly code: 'BROWSER_NOT_FOUND';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_NOT_FOUND', message, options);
  }
}

brand(BrowserNotFoundError, 'BrowserNotFoundError');

/** BrowserLaunchError is raised when Chromium cannot be started, or exits before it answers (`BROWSER_LAUNCH`). */
export class BrowserLaunchError extends BrowserError {
  override name = 'BrowserLaunchError';
  declare readonly code: 'BROWSER_LAUNCH';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_LAUNCH', message, options);
  }
}

brand(BrowserLaunchError, 'BrowserLaunchError');

/** BrowserClosedError is raised when the browser closed, or its DevTools pipe did, while a command was in flight or after (`BROWSER_CLOSED`). */
export class BrowserClosedError extends BrowserError {
  override name = 'BrowserClosedError';
  declare readonly code: 'BROWSER_CLOSED';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_CLOSED', message, options);
  }
}

brand(BrowserClosedError, 'BrowserClosedError');

/** BrowserTimeoutError is raised when a start, a navigation or a wait did not finish within its timeout (`netError` is set when Chromium timed out connecting) (`BROWSER_TIMEOUT`). */
export class BrowserTimeoutError extends BrowserError {
  override name = 'BrowserTimeoutError';
  declare readonly code: 'BROWSER_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_TIMEOUT', message, options);
  }
}

brand(BrowserTimeoutError, 'BrowserTimeoutError');

/** BrowserAbortedError is raised when the signal fired; `cause` is its reason (`BROWSER_ABORTED`). */
export class BrowserAbortedError extends BrowserError {
  override name = 'BrowserAbortedError';
  declare readonly code: 'BROWSER_ABORTED';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_ABORTED', message, options);
  }
}

brand(BrowserAbortedError, 'BrowserAbortedError');

/** BrowserEvaluateError is raised when an expression evaluated in the page threw; the message holds the page exception (`BROWSER_EVALUATE`). */
export class BrowserEvaluateError extends BrowserError {
  override name = 'BrowserEvaluateError';
  declare readonly code: 'BROWSER_EVALUATE';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_EVALUATE', message, options);
  }
}

brand(BrowserEvaluateError, 'BrowserEvaluateError');

/** BrowserInvalidUrlError is raised for a URL that does not parse, or one Chromium refuses to load (`netError` is then set) (`BROWSER_INVALID_URL`). */
export class BrowserInvalidUrlError extends BrowserError {
  override name = 'BrowserInvalidUrlError';
  declare readonly code: 'BROWSER_INVALID_URL';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_INVALID_URL', message, options);
  }
}

brand(BrowserInvalidUrlError, 'BrowserInvalidUrlError');

/**
 * ProtocolCallError is raised when Chromium answers a DevTools command with an error, or sends
 * what is not DevTools protocol at all (`BROWSER_PROTOCOL`).
 */
export class ProtocolCallError extends BrowserError {
  override name = 'ProtocolCallError';
  declare readonly code: 'BROWSER_PROTOCOL';
  /** method is the DevTools command that failed, like `Page.navigate`, or undefined for a message that is not one. */
  readonly method: string | undefined;

  constructor(method: string | undefined, message: string) {
    super('BROWSER_PROTOCOL', method === undefined ? message : `${method} failed: ${message}`);
    this.method = method;
  }
}

brand(ProtocolCallError, 'ProtocolCallError');

/** NavigationError groups the errors raised when the page itself could not be loaded (DNS, refused, TLS...). */
export abstract class NavigationError extends BrowserError {
  override name = 'NavigationError';
  declare readonly code: 'BROWSER_DNS' | 'BROWSER_CONNECT_REFUSED' | 'BROWSER_CONNECT' | 'BROWSER_TLS' | 'BROWSER_PROXY' | 'BROWSER_BAD_RESPONSE' | 'BROWSER_EMPTY_REPLY' | 'BROWSER_CONNECTION_LOST' | 'BROWSER_TOO_MANY_REDIRECTS' | 'BROWSER_NAVIGATION';
}

brand(NavigationError, 'NavigationError');


/** BrowserDnsError is raised when the host name does not resolve (`BROWSER_DNS`). */
export class BrowserDnsError extends NavigationError {
  override name = 'BrowserDnsError';
  declare readonly code: 'BROWSER_DNS';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_DNS', message, options);
  }
}

brand(BrowserDnsError, 'BrowserDnsError');

/** BrowserConnectRefusedError is raised when nothing listens at the address (`BROWSER_CONNECT_REFUSED`). */
export class BrowserConnectRefusedError extends NavigationError {
  override name = 'BrowserConnectRefusedError';
  declare readonly code: 'BROWSER_CONNECT_REFUSED';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_CONNECT_REFUSED', message, options);
  }
}

brand(BrowserConnectRefusedError, 'BrowserConnectRefusedError');

/** BrowserConnectError is raised when connecting failed otherwise (unreachable, network down) (`BROWSER_CONNECT`). */
export class BrowserConnectError extends NavigationError {
  override name = 'BrowserConnectError';
  declare readonly code: 'BROWSER_CONNECT';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_CONNECT', message, options);
  }
}

brand(BrowserConnectError, 'BrowserConnectError');

/** BrowserTlsError is raised when the TLS handshake or the certificate failed (`BROWSER_TLS`). */
export class BrowserTlsError extends NavigationError {
  override name = 'BrowserTlsError';
  declare readonly code: 'BROWSER_TLS';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_TLS', message, options);
  }
}

brand(BrowserTlsError, 'BrowserTlsError');

/** BrowserProxyError is raised when the proxy refused or failed (`BROWSER_PROXY`). */
export class BrowserProxyError extends NavigationError {
  override name = 'BrowserProxyError';
  declare readonly code: 'BROWSER_PROXY';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_PROXY', message, options);
  }
}

brand(BrowserProxyError, 'BrowserProxyError');

/** BrowserBadResponseError is raised when the server's response is malformed (head, chunked body, Content-Length, encoding) (`BROWSER_BAD_RESPONSE`). */
export class BrowserBadResponseError extends NavigationError {
  override name = 'BrowserBadResponseError';
  declare readonly code: 'BROWSER_BAD_RESPONSE';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_BAD_RESPONSE', message, options);
  }
}

brand(BrowserBadResponseError, 'BrowserBadResponseError');

/** BrowserEmptyReplyError is raised when the server closed the connection without a response (`BROWSER_EMPTY_REPLY`). */
export class BrowserEmptyReplyError extends NavigationError {
  override name = 'BrowserEmptyReplyError';
  declare readonly code: 'BROWSER_EMPTY_REPLY';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_EMPTY_REPLY', message, options);
  }
}

brand(BrowserEmptyReplyError, 'BrowserEmptyReplyError');

/** BrowserConnectionLostError is raised when the connection was reset or closed during the response (`BROWSER_CONNECTION_LOST`). */
export class BrowserConnectionLostError extends NavigationError {
  override name = 'BrowserConnectionLostError';
  declare readonly code: 'BROWSER_CONNECTION_LOST';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_CONNECTION_LOST', message, options);
  }
}

brand(BrowserConnectionLostError, 'BrowserConnectionLostError');

/** BrowserTooManyRedirectsError is raised when the page redirects too many times (`BROWSER_TOO_MANY_REDIRECTS`). */
export class BrowserTooManyRedirectsError extends NavigationError {
  override name = 'BrowserTooManyRedirectsError';
  declare readonly code: 'BROWSER_TOO_MANY_REDIRECTS';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_TOO_MANY_REDIRECTS', message, options);
  }
}

brand(BrowserTooManyRedirectsError, 'BrowserTooManyRedirectsError');

/** NavigationFailedError is raised when the page failed to load for another reason (`netError` names it) (`BROWSER_NAVIGATION`). */
export class NavigationFailedError extends NavigationError {
  override name = 'NavigationFailedError';
  declare readonly code: 'BROWSER_NAVIGATION';

  constructor(message: string, options?: { cause?: unknown; netError?: string }) {
    super('BROWSER_NAVIGATION', message, options);
  }
}

brand(NavigationFailedError, 'NavigationFailedError');

type NavigationFailure = new (message: string, options: { netError: string }) => BrowserError;

// Chromium's net error names (net/base/net_error_list.h), grouped as the client groups its errors.
const NET_ERRORS: ReadonlyArray<[RegExp, NavigationFailure]> = [
  [/^net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|DNS_)/, BrowserDnsError],
  [/^net::ERR_CONNECTION_REFUSED$/, BrowserConnectRefusedError],
  [/^net::ERR_(TIMED_OUT|CONNECTION_TIMED_OUT)$/, BrowserTimeoutError],
  [/^net::ERR_(PROXY_|TUNNEL_CONNECTION_FAILED|MANDATORY_PROXY)/, BrowserProxyError],
  [/^net::ERR_(CERT_|SSL_|BAD_SSL_|TLS_|CERTIFICATE_)/, BrowserTlsError],
  [/^net::ERR_(ADDRESS_UNREACHABLE|ADDRESS_INVALID|CONNECTION_FAILED|INTERNET_DISCONNECTED|NETWORK_UNREACHABLE|NETWORK_ACCESS_DENIED)$/, BrowserConnectError],
  [/^net::ERR_EMPTY_RESPONSE$/, BrowserEmptyReplyError],
  [/^net::ERR_(CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_ABORTED)$/, BrowserConnectionLostError],
  [/^net::ERR_TOO_MANY_REDIRECTS$/, BrowserTooManyRedirectsError],
  [/^net::ERR_(INVALID_URL|UNKNOWN_URL_SCHEME|DISALLOWED_URL_SCHEME)$/, BrowserInvalidUrlError],
  [/^net::ERR_(INVALID_HTTP_RESPONSE|INVALID_RESPONSE|RESPONSE_HEADERS_|INVALID_CHUNKED_ENCODING|CONTENT_LENGTH_MISMATCH|CONTENT_DECODING_FAILED)/, BrowserBadResponseError],
];

/**
 * navigationFailure builds the error for a navigation Chromium reported as failed, like
 * `net::ERR_NAME_NOT_RESOLVED`: a NavigationError, or a BrowserTimeoutError or BrowserInvalidUrlError.
 */
export function navigationFailure(netError: string, url: string): BrowserError {
  const failure = NET_ERRORS.find(([pattern]) => pattern.test(netError))?.[1] ?? NavigationFailedError;
  return new failure(`${netError} loading "${url}"`, { netError });
}

/** netErrorCode maps a Chromium net error name (`net::ERR_CONNECTION_REFUSED`) to a BrowserErrorCode. */
export function netErrorCode(netError: string): BrowserErrorCode {
  return navigationFailure(netError, '').code;
}
