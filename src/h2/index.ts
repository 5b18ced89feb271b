// courier/h2: the HTTP/2 codec. HPACK so far (frames next), bytes in, events out, and back; no sockets.

// HPACK (RFC 7541)
export { HpackDecoder, DEFAULT_HEADER_TABLE_SIZE } from './hpack-decoder.js';
export type { HeaderField, HpackDecoderOptions } from './hpack-decoder.js';
export { HpackEncoder, isSensitiveField } from './hpack-encoder.js';
export type { HeaderFieldInit, HpackEncoderOptions, HuffmanMode } from './hpack-encoder.js';
export { huffmanDecode, huffmanEncode, huffmanEncodedLength } from './hpack-huffman.js';
export { STATIC_TABLE } from './hpack-table.js';

// Errors
export { ERROR_CODES, H2_ERRORS, H2ConnectionError, H2Error, H2StreamError, errorCodeName } from './errors.js';
export type { ErrorCodeName, H2ErrorCode } from './errors.js';
