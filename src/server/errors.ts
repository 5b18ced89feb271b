/**
 * ServerErrorCode lists every way the server engine can fail a request or a call. Codes are
 * stable: switch on them, never on messages.
 */
export type ServerErrorCode =
  | 'SERVER_HANDLER_TIMEOUT'
  | 'SERVER_BODY_TIMEOUT'
  | 'SERVER_CLIENT_ABORTED'
  | 'SERVER_CONNECTION_CLOSED'
  | 'SERVER_INVALID_RESPONSE'
  | 'SERVER_BODY_LENGTH_MISMATCH'
  | 'SERVER_BODY_CONSUMED'
  | 'SERVER_NOT_LISTENING'
  | 'SERVER_INVALID_OPTION';

const brand = Symbol.for('courier.ServerError');

/** ServerError is the base class of every error the server engine raises. */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** ServerError.is tells a ServerError apart even when it comes from another copy of the package. */
  static is(value: unknown): value is ServerError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

Object.defineProperty(ServerError.prototype, brand, { value: true });
