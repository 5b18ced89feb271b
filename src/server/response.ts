import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { waitDrain, type HeadersInit } from '../http/index.js';
import { chunkPrefix, lastChunk } from '../wire/index.js';
import { ServerError } from './errors.js';

/**
 * FILE_BLOCK is the size of one read from a file: big reads, few syscalls. With the read-ahead in
 * writeFile, two blocks per download are in memory; 512 KiB measured 1.5x the MB/s of 256 KiB.
 */
const FILE_BLOCK = 512 * 1024;
/** SMALL_FILE files go out with their head in a single write. */
const SMALL_FILE = 64 * 1024;

function gone(): ServerError {
  return new ServerError('SERVER_CLIENT_ABORTED', 'Client closed the connection during the response');
}

/** toBytes takes a chunk of a streamed body as bytes (text as UTF-8); anything else is an invalid response. */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new ServerError('SERVER_INVALID_RESPONSE', `Invalid response body chunk: expected Uint8Array, got ${typeof chunk}`);
}

/**
 * writeStream sends a streamed body with backpressure: chunked (RFC 9112 §7.1) when `isChunked`,
 * else raw. With `expected` >= 0 the stream must yield exactly that many bytes. It rejects when
 * the client goes away or the stream fails; the caller then destroys the connection.
 */
export async function writeStream(
  socket: Socket,
  body: AsyncIterable<unknown>,
  isChunked: boolean,
  expected: number,
  trailers: HeadersInit | undefined,
): Promise<void> {
  let sent = 0;
  for await (const item of body) {
    if (socket.destroyed) throw gone();
    const chunk = toBytes(item);
    if (chunk.length === 0) continue;
    sent += chunk.length;
    if (expected >= 0 && sent > expected) {
      throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `Response body longer than its Content-Length "${expected}"`);
    }
    let ok: boolean;
    if (isChunked) {
      socket.cork();
      socket.write(chunkPrefix(chunk.length), 'latin1');
      socket.write(chunk);
      ok = socket.write('\r\n', 'latin1');
      socket.uncork();
    } else {
      ok = socket.write(chunk);
    }
    if (!ok) {
      await waitDrain(socket);
      if (socket.destroyed) throw gone();
    }
  }
  if (expected >= 0 && sent !== expected) {
    throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `Response body of ${sent} bytes shorter than its Content-Length "${expected}"`);
  }
  if (isChunked) socket.write(lastChunk(trailers), 'latin1');
}

/**
 * writeFile sends the head and then bytes [start, start + length) of an open file. Small files
 * go out in one write with the head; big ones in FILE_BLOCK reads, the next read running while
 * the socket drains the previous block. A file that shrinks underneath rejects with SERVER_BODY_LENGTH_MISMATCH.
 */
export async function writeFile(socket: Socket, head: string, file: FileHandle, start: number, length: number): Promise<void> {
  const headLength = Buffer.byteLength(head, 'latin1');
  if (length <= SMALL_FILE) {
    const out = Buffer.allocUnsafe(headLength + length);
    out.write(head, 0, 'latin1');
    await readFully(file, out, headLength, length, start);
    socket.write(out);
    return;
  }
  socket.write(head, 'latin1');
  let position = start;
  let left = length;
  // Read the next block while the socket drains this one: disk and socket work overlap.
  let next: Promise<Buffer> | null = readBlock(file, position, Math.min(FILE_BLOCK, left));
  try {
    while (next !== null) {
      const block = await next;
      next = null;
      position += block.length;
      left -= block.length;
      if (socket.destroyed) throw gone();
      if (left > 0) next = readBlock(file, position, Math.min(FILE_BLOCK, left));
      if (!socket.write(block)) await waitDrain(socket);
    }
  } finally {
    // A read-ahead abandoned by a failed write must not reject unhandled.
    next?.catch(() => {});
  }
}

// A fresh block each time: the socket may still hold the previous one.
async function readBlock(file: FileHandle, position: number, size: number): Promise<Buffer> {
  const block = Buffer.allocUnsafe(size);
  await readFully(file, block, 0, size, position);
  return block;
}

async function readFully(file: FileHandle, into: Buffer, offset: number, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(into, offset + done, length - done, position + done);
    if (bytesRead === 0) {
      throw new ServerError('SERVER_BODY_LENGTH_MISMATCH', `File ended ${length - done} bytes early: it changed while being sent`);
    }
    done += bytesRead;
  }
}
