import { Buffer } from 'node:buffer';
import { serializeFields, type HeadersInit } from './serializer.js';

const CRLF = Buffer.from('\r\n', 'latin1');

/** chunkPrefix returns the chunk-size line for a chunk of `size` bytes (RFC 9112 §7.1). */
export function chunkPrefix(size: number): string {
  return `${size.toString(16)}\r\n`;
}

/**
 * encodeChunk frames one chunk as a single buffer. An empty input gives an empty buffer, never
 * the last-chunk, so a stray empty write cannot end the body early.
 */
export function encodeChunk(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length === 0) return Buffer.alloc(0);
  const prefix = chunkPrefix(bytes.length);
  const out = Buffer.allocUnsafe(prefix.length + bytes.length + 2);
  out.write(prefix, 0, 'latin1');
  out.set(bytes, prefix.length);
  CRLF.copy(out, prefix.length + bytes.length);
  return out;
}

/** lastChunk returns the last-chunk, the trailer section and the final CRLF. */
export function lastChunk(trailers?: HeadersInit): string {
  return `0\r\n${serializeFields(trailers)}\r\n`;
}
