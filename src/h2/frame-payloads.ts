// Decoding the payload of each frame type (RFC 9113 §6.1–§6.9) once its header passed the checks of
// frame-header-checks.ts: padding, fixed fields, values. CONTINUATION is joined by the parser.
import type { Buffer } from 'node:buffer';
import { H2ConnectionError, H2StreamError } from './errors.js';
import { Flags, FrameType, type Frame, type HeadersFrame, type Priority, type PushPromiseFrame } from './frames.js';
import { checkSetting } from './settings.js';

/**
 * decodePayload turns a payload into its frame. It returns an H2StreamError for a problem that
 * ends one stream only, null for CONTINUATION and unknown types (the parser's business), and
 * throws an H2ConnectionError when the connection must end. The frame may view `payload`.
 */
export function decodePayload(type: number, flags: number, streamId: number, payload: Buffer): Frame | H2StreamError | null {
  const length = payload.length;
  switch (type) {
    case FrameType.DATA: {
      const [start, end] = unpad(payload, flags, 0, 'DATA');
      return {
        type,
        streamId,
        flags,
        length,
        data: payload.subarray(start, end),
        endStream: (flags & Flags.END_STREAM) !== 0,
        padLength: length - (end - start) - ((flags & Flags.PADDED) !== 0 ? 1 : 0),
      };
    }
    case FrameType.HEADERS: {
      const hasPriority = (flags & Flags.PRIORITY) !== 0;
      const [start, end] = unpad(payload, flags, hasPriority ? 5 : 0, 'HEADERS');
      const padded = (flags & Flags.PADDED) !== 0 ? 1 : 0;
      const frame: HeadersFrame = {
        type,
        streamId,
        flags,
        length,
        headerBlock: start === 0 && end === length ? payload : payload.subarray(start, end),
        endStream: (flags & Flags.END_STREAM) !== 0,
        priority: hasPriority ? readPriority(payload, padded) : null,
        padLength: padded === 1 ? (payload[0] as number) : 0,
        continuations: 0,
      };
      return frame;
    }
    case FrameType.PRIORITY: {
      if (length !== 5) return new H2StreamError('H2_BAD_FRAME_SIZE', 'Invalid PRIORITY: not 5 octets (RFC 9113 §6.3)', streamId);
      const priority = readPriority(payload, 0);
      if (priority.streamDependency === streamId) {
        return new H2StreamError('H2_SELF_DEPENDENCY', `Invalid PRIORITY: stream ${streamId} depends on itself (RFC 9113 §5.3.1)`, streamId);
      }
      return { type, streamId, flags, length, priority };
    }
    case FrameType.RST_STREAM:
      return { type, streamId, flags, length, errorCode: payload.readUInt32BE(0) };
    case FrameType.SETTINGS: {
      const settings: [number, number][] = [];
      for (let i = 0; i < length; i += 6) {
        const id = payload.readUInt16BE(i);
        const value = payload.readUInt32BE(i + 2);
        const error = checkSetting(id, value);
        if (error !== null) throw error;
        settings.push([id, value]);
      }
      return { type, streamId, flags, length, ack: (flags & Flags.ACK) !== 0, settings };
    }
    case FrameType.PUSH_PROMISE: {
      const [start, end] = unpad(payload, flags, 4, 'PUSH_PROMISE');
      const padded = (flags & Flags.PADDED) !== 0 ? 1 : 0;
      const frame: PushPromiseFrame = {
        type,
        streamId,
        flags,
        length,
        promisedStreamId: payload.readUInt32BE(padded) & 0x7fffffff,
        headerBlock: start === 0 && end === length ? payload : payload.subarray(start, end),
        padLength: padded === 1 ? (payload[0] as number) : 0,
        continuations: 0,
      };
      return frame;
    }
    case FrameType.PING:
      return { type, streamId, flags, length, ack: (flags & Flags.ACK) !== 0, data: payload };
    case FrameType.GOAWAY:
      return {
        type,
        streamId,
        flags,
        length,
        lastStreamId: payload.readUInt32BE(0) & 0x7fffffff,
        errorCode: payload.readUInt32BE(4),
        debugData: payload.subarray(8),
      };
    case FrameType.WINDOW_UPDATE: {
      const windowSizeIncrement = payload.readUInt32BE(0) & 0x7fffffff;
      if (windowSizeIncrement === 0) {
        const message = `Invalid WINDOW_UPDATE: increment 0 on stream ${streamId} (RFC 9113 §6.9)`;
        if (streamId === 0) throw new H2ConnectionError('H2_ZERO_WINDOW_INCREMENT', message);
        return new H2StreamError('H2_ZERO_WINDOW_INCREMENT', message, streamId);
      }
      return { type, streamId, flags, length, windowSizeIncrement };
    }
    default:
      return null;
  }
}

// RFC 9113 §6.1, §6.2, §6.6: [Pad Length], fixed fields, content, padding. Returns the content range.
function unpad(payload: Buffer, flags: number, fixed: number, name: string): [number, number] {
  const length = payload.length;
  if ((flags & Flags.PADDED) === 0) {
    if (length < fixed) throw new H2ConnectionError('H2_BAD_FRAME_SIZE', `Invalid ${name}: is shorter than its ${fixed} fixed octets (RFC 9113 §4.2)`);
    return [fixed, length];
  }
  if (length < 1 + fixed) {
    throw new H2ConnectionError('H2_BAD_FRAME_SIZE', `Invalid ${name}: is too short for its Pad Length and ${fixed} fixed octets (RFC 9113 §4.2)`);
  }
  const padLength = payload[0] as number;
  if (padLength > length - 1 - fixed) {
    throw new H2ConnectionError('H2_BAD_PADDING', `Invalid ${name}: ${padLength} octets of padding in a ${length}-octet payload (RFC 9113 §6.1)`);
  }
  return [1 + fixed, length - padLength];
}

// RFC 9113 §6.3: E bit and 31-bit stream dependency, then weight - 1.
function readPriority(payload: Buffer, at: number): Priority {
  const word = payload.readUInt32BE(at);
  return { streamDependency: word & 0x7fffffff, isExclusive: word >>> 31 === 1, weight: (payload[at + 4] as number) + 1 };
}
