import { Buffer } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { waitDrain, type HeadersInit } from '../http/index.js';
import { chunkPrefix, lastChunk } from '../wire/index.js';
import { BLOCK_SIZE, fileBlocks } from './block-pool.js';
import { BodyLengthMismatchError, ClientAbortedError, InvalidHandlerResponseError, ServerError } from './errors.js';

/** SMALL_FILE files go out with their head in a single write. */
const SMALL_FILE = 64 * 1024;
/** READ_AHEAD is how many pooled blocks one download reads ahead of the socket. */
const READ_AHEAD = 2;

function gone(): ServerError {
  return new ClientAbortedError('Client closed the connection during the response');
}

/** toBytes takes a chunk of a streamed body as bytes (text as UTF-8); anything else is an invalid response. */
export function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new InvalidHandlerResponseError(`Invalid response body chunk: expected Uint8Array, got ${typeof chunk}`);
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
      throw new BodyLengthMismatchError(`Response body longer than its Content-Length "${expected}"`);
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
    throw new BodyLengthMismatchError(`Response body of ${sent} bytes shorter than its Content-Length "${expected}"`);
  }
  if (isChunked) socket.write(lastChunk(trailers), 'latin1');
}

/**
 * writeFile sends the head and then bytes [start, start + length) of an open file. Small files
 * go out in one write with the head; big ones in blocks of the shared pool (block-pool.ts), up to
 * READ_AHEAD reads running while the socket drains, the head corked with the first block. A block
 * goes back to the pool only from its write callback, once the socket no longer holds it. A file
 * that shrinks underneath rejects with SERVER_BODY_LENGTH_MISMATCH.
 */
export async function writeFile(socket: Socket, head: string, file: FileHandle, start: number, length: number, pool = fileBlocks): Promise<void> {
  const headLength = Buffer.byteLength(head, 'latin1');
  if (length <= SMALL_FILE) {
    const out = Buffer.allocUnsafe(headLength + length);
    out.write(head, 0, 'latin1');
    await readFully(file, out, headLength, length, start);
    socket.write(out);
    return;
  }
  const reads: Promise<Buffer>[] = [];
  let position = start;
  const end = start + length;
  // Each read takes a block and gives it back itself if it fails; a read that succeeds hands its
  // block to the loop below, which writes it (or gives it back when it stops early).
  const readAhead = (): void => {
    while (reads.length < READ_AHEAD && position < end) {
      const size = Math.min(BLOCK_SIZE, end - position);
      const block = pool.take();
      const read = readFully(file, block, 0, size, position).then(
        () => block,
        (error: unknown) => {
          pool.give(block);
          throw error;
        },
      );
      // Rejections are seen when awaited; one abandoned after a failed write must not be unhandled.
      read.catch(noop);
      reads.push(read);
      position += size;
    }
  };
  let isFirst = true;
  let left = length;
  readAhead();
  try {
    while (reads.length > 0) {
      const block = await (reads.shift() as Promise<Buffer>);
      const size = Math.min(BLOCK_SIZE, left);
      left -= size;
      if (socket.destroyed) {
        pool.give(block);
        throw gone();
      }
      readAhead();
      const release = (): void => pool.give(block);
      let ok: boolean;
      if (isFirst) {
        isFirst = false;
        socket.cork();
        socket.write(head, 'latin1');
        ok = socket.write(size === BLOCK_SIZE ? block : block.subarray(0, size), release);
        socket.uncork();
      } else {
        ok = socket.write(size === BLOCK_SIZE ? block : block.subarray(0, size), release);
      }
      if (!ok) {
        await waitDrain(socket);
        if (socket.destroyed) throw gone();
      }
    }
  } finally {
    // Blocks read ahead and never written go back once their reads settle.
    for (const read of reads.splice(0)) read.then((block) => pool.give(block), noop);
  }
}

function noop(): void {}

/** readFully reads `length` octets at `position` into `into` at `offset`; a file that ends first rejects with SERVER_BODY_LENGTH_MISMATCH. */
export async function readFully(file: FileHandle, into: Buffer, offset: number, length: number, position: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(into, offset + done, length - done, position + done);
    if (bytesRead === 0) {
      throw new BodyLengthMismatchError(`File ended ${length - done} bytes early: it changed while being sent`);
    }
    done += bytesRead;
  }
}
