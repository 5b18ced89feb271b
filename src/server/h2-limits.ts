// What an HTTP/2 server connection allows a client (RFC 9113 §10.5): what its SETTINGS announce,
// and budgets for frames that cost the server work but carry no request — each abuse a CVE of a
// well-known server. A budget refills at a steady rate up to its burst; spending past it ends the
// connection with GOAWAY ENHANCE_YOUR_CALM. The numbers are ServerLimits options (options.ts).
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
