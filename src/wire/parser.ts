import { Buffer } from 'node:buffer';
import { COLON, CR, FIELD_VALUE, HEX, HOST, HTAB, LF, SP, TARGET, TOKEN, latin1 } from './chars.js';
import { WireError, type WireErrorCode } from './errors.js';
import { Fields, fieldNameIs } from './fields.js';

/** ParserLimits bounds what one message may make the parser hold. */
export interface ParserLimits {
  /** maxHeadSize caps start line plus header (and trailer) lines, in bytes. Default 16 KiB. */
  maxHeadSize: number;
  /** maxHeaderCount caps header plus trailer field lines. Default 100. */
  maxHeaderCount: number;
  /** maxTargetLength caps the request-target, in bytes. Default 8 KiB. */
  maxTargetLength: number;
  /** maxChunkExtensionSize caps the extensions of one chunk-size line, in bytes. Default 1 KiB. */
  maxChunkExtensionSize: number;
}

/** DEFAULT_LIMITS are the limits a parser uses for every option left out. */
export const DEFAULT_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxHeadSize: 16 * 1024,
  maxHeaderCount: 100,
  maxTargetLength: 8 * 1024,
  maxChunkExtensionSize: 1024,
});

/**
 * BodyFraming says how the body of a message is delimited (RFC 9112 §6.3): not at all, by
 * Content-Length, by chunked transfer coding, or by the connection closing (responses only).
 */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

interface HeadCommon {
  /** versionMinor is 0 for HTTP/1.0 and 1 for HTTP/1.1. */
  versionMinor: 0 | 1;
  headers: Fields;
  /** keepAlive tells whether the connection persists after this message (RFC 9112 §9.3). */
  keepAlive: boolean;
  framing: BodyFraming;
  /** contentLength is the body length when framing is 'length', else -1. */
  contentLength: number;
  /** isUpgrade is true for CONNECT requests, 101 responses and 2xx answers to CONNECT: the parser stops after the head. */
  isUpgrade: boolean;
}

/** RequestHead is a parsed request line and header section. */
export interface RequestHead extends HeadCommon {
  method: string;
  /** target is the request-target as sent, one char per byte (latin1). */
  target: string;
}

/** ResponseHead is a parsed status line and header section. */
export interface ResponseHead extends HeadCommon {
  statusCode: number;
  reasonPhrase: string;
}

/** ParserCallbacks receive what the parser finds, in stream order. */
export interface ParserCallbacks<H> {
  onHead(head: H): void;
  /** onBody receives body bytes; the slice may view the caller's input buffer, so copy to keep it. */
  onBody?(chunk: Buffer): void;
  /** onComplete ends a message; trailers is null when the message had none. */
  onComplete?(trailers: Fields | null): void;
}

/** ParserOptions are limits plus, for responses, documented leniencies. */
export interface ParserOptions extends Partial<ParserLimits> {
  /** lenientLineEndings accepts a bare LF as a line ending. Responses only; off by default. */
  lenientLineEndings?: boolean;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
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
abstract class MessageParser<H extends HeadCommon> {
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
  /** Stream offset and buffer index of the line being processed, for error offsets. */
  #lineBase = 0;
  #lineStart = 0;

  // Per-message state.
  #headBytes = 0;
  #fieldCount = 0;
  #remaining = 0;
  #trailers: Fields | null = null;
  protected names: string[] = [];
  protected values: string[] = [];
  #offsets: number[] = [];
  #view: DataView | null = null;
  #viewOf: Buffer | null = null;
  #source: Buffer | null = null;
  #isEager = false;
  protected contentLength = -1;
  protected transferEncoding: string | null = null;
  protected hostCount = 0;
  protected isHostValid = true;
  protected hasClose = false;
  protected hasKeepAlive = false;

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

  /** isIdle tells whether the parser sits between messages with nothing buffered. */
  get isIdle(): boolean {
    return this.#state === State.Start && this.#pendingLength === 0 && this.#headBytes === 0;
  }

  /** isUpgraded tells whether the parser stopped after an upgrade head; later bytes belong to the new protocol. */
  get isUpgraded(): boolean {
    return this.#state === State.Upgraded;
  }

