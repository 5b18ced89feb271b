/**
 * BrowserErrorCode lists every way driving the browser can fail. Codes are stable: switch on them,
 * never on messages. Navigation failures use the same families as the client's codes (DNS,
 * refused, TLS, timeout) so that `courier render` exits like `courier get`.
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

const brand = Symbol.for('courier.BrowserError');

/**
 * BrowserError is the base of every error the browser driver raises. `code` is stable; `cause`
 * holds the underlying system error when there is one. `netError` is Chromium's own name for a
 * failed navigation (`net::ERR_CONNECTION_REFUSED`), when the error is one.
 */
export class BrowserError extends Error {
  override name = 'BrowserError';
  readonly code: BrowserErrorCode;
  readonly netError: string | undefined;

  constructor(code: BrowserErrorCode, message: string, options?: { cause?: unknown; netError?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.netError = options?.netError;
  }

  /** BrowserError.is tells a BrowserError apart even when it comes from another copy of the package. */
  static is(value: unknown): value is BrowserError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

Object.defineProperty(BrowserError.prototype, brand, { value: true });

/** ProtocolCallError is raised when Chromium answers a DevTools command with an error. */
export class ProtocolCallError extends BrowserError {
  override name = 'ProtocolCallError';
  /** method is the DevTools command that failed, like `Page.navigate`. */
  readonly method: string;

  constructor(method: string, message: string) {
    super('BROWSER_PROTOCOL', `${method} failed: ${message}`);
    this.method = method;
  }
}

/** NavigationError is raised when the page itself could not be loaded (DNS, refused, TLS...). */
export class NavigationError extends BrowserError {
  override name = 'NavigationError';
}

// Chromium's net error names (net/base/net_error_list.h), grouped as the client groups its errors.
const NET_ERROR_CODES: ReadonlyArray<[RegExp, BrowserErrorCode]> = [
  [/^net::ERR_(NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|DNS_)/, 'BROWSER_DNS'],
  [/^net::ERR_CONNECTION_REFUSED$/, 'BROWSER_CONNECT_REFUSED'],
  [/^net::ERR_(TIMED_OUT|CONNECTION_TIMED_OUT)$/, 'BROWSER_TIMEOUT'],
  [/^net::ERR_(PROXY_|TUNNEL_CONNECTION_FAILED|MANDATORY_PROXY)/, 'BROWSER_PROXY'],
  [/^net::ERR_(CERT_|SSL_|BAD_SSL_|TLS_|CERTIFICATE_)/, 'BROWSER_TLS'],
  [/^net::ERR_(ADDRESS_UNREACHABLE|ADDRESS_INVALID|CONNECTION_FAILED|INTERNET_DISCONNECTED|NETWORK_UNREACHABLE|NETWORK_ACCESS_DENIED)$/, 'BROWSER_CONNECT'],
  [/^net::ERR_EMPTY_RESPONSE$/, 'BROWSER_EMPTY_REPLY'],
  [/^net::ERR_(CONNECTION_RESET|CONNECTION_CLOSED|CONNECTION_ABORTED)$/, 'BROWSER_CONNECTION_LOST'],
  [/^net::ERR_TOO_MANY_REDIRECTS$/, 'BROWSER_TOO_MANY_REDIRECTS'],
  [/^net::ERR_(INVALID_URL|UNKNOWN_URL_SCHEME|DISALLOWED_URL_SCHEME)$/, 'BROWSER_INVALID_URL'],
  [/^net::ERR_(INVALID_HTTP_RESPONSE|INVALID_RESPONSE|RESPONSE_HEADERS_|INVALID_CHUNKED_ENCODING|CONTENT_LENGTH_MISMATCH|CONTENT_DECODING_FAILED)/, 'BROWSER_BAD_RESPONSE'],
];

/** netErrorCode maps a Chromium net error name (`net::ERR_CONNECTION_REFUSED`) to a BrowserErrorCode. */
export function netErrorCode(netError: string): BrowserErrorCode {
  for (const [pattern, code] of NET_ERROR_CODES) if (pattern.test(netError)) return code;
  return 'BROWSER_NAVIGATION';
}

/** navigationFailure builds the error for a navigation Chromium reported as failed, like `net::ERR_NAME_NOT_RESOLVED`. */
export function navigationFailure(netError: string, url: string): NavigationError {
  return new NavigationError(netErrorCode(netError), `${netError} loading "${url}"`, { netError });
}
