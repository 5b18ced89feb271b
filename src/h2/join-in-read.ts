// A socket read of an HTTP/2 transfer usually holds the end of one DATA frame, the 9-octet header
// of the next and the start of its payload: the codec hands these on as two pieces, where HTTP/1.1
// gives a reader one chunk per read. Two pieces of one stream from the same read with only a frame
// header between them can be joined, in place, by moving the shorter piece over that header: the
// parser is done with it. Used by the server for request bodies and by the client for responses,
// each on reads that are its own, whose pieces it has not handed out yet.
import { Buffer } from 'node:buffer';
import { FRAME_HEADER_LENGTH } from './frames.js';

/**
 * joinInRead returns `last` and `next` as one view when both lie in `read` with one frame header
 * between them, moving octets of the read; otherwise null. Neither piece may have been handed out.
 */
export function joinInRead(read: Uint8Array, last: Uint8Array, next: Uint8Array): Buffer | null {
  const start = last.byteOffset;
  const end = next.byteOffset + next.length;
  if (next.byteOffset !== start + last.length + FRAME_HEADER_LENGTH) return null;
  if (last.buffer !== read.buffer || next.buffer !== read.buffer || start < read.byteOffset || end > read.byteOffset + read.length) return null;
  const at = start - read.byteOffset; // where `last` begins in `read`
  if (last.length <= next.length) {
    read.copyWithin(at + FRAME_HEADER_LENGTH, at, at + last.length);
    return Buffer.from(read.buffer, start + FRAME_HEADER_LENGTH, last.length + next.length);
  }
  read.copyWithin(at + last.length, at + last.length + FRAME_HEADER_LENGTH, end - read.byteOffset);
  return Buffer.from(read.buffer, start, last.length + next.length);
}
