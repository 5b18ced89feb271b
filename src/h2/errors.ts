// Errors of the HTTP/2 codec. Each code names the RFC 9113 §7 error code a peer is told, and each
// error says whether it ends the connection (GOAWAY) or one stream (RST_STREAM).

import { CourierError, brand } from '../http/index.js';

/** ERROR_CODES maps the RFC 9113 §7 error code names to the numbers sent in RST_STREAM and GOAWAY. */
export const ERROR_CODES = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  SETTINGS_TIMEOUT: 0x4,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  CONNECT_ERROR: 0xa,
  ENHANCE_YOUR_CALM: 0xb,
  INADEQUATE_SECURITY: 0xc,
  HTTP_1_1_REQUIRED: 0xd,
} as const;

/** ErrorCodeName is one of the names of RFC 9113 §7. */
export type ErrorCodeName = keyof typeof ERROR_CODES;

const NAMES = new Map<number, ErrorCodeName>(
  (Object.keys(ERROR_CODES) as ErrorCodeName[]).map((name) => [ERROR_CODES[name], name]),
);

/** errorCodeName returns the RFC 9113 §7 name of an error code, or `UNKNOWN(0x..)` (§7: unknown codes are not errors). */
export function errorCodeName(errorCode: number): string {
  return NAMES.get(errorCode) ?? `UNKNOWN(0x${errorCode.toString(16)})`;
}

/**
 * H2_ERRORS lists every reason the codec rejects bytes or an API call, each with the RFC 9113 §7
 * error code the peer is sent. Reasons are stable: switch on them, never on messages.
 */
export const H2_ERRORS = {
  // Connection preface and frame layer (RFC 9113 §3.4, §4, §6)
  H2_BAD_PREFACE: 'PROTOCOL_ERROR',
  H2_SETTINGS_EXPECTED: 'PROTOCOL_ERROR',
  H2_FRAME_TOO_LARGE: 'FRAME_SIZE_ERROR',
  H2_BAD_FRAME_SIZE: 'FRAME_SIZE_ERROR',
  H2_STREAM_ID_REQUIRED: 'PROTOCOL_ERROR',
  H2_STREAM_ID_FORBIDDEN: 'PROTOCOL_ERROR',
  H2_BAD_PADDING: 'PROTOCOL_ERROR',
  H2_ZERO_WINDOW_INCREMENT: 'PROTOCOL_ERROR',
  H2_SELF_DEPENDENCY: 'PROTOCOL_ERROR',
  H2_CONTINUATION_EXPECTED: 'PROTOCOL_ERROR',
  H2_UNEXPECTED_CONTINUATION: 'PROTOCOL_ERROR',
  H2_HEADER_BLOCK_TOO_LARGE: 'ENHANCE_YOUR_CALM',
  H2_BAD_SETTING_VALUE: 'PROTOCOL_ERROR',
  H2_BAD_INITIAL_WINDOW_SIZE: 'FLOW_CONTROL_ERROR',
  // HPACK (RFC 7541), a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3)
  H2_HPACK_TRUNCATED: 'COMPRESSION_ERROR',
  H2_HPACK_INTEGER_OVERFLOW: 'COMPRESSION_ERROR',
  H2_HPACK_BAD_INDEX: 'COMPRESSION_ERROR',
  H2_HPACK_HUFFMAN_EOS: 'COMPRESSION_ERROR',
  H2_HPACK_HUFFMAN_PADDING: 'COMPRESSION_ERROR',
  H2_HPACK_TABLE_SIZE_UPDATE: 'COMPRESSION_ERROR',
  H2_HEADER_LIST_TOO_LARGE: 'ENHANCE_YOUR_CALM',
  // Streams, flow control and settings (RFC 9113 §5, §6.5, §6.9)
  H2_STREAM_ID_NOT_INCREASING: 'PROTOCOL_ERROR',
  H2_STREAM_ID_WRONG_PARITY: 'PROTOCOL_ERROR',
  H2_FRAME_ON_IDLE_STREAM: 'PROTOCOL_ERROR',
  H2_STREAM_CLOSED: 'STREAM_CLOSED',
  H2_PUSH_REFUSED: 'PROTOCOL_ERROR',
  H2_TOO_MANY_STREAMS: 'REFUSED_STREAM',
  H2_FLOW_CONTROL_OVERFLOW: 'FLOW_CONTROL_ERROR',
  H2_FLOW_CONTROL_VIOLATION: 'FLOW_CONTROL_ERROR',
  H2_UNSOLICITED_SETTINGS_ACK: 'PROTOCOL_ERROR',
  H2_GOAWAY_STREAM: 'REFUSED_STREAM',
  // Abuse a server limits (RFC 9113 §10.5): floods of cheap frames and rapid reset (CVE-2023-44487)
  H2_FRAME_FLOOD: 'ENHANCE_YOUR_CALM',
  H2_RAPID_RESET: 'ENHANCE_YOUR_CALM',
  // HTTP semantics of a header list and body (RFC 9113 §8.1–§8.3)
  H2_MALFORMED_HEADERS: 'PROTOCOL_ERROR',
  H2_CONTENT_LENGTH_MISMATCH: 'PROTOCOL_ERROR',
  // Misuse of the API by the caller (not a peer's fault)
  H2_INVALID_ARGUMENT: 'INTERNAL_ERROR',
} as const satisfies Record<string, ErrorCodeName>;

