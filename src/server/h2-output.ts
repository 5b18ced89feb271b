// The way out of an HTTP/2 server connection: the frames the codec produces in one tick are joined
// and leave in one socket write (one TLS record run, one syscall), and the streams that wait for
// the socket to drain wait on one list rather than each on the socket's events.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';

/** FLUSH_BYTES is how many pending octets are written at once rather than at the end of the tick. */
const FLUSH_BYTES = 64 * 1024;
/** JOIN_BYTES is the most a batch copied into one buffer holds; bigger ones go out as one corked writev. */
const JOIN_BYTES = 16 * 1024;

/**
 * H2Output batches a connection's outgoing frames: send() queues, the batch is written at the end
 * of the tick (or as soon as it holds FLUSH_BYTES), and waitDrain() parks a stream until the
 * socket has room or closes.
 */
export class H2Output {
  readonly #socket: Socket;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #isScheduled = false;
  #isClosed = false;
  #drainWaiters: Array<() => void> = [];

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('drain', this.#wake);
    socket.on('close', this.#onClose);
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

  /** flush writes what is queued now: small frames joined in one buffer, big DATA as one writev. */
  flush(): void {
    const pending = this.#pending;
    const count = pending.length;
    if (count === 0) return;
    const total = this.#pendingBytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    if (this.#isClosed) return;
    if (count === 1) this.#socket.write(pending[0] as Uint8Array);
    else if (total <= JOIN_BYTES) this.#socket.write(Buffer.concat(pending, total));
    else {
      this.#socket.cork();
      for (const bytes of pending) this.#socket.write(bytes);
      this.#socket.uncork();
    }
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
    this.#wake();
  };
}
