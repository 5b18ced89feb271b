// The checks of RFC 9113 §4.2 and §6 that need only a frame's 9-octet header: which stream ids a
// frame type allows, and the fixed payload sizes. The parser runs them before the payload arrives,
// so a bad frame fails early.
import type { H2ErrorReason } from './errors.js';
import { Flags, FrameType } from './frames.js';

/** FrameHeaderProblem is what is wrong with a frame header: the error code and the message. */
export interface FrameHeaderProblem {
  code: H2ErrorReason;
  message: string;
}

/**
 * checkFrameHeader returns what is wrong with a frame header outside a header block, or null. All
 * of these are connection errors. CONTINUATION is always wrong here: inside a header block the
 * parser checks it itself.
 */
export function checkFrameHeader(type: number, flags: number, length: number, streamId: number, name: string): FrameHeaderProblem | null {
  switch (type) {
    case FrameType.DATA:
    case FrameType.HEADERS:
    case FrameType.PRIORITY:
    case FrameType.RST_STREAM:
    case FrameType.PUSH_PROMISE:
      if (streamId === 0) return { code: 'H2_STREAM_ID_REQUIRED', message: `Invalid ${name}: on stream 0 (RFC 9113 §6)` };
      break;
    case FrameType.CONTINUATION:
      return { code: 'H2_UNEXPECTED_CONTINUATION', message: 'Invalid CONTINUATION: no HEADERS or PUSH_PROMISE is open (RFC 9113 §6.10)' };
    case FrameType.SETTINGS:
    case FrameType.PING:
    case FrameType.GOAWAY:
      if (streamId !== 0) return { code: 'H2_STREAM_ID_FORBIDDEN', message: `Invalid ${name}: on stream ${streamId}, not 0 (RFC 9113 §6)` };
      break;
    default:
      break;
  }
  switch (type) {
    case FrameType.RST_STREAM:
      if (length !== 4) return sizeProblem(name, 'is not 4 octets (RFC 9113 §6.4)');
      break;
    case FrameType.SETTINGS:
      if ((flags & Flags.ACK) !== 0 && length !== 0) return sizeProblem(name, 'ACK has a payload (RFC 9113 §6.5)');
      if (length % 6 !== 0) return sizeProblem(name, 'is not a multiple of 6 octets (RFC 9113 §6.5)');
      break;
    case FrameType.PING:
      if (length !== 8) return sizeProblem(name, 'is not 8 octets (RFC 9113 §6.7)');
      break;
    case FrameType.GOAWAY:
      if (length < 8) return sizeProblem(name, 'is shorter than 8 octets (RFC 9113 §6.8)');
      break;
    case FrameType.WINDOW_UPDATE:
      if (length !== 4) return sizeProblem(name, 'is not 4 octets (RFC 9113 §6.9)');
      break;
    default:
      break;
  }
  return null;
}

function sizeProblem(name: string, detail: string): FrameHeaderProblem {
  return { code: 'H2_BAD_FRAME_SIZE', message: `Invalid ${name}: ${detail}` };
}