  /** pause stops execute() after the current message completes (call it from onComplete or onHead). */
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
            if (buf[pos] !== CR) this.#failAt('WIRE_INVALID_CHUNK_DATA', 'Invalid chunk: data not followed by CRLF', pos);
            pos++;
            this.#state = State.ChunkDataLF;
            break;
          case State.ChunkDataLF:
            if (buf[pos] !== LF) this.#failAt('WIRE_INVALID_CHUNK_DATA', 'Invalid chunk: data not followed by CRLF', pos);
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
    if (this.#source !== null) this.#toEager();
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
    const error = new WireError('WIRE_INCOMPLETE_MESSAGE', 'Incomplete message: stream ended inside a message', 400, this.#base);
    this.#state = State.Failed;
    this.#error = error;
    throw error;
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
      if (len - pos >= 8) {
        let view = this.#view;
        if (view === null || this.#viewOf !== buf) {
          view = this.#view = new DataView(buf.buffer, buf.byteOffset, buf.length);
          this.#viewOf = buf;
        }
        lf = skipPlainWords(view, pos, len);
      }
      const valueBytes = FIELD_VALUE;
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
        if (end === start && this.skipsEmptyLines()) {
          // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line.
          this.#addHeadBytes(buf, start, end, size);
          return;
        }
        this.#addHeadBytes(buf, start, end, size);
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
        if (n > this.#chunkLineCap()) this.#chunkLine(pending, 0, n);
        return;
      default:
        return;
    }
  }

  protected fail(code: WireErrorCode, message: string, index: number, status = 400): never {
    throw new WireError(code, message, status, this.#lineBase + (index - this.#lineStart));
  }

  #failAt(code: WireErrorCode, message: string, index: number, status = 400): never {
    throw new WireError(code, message, status, this.#base + index);
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
    // Keep offsets while every line of this head comes from the same input buffer; strings only
    // once the head spans buffers (see #toEager).
    if (!this.#isEager && buf !== this.#pending && (this.#source === null || this.#source === buf)) {
      this.#source = buf;
      this.#offsets.push(start, nameEnd, valueStart, valueEnd);
    } else {
      this.#toEager();
      this.names.push(latin1(buf, start, nameEnd));
      this.values.push(latin1(buf, valueStart, valueEnd));
    }
    this.#noteField(buf, start, nameEnd, valueStart, valueEnd);
  }

  // The head so far refers to a buffer the caller may reuse: decode what it holds now.
  #toEager(): void {
    if (this.#isEager) return;
    this.#isEager = true;
    const source = this.#source;
    const offsets = this.#offsets;
    if (source === null) return;
    for (let i = 0; i < offsets.length; i += 4) {
      this.names.push(latin1(source, offsets[i] as number, offsets[i + 1] as number));
      this.values.push(latin1(source, offsets[i + 2] as number, offsets[i + 3] as number));
    }
    this.#source = null;
    this.#offsets = [];
  }

  /** takeFields hands the collected header fields over as a Fields and starts afresh. */
  protected takeFields(): Fields {
    let fields: Fields;
    const source = this.#source;
    const offsets = this.#offsets;
    if (!this.#isEager && source !== null && offsets.length > 0) {
      // One string for all the field lines, so the head outlives the caller's buffer.
      const first = offsets[0] as number;
      const raw = latin1(source, first, offsets[offsets.length - 1] as number);
      for (let i = 0; i < offsets.length; i++) offsets[i] = (offsets[i] as number) - first;
      fields = Fields.fromRaw(raw, offsets);
    } else {
      fields = new Fields(this.names, this.values);
    }
    this.names = [];
    this.values = [];
    this.#offsets = [];
    this.#source = null;
    this.#isEager = false;
    return fields;
  }

  // Remember the fields that decide framing and connection handling.
  #noteField(buf: Buffer, start: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    switch (nameEnd - start) {
      case 4:
        if (fieldNameIs(buf, start, nameEnd, 'host')) {
          this.hostCount++;
          if (!isHostBytes(buf, valueStart, valueEnd)) this.isHostValid = false;
        }
        return;
      case 10:
        if (fieldNameIs(buf, start, nameEnd, 'connection')) {
          const tokens = connectionTokens(buf, valueStart, valueEnd);
          if ((tokens & CONNECTION_CLOSE) !== 0) this.hasClose = true;
          if ((tokens & CONNECTION_KEEP_ALIVE) !== 0) this.hasKeepAlive = true;
        }
        return;
      case 14:
        if (fieldNameIs(buf, start, nameEnd, 'content-length')) this.#noteContentLength(latin1(buf, valueStart, valueEnd), start);
        return;
      case 17:
        if (fieldNameIs(buf, start, nameEnd, 'transfer-encoding')) {
          const value = latin1(buf, valueStart, valueEnd);
          this.transferEncoding = this.transferEncoding === null ? value : `${this.transferEncoding},${value}`;
        }
        return;
      default:
        return;
    }
  }

