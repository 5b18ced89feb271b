// Flow-control windows (RFC 9113 §5.2, §6.9): a window shrinks by each DATA frame's full payload,
// grows by WINDOW_UPDATE, moves by the change of SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2), may go
// negative through such a change, and may never exceed 2^31-1.
import { MAX_WINDOW_SIZE } from './frames.js';

/** FlowWindow is one flow-control window: of a stream or of the connection, for sending or receiving. */
export class FlowWindow {
  #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** size is the number of octets the window still allows (negative after a lowered initial size). */
  get size(): number {
    return this.#size;
  }

  /** consume takes `octets` from the window; false when it had fewer (a FLOW_CONTROL_ERROR for received DATA). */
  consume(octets: number): boolean {
    this.#size -= octets;
    return this.#size >= 0;
  }

  /** increase adds a WINDOW_UPDATE increment or a settings change; false (and unchanged) past 2^31-1 (§6.9.1). */
  increase(octets: number): boolean {
    if (this.#size + octets > MAX_WINDOW_SIZE) return false;
    this.#size += octets;
    return true;
  }
}
