import { CourierError, brand } from '../http/index.js';

/**
 * ServerErrorCode lists every way the server engine can fail a request or a call, one code per
 * error class. Codes are stable: switch on them (or test the class with `X.is(error)`), never on
 * messages.
 */
export type ServerErrorCode =
  | 'SERVER_HANDLER_TIMEOUT'
  | 'SERVER_HEADERS_TIMEOUT'
  | 'SERVER_BODY_TIMEOUT'
  | 'SERVER_REQUEST_TIMEOUT'
  | 'SERVER_SEND_TIMEOUT'
  | 'SERVER_CLIENT_ABORTED'
  | 'SERVER_CONNECTION_CLOSED'
  | 'SERVER_INVALID_RESPONSE'
  | 'SERVER_BODY_LENGTH_MISMATCH'
  | 'SERVER_BODY_CONSUMED'
  | 'SERVER_NOT_LISTENING'
  | 'SERVER_INVALID_OPTION';

/**
 * ServerError is the family of every error the server engine raises; it is never thrown itself.
 * Each class below it has one fixed `code`; ServerTimeoutError groups the five timeouts.
 */
export abstract class ServerError extends CourierError {
  override name = 'ServerError';
  declare readonly code: ServerErrorCode;
}

brand(ServerError, 'ServerError');

/** ServerTimeoutError groups the server's timeouts: handler, header block, body, request and send. */
export abstract class ServerTimeoutError extends ServerError {
  override name = 'ServerTimeoutError';
  declare readonly code: 'SERVER_HANDLER_TIMEOUT' | 'SERVER_HEADERS_TIMEOUT' | 'SERVER_BODY_TIMEOUT' | 'SERVER_REQUEST_TIMEOUT' | 'SERVER_SEND_TIMEOUT';
}

brand(ServerTimeoutError, 'ServerTimeoutError');

/** HandlerTimeoutError is raised when the handler did not answer within `handlerTimeout`; `req.signal` aborts with it (`SERVER_HANDLER_TIMEOUT`). */
export class HandlerTimeoutError extends ServerTimeoutError {
  override name = 'HandlerTimeoutError';
  declare readonly code: 'SERVER_HANDLER_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_HANDLER_TIMEOUT', message, options);
  }
}

brand(HandlerTimeoutError, 'HandlerTimeoutError');

/** ServerHeadersTimeoutError is raised when an HTTP/2 header block was not completed within `headersTimeout` (`SERVER_HEADERS_TIMEOUT`). */
export class ServerHeadersTimeoutError extends ServerTimeoutError {
  override name = 'ServerHeadersTimeoutError';
  declare readonly code: 'SERVER_HEADERS_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_HEADERS_TIMEOUT', message, options);
  }
}

brand(ServerHeadersTimeoutError, 'ServerHeadersTimeoutError');

/** ServerBodyTimeoutError is raised when the request body sent nothing for `bodyTimeout` (`SERVER_BODY_TIMEOUT`). */
export class ServerBodyTimeoutError extends ServerTimeoutError {
  override name = 'ServerBodyTimeoutError';
  declare readonly code: 'SERVER_BODY_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_BODY_TIMEOUT', message, options);
  }
}

brand(ServerBodyTimeoutError, 'ServerBodyTimeoutError');

/** ServerRequestTimeoutError is raised when the request was not complete within `requestTimeout` (`SERVER_REQUEST_TIMEOUT`). */
export class ServerRequestTimeoutError extends ServerTimeoutError {
  override name = 'ServerRequestTimeoutError';
  declare readonly code: 'SERVER_REQUEST_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_REQUEST_TIMEOUT', message, options);
  }
}

brand(ServerRequestTimeoutError, 'ServerRequestTimeoutError');

/** SendTimeoutError is raised when an HTTP/2 client opened no flow-control window for `sendTimeout` (`SERVER_SEND_TIMEOUT`). */
export class SendTimeoutError extends ServerTimeoutError {
  override name = 'SendTimeoutError';
  declare readonly code: 'SERVER_SEND_TIMEOUT';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_SEND_TIMEOUT', message, options);
  }
}

brand(SendTimeoutError, 'SendTimeoutError');

/** ClientAbortedError is raised when the client closed the connection or reset the stream before the exchange was done (`SERVER_CLIENT_ABORTED`). */
export class ClientAbortedError extends ServerError {
  override name = 'ClientAbortedError';
  declare readonly code: 'SERVER_CLIENT_ABORTED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_CLIENT_ABORTED', message, options);
  }
}

brand(ClientAbortedError, 'ClientAbortedError');

/** ConnectionClosedError is raised when the server ended the connection (after a connection error, for one) before the request was answered (`SERVER_CONNECTION_CLOSED`). */
export class ConnectionClosedError extends ServerError {
  override name = 'ConnectionClosedError';
  declare readonly code: 'SERVER_CONNECTION_CLOSED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_CONNECTION_CLOSED', message, options);
  }
}

brand(ConnectionClosedError, 'ConnectionClosedError');

/** InvalidHandlerResponseError is raised when the handler returned a response the server cannot send (status, field, body) (`SERVER_INVALID_RESPONSE`). */
export class InvalidHandlerResponseError extends ServerError {
  override name = 'InvalidHandlerResponseError';
  declare readonly code: 'SERVER_INVALID_RESPONSE';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_INVALID_RESPONSE', message, options);
  }
}

brand(InvalidHandlerResponseError, 'InvalidHandlerResponseError');

/** BodyLengthMismatchError is raised when a response body is longer or shorter than its Content-Length, or a file changed while sent (`SERVER_BODY_LENGTH_MISMATCH`). */
export class BodyLengthMismatchError extends ServerError {
  override name = 'BodyLengthMismatchError';
  declare readonly code: 'SERVER_BODY_LENGTH_MISMATCH';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_BODY_LENGTH_MISMATCH', message, options);
  }
}

brand(BodyLengthMismatchError, 'BodyLengthMismatchError');

/** BodyConsumedError is raised when the request body is read a second time (`SERVER_BODY_CONSUMED`). */
export class BodyConsumedError extends ServerError {
  override name = 'BodyConsumedError';
  declare readonly code: 'SERVER_BODY_CONSUMED';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_BODY_CONSUMED', message, options);
  }
}

brand(BodyConsumedError, 'BodyConsumedError');

/** NotListeningError is raised when a worker of `serve({ workers })` exited before it listened (`SERVER_NOT_LISTENING`). */
export class NotListeningError extends ServerError {
  override name = 'NotListeningError';
  declare readonly code: 'SERVER_NOT_LISTENING';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_NOT_LISTENING', message, options);
  }
}

brand(NotListeningError, 'NotListeningError');

/** InvalidServerOptionError is raised when an option or the handler given to the server is not valid (`SERVER_INVALID_OPTION`). */
export class InvalidServerOptionError extends ServerError {
  override name = 'InvalidServerOptionError';
  declare readonly code: 'SERVER_INVALID_OPTION';

  constructor(message: string, options?: { cause?: unknown }) {
    super('SERVER_INVALID_OPTION', message, options);
  }
}

brand(InvalidServerOptionError, 'InvalidServerOptionError');