  // RFC 9112 §6.3 (5): several Content-Length fields, or a list, are accepted only when every
  // value is the same; each value is 1*DIGIT (RFC 9110 §8.6), so no sign, space or hex.
  #noteContentLength(value: string, start: number): void {
    let from = 0;
    for (;;) {
      let to = value.indexOf(',', from);
      if (to === -1) to = value.length;
      let a = from;
      let b = to;
      while (a < b && (value.charCodeAt(a) === SP || value.charCodeAt(a) === HTAB)) a++;
      while (b > a && (value.charCodeAt(b - 1) === SP || value.charCodeAt(b - 1) === HTAB)) b--;
      if (a === b) this.fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": empty value`, start);
      let n = 0;
      for (let i = a; i < b; i++) {
        const d = value.charCodeAt(i) - 0x30;
        if (d < 0 || d > 9) this.fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": not a decimal number`, start);
        n = n * 10 + d;
        if (n > MAX_SAFE) this.fail('WIRE_CONTENT_LENGTH_TOO_LARGE', `Content-Length "${value}" is too large`, start, 413);
      }
      if (this.contentLength !== -1 && this.contentLength !== n) {
        this.fail('WIRE_INVALID_CONTENT_LENGTH', `Invalid Content-Length "${value}": differs from an earlier value`, start);
      }
      this.contentLength = n;
      if (to === value.length) return;
      from = to + 1;
    }
  }

  /**
   * parseTransferEncoding checks the combined Transfer-Encoding list and tells whether it ends in
   * chunked. Only chunked is understood; it may appear once, last (RFC 9112 §6.1, §7).
   */
  protected parseTransferEncoding(value: string, isRequest: boolean): boolean {
    const codings = value.split(',');
    let unknown = '';
    for (let k = 0; k < codings.length; k++) {
      const coding = (codings[k] as string).trim().toLowerCase();
      if (coding === '' || !isToken(coding)) {
        this.#headFail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": malformed list`);
      }
      if (coding === 'chunked') {
        if (k !== codings.length - 1) {
          this.#headFail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": chunked is not the final coding`);
        }
      } else if (unknown === '') {
        unknown = coding;
      }
    }
    const isChunked = (codings[codings.length - 1] as string).trim().toLowerCase() === 'chunked';
    // RFC 9112 §6.3 (4): a request whose final coding is not chunked cannot be framed: 400.
    if (isRequest && !isChunked) {
      this.#headFail('WIRE_INVALID_TRANSFER_ENCODING', `Invalid Transfer-Encoding "${value}": chunked is not the final coding`);
    }
    // RFC 9112 §6.1: a server that does not understand a transfer coding answers 501.
    if (unknown !== '') {
      this.#headFail('WIRE_UNSUPPORTED_TRANSFER_ENCODING', `Unsupported transfer coding "${unknown}"`, 501);
    }
    return isChunked;
  }

  #headFail(code: WireErrorCode, message: string, status = 400): never {
    throw new WireError(code, message, status, this.#lineBase);
  }

  protected headFail(code: WireErrorCode, message: string, status = 400): never {
    return this.#headFail(code, message, status);
  }

