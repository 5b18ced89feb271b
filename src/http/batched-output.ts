// The way out of an HTTP/2 connection, server or client: the frames the codec produces in one
// tick are joined and leave in one socket write (one TLS record run, one syscall), a big block of
// frames laid out in place leaves alone (no copy into a joined buffer), and the streams that wait
// for the socket to drain wait on one list rather than each on the socket's events.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';

/** FLUSH_BYTES is how many pending octets are written at once rather than at the end of the tick. */
const FLUSH_BYTES = 64 * 1024;
/** JOIN_BYTES is the most a batch copied into one buffer holds; bigger ones go out as one corked writev. */
const JOIN_BYTES = 16 * 1024;
/**
 * BLOCK_BYTES is the size from which a piece is written on its own, after what was queued before
 * it: corked with other pieces it would be copied once more (TLS joins a writev into one buffer).
 */
const BLOCK_BYTES = FLUSH_BYTES;

/**
 * BatchedOutput batches a connection's outgoing frames: send() queues, the batch is written at the end
 * of the tick (or as soon as it holds FLUSH_BYTES), and waitDrain() parks a stream until the
 * socket has room or closes.
 */
export class BatchedOutput {
  readonly #socket: Socket;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #isScheduled = false;
  #isClosed = false;
  #drainWaiters: Array<() => void> = [];
  // Called once the pending batch is written, and once the last batch handed to the socket is.
  #pendingWritten: Array<() => void> = [];
  #lastWritten: Array<() => void> | null = null;

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('drain', this.#wake);
    socket.on('close', this.#onClose);
  }

  /** isClosed tells whether the socket closed: nothing more goes out. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** needsDrain tells whether the socket's buffer is full: a writer should waitDrain(). */
  get needsDrain(): boolean {
    return this.#socket.writableNeedDrain;
  }

  /** send queues `bytes` (which must not change until written) for the next write. */
  send(bytes: Uint8Array): void {
    if (this.#isClosed) return;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.#isScheduled) {
      this.#isScheduled = true;
      process.nextTick(this.#flushTick);
    }
  }

  /**
   * whenWritten calls `onWritten` once everything sent so far has been written by the socket (TLS
   * encrypted it, the kernel took it): then the memory it viewed may be reused. Never called if the
   * connection closes first (the memory is then left to the garbage collector).
   */
  whenWritten(onWritten: () => void): void {
    if (this.#isClosed) return;
    if (this.#pending.length > 0) this.#pendingWritten.push(onWritten);
    else if (this.#lastWritten !== null) this.#lastWritten.push(onWritten);
    else process.nextTick(onWritten);
  }

  /** flush writes what is queued now: small frames joined in one buffer, big DATA as one writev, blocks alone. */
  flush(): void {
    const pending = this.#pending;
    const count = pending.length;
    if (count === 0) return;
    const callbacks = this.#pendingWritten;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingWritten = [];
    if (this.#isClosed) return;
    const done = this.#afterWrite(callbacks);
    // Runs of pieces between blocks go out as one write each; a block goes out alone.
    let from = 0;
    let runBytes = 0;
    for (let i = 0; i < count; i++) {
      const bytes = pending[i] as Uint8Array;
      if (bytes.length < BLOCK_BYTES) {
        runBytes += bytes.length;
        continue;
      }
      this.#writeRun(pending, from, i, runBytes, undefined);
      this.#socket.write(bytes, i === count - 1 ? done : undefined);
      from = i + 1;
      runBytes = 0;
    }
    this.#writeRun(pending, from, count, runBytes, done);
  }

  // Writes pending[from, to), `bytes` octets, as one write: alone, joined when small, else one corked writev.
  #writeRun(pending: Uint8Array[], from: number, to: number, bytes: number, onWritten: (() => void) | undefined): void {
    const socket = this.#socket;
    if (to === from) return;
    if (to - from === 1) {
      socket.write(pending[from] as Uint8Array, onWritten);
      return;
    }
    if (bytes <= JOIN_BYTES) {
      socket.write(Buffer.concat(from === 0 && to === pending.length ? pending : pending.slice(from, to), bytes), onWritten);
      return;
    }
    socket.cork();
    for (let i = from; i < to; i++) socket.write(pending[i] as Uint8Array, i === to - 1 ? onWritten : undefined);
    socket.uncork();
  }

  // The write callback of a batch: runs the batch's callbacks, and those added while it was the last.
  #afterWrite(callbacks: Array<() => void>): () => void {
    const list = callbacks;
    this.#lastWritten = list;
    return () => {
      if (this.#lastWritten === list) this.#lastWritten = null;
      for (const onWritten of list) onWritten();
    };
  }

  /** waitDrain resolves once the socket drains or closes. */
  waitDrain(): Promise<void> {
    if (this.#isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#drainWaiters.push(resolve);
    });
  }

  #flushTick = (): void => {
    this.#isScheduled = false;
    this.flush();
  };

  #wake = (): void => {
    const waiters = this.#drainWaiters;
    if (waiters.length === 0) return;
    this.#drainWaiters = [];
    for (const resolve of waiters) resolve();
  };

  #onClose = (): void => {
    this.#isClosed = true;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingWritten = [];
    this.#lastWritten = null;
    this.#wake();
  };
}
