// One time limit (and one abort signal) over every step of a render.
import { BrowserAbortedError, BrowserError, BrowserTimeoutError } from './errors.js';

/**
 * Deadline fails whatever is raced against it once `timeout` ms have passed since it was made,
 * or once `signal` aborts. `waitingFor` names the step in the timeout's message.
 */
export class Deadline {
  readonly #expired: Promise<never>;
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #onAbort: () => void;
  waitingFor = 'the page';

  constructor(timeout: number, signal?: AbortSignal) {
    this.#signal = signal;
    let fail: (error: BrowserError) => void = () => {};
    this.#expired = new Promise<never>((_, reject) => {
      fail = reject;
    });
    this.#expired.catch(() => {});
    this.#onAbort = () => fail(new BrowserAbortedError('Render aborted', { cause: signal?.reason }));
    if (timeout > 0 && Number.isFinite(timeout)) {
      this.#timer = setTimeout(() => fail(new BrowserTimeoutError(`Timeout: ${this.waitingFor} within ${timeout} ms`)), timeout);
    }
    if (signal?.aborted === true) this.#onAbort();
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
  }

  /** race resolves like `promise`, unless the deadline passes or the signal aborts first. */
  race<T>(promise: Promise<T>, waitingFor?: string): Promise<T> {
    if (waitingFor !== undefined) this.waitingFor = waitingFor;
    return Promise.race([promise, this.#expired]);
  }

  /** clear stops the timer and forgets the signal. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}
