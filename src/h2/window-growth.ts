// How a receive window grows. A fixed window paces a fast peer to one window per round trip
// through both ends' buffers, and costs a WINDOW_UPDATE each half window. So when credit is given
// back and the application holds at most a quarter of the window unread (it keeps up with the
// peer), the window doubles, up to a maximum. An application that falls behind or stops reading
// never grows it: what it can be made to hold is the window it had when it stopped.
import type { H2ConnectionOptions } from './connection-options.js';
import { MAX_WINDOW_SIZE } from './frames.js';
import { DEFAULT_SETTINGS } from './settings.js';

/** ReceiveWindows are the connection's receive window and how far windows may grow (octets). */
export interface ReceiveWindows {
  connection: number;
  maxStream: number;
  maxConnection: number;
}

/**
 * windowGrowth returns how much a receive window of `target` octets grows as `unacknowledged`
 * octets are given back, with `available` octets of credit still with the peer; 0 at `max`.
 */
export function windowGrowth(target: number, available: number, unacknowledged: number, max: number): number {
  if (target >= max) return 0;
  const unread = target - available - unacknowledged;
  if (unread > target / 4) return 0;
  return Math.floor(Math.min(target, max - target));
}

/** receiveWindows reads the connection's receive window and the windows' maxima from its options (whole octets, at most 2^31-1). */
export function receiveWindows(options: H2ConnectionOptions): ReceiveWindows {
  const cap = (n: number): number => Math.floor(Math.min(n, MAX_WINDOW_SIZE));
  return {
    connection: cap(options.connectionWindowSize ?? DEFAULT_SETTINGS.initialWindowSize),
    maxStream: cap(options.maxStreamWindowSize ?? 0),
    maxConnection: cap(options.maxConnectionWindowSize ?? 0),
  };
}
