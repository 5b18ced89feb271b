// courier/wire: the HTTP/1.x codec. Bytes in, messages out, and back; no sockets.

// Parsing
export { RequestParser, ResponseParser, DEFAULT_LIMITS } from './parser.js';
export type {
  BodyFraming,
  ParserCallbacks,
  ParserLimits,
  ParserOptions,
  RequestHead,
  ResponseHead,
} from './parser.js';

// Serializing
export {
  assertFieldValue,
  assertToken,
  prepareRequestHead,
  prepareResponseHead,
  serializeFields,
  serializeRequestHead,
  serializeResponseHead,
} from './serializer.js';
export type { FieldValue, HeadersInit, RequestHeadInit, ResponseHeadInit } from './serializer.js';
export { CHUNK_SUFFIX, chunkPrefix, encodeChunk, lastChunk } from './chunked.js';

// Fields and status codes
export { Fields, hasToken } from './fields.js';
export { STATUS_REASONS, reasonPhrase } from './status.js';

// Errors
export { WireError } from './errors.js';
export type { WireErrorCode } from './errors.js';
