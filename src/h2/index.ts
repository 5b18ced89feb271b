// courier/h2: the HTTP/2 codec. Frames and HPACK, bytes in, events out, and back; no sockets.

// HPACK (RFC 7541)
export { HpackDecoder, DEFAULT_HEADER_TABLE_SIZE } from './hpack-decoder.js';
export type { HeaderField, HpackDecoderOptions } from './hpack-decoder.js';
export { HpackEncoder, isSensitiveField } from './hpack-encoder.js';
export type { HeaderFieldInit, HpackEncoderOptions, HuffmanMode } from './hpack-encoder.js';
export { huffmanDecode, huffmanEncode, huffmanEncodedLength } from './hpack-huffman.js';
export { STATIC_TABLE } from './hpack-table.js';

// Errors
export { ERROR_CODES, H2_ERRORS, H2ArgumentError, H2ConnectionError, H2Error, H2StreamError, errorCodeName } from './errors.js';
export type { ErrorCodeName, H2ErrorCode, H2ErrorReason } from './errors.js';

// Frames (RFC 9113 §4, §6)
export { FrameParser } from './frame-parser.js';
export type { FrameParserCallbacks, FrameParserOptions } from './frame-parser.js';
export { serializeFrame, serializeRawFrame, writeFrameHeader } from './frame-serializer.js';
export {
  CONNECTION_PREFACE,
  FRAME_HEADER_LENGTH,
  FRAME_TYPE_NAMES,
  Flags,
  FrameType,
  MAX_STREAM_ID,
  MAX_WINDOW_SIZE,
} from './frames.js';
export type {
  ContinuationFrame,
  DataFrame,
  Frame,
  FrameInit,
  FrameTypeNumber,
  GoawayFrame,
  HeadersFrame,
  PingFrame,
  Priority,
  PriorityFrame,
  PushPromiseFrame,
  RstStreamFrame,
  SettingsFrame,
  WindowUpdateFrame,
} from './frames.js';

// Settings (RFC 9113 §6.5.2)
export {
  DEFAULT_SETTINGS,
  MAX_MAX_FRAME_SIZE,
  MIN_MAX_FRAME_SIZE,
  SettingId,
  applySettings,
  checkSetting,
  settingName,
  settingsPairs,
} from './settings.js';
export type { Settings } from './settings.js';

// HTTP semantics of header lists (RFC 9113 §8.1–§8.3)
export { validateRequestHeaders, validateResponseHeaders, validateTrailers } from './header-validation.js';
export type { FieldLike, RequestHead, ResponseHead } from './header-validation.js';

// Connection state without I/O (RFC 9113 §5, §6.5, §6.7–§6.9)
export { H2Connection } from './connection.js';
export { DEFAULT_LOCAL_SETTINGS } from './connection-options.js';
export type { H2ConnectionCallbacks, H2ConnectionOptions } from './connection-options.js';
export { H2Stream } from './stream.js';
export type { StreamState } from './stream.js';
export { FlowWindow } from './flow-control.js';
