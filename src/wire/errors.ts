import { CourierError, brand } from '../http/index.js';

/** MalformedReason lists the rules of HTTP/1.1's syntax and framing a message can break (400). */
export type MalformedReason =
  | 'WIRE_INVALID_METHOD'
  | 'WIRE_INVALID_TARGET'
  | 'WIRE_INVALID_VERSION'
  | 'WIRE_INVALID_START_LINE'
  | 'WIRE_INVALID_STATUS'
  | 'WIRE_INVALID_LINE_ENDING'
  | 'WIRE_INVALID_HEADER_NAME'
  | 'WIRE_INVALID_HEADER_VALUE'
  | 'WIRE_OBS_FOLD'
  | 'WIRE_MISSING_HOST'
  | 'WIRE_DUPLICATE_HOST'
  | 'WIRE_INVALID_HOST'
  | 'WIRE_INVALID_CONTENT_LENGTH'
  | 'WIRE_INVALID_TRANSFER_ENCODING'
  | 'WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH'
  | 'WIRE_TRANSFER_ENCODING_IN_HTTP10'
  | 'WIRE_INVALID_CHUNK_SIZE'
  | 'WIRE_INVALID_CHUNK_EXTENSION'
  | 'WIRE_INVALID_CHUNK_DATA';

/** LimitReason lists the limits a message can exceed: the parser's options, or 2^53 for a length. */
export type LimitReason =
  | 'WIRE_HEAD_TOO_LARGE'
  | 'WIRE_TOO_MANY_HEADERS'
  | 'WIRE_TARGET_TOO_LONG'
  | 'WIRE_CHUNK_EXTENSION_TOO_LARGE'
  | 'WIRE_CONTENT_LENGTH_TOO_LARGE'
  | 'WIRE_CHUNK_SIZE_TOO_LARGE';

/** UnsupportedReason lists what is valid HTTP but not implemented here: other versions, unknown transfer codings. */
export type UnsupportedReason = 'WIRE_UNSUPPORTED_VERSION' | 'WIRE_UNSUPPORTED_TRANSFER_ENCODING';

/**
 * WireErrorReason names the precise rule behind a WireError, e.g. WIRE_INVALID_CONTENT_LENGTH.
 * Reasons are stable: switch on them, never on messages.
 */
export type WireErrorReason = ParseReason | 'WIRE_INVALID_ARGUMENT';

/** WireErrorCode is the code of each kind of WireError, one per class. */
export type WireErrorCode =
  | 'WIRE_MALFORMED_MESSAGE'
  | 'WIRE_LIMIT_EXCEEDED'
  | 'WIRE_UNSUPPORTED_MESSAGE'
  | 'WIRE_INCOMPLETE_MESSAGE'
  | 'WIRE_INVALID_ARGUMENT';

/**
 * WireError groups what the codec rejects; it is never thrown itself. Each kind below has one
 * fixed `code`; `reason` names the precise rule (stable too), `status` is what a server should
 * answer with, and `offset` is the byte position in the stream where parsing stopped (-1 for
 * serializer arguments).
 */
export abstract class WireError extends CourierError {
  override name = 'WireError';
  declare readonly code: WireErrorCode;
  readonly reason: WireErrorReason;
  readonly status: number;
  readonly offset: number;

  constructor(code: WireErrorCode, reason: WireErrorReason, message: string, status: number, offset: number) {
    super(code, message);
    this.reason = reason;
    this.status = status;
    this.offset = offset;
  }
}

brand(WireError, 'WireError');

/** MalformedMessageError is raised for bytes that break HTTP/1.1's syntax or framing rules (`WIRE_MALFORMED_MESSAGE`, 400). */
export class MalformedMessageError extends WireError {
  override name = 'MalformedMessageError';
  declare readonly code: 'WIRE_MALFORMED_MESSAGE';
  declare readonly reason: MalformedReason;

  constructor(reason: MalformedReason, message: string, status = 400, offset = -1) {
    super('WIRE_MALFORMED_MESSAGE', reason, message, status, offset);
  }
}

brand(MalformedMessageError, 'MalformedMessageError');

/** LimitExceededError is raised for a message over a limit (`WIRE_LIMIT_EXCEEDED`; 431, 414, 413 or 400). */
export class LimitExceededError extends WireError {
  override name = 'LimitExceededError';
  declare readonly code: 'WIRE_LIMIT_EXCEEDED';
  declare readonly reason: LimitReason;

  constructor(reason: LimitReason, message: string, status = 400, offset = -1) {
    super('WIRE_LIMIT_EXCEEDED', reason, message, status, offset);
  }
}

brand(LimitExceededError, 'LimitExceededError');

