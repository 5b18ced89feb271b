// Runs raw bytes through a FrameParser in several splits and reduces what comes out to plain
// data (octets as hex), so a table can say what each input must give and every split must agree.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { FrameParser, H2Error, serializeRawFrame, type Frame, type FrameParserOptions } from '../../src/h2/index.js';

/** Outcome is everything one run gave: frames (as plain objects), stream errors, unknown frames, the fatal error. */
export interface Outcome {
  frames: Record<string, unknown>[];
  streamErrors: string[];
  unknown: string[];
  error: string | null;
  errorName: string | null;
}

/** plain reduces a frame to JSON-friendly data, octets as hex. */
export function plain(frame: Frame): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frame)) out[key] = value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
  return out;
}

/** parse feeds `pieces` to a new parser, one execute per piece. */
export function parse(pieces: Uint8Array[], options: FrameParserOptions = {}): Outcome {
  const outcome: Outcome = { frames: [], streamErrors: [], unknown: [], error: null, errorName: null };
  const parser = new FrameParser(
    {
      onFrame: (frame) => outcome.frames.push(plain(frame)),
      onStreamError: (error) => outcome.streamErrors.push(`${error.reason}@${error.streamId}`),
      onUnknownFrame: (type, flags, streamId, payload) => outcome.unknown.push(`${type}/${flags}/${streamId}/${Buffer.from(payload).toString('hex')}`),
    },
    options,
  );
  try {
    for (const piece of pieces) parser.execute(piece);
  } catch (error) {
    assert.ok(H2Error.is(error), `not an H2Error: ${String(error)}`);
    assert.equal(error.isConnectionError, true);
    outcome.error = error.reason;
    outcome.errorName = error.errorName;
  }
  return outcome;
}

let seed = 12345;
function random(): number {
  // xorshift: deterministic splits, so a failure is reproducible.
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x100000000;
}

/** splits lists the ways bytes are fed: whole, byte by byte, and several random cuts. */
export function splits(bytes: Buffer, randomCount = 8): Buffer[][] {
  const ways: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let n = 0; n < randomCount; n++) {
    const pieces: Buffer[] = [];
    let at = 0;
    while (at < bytes.length) {
      const size = 1 + Math.floor(random() * Math.min(40, bytes.length));
      pieces.push(bytes.subarray(at, at + size));
      at += size;
    }
    ways.push(pieces);
  }
  return ways;
}

/** parseEverySplit parses bytes in every split of `splits`, asserts they agree, and returns the outcome. */
export function parseEverySplit(bytes: Buffer, options: FrameParserOptions = {}): Outcome {
  const [first, ...rest] = splits(bytes).map((pieces) => parse(pieces, options));
  for (const other of rest) assert.deepEqual(other, first);
  return first as Outcome;
}

/** raw writes one frame from its parts, payload given as hex. */
export function raw(type: number, flags: number, streamId: number, payloadHex = ''): Buffer {
  return serializeRawFrame(type, flags, streamId, Buffer.from(payloadHex.replace(/\s+/g, ''), 'hex'));
}
