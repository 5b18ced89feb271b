// Incremental HTTP/2 frame parser (RFC 9113 §3.4, §4, §6): bytes in any split, typed frames out.
// Checks that need only the 9-octet header run before the payload arrives, so a bad frame fails
// early. HEADERS/PUSH_PROMISE and their CONTINUATION frames come out as one frame with the whole
// header block, capped in size and in frame count (the CONTINUATION flood, CVE-2024-27316).
// The header checks are in frame-header-checks.ts, the payload of each type in frame-payloads.ts.
import { Buffer } from 'node:buffer';
import { H2ConnectionError, H2Error, H2StreamError, type H2ErrorReason } from './errors.js';
import { checkFrameHeader } from './frame-header-checks.js';
import { decodePayload } from './frame-payloads.js';
import { CONNECTION_PREFACE, FRAME_HEADER_LENGTH, FRAME_TYPE_NAMES, Flags, FrameType, type DataFrame, type Frame, type HeadersFrame, type PushPromiseFrame } from './frames.js';
import { DEFAULT_SETTINGS } from './settings.js';

/** FrameParserCallbacks receive what the parser finds, in order. Views into the input must be copied to be kept. */
export interface FrameParserCallbacks {
  /** onFrame receives each frame; HEADERS and PUSH_PROMISE arrive once their header block is complete. */
  onFrame(frame: Frame): void;
  /** onStreamError receives errors that end one stream only (RFC 9113 §5.4.2); parsing goes on. Thrown when absent. */
  onStreamError?(error: H2StreamError): void;
  /** onUnknownFrame receives frames of unknown types, which the protocol ignores (RFC 9113 §4.1, §5.5). */
  onUnknownFrame?(type: number, flags: number, streamId: number, payload: Uint8Array): void;
  /**
   * onDataStart, with onDataPiece, takes an unpadded DATA frame whose payload spans reads piece by
   * piece, as views of the input, instead of joining it into one buffer: `frame` has all but its
   * data (empty here); its payload follows in onDataPiece, the last piece with `isLast`. Without
   * these callbacks every DATA frame comes whole through onFrame.
   */
  onDataStart?(frame: DataFrame): void;
  /** onDataPiece receives the next piece of the payload of the DATA frame onDataStart announced. */
  onDataPiece?(piece: Uint8Array, isLast: boolean): void;
}

/** FrameParserOptions are what the parser enforces; all optional. */
export interface FrameParserOptions {
  /** maxFrameSize is our SETTINGS_MAX_FRAME_SIZE. Default 16384 (RFC 9113 §4.2). */
  maxFrameSize?: number;
  /** expectPreface makes a server-side parser check the 24-octet client preface first (RFC 9113 §3.4). Default false. */
  expectPreface?: boolean;
  /** expectSettings requires the first frame to be a SETTINGS frame without ACK (RFC 9113 §3.4). Default false. */
  expectSettings?: boolean;
  /** maxHeaderBlockSize caps a header block joined from HEADERS/PUSH_PROMISE + CONTINUATION. Default 65536. */
  maxHeaderBlockSize?: number;
  /** maxContinuations caps the CONTINUATION frames of one header block. Default 32. */
  maxContinuations?: number;
}

const enum State {
  Preface,
  Header,
  Payload,
  /** The payload of a DATA frame handed on piece by piece (onDataPiece). */
  DataPieces,
}

const EMPTY = new Uint8Array(0);

/** FrameParser turns the bytes of one direction of a connection into frames. After it throws, it is done. */
export class FrameParser {
  readonly #callbacks: FrameParserCallbacks;
  #maxFrameSize: number;
  readonly #maxHeaderBlockSize: number;
  readonly #maxContinuations: number;
  #isSettingsExpected: boolean;
  #state: State;
  #prefaceMatched = 0;
  // The frame header being read, and the payload when it arrives in pieces.
  readonly #header = Buffer.alloc(FRAME_HEADER_LENGTH);
  #headerFilled = 0;
  #length = 0;
  #type = 0;
  #flags = 0;
  #streamId = 0;
  #payload: Buffer = Buffer.alloc(0);
  #payloadFilled = 0;
  // DATA handed on in pieces: whether the callbacks take it, and the octets still to come.
  readonly #isDataStreamed: boolean;
  #dataLeft = 0;
  // An open header block: the HEADERS or PUSH_PROMISE frame waiting for END_HEADERS.
  #block: HeadersFrame | PushPromiseFrame | null = null;
  #fragments: Buffer[] = [];
  #blockSize = 0;
  #offset = 0;