  #endHead(): void {
    const head = this.buildHead();
    this.hostCount = 0;
    this.isHostValid = true;
    this.hasClose = false;
    this.hasKeepAlive = false;
    this.transferEncoding = null;
    this.contentLength = -1;
    this.callbacks.onHead(head);
    if (this.#state === State.Failed) return;
    if (head.isUpgrade) {
      this.#state = State.Upgraded;
      this.#resetMessage();
      this.callbacks.onComplete?.(null);
      return;
    }
    switch (head.framing) {
      case 'none':
        this.#state = State.Start;
        this.#complete(null);
        return;
      case 'length':
        if (head.contentLength === 0) {
          this.#state = State.Start;
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

  #chunkLineCap(): number {
    // 14 hex digits already overflow 2^53; a longer line must carry over-long extensions.
    return 16 + this.limits.maxChunkExtensionSize;
  }

  // chunk = chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); chunk-ext = *( BWS ";" BWS
  // chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ), chunk-ext-val = token / quoted-string.
  #chunkLine(buf: Buffer, start: number, end: number): void {
    this.#lineStart = start;
    let partial = false;
    const cap = this.#chunkLineCap();
    if (end - start > cap) {
      end = start + cap;
      partial = true;
    }
    let i = start;
    let size = 0;
    while (i < end) {
      const h = HEX[buf[i] as number] as number;
      if (h === 255) break;
      size = size * 16 + h;
      if (size > MAX_SAFE) this.fail('WIRE_CHUNK_SIZE_TOO_LARGE', 'Chunk size too large', i, 413);
      i++;
    }
    if (i === start) {
      if (partial && i === end) return;
      this.fail('WIRE_INVALID_CHUNK_SIZE', 'Invalid chunk size: expected hex digits', i);
    }
    const extStart = i;
    while (i < end) {
      // BWS ";"
      const spaced = buf[i] === SP || buf[i] === HTAB;
      while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
      if (i === end) break;
      if (buf[i] !== 0x3b) {
        if (!spaced && i === extStart) this.fail('WIRE_INVALID_CHUNK_SIZE', 'Invalid chunk size: expected hex digits', i);
        this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: expected ";"', i);
      }
      i++;
      while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
      const nameStart = i;
      while (i < end && TOKEN[buf[i] as number] === 1) i++;
      if (i === end) break;
      if (i === nameStart) this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: empty name', i);
      let j = i;
      while (j < end && (buf[j] === SP || buf[j] === HTAB)) j++;
      if (j === end) {
        i = j;
        break;
      }
      if (buf[j] !== 0x3d) continue; // no value; the next round expects ";"
      i = j + 1;
      while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
      if (i === end) break;
      if (buf[i] === 0x22) {
        i = this.#quotedString(buf, i, end);
      } else {
        const valueStart = i;
        while (i < end && TOKEN[buf[i] as number] === 1) i++;
        if (i === valueStart) this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: bad value', i);
      }
    }
    if (i - extStart > this.limits.maxChunkExtensionSize || partial) {
      this.fail('WIRE_CHUNK_EXTENSION_TOO_LARGE', `Chunk extensions too large: over ${this.limits.maxChunkExtensionSize} bytes`, i);
    }
    // A complete line that ends in BWS, a bare name's BWS, or an unfinished quote is malformed.
    if (end > extStart) {
      const last = buf[end - 1];
      if (last === SP || last === HTAB || last === 0x3b || last === 0x3d) {
        this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: incomplete', end);
      }
    }
    if (size === 0) {
      this.#state = State.Trailers;
    } else {
      this.#remaining = size;
      this.#state = State.ChunkData;
    }
  }

  // Returns the index after the closing quote; fails on a bad byte or a missing quote.
  #quotedString(buf: Buffer, i: number, end: number): number {
    i++;
    while (i < end) {
      const b = buf[i] as number;
      if (b === 0x22) return i + 1;
      if (b === 0x5c) {
        i++;
        if (i === end) break;
        const q = buf[i] as number;
        if (q !== HTAB && (q < 0x20 || q === 0x7f)) this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: bad quoted-pair', i);
      } else if (b !== HTAB && (b < 0x20 || b === 0x7f)) {
        this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: control character in quoted value', i);
      }
      i++;
    }
    if (i - this.#lineStart >= this.#chunkLineCap()) return i;
    return this.fail('WIRE_INVALID_CHUNK_EXTENSION', 'Invalid chunk extension: unterminated quoted value', i);
  }

  /**
   * version checks "HTTP/" DIGIT "." DIGIT at buf[start, end) and returns the minor version; with
   * partial, a valid prefix returns -1. Well-formed versions other than 1.0 and 1.1 get 505.
   */
  protected version(buf: Buffer, start: number, end: number, partial: boolean): 0 | 1 | -1 {
    const n = end - start;
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

  /** keepAliveFor applies RFC 9112 §9.3 to the collected Connection values. */
  protected keepAliveFor(versionMinor: 0 | 1): boolean {
    if (versionMinor === 1) return !this.hasClose;
    return this.hasKeepAlive && !this.hasClose;
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

/**
 * skipPlainWords returns the first index from `pos` whose 4-byte word holds a byte below 0x20 or
 * 0x7f (CR, LF, HTAB or a control char); the bytes it skips are all field-vchar or SP. A SWAR
 * test: (w - 0x20202020) & ~w & 0x80808080 is non-zero exactly when some byte of w is < 0x20.
 */
function skipPlainWords(view: DataView, pos: number, len: number): number {
  while (pos + 4 <= len) {
    const w = view.getInt32(pos, true);
    const x = w ^ 0x7f7f7f7f;
    if ((((w - 0x20202020) & ~w) | ((x - 0x01010101) & ~x)) & 0x80808080) break;
    pos += 4;
  }
  return pos;
}

function isToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return false;
  }
  return s.length > 0;
}

// Common methods come back as constants, so the hot path allocates no string for them.
function methodString(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  const b0 = buf[start];
  if (n === 3 && b0 === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return 'GET';
  if (n === 4 && b0 === 0x50 && buf[start + 1] === 0x4f && buf[start + 2] === 0x53 && buf[start + 3] === 0x54) return 'POST';
  if (n === 4 && b0 === 0x48 && buf[start + 1] === 0x45 && buf[start + 2] === 0x41 && buf[start + 3] === 0x44) return 'HEAD';
  return latin1(buf, start, end);
}

/**
 * RequestParser parses a stream of HTTP/1.0 and HTTP/1.1 requests, as a server receives them.
 * Pipelined requests come out in order; onHead, onBody and onComplete fire for each.
 */
export class RequestParser extends MessageParser<RequestHead> {
  #method = '';
  #target = '';
  #versionMinor: 0 | 1 = 1;

  constructor(callbacks: ParserCallbacks<RequestHead>, options: Omit<ParserOptions, 'lenientLineEndings'> = {}) {
    super(callbacks, options);
  }

  protected skipsEmptyLines(): boolean {
    return true;
  }

  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
  protected startLine(buf: Buffer, start: number, end: number, partial: boolean): void {
    let i = start;
    while (i < end && TOKEN[buf[i] as number] === 1) i++;
    if (i === end) {
      if (partial) return;
      if (i === start) this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: empty', i);
      this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: missing request-target', i);
    }
    if (buf[i] !== SP || i === start) this.fail('WIRE_INVALID_METHOD', 'Invalid method: not a token', i);
    const methodEnd = i;
    const targetStart = ++i;
    while (i < end && TARGET[buf[i] as number] === 1) i++;
    if (i - targetStart > this.limits.maxTargetLength) {
      this.fail('WIRE_TARGET_TOO_LONG', `Request-target too long: over ${this.limits.maxTargetLength} bytes`, i, 414);
    }
    if (i === end) {
      if (partial) return;
      this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: missing HTTP version', i);
    }
    if (buf[i] !== SP) this.fail('WIRE_INVALID_TARGET', 'Invalid request-target: forbidden character', i);
    if (i === targetStart) this.fail('WIRE_INVALID_TARGET', 'Invalid request-target: empty', i);
    const targetEnd = i;
    const versionMinor = this.version(buf, i + 1, end, partial);
    if (versionMinor === -1 || partial) return;
    const method = methodString(buf, start, methodEnd);
    const target = latin1(buf, targetStart, targetEnd);
    this.#checkTargetForm(method, target, targetStart);
    this.#method = method;
    this.#target = target;
    this.#versionMinor = versionMinor;
  }

  #checkTargetForm(method: string, target: string, at: number): void {
    const fail = (message: string): never => this.fail('WIRE_INVALID_TARGET', message, at);
    if (method === 'CONNECT') {
      // authority-form: uri-host ":" port (RFC 9112 §3.2.3)
      const colon = target.lastIndexOf(':');
      if (colon <= 0 || colon === target.length - 1 || !isHost(target) || !/^[0-9]+$/.test(target.slice(colon + 1))) {
        fail(`Invalid request-target "${target}": CONNECT needs host:port`);
      }
      return;
    }
    if (target.charCodeAt(0) === 0x2f) return; // origin-form
    if (target === '*') {
      if (method !== 'OPTIONS') fail('Invalid request-target "*": only OPTIONS may use asterisk-form');
      return;
    }
    // absolute-form: scheme ":" hier-part (RFC 3986 §3.1)
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target)) fail(`Invalid request-target "${target.slice(0, 64)}"`);
  }

