// What an HTTP/2 server connection allows a client (RFC 9113 §10.5): what its SETTINGS announce,
// and budgets for frames that cost the server work but carry no request — each abuse a CVE of a
// well-known server. A budget refills at a steady rate up to its burst; spending past it ends the
// connection with GOAWAY ENHANCE_YOUR_CALM. The numbers are ServerLimits options (options.ts).
import { FrameType, H2ConnectionError, type Frame } from '../h2/index.js';
import type { ResolvedLimits } from './options.js';

/** FloodLimit is a budget: `burst` events at once, refilled at `perSecond`; a burst of 0 disables it. */
export interface FloodLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/** H2Limits are the HTTP/2 limits of one server, derived from its ServerLimits once. */
export interface H2Limits {
  /** maxConcurrentStreams is announced as SETTINGS_MAX_CONCURRENT_STREAMS and enforced (REFUSED_STREAM past it); 0: none. */
  readonly maxConcurrentStreams: number;
  /**
   * maxRunningHandlers caps the handlers still running on one connection, streams reset by the
   * client included: past it, new streams are refused (the root of CVE-2023-44487 is work that goes
   * on after the client cancelled it). Twice maxConcurrentStreams.
   */
  readonly maxRunningHandlers: number;
  /** maxContinuations caps the CONTINUATION frames of one header block (CVE-2024-27316). */
  readonly maxContinuations: number;
  /** rapidReset budgets RST_STREAM from the client on a stream whose handler ran (CVE-2023-44487). */
  readonly rapidReset: FloodLimit;
  /** control budgets each of SETTINGS (CVE-2019-9515), PING (CVE-2019-9512), PRIORITY and empty DATA (CVE-2019-9518). */
  readonly control: FloodLimit;
}

/** h2Limits derives the HTTP/2 limits from a server's resolved limits (0 disables each). */
export function h2Limits(limits: ResolvedLimits): H2Limits {
  const streams = limits.maxConcurrentStreams;
  return {
    maxConcurrentStreams: streams,
    maxRunningHandlers: streams === 0 ? Infinity : 2 * streams,
    maxContinuations: limits.maxContinuationFrames === 0 ? Infinity : limits.maxContinuationFrames,
    rapidReset: { burst: limits.maxResetBurst, perSecond: limits.maxResetsPerSecond },
    control: { burst: limits.maxControlFrameBurst, perSecond: limits.maxControlFramesPerSecond },
  };
}

/** FloodBudget counts one kind of event against a FloodLimit (a token bucket). */
export class FloodBudget {
  readonly #limit: FloodLimit;
  #tokens: number;
  #at = 0;

  constructor(limit: FloodLimit) {
    this.#limit = limit;
    this.#tokens = limit.burst;
  }

  /** spend takes one event at time `now` (ms); false when the budget is exhausted. */
  spend(now: number): boolean {
    if (this.#limit.burst === 0) return true;
    if (this.#at !== 0) this.#tokens = Math.min(this.#limit.burst, this.#tokens + ((now - this.#at) * this.#limit.perSecond) / 1000);
    this.#at = now;
    this.#tokens -= 1;
    return this.#tokens >= 0;
  }
}

/** FloodGuard holds one connection's budgets and tells when the client went past one. */
export class FloodGuard {
  readonly #limits: H2Limits;
  readonly #rapidReset: FloodBudget;
  readonly #settings: FloodBudget;
  readonly #ping: FloodBudget;
  readonly #priority: FloodBudget;
  readonly #emptyData: FloodBudget;

  constructor(limits: H2Limits) {
    this.#limits = limits;
    this.#rapidReset = new FloodBudget(limits.rapidReset);
    this.#settings = new FloodBudget(limits.control);
    this.#ping = new FloodBudget(limits.control);
    this.#priority = new FloodBudget(limits.control);
    this.#emptyData = new FloodBudget(limits.control);
  }

  /**
   * frame counts a received frame at the time `clock` tells (read only for the frame types that have
   * a budget); it returns the error to end the connection with, or null.
   */
  frame(frame: Frame, clock: () => number): H2ConnectionError | null {
    let budget: FloodBudget;
    let kind: string;
    if (frame.type === FrameType.SETTINGS && !frame.ack) [budget, kind] = [this.#settings, 'SETTINGS'];
    else if (frame.type === FrameType.PING && !frame.ack) [budget, kind] = [this.#ping, 'PING'];
    else if (frame.type === FrameType.PRIORITY) [budget, kind] = [this.#priority, 'PRIORITY'];
    else if (frame.type === FrameType.DATA && frame.length === 0 && !frame.endStream) [budget, kind] = [this.#emptyData, 'empty DATA'];
    else return null;
    return budget.spend(clock()) ? null : floodError('H2_FRAME_FLOOD', `Too many ${kind} frames`, this.#limits.control);
  }

  /** reset counts a client's RST_STREAM on a stream whose handler ran; it returns the error to end the connection with, or null. */
  reset(now: number): H2ConnectionError | null {
    return this.#rapidReset.spend(now) ? null : floodError('H2_RAPID_RESET', 'Too many streams reset by the client', this.#limits.rapidReset);
  }
}

// RFC 9113 §10.5: a client that spends past a budget is told ENHANCE_YOUR_CALM.
function floodError(code: 'H2_FRAME_FLOOD' | 'H2_RAPID_RESET', what: string, limit: FloodLimit): H2ConnectionError {
  return new H2ConnectionError(code, `${what}: more than ${limit.burst} at once, then ${limit.perSecond} a second (RFC 9113 §10.5)`);
}
