// HTTP/2 frame serializer (RFC 9113 §4.1, §6): typed frames in, octets out. Header blocks too big
// for one frame are split into HEADERS/PUSH_PROMISE + CONTINUATION (§4.3). Arguments a peer would
// reject are refused here with H2_INVALID_ARGUMENT.
import { Buffer } from 'node:buffer';
import { H2ArgumentError } from './errors.js';
import { FRAME_HEADER_LENGTH, Flags, FrameType, MAX_STREAM_ID, MAX_WINDOW_SIZE, type FrameInit, type Priority } from './frames.js';
import { DEFAULT_SETTINGS } from './settings.js';

/** writeFrameHeader writes the 9-octet frame header (RFC 9113 §4.1) at `at` and returns the offset after it. */
export function writeFrameHeader(out: Uint8Array, at: number, length: number, type: number, flags: number, streamId: number): number {
  out[at] = length >>> 16;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  out[at + 5] = (streamId >>> 24) & 0x7f;
  out[at + 6] = (streamId >>> 16) & 0xff;
  out[at + 7] = (streamId >>> 8) & 0xff;
  out[at + 8] = streamId & 0xff;
  return at + FRAME_HEADER_LENGTH;
}

/** serializeRawFrame writes any frame, known type or not, from its parts: for extensions and tests. */
export function serializeRawFrame(type: number, flags: number, streamId: number, payload: Uint8Array): Buffer {
  checkStreamId(streamId, true);
  if (payload.length > 0xffffff) invalid(`payload of ${payload.length} octets exceeds 2^24-1`);
  const out = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + payload.length);
  writeFrameHeader(out, 0, payload.length, type & 0xff, flags & 0xff, streamId);
  out.set(payload, FRAME_HEADER_LENGTH);
  return out;
}

/**
 * serializeFrame writes one frame, or for a long header block a HEADERS/PUSH_PROMISE followed by
 * CONTINUATION frames, none larger than `maxFrameSize` (the peer's SETTINGS_MAX_FRAME_SIZE).
 */
export function serializeFrame(frame: FrameInit, maxFrameSize: number = DEFAULT_SETTINGS.maxFrameSize): Buffer {
  const padLength = frame.padLength ?? 0;
  switch (frame.type) {
    case FrameType.DATA: {
      checkStreamId(frame.streamId, false);
      const flags = (frame.endStream ? Flags.END_STREAM : 0) | padFlag(padLength);
      return padded(frame.type, flags, frame.streamId, Buffer.alloc(0), frame.data, padLength, maxFrameSize);
    }
    case FrameType.HEADERS: {
      checkStreamId(frame.streamId, false);
      const flags = (frame.endStream ? Flags.END_STREAM : 0) | (frame.priority !== null ? Flags.PRIORITY : 0);
      const fixed = frame.priority !== null ? priorityBytes(frame.priority) : Buffer.alloc(0);
      return headerBlock(frame.type, flags, frame.streamId, fixed, frame.headerBlock, padLength, maxFrameSize);
    }
    case FrameType.PUSH_PROMISE: {
      checkStreamId(frame.streamId, false);
      checkStreamId(frame.promisedStreamId, false);
      const fixed = Buffer.allocUnsafe(4);
      fixed.writeUInt32BE(frame.promisedStreamId, 0);
      return headerBlock(frame.type, 0, frame.streamId, fixed, frame.headerBlock, padLength, maxFrameSize);
    }
    case FrameType.CONTINUATION:
      checkStreamId(frame.streamId, false);
      return sized(frame.type, frame.endHeaders ? Flags.END_HEADERS : 0, frame.streamId, frame.headerBlock, maxFrameSize);
    case FrameType.PRIORITY:
      checkStreamId(frame.streamId, false);
      return sized(frame.type, 0, frame.streamId, priorityBytes(frame.priority), maxFrameSize);
    case FrameType.RST_STREAM: {
      checkStreamId(frame.streamId, false);
      return sized(frame.type, 0, frame.streamId, uint32(frame.errorCode), maxFrameSize);
    }
    case FrameType.SETTINGS: {
      checkStreamId(frame.streamId, true, true);
      if (frame.ack && frame.settings.length > 0) invalid('a SETTINGS ACK carries no settings');
      const payload = Buffer.allocUnsafe(frame.settings.length * 6);
      frame.settings.forEach(([id, value], i) => {
        if (!Number.isInteger(id) || id < 0 || id > 0xffff) invalid(`setting identifier ${id} is not 16 bits`);
        if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) invalid(`setting value ${value} is not 32 bits`);
        payload.writeUInt16BE(id, i * 6);
        payload.writeUInt32BE(value, i * 6 + 2);
      });
      return sized(frame.type, frame.ack ? Flags.ACK : 0, 0, payload, maxFrameSize);
    }
    case FrameType.PING:
      checkStreamId(frame.streamId, true, true);
      if (frame.data.length !== 8) invalid(`PING data is ${frame.data.length} octets, not 8`);
      return sized(frame.type, frame.ack ? Flags.ACK : 0, 0, frame.data, maxFrameSize);
    case FrameType.GOAWAY: {
      checkStreamId(frame.streamId, true, true);
      checkStreamId(frame.lastStreamId, true);
      const payload = Buffer.allocUnsafe(8 + frame.debugData.length);
      payload.writeUInt32BE(frame.lastStreamId, 0);
      payload.writeUInt32BE(checkUint32(frame.errorCode), 4);
      payload.set(frame.debugData, 8);
      return sized(frame.type, 0, 0, payload, maxFrameSize);
    }
    case FrameType.WINDOW_UPDATE: {
      checkStreamId(frame.streamId, true);
      const increment = frame.windowSizeIncrement;
      if (!Number.isInteger(increment) || increment < 1 || increment > MAX_WINDOW_SIZE) {
        invalid(`window size increment ${increment} is outside 1..2^31-1 (RFC 9113 §6.9)`);
      }
      return sized(frame.type, 0, frame.streamId, uint32(increment), maxFrameSize);
    }
  }
}

