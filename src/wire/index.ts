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