  constructor(callbacks: FrameParserCallbacks, options: FrameParserOptions = {}) {
    this.#callbacks = callbacks;
    this.#maxFrameSize = options.maxFrameSize ?? DEFAULT_SETTINGS.maxFrameSize;
    this.#maxHeaderBlockSize = options.maxHeaderBlockSize ?? 65536;
    this.#maxContinuations = options.maxContinuations ?? 32;
    this.#isSettingsExpected = options.expectSettings ?? false;
    this.#state = options.expectPreface === true ? State.Preface : State.Header;
    this.#isDataStreamed = callbacks.onDataStart !== undefined && callbacks.onDataPiece !== undefined;
  }

  /** offset is the number of octets consumed so far, for messages. */
  get offset(): number {
    return this.#offset;
  }

  /** isInHeaderBlock tells whether a header block awaits CONTINUATION frames. */
  get isInHeaderBlock(): boolean {
    return this.#block !== null;
  }

  /** setMaxFrameSize applies a new SETTINGS_MAX_FRAME_SIZE of ours once the peer acknowledged it. */
  setMaxFrameSize(maxFrameSize: number): void {
    this.#maxFrameSize = maxFrameSize;
  }

  /** execute parses `input`; it throws an H2ConnectionError when the connection must end. */
  execute(input: Uint8Array): void {
    const chunk = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    let at = 0;
    const end = chunk.length;
    while (at < end) {
      if (this.#state === State.Preface) {
        while (at < end && this.#prefaceMatched < CONNECTION_PREFACE.length) {
          if (chunk[at] !== CONNECTION_PREFACE[this.#prefaceMatched]) {
            throw this.#fail('H2_BAD_PREFACE', 'Invalid connection preface: expected "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n" (RFC 9113 §3.4)');
          }
          at++;
          this.#offset++;
          this.#prefaceMatched++;
        }
        if (this.#prefaceMatched === CONNECTION_PREFACE.length) this.#state = State.Header;
        continue;
      }
      if (this.#state === State.Header) {
        if (this.#headerFilled === 0 && end - at >= FRAME_HEADER_LENGTH) {
          this.#readHeader(chunk, at);
          at += FRAME_HEADER_LENGTH;
        } else {
          const take = Math.min(FRAME_HEADER_LENGTH - this.#headerFilled, end - at);
          chunk.copy(this.#header, this.#headerFilled, at, at + take);
          this.#headerFilled += take;
          at += take;
          if (this.#headerFilled < FRAME_HEADER_LENGTH) break;
          this.#headerFilled = 0;
          this.#readHeader(this.#header, 0);
        }
        this.#offset += FRAME_HEADER_LENGTH;
        this.#checkHeader();
        if (this.#length === 0) {
          this.#dispatch(chunk.subarray(at, at));
          continue;
        }
        if (this.#isDataStreamed && this.#type === FrameType.DATA && (this.#flags & Flags.PADDED) === 0 && end - at < this.#length) {
          this.#startDataPieces();
          continue;
        }
        this.#state = State.Payload;
        this.#payloadFilled = 0;
        continue;
      }
      if (this.#state === State.DataPieces) {
        const take = Math.min(this.#dataLeft, end - at);
        this.#dataLeft -= take;
        this.#offset += take;
        if (this.#dataLeft === 0) this.#state = State.Header;
        (this.#callbacks.onDataPiece as NonNullable<FrameParserCallbacks['onDataPiece']>)(chunk.subarray(at, at + take), this.#dataLeft === 0);
        at += take;
        continue;
      }
      // State.Payload
      if (this.#payloadFilled === 0 && end - at >= this.#length) {
        const payload = chunk.subarray(at, at + this.#length);
        at += this.#length;
        this.#offset += this.#length;
        this.#state = State.Header;
        this.#dispatch(payload);
        continue;
      }
      if (this.#payloadFilled === 0) this.#payload = Buffer.allocUnsafe(this.#length);
      const take = Math.min(this.#length - this.#payloadFilled, end - at);
      chunk.copy(this.#payload, this.#payloadFilled, at, at + take);
      this.#payloadFilled += take;
      at += take;
      this.#offset += take;
      if (this.#payloadFilled === this.#length) {
        this.#state = State.Header;
        const payload = this.#payload;
        this.#payload = Buffer.alloc(0);
        this.#dispatch(payload);
      }
    }
  }

  #readHeader(bytes: Buffer, at: number): void {
    this.#length = ((bytes[at] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at + 2] as number);
    this.#type = bytes[at + 3] as number;
    this.#flags = bytes[at + 4] as number;
    // RFC 9113 §4.1: the reserved bit is ignored on receipt.
    this.#streamId = bytes.readUInt32BE(at + 5) & 0x7fffffff;
  }

  // Checks that need only the frame header (RFC 9113 §3.4, §4.2, §6).
  #checkHeader(): void {
    const type = this.#type;
    const length = this.#length;
    const streamId = this.#streamId;
    const name = FRAME_TYPE_NAMES[type] ?? `frame type 0x${type.toString(16)}`;
    if (length > this.#maxFrameSize) {
      throw this.#fail('H2_FRAME_TOO_LARGE', `Frame too large: ${name} of ${length} octets exceeds SETTINGS_MAX_FRAME_SIZE ${this.#maxFrameSize} (RFC 9113 §4.2)`);
    }
    if (this.#isSettingsExpected) {
      if (type !== FrameType.SETTINGS || (this.#flags & Flags.ACK) !== 0) {
        const what = type === FrameType.SETTINGS ? 'a SETTINGS ACK' : name;
        throw this.#fail('H2_SETTINGS_EXPECTED', `Invalid connection preface: the first frame is ${what}, not SETTINGS (RFC 9113 §3.4)`);
      }
      this.#isSettingsExpected = false;
    }
    if (this.#block !== null) {
      if (type !== FrameType.CONTINUATION || streamId !== this.#block.streamId) {
        throw this.#fail(
          'H2_CONTINUATION_EXPECTED',
          `Expected CONTINUATION on stream ${this.#block.streamId}, got ${name} on stream ${streamId} (RFC 9113 §6.10)`,
        );
      }
      if (this.#blockSize + length > this.#maxHeaderBlockSize) {
        throw this.#fail('H2_HEADER_BLOCK_TOO_LARGE', `Header block too large: more than ${this.#maxHeaderBlockSize} octets`);
      }
      if (this.#block.continuations + 1 > this.#maxContinuations) {
        throw this.#fail('H2_HEADER_BLOCK_TOO_LARGE', `Header block too long: more than ${this.#maxContinuations} CONTINUATION frames`);
      }
      return;
    }
    const problem = checkFrameHeader(type, this.#flags, length, streamId, name);
    if (problem !== null) throw this.#fail(problem.code, problem.message);
  }

  // An unpadded DATA frame that spans reads: announced now, its payload handed on as it comes.
  #startDataPieces(): void {
    const endStream = (this.#flags & Flags.END_STREAM) !== 0;
    const frame: DataFrame = { type: FrameType.DATA, streamId: this.#streamId, flags: this.#flags, length: this.#length, data: EMPTY, endStream, padLength: 0 };
    this.#dataLeft = this.#length;
    this.#state = State.DataPieces;
    (this.#callbacks.onDataStart as NonNullable<FrameParserCallbacks['onDataStart']>)(frame);
  }

  #dispatch(payload: Buffer): void {
    if (this.#type === FrameType.CONTINUATION) {
      this.#continuation(payload);
      return;
    }
    let frame: Frame | H2StreamError | null;
    try {
      frame = decodePayload(this.#type, this.#flags, this.#streamId, payload);
    } catch (error) {
      if (error instanceof H2Error) this.#note(error);
      throw error;
    }
    if (frame === null) {
      this.#callbacks.onUnknownFrame?.(this.#type, this.#flags, this.#streamId, payload);
    } else if (frame instanceof H2StreamError) {
      this.#streamError(frame);
    } else if (frame.type === FrameType.HEADERS || frame.type === FrameType.PUSH_PROMISE) {
      this.#headerBlock(frame);
    } else {
      this.#callbacks.onFrame(frame);
    }
  }

  #headerBlock(frame: HeadersFrame | PushPromiseFrame): void {
    if (frame.headerBlock.length > this.#maxHeaderBlockSize) {
      throw this.#fail('H2_HEADER_BLOCK_TOO_LARGE', `Header block too large: more than ${this.#maxHeaderBlockSize} octets`);
    }
    if ((frame.flags & Flags.END_HEADERS) !== 0) {
      this.#callbacks.onFrame(frame);
      return;
    }
    // The fragment may view the caller's input, which is gone by the time the block ends.
    this.#block = frame;
    this.#fragments = [Buffer.from(frame.headerBlock)];
    this.#blockSize = frame.headerBlock.length;
  }

  #continuation(payload: Buffer): void {
    const frame = this.#block as HeadersFrame | PushPromiseFrame;
    frame.continuations++;
    this.#blockSize += payload.length;
    if ((this.#flags & Flags.END_HEADERS) === 0) {
      this.#fragments.push(Buffer.from(payload));
      return;
    }
    this.#fragments.push(payload);
    frame.headerBlock = Buffer.concat(this.#fragments, this.#blockSize);
    frame.flags |= Flags.END_HEADERS;
    this.#block = null;
    this.#fragments = [];
    this.#blockSize = 0;
    this.#callbacks.onFrame(frame);
  }

  #streamError(error: H2StreamError): void {
    this.#note(error);
    if (this.#callbacks.onStreamError === undefined) throw error;
    this.#callbacks.onStreamError(error);
  }

  #fail(code: H2ErrorReason, message: string): H2ConnectionError {
    return this.#note(new H2ConnectionError(code, message));
  }

  #note<E extends Error>(error: E): E {
    error.message += ` at octet ${this.#offset}`;
    return error;
  }
}
