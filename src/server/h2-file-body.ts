// Sending a file range over one HTTP/2 stream without copies: each block of the shared pool
// (block-pool.ts) is laid out as DATA frames, a 9-octet gap for each frame header then its
// payload, and one preadv reads the file straight into the payload slots. The codec fills in the
// headers and the block leaves in one socket write, as a block of the HTTP/1 writer does.
import type { FileHandle } from 'node:fs/promises';
import { FRAME_HEADER_LENGTH } from '../h2/index.js';
import { BLOCK_SIZE, fileBlocks, type BlockPool } from './block-pool.js';
import { BodyLengthMismatchError } from './errors.js';
import type { FileRange } from './types.js';

/** FramedSink is a stream's way out for blocks laid out as DATA frames (H2Connection.sendFramedData). */
export interface FramedSink {
  /** frameSize is the DATA payload size the peer takes in one frame now. */
  frameSize(): number;
  /** writeFramed sends a framed block (all of it, waiting for flow control) and resolves once the socket has room. */
  writeFramed(block: Uint8Array, frameSize: number, endStream: boolean): Promise<void>;
  /** whenWritten calls back once everything sent so far has left (never if the connection closes first). */
  whenWritten(onWritten: () => void): void;
}

/** MAX_FRAME_PAYLOAD caps the frames of a block, so that a block holds many of them even if the peer allows 16 MiB frames. */
const MAX_FRAME_PAYLOAD = 64 * 1024;
/** READ_AHEAD is how many blocks one response reads ahead of the socket. */
const READ_AHEAD = 2;

interface FramedRead {
  /** block is the pooled buffer, given back once the socket no longer needs it. */
  block: Buffer;
  /** frames is the part of the block that holds this read's frames. */
  frames: Uint8Array;
}

/**
 * sendFileFramed sends bytes [start, end) of an open file as framed blocks, up to READ_AHEAD
 * reads running while the socket drains. A file that shrank rejects with SERVER_BODY_LENGTH_MISMATCH.
 */
export async function sendFileFramed(sink: FramedSink, file: FileHandle, range: FileRange, endStream: boolean, pool: BlockPool = fileBlocks): Promise<void> {
  const frameSize = Math.min(sink.frameSize(), MAX_FRAME_PAYLOAD);
  const perBlock = Math.floor(BLOCK_SIZE / (frameSize + FRAME_HEADER_LENGTH)) * frameSize;
  let position = range.start;
  const end = range.end;
  const reads: Promise<FramedRead>[] = [];
  const readAhead = (): void => {
    while (reads.length < READ_AHEAD && position < end) {
      const size = Math.min(perBlock, end - position);
      const read = readFramed(file, pool, position, size, frameSize, end - position);
      read.catch(noop); // seen when awaited; one abandoned after a failed write must not be unhandled
      reads.push(read);
      position += size;
    }
  };
  readAhead();
  try {
    while (reads.length > 0) {
      const { block, frames } = await (reads.shift() as Promise<FramedRead>);
      readAhead();
      try {
        await sink.writeFramed(frames, frameSize, endStream && reads.length === 0 && position === end);
      } finally {
        sink.whenWritten(() => pool.give(block));
      }
    }
  } finally {
    // Blocks read ahead and never written go back once their reads settle.
    for (const read of reads.splice(0)) read.then(({ block }) => pool.give(block), noop);
  }
}

// Reads `size` octets at `position` into the payload slots of a pooled block; the block goes back
// to the pool if the read fails.
async function readFramed(file: FileHandle, pool: BlockPool, position: number, size: number, frameSize: number, left: number): Promise<FramedRead> {
  const block = pool.take();
  try {
    const slots: Uint8Array[] = [];
    let at = 0;
    for (let laid = 0; laid < size; ) {
      const length = Math.min(frameSize, size - laid);
      slots.push(block.subarray(at + FRAME_HEADER_LENGTH, at + FRAME_HEADER_LENGTH + length));
      at += FRAME_HEADER_LENGTH + length;
      laid += length;
    }
    let done = 0;
    while (done < size) {
      const { bytesRead } = await file.readv(slots, position + done);
      if (bytesRead === 0) throw new BodyLengthMismatchError(`File ended ${left - done} bytes early: it changed while being sent`);
      done += bytesRead;
      if (done === size) break;
      // A short read: drop the slots it filled, and the filled start of the next one.
      let filled = bytesRead;
      while (filled > 0) {
        const slot = slots[0] as Uint8Array;
        if (filled >= slot.length) {
          filled -= slot.length;
          slots.shift();
        } else {
          slots[0] = slot.subarray(filled);
          filled = 0;
        }
      }
    }
    return { block, frames: block.subarray(0, at) };
  } catch (error) {
    pool.give(block);
    throw error;
  }
}

function noop(): void {}
