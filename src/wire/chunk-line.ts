import { HEX, HTAB, SP, TOKEN } from './chars.js';
import type { ParseReason } from './errors.js';

/** Fail reports a rejection at a buffer index; it never returns. */
export type Fail = (reason: ParseReason, message: string, index: number, status?: number) => never;

/** chunkLineCap is the longest chunk-size line worth reading: 14 hex digits already overflow 2^53. */
export function chunkLineCap(maxExtensionSize: number): number {
  return 16 + maxExtensionSize;
}

/**
 * parseChunkLine checks a chunk-size line buf[start, end) (CRLF excluded) and returns the chunk
 * size. A line longer than chunkLineCap() is checked up to the cap and then rejected, so a line
 * fed in pieces fails the same way as one fed whole.
 *
 * chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); chunk-ext = *( BWS ";" BWS
 * chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), chunk-ext-val = token / quoted-string.
 */
export function parseChunkLine(buf: Uint8Array, start: number, end: number, maxExtensionSize: number, fail: Fail): number {
  const cap = chunkLineCap(maxExtensionSize);
  const isCut = end - start > cap;
  if (isCut) end = start + cap;
  let i = start;
  let size = 0;
  while (i < end) {
    const h = HEX[buf[i] as number] as number;
    if (h === 255) break;
    size = size * 16 + h;
    if (size > Number.MAX_SAFE_INTEGER) fail('WIRE_CHUNK_SIZE_TOO_LARGE', 'Chunk size too large', i, 413);
    i++;
  }
  if (i === start) fail('WIRE_INVALID_CHUNK_SIZE', 'Invalid chunk size: expected hex digits', i);
  const extStart = i;
  while (i < end) {
    // BWS ";"
    const isSpaced = buf[i] === SP || buf[i] === HTAB;
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
    if (i === end) break;
    if (buf[i] !== 0x3b) {
      if (!isSpaced && i === extStart) fail('WIRE_INVALID_CHUNK_SIZE', 'Invalid chunk size: expected hex digits', i);
      fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: expected ";"', i);
    }
    i++;
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
    const nameStart = i;
    while (i < end && TOKEN[buf[i] as number] === 1) i++;
    if (i === end) break;
    if (i === nameStart) fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: empty name', i);
    let j = i;
    while (j < end && (buf[j] === SP || buf[j] === HTAB)) j++;
    if (j === end) {
      i = j;
      break;
    }
    if (buf[j] !== 0x3d) continue; // no value; the next round expects ";"
    i = j + 1;
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
    if (i === end) break;
    if (buf[i] === 0x22) {
      i = quotedString(buf, i, end, isCut, fail);
    } else {
      const valueStart = i;
      while (i < end && TOKEN[buf[i] as number] === 1) i++;
      if (i === valueStart) fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: bad value', i);
    }
  }
  if (i - extStart > maxExtensionSize || isCut) {
    fail('WIRE_CHUNK_EXTENSION_TOO_LARGE', `Chunk extensions too large: over ${maxExtensionSize} bytes`, i);
  }
  // A line that ends in BWS, ";" or "=" is malformed.
  if (end > extStart) {
    const last = buf[end - 1];
    if (last === SP || last === HTAB || last === 0x3b || last === 0x3d) {
      fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: incomplete', end);
    }
  }
  return size;
}

// quoted-string (RFC 9110 §5.6.4). Returns the index after the closing quote; a line cut at the
// cap may end inside the quote.
function quotedString(buf: Uint8Array, i: number, end: number, isCut: boolean, fail: Fail): number {
  i++;
  while (i < end) {
    const b = buf[i] as number;
    if (b === 0x22) return i + 1;
    if (b === 0x5c) {
      i++;
      if (i === end) break;
      const q = buf[i] as number;
      if (q !== HTAB && (q < 0x20 || q === 0x7f)) fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: bad quoted-pair', i);
    } else if (b !== HTAB && (b < 0x20 || b === 0x7f)) {
      fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: control character in quoted value', i);
    }
    i++;
  }
  if (isCut) return i;
  return fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: unterminated quoted value', i);
}
