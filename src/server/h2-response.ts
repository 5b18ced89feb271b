// Sending a response over one HTTP/2 stream: the head, then text, bytes, a file range or a stream,
// as DATA frames the connection paces by flow control, then trailers as a final HEADERS (RFC 9113 §8.1).
import { Buffer } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { fieldValueProblem, forEachField, tokenProblem, type FieldValue, type HeadersInit } from '../http/index.js';
import { BodyLengthMismatchError, ClientAbortedError, InvalidHandlerResponseError, ServerError } from './errors.js';
import { sendFileFramed, type FramedSink } from './h2-file-body.js';
import { h2ResponseHead, type H2ResponseHead } from './h2-response-head.js';
import { readFully, toBytes } from './response.js';
import type { FileRange, ServerResponse } from './types.js';
import { errorResponse, isFileRange } from './writer.js';

/** DataSink is one stream's way out: write resolves once `chunk` is handed on and the socket has room. */
export interface DataSink {
  write(chunk: Uint8Array, endStream: boolean): Promise<void>;
}

/** StreamOut is one stream's way out for a whole response: HEADERS, paced DATA, and whether it is still open. */
export interface StreamOut extends DataSink, FramedSink {
  sendHeaders(fields: [string, string][], endStream: boolean): void;
  /** isOpen tells whether the stream (and its connection) can still carry the response. */
  isOpen(): boolean;
}

/**
 * sendBody sends a response that has a body: the head, the body as DATA, then trailers if any.
 * A file that cannot be opened is answered 404, 403 or 500 instead (nothing was sent yet).
 */
export async function sendBody(out: StreamOut, res: ServerResponse, head: H2ResponseHead, trailers: [string, string][], method: string): Promise<void> {
  const body = res.body as NonNullable<ServerResponse['body']>;
  const endWithData = trailers.length === 0;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    out.sendHeaders(head.fields, false);
    await out.write(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, endWithData);
  } else if (isFileRange(body)) {
    let file: FileHandle;
    try {
      file = await open(body.path, 'r');
    } catch (error) {
      const fallback = errorResponse(fileErrorStatus(error));
      if (out.isOpen()) {
        out.sendHeaders(h2ResponseHead(fallback, method).fields, false);
        await out.write(Buffer.from(fallback.body as string), true);
      }
      return;
    }
    try {
      if (!out.isOpen()) throw gone();
      out.sendHeaders(head.fields, false);
      await sendFileRange(out, file, body, endWithData);
    } finally {
      file.close().catch(noop);
    }
  } else {
    out.sendHeaders(head.fields, false);
    await sendStream(out, body as Readable, head.length, endWithData);
  }
  if (!endWithData) {
    if (!out.isOpen()) throw gone();
    out.sendHeaders(trailers, true);
  }
}

/** gone is the error of a stream that closed while its response was being sent. */
export function gone(): ServerError {
  return new ClientAbortedError('Client closed the stream during the response');
}

function fileErrorStatus(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 404;
  if (code === 'EACCES' || code === 'EPERM') return 403;
  return 500;
}

function noop(): void {}

/** SMALL_FILE is the size up to which a file is read in one piece; bigger ones go in framed pool blocks (h2-file-body.ts). */
const SMALL_FILE = 16 * 1024;
const EMPTY = new Uint8Array(0);

/**
 * sendFileRange sends bytes [start, end) of an open file: a small range in one read and write,
 * a bigger one as framed blocks. A file that shrank rejects with SERVER_BODY_LENGTH_MISMATCH.
 */
export async function sendFileRange(sink: DataSink & FramedSink, file: FileHandle, range: FileRange, endStream: boolean): Promise<void> {
  const length = range.end - range.start;
  if (length <= 0) return;
  if (length > SMALL_FILE) return sendFileFramed(sink, file, range, endStream);
  const bytes = Buffer.allocUnsafe(length);
  await readFully(file, bytes, 0, length, range.start);
  await sink.write(bytes, endStream);
}



/** sendStream sends a streamed body; with `expected` >= 0 it must yield exactly that many bytes. */
export async function sendStream(sink: DataSink, body: Readable | AsyncIterable<unknown>, expected: number, endStream: boolean): Promise<void> {
  let sent = 0;
  for await (const item of body) {
    const chunk = toBytes(item);
    if (chunk.length === 0) continue;
    sent += chunk.length;
    if (expected >= 0 && sent > expected) {
      throw new BodyLengthMismatchError(`Response body longer than its Content-Length "${expected}"`);
    }
    await sink.write(chunk, false);
  }
  if (expected >= 0 && sent !== expected) {
    throw new BodyLengthMismatchError(`Response body of ${sent} bytes shorter than its Content-Length "${expected}"`);
  }
  if (endStream) await sink.write(EMPTY, true);
}

function collectTrailer(name: string, value: FieldValue, out: [string, string][]): void {
  const v = typeof value === 'string' ? value : String(value);
  const problem = tokenProblem(name, 'trailer name') ?? (v === '' ? null : fieldValueProblem(name, v));
  if (problem !== null) throw new InvalidHandlerResponseError(problem);
  out.push([name.toLowerCase(), v]);
}

/** trailerFields validates a handler's trailers as an HTTP/2 trailer list (lowercase names, no pseudo-headers). */
export function trailerFields(trailers: HeadersInit | undefined): [string, string][] {
  const out: [string, string][] = [];
  forEachField(trailers, collectTrailer, out);
  return out;
}
