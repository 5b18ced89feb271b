import { Buffer } from 'node:buffer';
import { AbortError, BodyUsedError } from './errors.js';

/** BodyControl lets a body slow down or stop the connection it reads from. */
export interface BodyControl {
  pause(): void;
  resume(): void;
  /** cancel stops delivery for good; the connection cannot be reused. */
  cancel(reason: Error): void;
}

/** HIGH_WATER_MARK is how many unread bytes a body queues before it pauses its socket. */
const HIGH_WATER_MARK = 256 * 1024;
/** DUMP_LIMIT is how many unread bytes dump() drains to keep a connection; past it, it cancels. */
const DUMP_LIMIT = 1024 * 1024;

const OPEN = 0;
const ENDED = 1;
const FAILED = 2;

const decoder = new TextDecoder();

/**
 * ResponseBody is a response's content as an async iterable of Uint8Array, with helpers that read
 * it whole. It can be consumed once. Bytes arrive by push() from the connection, or are pulled
 * from a source iterable (a decompressor).
 */
export class ResponseBody implements AsyncIterable<Uint8Array> {
  #queue: Uint8Array[] = [];
  #queued = 0;
  #state = OPEN;
  #error: Error | null = null;
  #wake: (() => void) | null = null;
  #control: BodyControl | null;
  #isPaused = false;
  #isUsed = false;
  #isCollecting = false;
  #isDiscarding = false;
  #received = 0;
  #source: AsyncIterable<Uint8Array> | null = null;
  #raw: ResponseBody | null = null;

  constructor(control: BodyControl | null) {
    this.#control = control;
  }

  /**
   * ResponseBody.from wraps a pull source, such as a decompressing generator over `raw`; dumping
   * it dumps the raw bytes without decoding them.
   */
  static from(source: AsyncIterable<Uint8Array>, raw: ResponseBody): ResponseBody {
    const body = new ResponseBody({ pause() {}, resume() {}, cancel: (e) => raw.cancel(e) });
    body.#source = source;
    body.#raw = raw;
    return body;
  }

  /** ResponseBody.empty is an already ended body, for HEAD, 204 and 304. */
  static empty(): ResponseBody {
    const body = new ResponseBody(null);
    body.#state = ENDED;
    return body;
  }

  /** bodyUsed tells whether a reader has started on this body. */
  get bodyUsed(): boolean {
    return this.#isUsed;
  }

  /** isDone tells whether the body has ended or failed. */
  get isDone(): boolean {
    return this.#state !== OPEN;
  }

  /** receivedBytes counts the bytes delivered so far. */
  get receivedBytes(): number {
    return this.#received;
  }

  /** push adds bytes from the connection; the chunk is kept as is (no copy). */
  push(chunk: Uint8Array): void {
    if (this.#state !== OPEN) return;
    this.#received += chunk.length;
    if (this.#isDiscarding) {
      if (this.#received > DUMP_LIMIT) this.#control?.cancel(new AbortError('Body discarded'));
      return;
    }
    this.#queue.push(chunk);
    this.#queued += chunk.length;
    if (!this.#isCollecting && this.#queued > HIGH_WATER_MARK && !this.#isPaused && this.#control !== null) {
      this.#isPaused = true;
      this.#control.pause();
    }
    this.#notify();
  }

  /** end marks the body complete. */
  end(): void {
    if (this.#state !== OPEN) return;
    this.#state = ENDED;
    this.#notify();
  }

  /**
   * fail ends the body with an error that readers will see. Bytes that arrived before it stay
   * queued: an iterating reader gets every one of them, then the error (never lost data).
   */
  fail(error: Error): void {
    if (this.#state !== OPEN) return;
    this.#state = FAILED;
    this.#error = error;
    this.#notify();
  }

  /** #discard drops what is queued: nobody will read it. */
  #discard(): void {
    this.#queue = [];
    this.#queued = 0;
  }

  #notify(): void {
    const wake = this.#wake;
    if (wake !== null) {
      this.#wake = null;
      wake();
    }
  }

  #use(): void {
    if (this.#isUsed) throw new BodyUsedError('Body already used: a response body can be read once');
    this.#isUsed = true;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  async *#iterate(): AsyncGenerator<Uint8Array> {
    if (this.#source !== null) {
      yield* this.#source;
      return;
    }
    let completed = false;
    try {
      for (;;) {
        if (this.#queue.length > 0) {
          const chunk = this.#queue.shift() as Uint8Array;
          this.#queued -= chunk.length;
          if (this.#isPaused && this.#queued <= HIGH_WATER_MARK / 2) {
            this.#isPaused = false;
            this.#control?.resume();
          }
          yield chunk;
          continue;
        }
        if (this.#state === FAILED) throw this.#error as Error;
        if (this.#state === ENDED) {
          completed = true;
          return;
        }
        await this.#wait();
      }
    } finally {
      // A reader that stops early leaves bytes on the socket: the connection cannot be reused.
      if (!completed && this.#state === OPEN) {
        this.#control?.cancel(new AbortError('Body reading stopped early'));
        this.fail(new AbortError('Body reading stopped early'));
      }
      if (!completed) this.#discard();
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    this.#use();
    return this.#iterate();
  }

  /** bytes reads the whole body into one Uint8Array. */
  async bytes(): Promise<Uint8Array> {
    if (this.#source !== null) {
      const parts: Uint8Array[] = [];
      for await (const chunk of this) parts.push(chunk);
      return concat(parts);
    }
    this.#use();
    this.#isCollecting = true;
    if (this.#isPaused) {
      this.#isPaused = false;
      this.#control?.resume();
    }
    while (this.#state === OPEN) await this.#wait();
    if (this.#state === FAILED) {
      this.#discard();
      throw this.#error as Error;
    }
    const parts = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    return concat(parts);
  }

  /** arrayBuffer reads the whole body into an ArrayBuffer. */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    // Buffer#slice is a view (its .buffer is the whole pooled allocation): copy the bytes.
    return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
  }

  /** text reads the whole body and decodes it as UTF-8. */
  async text(): Promise<string> {
    return decoder.decode(await this.bytes());
  }

  /** json reads the whole body and parses it as JSON. */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  /**
   * dump reads and discards the body so the connection can serve the next request. Past 1 MiB it
   * gives up and closes the connection instead.
   */
  async dump(): Promise<void> {
    if (this.#isUsed) return;
    if (this.#raw !== null) {
      this.#isUsed = true;
      return this.#raw.dump();
    }
    this.#isUsed = true;
    this.#isDiscarding = true;
    this.#queue = [];
    this.#queued = 0;
    if (this.#isPaused) {
      this.#isPaused = false;
      this.#control?.resume();
    }
    if (this.#received > DUMP_LIMIT && this.#state === OPEN) {
      this.#control?.cancel(new AbortError('Body discarded'));
      return;
    }
    while (this.#state === OPEN) await this.#wait();
  }

  /** cancel stops reading and closes the connection if bytes are still coming. */
  cancel(reason?: Error): void {
    if (this.#state !== OPEN) return;
    const error = reason ?? new AbortError('Body cancelled');
    this.#control?.cancel(error);
    this.fail(error);
    this.#discard();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  if (parts.length === 0) return new Uint8Array(0);
  return Buffer.concat(parts);
}
