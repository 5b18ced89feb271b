// courier: the public API. Re-exports only, grouped by layer.

// What every HTTP version shares: the error root every courier error extends
export { CourierError } from './http/index.js';

// Wire codec (also at courier/wire)
export {
  Fields,
  IncompleteMessageError,
  LimitExceededError,
  MalformedMessageError,
  RequestParser,
  ResponseParser,
  UnsupportedMessageError,
  WireArgumentError,
  WireError,
  serializeRequestHead,
  serializeResponseHead,
} from './wire/index.js';
export type { RequestHead, ResponseHead, WireErrorCode, WireErrorReason } from './wire/index.js';

// Server
export {
  BodyConsumedError,
  BodyLengthMismatchError,
  ClientAbortedError,
  ConnectionClosedError,
  createServer,
  DEFAULT_SERVER_LIMITS,
  HandlerTimeoutError,
  InvalidHandlerResponseError,
  InvalidServerOptionError,
  NotListeningError,
  SendTimeoutError,
  serve,
  Server,
  ServerBodyTimeoutError,
  ServerError,
  ServerHeadersTimeoutError,
  ServerRequestTimeoutError,
  ServerTimeoutError,
  withAccessLog,
} from './server/index.js';
export type {
  AccessRecord,
  FetchHandler,
  FileRange,
  Handler,
  ListenOptions,
  LogFormat,
  RequestRejection,
  ResponseBody as ServerResponseBody,
  RunningServer,
  ServeOptions,
  ServerErrorCode,
  ServerLimits,
  ServerOptions,
  ServerRequest,
  ServerResponse,
  TlsOptions,
} from './server/index.js';

// Static files
export { staticFiles } from './static/handler.js';
export type { StaticOptions } from './static/handler.js';
export { staticFetch } from './static/fetch.js';
export type { StaticFetch } from './static/fetch.js';
export { InvalidStaticOptionError, InvalidStaticRootError, StaticError } from './static/errors.js';
export type { StaticErrorCode } from './static/errors.js';

// Echo: the practice server of `courier echo`
export { ECHO_LIMITS, echoHandler } from './echo/handler.js';
export type { EchoRecord } from './echo/describe.js';

// Client
export {
  AbortError,
  Agent,
  AgentClosedError,
  BodyTimeoutError,
  BodyUsedError,
  ClientError,
  ConnectError,
  ConnectFailedError,
  ConnectRefusedError,
  ConnectTimeoutError,
  DecompressionError,
  DecompressionLimitError,
  DnsError,
  HeadersTimeoutError,
  InvalidArgumentError,
  InvalidResponseError,
  InvalidUrlError,
  PartialBodyError,
  Pool,
  ProtocolError,
  ProxyError,
  RedirectError,
  RedirectRefusedError,
  RequestTimeoutError,
  ResponseBody,
  SocketClosedError,
  SocketError,
  SocketFailedError,
  TimeoutError,
  TlsError,
  TooManyInterimResponsesError,
  TooManyRedirectsError,
  UnsupportedProtocolError,
  fetch,
  getGlobalAgent,
  request,
  setGlobalAgent,
} from './client/index.js';
export type { AgentOptions, ClientErrorCode, ClientResponse, FetchInit, PoolOptions, RequestBody, RequestOptions, Timings } from './client/index.js';

// Browser: headless Chromium over the DevTools protocol (courier render)
export {
  Browser,
  BrowserAbortedError,
  BrowserArgumentError,
  BrowserBadResponseError,
  BrowserClosedError,
  BrowserConnectError,
  BrowserConnectionLostError,
  BrowserConnectRefusedError,
  BrowserDnsError,
  BrowserEmptyReplyError,
  BrowserError,
  BrowserEvaluateError,
  BrowserInvalidUrlError,
  BrowserLaunchError,
  BrowserNotFoundError,
  BrowserProxyError,
  BrowserTimeoutError,
  BrowserTlsError,
  BrowserTooManyRedirectsError,
  findChromium,
  launchBrowser,
  NavigationError,
  NavigationFailedError,
  ProtocolCallError,
  render,
  renderPage,
  toHar,
} from './browser/index.js';
export type { BrowserErrorCode, Har, LaunchOptions, PageRequest, PageTimings, RenderOptions, RenderResult, RequestTimings, Viewport, WaitUntil } from './browser/index.js';