  protected buildHead(): RequestHead {
    const versionMinor = this.#versionMinor;
    if (this.hostCount > 1) this.headFail('WIRE_DUPLICATE_HOST', 'Invalid request: more than one Host field');
    // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks Host.
    if (this.hostCount === 0 && versionMinor === 1) this.headFail('WIRE_MISSING_HOST', 'Invalid request: missing Host field');
    if (!this.isHostValid) this.headFail('WIRE_INVALID_HOST', 'Invalid Host: not a host[:port]');
    let framing: BodyFraming = 'none';
    let contentLength = -1;
    if (this.transferEncoding !== null) {
      // RFC 9112 §6.1: TE in HTTP/1.0 is a sign of a faulty or smuggling intermediary.
      if (versionMinor === 0) this.headFail('WIRE_TRANSFER_ENCODING_IN_HTTP10', 'Invalid request: Transfer-Encoding in HTTP/1.0');
      // RFC 9112 §6.3 (3): TE with Content-Length is how requests are smuggled; reject outright.
      if (this.contentLength !== -1) {
        this.headFail('WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH', 'Invalid request: both Transfer-Encoding and Content-Length');
      }
      this.parseTransferEncoding(this.transferEncoding, true);
      framing = 'chunked';
    } else if (this.contentLength !== -1) {
      framing = 'length';
      contentLength = this.contentLength;
    }
    const isConnect = this.#method === 'CONNECT';
    return {
      method: this.#method,
      target: this.#target,
      versionMinor,
      headers: this.takeFields(),
      keepAlive: this.keepAliveFor(versionMinor),
      framing: isConnect ? 'none' : framing,
      contentLength: isConnect ? -1 : contentLength,
      isUpgrade: isConnect,
    };
  }
}

