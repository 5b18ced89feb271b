// A DATA frame whose payload spans reads, taken piece by piece as the parser hands it on
// (frame-parser.ts onDataStart/onDataPiece) rather than joined into one buffer: the frame is
// checked against the windows and the stream's state once, its pieces are delivered as they come,
// and END_STREAM takes effect with the last one (RFC 9113 §6.1, §6.9.1, §8.1.1).
import type { ConnectionCore } from './connection-core.js';
import type { DataFrame } from './frames.js';
import { receiveDataPiece, startData } from './receive-stream-frames.js';
import type { H2Stream } from './stream.js';

/** DataPieces follows the one DATA frame of a connection that is arriving in pieces. */
export class DataPieces {
  readonly #core: ConnectionCore;
  #frame: DataFrame | null = null;
  // The stream that takes the pieces; null when the frame is dropped (a stream we reset, an error).
  #stream: H2Stream | null = null;
  // The frame's octets still to come.
  #left = 0;

  constructor(core: ConnectionCore) {
    this.#core = core;
  }

  /** start checks the frame (its data comes after) as a whole frame would be checked. */
  start(frame: DataFrame): void {
    const core = this.#core;
    this.#frame = frame;
    this.#stream = null;
    this.#left = frame.length;
    if (!core.admit(frame)) return;
    try {
      this.#stream = startData(core, frame, frame.length);
    } catch (error) {
      core.failed(error);
    }
  }

  /** piece delivers the next piece of the frame's payload. */
  piece(piece: Uint8Array, isLast: boolean): void {
    const core = this.#core;
    const frame = this.#frame as DataFrame;
    const stream = this.#stream;
    this.#left -= piece.length;
    const rest = this.#left;
    if (isLast) {
      this.#frame = null;
      this.#stream = null;
    }
    if (core.isDead || stream === null) return;
    if (!stream.canReceive) {
      // Reset by us meanwhile: the rest of the frame is nobody's; its credit goes back now.
      this.#stream = null;
      core.consume(0, piece.length + rest);
      return;
    }
    try {
      receiveDataPiece(core, stream, frame, piece, rest, isLast);
    } catch (error) {
      this.#stream = null;
      core.failed(error);
    }
  }
}
