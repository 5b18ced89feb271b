import { CourierError, brand } from '../http/index.js';

/**
 * WireErrorCode lists every way the codec can reject bytes or an API call. Codes are stable:
 * switch on them, never on messages.
 */
export type WireErrorCode =
  | 'WIRE_INVALID_METHOD'
  | 'WIRE_INVALID_TARGET'
  | 'WIRE_TARGET_TOO_LONG'
  | 'WIRE_INVALID_VERSION'
  | 'WIRE_UNSUPPORTED_VERSION'
  | 'WIRE_INVALID_START_LINE'
  | 'WIRE_INVALID_STATUS'
  | 'WIRE_INVALID_LINE_ENDING'
  | 'WIRE_INVALID_HEADER_NAME'
  | 'WIRE_INVALID_HEADER_VALUE'
  | 'WIRE_OBS_FOLD'
  | 'WIRE_HEAD_TOO_LARGE'
  | 'WIRE_TOO_MANY_HEADERS'
  | 'WIRE_MISSING_HOST'
  | 'WIRE_DUPLICATE_HOST'
  | 'WIRE_INVALID_HOST'
  | 'WIRE_INVALID_CONTENT_LENGTH'
  | 'WIRE_CONTENT_LENGTH_TOO_LARGE'
  | 'WIRE_INVALID_TRANSFER_ENCODING'
  | 'WIRE_UNSUPPORTED_TRANSFER_ENCODING'
  | 'WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH'
  | 'WIRE_TRANSFER_ENCODING_IN_HTTP10'
  | 'WIRE_INVALID_CHUNK_SIZE'
  | 'WIRE_CHUNK_SIZE_TOO_LARGE'
  | 'WIRE_INVALID_CHUNK_EXTENSION'
  | 'WIRE_CHUNK_EXTENSION_TOO_LARGE'
  | 'WIRE_INVALID_CHUNK_DATA'
  | 'WIRE_INCOMPLETE_MESSAGE'
  | 'WIRE_UNEXPECTED_DATA'
  | 'WIRE_INVALID_ARGUMENT';

/**
 * WireError is thrown for every message the codec rejects. `code` is stable, `status` is what a
 * server should answer with, and `offset` is the byte position in the stream where parsing stopped
 * (or -1 for serializer argument errors).
 */
export class WireError extends CourierError {
  override readonly name = 'WireError';
  declare readonly code: WireErrorCode;
  readonly status: number;
  readonly offset: number;

  constructor(code: WireErrorCode, message: string, status = 400, offset = -1) {
    super(code, message);
    this.status = status;
    this.offset = offset;
  }
}

brand(WireError, 'WireError');