function isHostBytes(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (HOST[buf[i] as number] !== 1) return false;
  }
  return true;
}

const CONNECTION_CLOSE = 1;
const CONNECTION_KEEP_ALIVE = 2;

/**
 * connectionTokens reads the comma-separated Connection list in buf[start, end) in one pass and
 * returns CONNECTION_CLOSE and CONNECTION_KEEP_ALIVE bits for the options it names (any case).
 */
function connectionTokens(buf: Buffer, start: number, end: number): number {
  let found = 0;
  let i = start;
  while (i <= end) {
    let j = i;
    while (j < end && buf[j] !== 0x2c) j++;
    let a = i;
    let b = j;
    while (a < b && (buf[a] === SP || buf[a] === HTAB)) a++;
    while (b > a && (buf[b - 1] === SP || buf[b - 1] === HTAB)) b--;
    if (fieldNameIs(buf, a, b, 'close')) found |= CONNECTION_CLOSE;
    else if (fieldNameIs(buf, a, b, 'keep-alive')) found |= CONNECTION_KEEP_ALIVE;
    i = j + 1;
  }
  return found;
}

function isHost(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0x7f || HOST[c] !== 1) return false;
  }
  return true;
}

/**
 * ResponseParser parses a stream of HTTP/1.0 and HTTP/1.1 responses, as a client receives them.
 * Tell it each request's method with expectResponseTo() so HEAD and CONNECT answers frame right.
 */
