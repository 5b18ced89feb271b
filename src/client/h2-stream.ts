import type { Dispatch } from './types.js';

/**
 * H2Stream is the client's bookkeeping for one request on an HTTP/2 connection: its dispatch,
 * how far the response got, the bytes a paused reader holds back from the window, its timer
 * (headers timeout, then body timeout) and a wait for send window.
 */
export class H2Stream {
  readonly id: number;
  readonly d: Dispatch;
  /** isSending is set while the request body is still going out. */
  isSending = true;
  isHeadSeen = false;
  isPaused = false;
  interimCount = 0;
  /** received counts body octets; expected is the response's Content-Length, or -1. */
  received = 0;
  expected = -1;
  /** held counts received octets not yet given back to the window because the reader paused. */
  held = 0;
  readonly #onTimeout: () => void;
  #timer: NodeJS.Timeout | null = null;
  #timerMs = 0;
  #wake: (() => void) | null = null;

  constructor(id: number, d: Dispatch, onTimeout: () => void) {
    this.id = id;
    this.d = d;
    this.#onTimeout = onTimeout;
  }

  /** arm (re)starts the timer for `ms`; 0 or Infinity means none. */
  arm(ms: number): void {
    if (ms <= 0 || !Number.isFinite(ms)) {
      this.disarm();
      return;
    }
    if (this.#timer !== null && this.#timerMs === ms) {
      this.#timer.refresh();
      return;
    }
    this.disarm();
    this.#timerMs = ms;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#onTimeout();
    }, ms);
    this.#timer.unref();
  }

  /** refresh restarts a running body timer: the body timeout is about silence. */
  refresh(): void {
    if (this.isHeadSeen) this.#timer?.refresh();
  }

  disarm(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** waitForWindow resolves at the next wakeWindow(). */
  waitForWindow(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  /** wakeWindow lets a waiting sender try again (window opened, or the stream ended). */
  wakeWindow(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }
}