function sized(type: number, flags: number, streamId: number, payload: Uint8Array, maxFrameSize: number): Buffer {
  if (payload.length > maxFrameSize) invalid(`payload of ${payload.length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${maxFrameSize}`);
  return serializeRawFrame(type, flags, streamId, payload);
}

// [Pad Length] fixed content [padding], as one frame.
function padded(type: number, flags: number, streamId: number, fixed: Uint8Array, content: Uint8Array, padLength: number, maxFrameSize: number): Buffer {
  checkPadLength(padLength);
  const prefix = padLength > 0 ? 1 : 0;
  const length = prefix + fixed.length + content.length + padLength;
  if (length > maxFrameSize) invalid(`payload of ${length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${maxFrameSize}`);
  const out = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + length);
  let at = writeFrameHeader(out, 0, length, type, flags, streamId);
  if (prefix === 1) out[at++] = padLength;
  out.set(fixed, at);
  at += fixed.length;
  out.set(content, at);
  at += content.length;
  out.fill(0, at, at + padLength);
  return out;
}

// RFC 9113 §4.3: a header block as HEADERS/PUSH_PROMISE then CONTINUATION frames, back to back.
function headerBlock(type: number, flags: number, streamId: number, fixed: Uint8Array, block: Uint8Array, padLength: number, maxFrameSize: number): Buffer {
  checkPadLength(padLength);
  const room = maxFrameSize - fixed.length - (padLength > 0 ? 1 + padLength : 0);
  if (room < 0) invalid(`padding of ${padLength} octets leaves no room in SETTINGS_MAX_FRAME_SIZE ${maxFrameSize}`);
  if (block.length <= room) {
    return padded(type, flags | Flags.END_HEADERS | padFlag(padLength), streamId, fixed, block, padLength, maxFrameSize);
  }
  const parts = [padded(type, flags | padFlag(padLength), streamId, fixed, block.subarray(0, room), padLength, maxFrameSize)];
  for (let at = room; at < block.length; at += maxFrameSize) {
    const piece = block.subarray(at, Math.min(at + maxFrameSize, block.length));
    const isLast = at + maxFrameSize >= block.length;
    parts.push(serializeRawFrame(FrameType.CONTINUATION, isLast ? Flags.END_HEADERS : 0, streamId, piece));
  }
  return Buffer.concat(parts);
}

function priorityBytes(priority: Priority): Buffer {
  checkStreamId(priority.streamDependency, true);
  const { weight } = priority;
  if (!Number.isInteger(weight) || weight < 1 || weight > 256) invalid(`priority weight ${weight} is outside 1..256`);
  const out = Buffer.allocUnsafe(5);
  out.writeUInt32BE((priority.isExclusive ? 0x80000000 : 0) + priority.streamDependency, 0);
  out[4] = weight - 1;
  return out;
}

function uint32(value: number): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(checkUint32(value), 0);
  return out;
}

function checkUint32(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) invalid(`${value} is not a 32-bit value`);
  return value;
}

function padFlag(padLength: number): number {
  return padLength > 0 ? Flags.PADDED : 0;
}

function checkPadLength(padLength: number): void {
  if (!Number.isInteger(padLength) || padLength < 0 || padLength > 255) invalid(`pad length ${padLength} is outside 0..255`);
}

function checkStreamId(streamId: number, mayBeZero: boolean, mustBeZero = false): void {
  if (!Number.isInteger(streamId) || streamId < 0 || streamId > MAX_STREAM_ID) invalid(`stream id ${streamId} is outside 0..2^31-1`);
  if (mustBeZero && streamId !== 0) invalid(`this frame belongs on stream 0, not ${streamId} (RFC 9113 §6)`);
  if (!mayBeZero && streamId === 0) invalid('this frame needs a stream id other than 0 (RFC 9113 §6)');
}

function invalid(detail: string): never {
  throw new H2ArgumentError(`Invalid frame: ${detail}`);
}