export class ResponseParser extends MessageParser<ResponseHead> {
  #methods: string[] = [];
  #statusCode = 0;
  #reasonPhrase = '';
  #versionMinor: 0 | 1 = 1;

  constructor(callbacks: ParserCallbacks<ResponseHead>, options: ParserOptions = {}) {
    super(callbacks, options);
  }

  /** expectResponseTo queues the method of a request sent, in order; unqueued responses count as GET. */
  expectResponseTo(method: string): void {
    this.#methods.push(method.toUpperCase());
  }

  protected skipsEmptyLines(): boolean {
    return false;
  }

  // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); a missing
  // final SP is tolerated because many servers omit it.
  protected startLine(buf: Buffer, start: number, end: number, partial: boolean): void {
    const n = end - start;
    const versionMinor = this.version(buf, start, start + Math.min(n, 8), partial && n < 8);
    if (versionMinor === -1) return;
    let i = start + 8;
    if (i >= end) {
      if (partial) return;
      this.fail('WIRE_INVALID_STATUS', 'Invalid status line: missing status code', i);
    }
    if (buf[i] !== SP) this.fail('WIRE_INVALID_VERSION', 'Invalid HTTP version', i);
    i++;
    let status = 0;
    for (let k = 0; k < 3; k++, i++) {
      if (i >= end) {
        if (partial) return;
        this.fail('WIRE_INVALID_STATUS', 'Invalid status code: expected three digits', i);
      }
      const d = (buf[i] as number) - 0x30;
      if (d < 0 || d > 9) this.fail('WIRE_INVALID_STATUS', 'Invalid status code: expected three digits', i);
      status = status * 10 + d;
    }
    if (status < 100) this.fail('WIRE_INVALID_STATUS', `Invalid status code "${status}"`, i - 3);
    let reason = '';
    if (i < end) {
      if (buf[i] !== SP) this.fail('WIRE_INVALID_STATUS', 'Invalid status line: expected SP after status code', i);
      for (let k = i + 1; k < end; k++) {
        if (FIELD_VALUE[buf[k] as number] !== 1) this.fail('WIRE_INVALID_STATUS', 'Invalid reason phrase: control character', k);
      }
      reason = latin1(buf, i + 1, end);
    }
    if (partial) return;
    this.#statusCode = status;
    this.#reasonPhrase = reason;
    this.#versionMinor = versionMinor;
  }

  protected buildHead(): ResponseHead {
    const status = this.#statusCode;
    const versionMinor = this.#versionMinor;
    const method = this.#methods[0] ?? 'GET';
    let framing: BodyFraming;
    let contentLength = -1;
    let isUpgrade = false;
    if (status < 200) {
      framing = 'none';
      isUpgrade = status === 101;
    } else if (method === 'CONNECT' && status < 300) {
      framing = 'none';
      isUpgrade = true;
    } else if (method === 'HEAD' || status === 204 || status === 304) {
      // RFC 9112 §6.3 (1): these responses never have content, whatever the fields say.
      framing = 'none';
    } else if (this.transferEncoding !== null) {
      if (versionMinor === 0) this.headFail('WIRE_TRANSFER_ENCODING_IN_HTTP10', 'Invalid response: Transfer-Encoding in HTTP/1.0');
      if (this.contentLength !== -1) {
        this.headFail('WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH', 'Invalid response: both Transfer-Encoding and Content-Length');
      }
      framing = this.parseTransferEncoding(this.transferEncoding, false) ? 'chunked' : 'close';
    } else if (this.contentLength !== -1) {
      framing = 'length';
      contentLength = this.contentLength;
    } else {
      framing = 'close';
    }
    return {
      statusCode: status,
      reasonPhrase: this.#reasonPhrase,
      versionMinor,
      headers: this.takeFields(),
      keepAlive: framing !== 'close' && this.keepAliveFor(versionMinor),
      framing,
      contentLength,
      isUpgrade,
    };
  }

  protected override messageDone(): void {
    // 1xx (other than 101) are interim: the final response to the same request follows.
    if (this.#statusCode >= 200 || this.#statusCode === 101) this.#methods.shift();
  }
}

