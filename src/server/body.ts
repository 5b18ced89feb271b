import type { Buffer } from 'node:buffer';
import { BodyConsumedError } from './errors.js';

/** BodyOwner is the connection side of a request body: told when the reader wants more bytes. */
export interface BodyOwner {
  /** bodyWanted runs when the buffer drained below the low-water mark after reading paused. */
  bodyWanted(): void;
  /** bodyStarted runs on the first read, before any byte is awaited (to send 100 Continue). */
  bodyStarted(): void;
  /** bodyTaken runs as each chunk goes to the reader (HTTP/2 returns flow-control credit then). */
  bodyTaken?(length: number): void;
}

interface Waiter {
  resolve(result: IteratorResult<Uint8Array>): void;
  reject(error: unknown): void;
}

const DONE: IteratorResult<Uint8Array> = Object.freeze({ done: true, value: undefined });

/**
 * RequestBody streams one request's content from the parser to the handler, with backpressure:
 * push() reports when more than `highWaterMark` bytes wait, and the owner hears back once the
 * reader has taken them. It is consumed once, as an async iterable.
 */
export class RequestBody implements AsyncIterable<Uint8Array>, AsyncIterator<Uint8Array> {
  #owner: BodyOwner;
  #highWaterMark: number;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #isEnded = false;
  #error: unknown = null;
  #waiter: Waiter | null = null;
  #isStarted = false;
  #isDiscarding = false;
  #isOverMark = false;
  /** received counts the bytes the parser delivered. */
  received = 0;

  constructor(owner: BodyOwner, highWaterMark: number) {
    this.#owner = owner;
    this.#highWaterMark = highWaterMark;
  }

  /** isComplete tells whether the whole body arrived from the client. */
  get isComplete(): boolean {
    return this.#isEnded;
  }

  /** isStarted tells whether a reader asked for the body. */
  get isStarted(): boolean {
    return this.#isStarted;
  }

  /** isFailed tells whether the body ended in an error. */
  get isFailed(): boolean {
    return this.#error !== null;
  }

  /**
   * push hands a slice of body bytes over (kept without a copy: Node gives every socket read its
   * own buffer). It returns false when the reader is behind and the parser should pause.
   */
  push(chunk: Buffer): boolean {
    this.received += chunk.length;
    if (this.#isDiscarding || this.#error !== null) return true;
    const waiter = this.#waiter;
    if (waiter !== null && this.#chunks.length === 0) {
      this.#waiter = null;
      this.#owner.bodyTaken?.(chunk.length);
      waiter.resolve({ done: false, value: chunk });
      return true;
    }
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    if (this.#buffered > this.#highWaterMark) {
      this.#isOverMark = true;
      return false;
    }
    return true;
  }

  /**
   * queue adds a chunk like push() but leaves a waiting reader asleep until wake(), so the chunks of
   * one socket read can still be joined: `join` may return the last queued chunk and this one as one.
   */
  queue(chunk: Buffer, join: (last: Buffer, next: Buffer) => Buffer | null): void {
    this.received += chunk.length;
    if (this.#isDiscarding || this.#error !== null) return;
    const last = this.#chunks.length - 1;
    const joined = last < 0 ? null : join(this.#chunks[last] as Buffer, chunk);
    if (joined === null) this.#chunks.push(chunk);
    else this.#chunks[last] = joined;
    this.#buffered += chunk.length;
  }

  /** wake hands a waiting reader the first queued chunk, or the end. */
  wake(): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    const chunk = this.#chunks.shift();
    if (chunk === undefined) {
      if (!this.#isEnded) return;
      this.#waiter = null;
      waiter.resolve(DONE);
      return;
    }
    this.#waiter = null;
    this.#buffered -= chunk.length;
    this.#owner.bodyTaken?.(chunk.length);
    waiter.resolve({ done: false, value: chunk });
  }

  /** end marks the body complete. */
  end(): void {
    this.#isEnded = true;
    const waiter = this.#waiter;
    if (waiter !== null && this.#chunks.length === 0) {
      this.#waiter = null;
      waiter.resolve(DONE);
    }
  }

  /** fail ends the body with an error the reader sees on its next read. */
  fail(error: unknown): void {
    if (this.#isEnded || this.#error !== null) return;
    this.#error = error;
    this.#chunks = [];
    this.#buffered = 0;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter.reject(error);
    }
  }

  /** discard drops what is buffered and every later byte: the response no longer needs them. */
  discard(): void {
    this.#isDiscarding = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#release();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    if (this.#isStarted) throw new BodyConsumedError('Request body already consumed');
    this.#isStarted = true;
    this.#owner.bodyStarted();
    return this;
  }

  next(): Promise<IteratorResult<Uint8Array>> {
    if (this.#error !== null) return Promise.reject(this.#error);
    if (this.#chunks.length > 0) {
      const chunk = this.#chunks.shift() as Buffer;
      this.#buffered -= chunk.length;
      this.#owner.bodyTaken?.(chunk.length);
      this.#release();
      return Promise.resolve({ done: false, value: chunk });
    }
    if (this.#isEnded || this.#isDiscarding) return Promise.resolve(DONE);
    if (!this.#isStarted) {
      this.#isStarted = true;
      this.#owner.bodyStarted();
    }
    return new Promise((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<Uint8Array>> {
    // A reader that stops early does not want the rest.
    this.discard();
    return Promise.resolve(DONE);
  }

  #release(): void {
    if (this.#isOverMark && this.#buffered <= this.#highWaterMark / 2) {
      this.#isOverMark = false;
      this.#owner.bodyWanted();
    }
  }
}

/** EMPTY_BODY is the body of every request without content. */
export const EMPTY_BODY: AsyncIterable<Uint8Array> = Object.freeze({
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return { next: () => Promise.resolve(DONE) };
  },
});