/** UnsupportedMessageError is raised for valid HTTP the codec does not implement (`WIRE_UNSUPPORTED_MESSAGE`; 505, 501). */
export class UnsupportedMessageError extends WireError {
  override name = 'UnsupportedMessageError';
  declare readonly code: 'WIRE_UNSUPPORTED_MESSAGE';
  declare readonly reason: UnsupportedReason;

  constructor(reason: UnsupportedReason, message: string, status = 501, offset = -1) {
    super('WIRE_UNSUPPORTED_MESSAGE', reason, message, status, offset);
  }
}

brand(UnsupportedMessageError, 'UnsupportedMessageError');

/** IncompleteMessageError is raised by finish() when the stream ended inside a message (`WIRE_INCOMPLETE_MESSAGE`). */
export class IncompleteMessageError extends WireError {
  override name = 'IncompleteMessageError';
  declare readonly code: 'WIRE_INCOMPLETE_MESSAGE';
  declare readonly reason: 'WIRE_INCOMPLETE_MESSAGE';

  constructor(message: string, offset = -1) {
    super('WIRE_INCOMPLETE_MESSAGE', 'WIRE_INCOMPLETE_MESSAGE', message, 400, offset);
  }
}

brand(IncompleteMessageError, 'IncompleteMessageError');

/** WireArgumentError is raised by the serializer for a head it must not write, such as CR or LF in a value (`WIRE_INVALID_ARGUMENT`). */
export class WireArgumentError extends WireError {
  override name = 'WireArgumentError';
  declare readonly code: 'WIRE_INVALID_ARGUMENT';
  declare readonly reason: 'WIRE_INVALID_ARGUMENT';

  constructor(message: string) {
    super('WIRE_INVALID_ARGUMENT', 'WIRE_INVALID_ARGUMENT', message, 500, -1);
  }
}

brand(WireArgumentError, 'WireArgumentError');

/** ParseReason is every reason a parser rejects a stream for. */
export type ParseReason = MalformedReason | LimitReason | UnsupportedReason | 'WIRE_INCOMPLETE_MESSAGE';

type Kind = 'malformed' | 'limit' | 'unsupported' | 'incomplete';

const KIND_OF: Readonly<Record<ParseReason, Kind>> = {
  WIRE_INVALID_METHOD: 'malformed',
  WIRE_INVALID_TARGET: 'malformed',
  WIRE_INVALID_VERSION: 'malformed',
  WIRE_INVALID_START_LINE: 'malformed',
  WIRE_INVALID_STATUS: 'malformed',
  WIRE_INVALID_LINE_ENDING: 'malformed',
  WIRE_INVALID_HEADER_NAME: 'malformed',
  WIRE_INVALID_HEADER_VALUE: 'malformed',
  WIRE_OBS_FOLD: 'malformed',
  WIRE_MISSING_HOST: 'malformed',
  WIRE_DUPLICATE_HOST: 'malformed',
  WIRE_INVALID_HOST: 'malformed',
  WIRE_INVALID_CONTENT_LENGTH: 'malformed',
  WIRE_INVALID_TRANSFER_ENCODING: 'malformed',
  WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH: 'malformed',
  WIRE_TRANSFER_ENCODING_IN_HTTP10: 'malformed',
  WIRE_INVALID_CHUNK_SIZE: 'malformed',
  WIRE_INVALID_CHUNK_EXTENSION: 'malformed',
  WIRE_INVALID_CHUNK_DATA: 'malformed',
  WIRE_HEAD_TOO_LARGE: 'limit',
  WIRE_TOO_MANY_HEADERS: 'limit',
  WIRE_TARGET_TOO_LONG: 'limit',
  WIRE_CHUNK_EXTENSION_TOO_LARGE: 'limit',
  WIRE_CONTENT_LENGTH_TOO_LARGE: 'limit',
  WIRE_CHUNK_SIZE_TOO_LARGE: 'limit',
  WIRE_UNSUPPORTED_VERSION: 'unsupported',
  WIRE_UNSUPPORTED_TRANSFER_ENCODING: 'unsupported',
  WIRE_INCOMPLETE_MESSAGE: 'incomplete',
};


/** parseError makes the WireError of the kind `reason` belongs to. */
export function parseError(reason: ParseReason, message: string, status: number, offset: number): WireError {
  switch (KIND_OF[reason]) {
    case 'malformed':
      return new MalformedMessageError(reason as MalformedReason, message, status, offset);
    case 'limit':
      return new LimitExceededError(reason as LimitReason, message, status, offset);
    case 'unsupported':
      return new UnsupportedMessageError(reason as UnsupportedReason, message, status, offset);
    case 'incomplete':
      return new IncompleteMessageError(message, offset);
  }
}
