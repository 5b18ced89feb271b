// courier/server: the HTTP/1.1 server engine and its Fetch-standard adapter.

export { createServer, Server } from './server.js';
export type { ListenOptions, ServerOptions, TlsOptions } from './server.js';
export { DEFAULT_SERVER_LIMITS } from './options.js';
export type { ServerLimits } from './options.js';
export {
  BodyConsumedError,
  BodyLengthMismatchError,
  ClientAbortedError,
  ConnectionClosedError,
  HandlerTimeoutError,
  InvalidHandlerResponseError,
  InvalidServerOptionError,
  NotListeningError,
  SendTimeoutError,
  ServerBodyTimeoutError,
  ServerError,
  ServerHeadersTimeoutError,
  ServerRequestTimeoutError,
  ServerTimeoutError,
} from './errors.js';
export type { ServerErrorCode } from './errors.js';
export type { FileRange, Handler, RequestRejection, ResponseBody, ServerRequest, ServerResponse } from './types.js';
export { serve } from './serve.js';
export type { ServeOptions } from './serve.js';
export type { RunningServer } from './cluster.js';
export { fetchHandler, toServerResponse } from './fetch.js';
export type { FetchHandler } from './fetch.js';
export { withAccessLog } from './access-log.js';
export type { AccessRecord, LogFormat } from './access-log.js';
