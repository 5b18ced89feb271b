import { CourierError, brand } from '../http/index.js';

/**
 * ServerErrorCode lists every way the server engine can fail a request or a call. Codes are
 * stable: switch on them, never on messages.
 */
export type ServerErrorCode =
  | 'SERVER_HANDLER_TIMEOUT'
  | 'SERVER_HEADERS_TIMEOUT'
  | 'SERVER_BODY_TIMEOUT'
  | 'SERVER_REQUEST_TIMEOUT'
  | 'SERVER_CLIENT_ABORTED'
  | 'SERVER_CONNECTION_CLOSED'
  | 'SERVER_INVALID_RESPONSE'
  | 'SERVER_BODY_LENGTH_MISMATCH'
  | 'SERVER_SEND_TIMEOUT'
  | 'SERVER_BODY_CONSUMED'
  | 'SERVER_NOT_LISTENING'
  | 'SERVER_INVALID_OPTION';

/** ServerError is the class of every error the server engine raises. */
export class ServerError extends CourierError {
  override readonly name = 'ServerError';
  declare readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

brand(ServerError, 'ServerError');
