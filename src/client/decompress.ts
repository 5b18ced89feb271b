import { Buffer } from 'node:buffer';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import type { Transform } from 'node:stream';
import { ClientError, DecompressionError, DecompressionLimitError } from './errors.js';

/** ACCEPT_ENCODING is what the client asks for when decompression is on. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/** DEFAULT_MAX_DECOMPRESSED_SIZE caps a decoded body (1 GiB) against decompression bombs. */
export const DEFAULT_MAX_DECOMPRESSED_SIZE = 1024 * 1024 * 1024;

/**
 * decodingsFor parses Content-Encoding into the codings to undo, last applied first. It returns
 * null when a coding is not one we decode (the body is then passed through untouched).
 */
export function decodingsFor(contentEncoding: string): string[] | null {
  const codings: string[] = [];
  for (const raw of contentEncoding.split(',')) {
    const coding = raw.trim().toLowerCase();
    if (coding === '' || coding === 'identity') continue;
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== 'deflate' && coding !== 'br') return null;
    codings.push(coding);
  }
  return codings.reverse();
}

// A "deflate" body is meant to be zlib-wrapped (RFC 9110 §8.4.1.2) but some servers send raw
// deflate; a zlib header has CMF 0x?8 and a header checksum divisible by 31. Every decoder must
// reach the end of its stream: one that stops short fails ("unexpected end of file"), so a cut
// body is never taken for a whole one.
function decoderFor(coding: string, first: Uint8Array | undefined): Transform {
  if (coding === 'br') return createBrotliDecompress();
  if (coding === 'deflate') {
    const a = first?.[0];
    const b = first?.[1];
    const isZlib = a !== undefined && b !== undefined && (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0;
    return isZlib ? createInflate() : createInflateRaw();
  }
  return createGunzip();
}

async function* decodeOne(source: AsyncIterable<Uint8Array>, coding: string): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done === true) return;
  const decoder = decoderFor(coding, first.value);
  const feed = pipeline(
    (async function* () {
      yield first.value;
      for (let r = await iterator.next(); r.done !== true; r = await iterator.next()) yield r.value;
    })(),
    decoder,
  ).catch((error: unknown) => {
    decoder.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  try {
    for await (const chunk of decoder) yield chunk as Buffer;
  } catch (error) {
    if (ClientError.is(error)) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new DecompressionError(`Invalid ${coding} body: ${message}`, { cause: error });
  } finally {
    decoder.destroy();
    await iterator.return?.();
  }
  await feed;
}

/**
 * decompress undoes the codings over a body stream and stops with CLIENT_DECOMPRESSION_LIMIT once
 * the output passes maxSize bytes.
 */
export async function* decompress(source: AsyncIterable<Uint8Array>, codings: string[], maxSize: number): AsyncGenerator<Uint8Array> {
  let stream = source;
  for (const coding of codings) stream = decodeOne(stream, coding);
  let total = 0;
  for await (const chunk of stream) {
    total += chunk.length;
    if (total > maxSize) {
      throw new DecompressionLimitError(`Decompressed body too large: over ${maxSize} bytes`);
    }
    yield chunk;
  }
}
