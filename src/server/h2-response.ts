// Sending a response body over one HTTP/2 stream: text, bytes, a file range or a stream, as DATA
// frames the connection paces by flow control, then trailers as a final HEADERS (RFC 9113 §8.1).
import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fieldValueProblem, forEachField, tokenProblem, type FieldValue, type HeadersInit } from '../http/index.js';
import { ServerError } from './errors.js';
import { toBytes } from './response.js';
import type { FileRange } from './types.js';

/** DataSink is one stream's way out: write resolves once `chunk` is handed on and the socket has room. */
export interface DataSink {
  write(chunk: Uint8Array, endStream: boolean): Promise<void>;
}

/** H2_FILE_BLOCK is the size of one read from a file sent over HTTP/2. */
const H2_FILE_BLOCK = 256 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * sendFileRange sends bytes [start, end) of an open file, reading the next block while this one
 * is sent (disk and socket work overlap); a file that shrank rejects with SERVER_BODY_LENGTH_MISMATCH.
 */
export async function sendFileRange(sink: DataSink, file: FileHandle, range: FileRange, endStream: boolean): Promise<void> {
  let position = range.start;
  let left = range.end - range.start;
  if (left <= 0) return;
  let next: Promise<Buffer> | null = readBlock(file, position, Math.min(H2_FILE_BLOCK, left), left);
  try {
    while (next !== null) {
      const block: Buffer = await next;
      next = null;
      position += block.length;
      left -= block.length;
      if (left > 0) next = readBlock(file, position, Math.min(H2_FILE_BLOCK, left), left);
      await sink.write(block, endStream && left === 0);
    }
  } finally {
    // A read-ahead abandoned by a failed write must not reject unhandled.
    next?.catch(noop);
  }
}

// A fresh block each time: the socket may still hold the previous one.
async function readBlock(file: FileHandle, position: number, size: number, left: number): Promise<Buffer> {
  const block = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await file.read(block, done, size - done, position + done);
    if (bytesRead === 0) throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `File ended ${left - done} bytes early: it changed while being sent`);
    done += bytesRead;
  }
  return block;
}

function noop(): void {}

/** sendStream sends a streamed body; with `expected` >= 0 it must yield exactly that many bytes. */
export async function sendStream(sink: DataSink, body: Readable | AsyncIterable<unknown>, expected: number, endStream: boolean): Promise<void> {
  let sent = 0;
  for await (const item of body) {
    const chunk = toBytes(item);
    if (chunk.length === 0) continue;
    sent += chunk.length;
    if (expected >= 0 && sent > expected) {
      throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `Response body longer than its Content-Length "${expected}"`);
    }
    await sink.write(chunk, false);
  }
  if (expected >= 0 && sent !== expected) {
    throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `Response body of ${sent} bytes shorter than its Content-Length "${expected}"`);
  }
  if (endStream) await sink.write(EMPTY, true);
}

function collectTrailer(name: string, value: FieldValue, out: [string, string][]): void {
  const v = typeof value === 'string' ? value : String(value);
  const problem = tokenProblem(name, 'trailer name') ?? (v === '' ? null : fieldValueProblem(name, v));
  if (problem !== null) throw new ServerError('SERVER_INVALID_RESPONSE', problem);
  out.push([name.toLowerCase(), v]);
}

/** trailerFields validates a handler's trailers as an HTTP/2 trailer list (lowercase names, no pseudo-headers). */
export function trailerFields(trailers: HeadersInit | undefined): [string, string][] {
  const out: [string, string][] = [];
  forEachField(trailers, collectTrailer, out);
  return out;
}
