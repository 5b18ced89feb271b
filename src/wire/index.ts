// courier/wire: the HTTP/1.x codec. Bytes in, messages out, and back; no sockets.

// Parsing
export { RequestParser } from './request-parser.js';
export { ResponseParser } from './response-parser.js';
export { DEFAULT_LIMITS } from './head.js';
export type {
  BodyFraming,
  ParserCallbacks,
  ParserLimits,
  ParserOptions,
  RequestHead,
  ResponseHead,
} from './head.js';

// Serializing
export {
  assertFieldValue,
  assertToken,
  serializeFields,
  serializeRequestHead,
  serializeResponseHead,
} from './serializer.js';
export type { FieldValue, HeadersInit, RequestHeadInit, ResponseHeadInit } from './serializer.js';
export { chunkPrefix, encodeChunk, lastChunk } from './chunked.js';

// Fields and status codes: HTTP's own (src/http), re-exported for users of courier/wire
export { Fields, hasToken, reasonPhrase } from '../http/index.js';

// Errors
export { IncompleteMessageError, LimitExceededError, MalformedMessageError, UnsupportedMessageError, WireArgumentError, WireError } from './errors.js';
export type { LimitReason, MalformedReason, UnsupportedReason, WireErrorCode, WireErrorReason } from './errors.js';