/** H2ErrorReason names the precise rule behind an H2Error, e.g. H2_BAD_PREFACE; the GOAWAY's debug data carries it. */
export type H2ErrorReason = keyof typeof H2_ERRORS;

/** H2ErrorCode is the code of each kind of H2Error, one per class. */
export type H2ErrorCode = 'H2_CONNECTION_ERROR' | 'H2_STREAM_ERROR' | 'H2_INVALID_ARGUMENT';

/**
 * H2Error groups what the HTTP/2 codec rejects; it is never thrown itself. Its kinds are the two of
 * RFC 9113 §5.4, a connection error and a stream error, each a class with one fixed `code`, plus
 * the caller's misuse of the API. `reason` names the precise rule (stable too, e.g.
 * H2_BAD_PREFACE); `errorCode` is the RFC 9113 §7 number to send (its name in `errorName`);
 * `streamId` is 0 for a connection error (answer with GOAWAY) and the stream for a stream error
 * (answer with RST_STREAM).
 */
export abstract class H2Error extends CourierError {
  override name = 'H2Error';
  declare readonly code: H2ErrorCode;
  readonly reason: H2ErrorReason;
  readonly errorName: ErrorCodeName;
  readonly errorCode: number;
  readonly streamId: number;

  constructor(code: H2ErrorCode, reason: H2ErrorReason, message: string, streamId: number) {
    super(code, message);
    this.reason = reason;
    this.errorName = H2_ERRORS[reason];
    this.errorCode = ERROR_CODES[this.errorName];
    this.streamId = streamId;
  }

  /** isConnectionError tells whether the whole connection must end (GOAWAY) rather than one stream. */
  get isConnectionError(): boolean {
    return this.streamId === 0;
  }
}

brand(H2Error, 'H2Error');

/** H2ConnectionError ends the connection: send GOAWAY with `errorCode` (RFC 9113 §5.4.1) (`H2_CONNECTION_ERROR`). */
export class H2ConnectionError extends H2Error {
  override name = 'H2ConnectionError';
  declare readonly code: 'H2_CONNECTION_ERROR';

  constructor(reason: H2ErrorReason, message: string) {
    super('H2_CONNECTION_ERROR', reason, message, 0);
  }
}

brand(H2ConnectionError, 'H2ConnectionError');

/** H2StreamError ends one stream: send RST_STREAM on `streamId` with `errorCode` (RFC 9113 §5.4.2) (`H2_STREAM_ERROR`). */
export class H2StreamError extends H2Error {
  override name = 'H2StreamError';
  declare readonly code: 'H2_STREAM_ERROR';

  constructor(reason: H2ErrorReason, message: string, streamId: number) {
    super('H2_STREAM_ERROR', reason, message, streamId);
  }
}

brand(H2StreamError, 'H2StreamError');

/** H2ArgumentError is thrown for a call the codec refuses, such as a frame or field it must not send; no peer is at fault (`H2_INVALID_ARGUMENT`). */
export class H2ArgumentError extends H2Error {
  override name = 'H2ArgumentError';
  declare readonly code: 'H2_INVALID_ARGUMENT';
  declare readonly reason: 'H2_INVALID_ARGUMENT';

  constructor(message: string) {
    super('H2_INVALID_ARGUMENT', 'H2_INVALID_ARGUMENT', message, 0);
  }
}

brand(H2ArgumentError, 'H2ArgumentError');
