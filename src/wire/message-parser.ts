import { Buffer } from 'node:buffer';
import { Fields } from '../http/index.js';
import { FramingFacts } from './body-framing.js';
import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TOKEN, latin1, skipPlainWords } from './chars.js';
import { chunkLineCap, parseChunkLine, type Fail } from './chunk-line.js';
import { WireError, parseError, type ParseReason } from './errors.js';
import { FieldCapture } from './field-capture.js';
import type { HeadFail } from './framing.js';
import { DEFAULT_LIMITS, type HeadCommon, type ParserCallbacks, type ParserLimits, type ParserOptions } from './head.js';

const HTTP_SLASH = [0x48, 0x54, 0x54, 0x50, 0x2f]; // "HTTP/"

const enum State {
  Start,
  Fields,
  BodyLength,
  BodyClose,
  ChunkSize,
  ChunkData,
  ChunkDataCR,
  ChunkDataLF,
  Trailers,
  Upgraded,
  Failed,
}

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/**
 * MessageParser is the shared incremental engine behind RequestParser and ResponseParser: line
 * mode for the head, trailers and chunk-size lines, byte counting for body data. Feeding a stream
 * in any split gives the same callbacks (body slices may be cut differently).
 */
export abstract class MessageParser<H extends HeadCommon> {
  protected readonly limits: ParserLimits;
  protected readonly callbacks: ParserCallbacks<H>;
  protected readonly lenientLineEndings: boolean;

  #state = State.Start;
  #pending: Buffer | null = null;
  #pendingLength = 0;
  #checkedLength = 0;
  #error: WireError | null = null;
  #paused = false;
  /** Stream offset of the first byte of the current input buffer. */
  #base = 0;
  /**
   * Where error offsets count from: buffer index #lineStart is stream offset #lineBase. They name
   * the line being processed (in the input or in #pending), or the input itself for body bytes.
   */
  #lineBase = 0;
  #lineStart = 0;

  // Per-message state.
  #headBytes = 0;
  #fieldCount = 0;
  #remaining = 0;
  #trailers: Fields | null = null;
  #view: DataView | null = null;
  #viewOf: Buffer | null = null;
  readonly #fields = new FieldCapture();
  /** facts holds what the header fields say about framing and the connection (see body-framing.ts). */
  protected readonly facts = new FramingFacts();

  constructor(callbacks: ParserCallbacks<H>, options: ParserOptions) {
    this.callbacks = callbacks;
    this.limits = {
      maxHeadSize: options.maxHeadSize ?? DEFAULT_LIMITS.maxHeadSize,
      maxHeaderCount: options.maxHeaderCount ?? DEFAULT_LIMITS.maxHeaderCount,
      maxTargetLength: options.maxTargetLength ?? DEFAULT_LIMITS.maxTargetLength,
      maxChunkExtensionSize: options.maxChunkExtensionSize ?? DEFAULT_LIMITS.maxChunkExtensionSize,
    };
    this.lenientLineEndings = options.lenientLineEndings === true;
  }

  /**
   * isIdle tells whether the parser sits between messages with nothing buffered (empty lines
   * skipped before a request line do not start a message).
   */
  get isIdle(): boolean {
    return this.#state === State.Start && this.#pendingLength === 0;
  }

  /** isUpgraded tells whether the parser stopped after an upgrade head; later bytes belong to the new protocol. */
  get isUpgraded(): boolean {
    return this.#state === State.Upgraded;
  }

  /**
   * pause makes execute() return right after the callback that called it (onHead, onBody or
   * onComplete) returns; the bytes not yet consumed are the caller's to feed again after resume().
   */
  pause(): void {
    this.#paused = true;
  }

  /** resume lets execute() go on; feed it the bytes the paused call did not consume. */
  resume(): void {
    this.#paused = false;
  }

  /**
   * execute parses the bytes and returns how many it consumed. That is all of them unless the
   * parser was paused or upgraded; a rejection throws a WireError and leaves the parser failed.
   */
  execute(input: Uint8Array): number {
    if (this.#error !== null) throw this.#error;
    const buf = asBuffer(input);
    const len = buf.length;
    let pos = 0;
    try {
      while (pos < len && !this.#paused) {
        switch (this.#state) {
          case State.Start:
          case State.Fields:
          case State.ChunkSize:
          case State.Trailers:
            pos = this.#lines(buf, pos);
            break;
          case State.BodyLength:
          case State.ChunkData: {
            const n = Math.min(this.#remaining, len - pos);
            this.#remaining -= n;
            const slice = buf.subarray(pos, pos + n);
            pos += n;
            if (this.#remaining === 0) {
              if (this.#state === State.ChunkData) this.#state = State.ChunkDataCR;
              else this.#state = State.Start;
            }
            this.callbacks.onBody?.(slice);
            if (this.#state === State.Start) this.#complete(null);
            break;
          }
          case State.ChunkDataCR:
            if (buf[pos] !== CR) this.#chunkDataFail(pos);
            pos++;
            this.#state = State.ChunkDataLF;
            break;
          case State.ChunkDataLF:
            if (buf[pos] !== LF) this.#chunkDataFail(pos);
            pos++;
            this.#state = State.ChunkSize;
            break;
          case State.BodyClose:
            this.callbacks.onBody?.(buf.subarray(pos));
            pos = len;
            break;
          case State.Upgraded:
            this.#base += pos;
            return pos;
          case State.Failed:
            return pos;
        }
      }
    } catch (error) {
      if (error instanceof WireError) {
        this.#state = State.Failed;
        this.#error = error;
      }
      throw error;
    }
    if (this.#fields.isHolding) this.#fields.detach();
    // Hold no reference to the caller's buffer between calls (idle connections stay small).
    this.#view = null;
    this.#viewOf = null;
    this.#base += pos;
    return pos;
  }

  /**
   * finish tells the parser the stream ended. It completes a close-delimited body and throws
   * WIRE_INCOMPLETE_MESSAGE if the stream stopped inside a message.
   */
  finish(): void {
    if (this.#error !== null) throw this.#error;
    if (this.#state === State.BodyClose) {
      this.#complete(null);
      return;
    }
    if (this.#state === State.Upgraded || this.isIdle) return;
    this.#lineBase = this.#base;
    this.#lineStart = 0;
    this.fail('WIRE_INCOMPLETE_MESSAGE', 'Incomplete message: stream ended inside a message', 0);
  }

  // Line mode: hand each complete line to #line; a partial line waits in #pending (a buffer that
  // grows by doubling, so a head fed one byte at a time costs linear time).
  #lines(buf: Buffer, pos: number): number {
    const len = buf.length;
    while (pos < len && this.#isLineState() && !this.#paused) {
      // One JS pass finds the LF and the first byte that is not field-value: cheaper than
      // Buffer#indexOf (~80 ns a call) followed by a second validation pass.
      let lf = pos;
      let bad = -1;
      const valueBytes = FIELD_VALUE;
      // Four-at-a-time skipping needs a DataView (~100 ns to make): worth it only with enough
      // bytes left, and made once per input buffer.
      const left = len - pos;
      if (left >= 8) {
        let view = this.#viewOf === buf ? this.#view : null;
        if (view === null && left >= 64) {
          view = this.#view = new DataView(buf.buffer, buf.byteOffset, buf.length);
          this.#viewOf = buf;
        }
        if (view !== null) lf = skipPlainWords(view, pos, len);
      }
      for (; lf < len; lf++) {
        const b = buf[lf] as number;
        if (valueBytes[b] !== 1) {
          if (b === LF) break;
          if (bad === -1) bad = lf;
        }
      }
      if (lf === len) lf = -1;
      if (this.#pendingLength > 0) {
        const lineBase = this.#base + pos - this.#pendingLength;
        if (lf === -1) {
          this.#appendPending(buf, pos, len);
          this.#checkPartialLine(lineBase);
          return len;
        }
        this.#appendPending(buf, pos, lf + 1);
        const line = this.#pending as Buffer;
        const lineEnd = this.#pendingLength - 1;
        this.#pendingLength = 0;
        this.#lineBase = lineBase;
        this.#line(line, 0, lineEnd, -2);
        pos = lf + 1;
        continue;
      }
      if (lf === -1) {
        // Copy: the caller may reuse its buffer before the rest of the line arrives.
        this.#appendPending(buf, pos, len);
        this.#checkPartialLine(this.#base + pos);
        return len;
      }
      this.#lineBase = this.#base + pos;
      this.#line(buf, pos, lf, bad);
      pos = lf + 1;
    }
    return pos;
  }

  #appendPending(buf: Buffer, from: number, to: number): void {
    const need = this.#pendingLength + (to - from);
    let pending = this.#pending;
    if (pending === null || pending.length < need) {
      const grown = Buffer.allocUnsafe(Math.max(need, 256, pending === null ? 0 : pending.length * 2));
      if (pending !== null) pending.copy(grown, 0, 0, this.#pendingLength);
      this.#pending = pending = grown;
    }
    buf.copy(pending, this.#pendingLength, from, to);
    this.#pendingLength = need;
  }

  #isLineState(): boolean {
    const s = this.#state;
    return s === State.Start || s === State.Fields || s === State.ChunkSize || s === State.Trailers;
  }

  /**
   * The line is buf[start, lf); buf[lf] is LF. `bad` is the first byte that is not field-value,
   * -1 for none, -2 when not scanned.
   */
  #line(buf: Buffer, start: number, lf: number, bad: number): void {
    this.#lineStart = start;
    let end = lf;
    if (end > start && buf[end - 1] === CR) end--;
    else if (!this.lenientLineEndings) this.fail('WIRE_INVALID_LINE_ENDING', 'Invalid line ending: bare LF', lf);
    const size = lf + 1 - start;
    switch (this.#state) {
      case State.Start:
        this.#addHeadBytes(buf, start, end, size);
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
        if (end === start && this.skipsEmptyLines()) return;
        this.startLine(buf, start, end, false);
        this.#state = State.Fields;
        return;
      case State.Fields:
      case State.Trailers:
        this.#addHeadBytes(buf, start, end, size);
        if (end === start) {
          if (this.#state === State.Fields) this.#endHead();
          else this.#complete(this.#trailers);
          return;
        }
        this.#fieldLine(buf, start, end, false, bad === -1 || bad >= end);
        return;
      case State.ChunkSize:
        this.#chunkLine(buf, start, end);
        return;
      default:
        return;
    }
  }

  #addHeadBytes(buf: Buffer, start: number, end: number, size: number): void {
    const budget = this.limits.maxHeadSize - this.#headBytes;
    if (size > budget) this.#overBudget(buf, start, Math.min(end, start + Math.max(budget, 0)));
    this.#headBytes += size;
  }

  // The head budget ran out inside buf[start, end): report the first error within the bytes that
  // fit, else 431, so a split stream and a whole one fail the same way.
  #overBudget(buf: Buffer, start: number, end: number): never {
    this.#lineStart = start;
    // A CR at the cut may be the start of the line's CRLF: not a bare CR yet.
    if (end > start && buf[end - 1] === CR) end--;
    if (this.#state === State.Start) this.startLine(buf, start, end, true);
    else if (this.#state === State.Fields || this.#state === State.Trailers) this.#fieldLine(buf, start, end, true);
    return this.fail('WIRE_HEAD_TOO_LARGE', `Head too large: over ${this.limits.maxHeadSize} bytes`, end, 431);
  }

  #checkPartialLine(lineBase: number): void {
    const pending = this.#pending as Buffer;
    const n = this.#pendingLength;
    this.#lineBase = lineBase;
    this.#lineStart = 0;
    switch (this.#state) {
      case State.Start:
      case State.Fields:
      case State.Trailers: {
        const budget = this.limits.maxHeadSize - this.#headBytes;
        if (n > budget) this.#overBudget(pending, 0, budget);
        // Reject a too-long request-target as soon as it shows, not at the head limit. Checked
        // every 1 KiB past the target limit so slow senders cost linear time.
        // The first bytes are checked too, so a TLS handshake on a plain port fails at once.
        if (this.#state === State.Start && (n <= 64 || (n > this.limits.maxTargetLength && n - this.#checkedLength >= 1024))) {
          this.#checkedLength = n;
          this.startLine(pending, 0, pending[n - 1] === CR ? n - 1 : n, true);
        }
        return;
      }
      case State.ChunkSize:
        if (n > chunkLineCap(this.limits.maxChunkExtensionSize)) this.#chunkLine(pending, 0, n);
        return;
      default:
        return;
    }
  }

  /**
   * fail rejects the stream at buffer index `index` of the line being processed: every error the
   * parser raises goes through here, which turns the index into the stream offset, leaves the
   * parser failed and throws.
   */
  protected fail(reason: ParseReason, message: string, index: number, status = 400): never {
    const error = parseError(reason, message, status, this.#lineBase + (index - this.#lineStart));
    this.#state = State.Failed;
    this.#error = error;
    throw error;
  }

  /** headFail rejects the head as a whole, at the offset of the line being processed. */
  protected headFail(reason: ParseReason, message: string, status = 400): never {
    return this.fail(reason, message, this.#lineStart, status);
  }

  readonly #failFn: Fail = (reason, message, index, status) => this.fail(reason, message, index, status);
  /** headFailFn is headFail as a function, for the field-value checks of framing.ts. */
  protected readonly headFailFn: HeadFail = (reason, message, status) => this.headFail(reason, message, status);

  // Chunk data not followed by CRLF: the offset is that of the byte in the input buffer.
  #chunkDataFail(pos: number): never {
    this.#lineBase = this.#base;
    this.#lineStart = 0;
    return this.fail('WIRE_INVALID_CHUNK_DATA', 'Invalid chunk: data not followed by CRLF', pos);
  }

  #fieldLine(buf: Buffer, start: number, end: number, partial: boolean, isClean = false): void {
    const first = buf[start] as number;
    if (first === SP || first === HTAB) {
      this.fail('WIRE_OBS_FOLD', 'Invalid header: line folding (obs-fold) or whitespace before the first field', start);
    }
    let i = start;
    while (i < end && TOKEN[buf[i] as number] === 1) i++;
    if (i === end) {
      if (partial) return;
      this.fail('WIRE_INVALID_HEADER_NAME', 'Invalid header: missing colon', i);
    }
    if (buf[i] !== COLON) {
      const b = buf[i];
      if (b === SP || b === HTAB) this.fail('WIRE_INVALID_HEADER_NAME', 'Invalid header: whitespace between field name and colon', i);
      this.fail('WIRE_INVALID_HEADER_NAME', 'Invalid header: field name has a character outside token', i);
    }
    if (i === start) this.fail('WIRE_INVALID_HEADER_NAME', 'Invalid header: empty field name', i);
    const nameEnd = i;
    i++;
    while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
    const valueStart = i;
    for (i = isClean ? end : i; i < end; i++) {
      const b = buf[i] as number;
      if (FIELD_VALUE[b] !== 1) {
        const what = buf[i] === CR ? 'bare CR' : buf[i] === 0 ? 'NUL' : 'control character';
        this.fail('WIRE_INVALID_HEADER_VALUE', `Invalid header value "${latin1(buf, start, nameEnd)}": contains ${what}`, i);
      }
    }
    if (partial) return;
    let valueEnd = end;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;

    if (++this.#fieldCount > this.limits.maxHeaderCount) {
      this.fail('WIRE_TOO_MANY_HEADERS', `Too many header fields: over ${this.limits.maxHeaderCount}`, start, 431);
    }
    if (this.#state === State.Trailers) {
      (this.#trailers ??= new Fields()).append(latin1(buf, start, nameEnd), latin1(buf, valueStart, valueEnd));
      return;
    }
    this.#fields.add(buf, start, nameEnd, valueStart, valueEnd, buf === this.#pending);
    this.facts.note(buf, start, nameEnd, valueStart, valueEnd, this.headFailFn);
  }

  /** takeFields hands the collected header fields over as a Fields and starts afresh. */
  protected takeFields(): Fields {
    return this.#fields.take();
  }

  #endHead(): void {
    const head = this.buildHead();
    this.facts.reset();
    this.callbacks.onHead(head);
    if (this.#state === State.Failed) return;
    if (head.isUpgrade) {
      this.#state = State.Upgraded;
      this.#complete(null);
      return;
    }
    switch (head.framing) {
      case 'none':
        this.#complete(null);
        return;
      case 'length':
        if (head.contentLength === 0) {
          this.#complete(null);
        } else {
          this.#remaining = head.contentLength;
          this.#state = State.BodyLength;
        }
        return;
      case 'chunked':
        this.#state = State.ChunkSize;
        return;
      case 'close':
        this.#state = State.BodyClose;
        return;
    }
  }

  #resetMessage(): void {
    this.#headBytes = 0;
    this.#checkedLength = 0;
    this.#fieldCount = 0;
    this.#trailers = null;
    this.#remaining = 0;
  }

  #complete(trailers: Fields | null): void {
    if (this.#state !== State.Upgraded) this.#state = State.Start;
    this.#resetMessage();
    this.messageDone();
    this.callbacks.onComplete?.(trailers);
  }

  #chunkLine(buf: Buffer, start: number, end: number): void {
    this.#lineStart = start;
    const size = parseChunkLine(buf, start, end, this.limits.maxChunkExtensionSize, this.#failFn);
    if (size === 0) {
      this.#state = State.Trailers;
    } else {
      this.#remaining = size;
      this.#state = State.ChunkData;
    }
  }

  /**
   * version checks "HTTP/" DIGIT "." DIGIT at buf[start, end) and returns the minor version; with
   * partial, a valid prefix returns -1. Well-formed versions other than 1.0 and 1.1 get 505.
   */
  protected version(buf: Buffer, start: number, end: number, partial: boolean): 0 | 1 | -1 {
    const n = end - start;
    // Fast path for "HTTP/1.1" and "HTTP/1.0"; everything else takes the checking loop.
    if (
      n === 8 &&
      buf[start] === 0x48 &&
      buf[start + 1] === 0x54 &&
      buf[start + 2] === 0x54 &&
      buf[start + 3] === 0x50 &&
      buf[start + 4] === 0x2f &&
      buf[start + 5] === 0x31 &&
      buf[start + 6] === 0x2e
    ) {
      const minor = buf[start + 7];
      if (minor === 0x31) return 1;
      if (minor === 0x30) return 0;
    }
    for (let k = 0; k < Math.min(n, 8); k++) {
      const b = buf[start + k] as number;
      const ok = k < 5 ? b === HTTP_SLASH[k] : k === 6 ? b === 0x2e : b >= 0x30 && b <= 0x39;
      if (!ok) this.fail('WIRE_INVALID_VERSION', 'Invalid HTTP version', start + k);
    }
    if (n < 8) {
      if (partial) return -1;
      this.fail('WIRE_INVALID_VERSION', 'Invalid HTTP version', end);
    }
    if (n > 8) this.fail('WIRE_INVALID_VERSION', 'Invalid HTTP version: trailing characters', start + 8);
    const major = (buf[start + 5] as number) - 0x30;
    const minor = (buf[start + 7] as number) - 0x30;
    if (major === 1 && (minor === 0 || minor === 1)) return minor;
    return this.fail('WIRE_UNSUPPORTED_VERSION', `Unsupported HTTP version "${latin1(buf, start, end)}"`, start, 505);
  }

  /** skipsEmptyLines tells whether empty lines before the start line are ignored. */
  protected abstract skipsEmptyLines(): boolean;
  /** startLine checks (and, unless partial, records) the start line buf[start, end). */
  protected abstract startLine(buf: Buffer, start: number, end: number, partial: boolean): void;
  /** buildHead turns the collected start line and fields into a head. */
  protected abstract buildHead(): H;
  /** messageDone runs when a message completes. */
  protected messageDone(): void {}
}
