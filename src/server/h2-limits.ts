// What an HTTP/2 server connection allows a client (RFC 9113 §10.5): what its SETTINGS announce,
// and budgets for frames that cost the server work but carry no request — each abuse a CVE of a
// well-known server. A budget refills at a steady rate up to its burst; spending past it ends the
// connection with GOAWAY ENHANCE_YOUR_CALM.

/** MAX_CONCURRENT_STREAMS is the SETTINGS_MAX_CONCURRENT_STREAMS a server announces and enforces (REFUSED_STREAM past it). */
export const MAX_CONCURRENT_STREAMS = 100;

/**
 * MAX_RUNNING_HANDLERS caps the handlers still running on one connection, streams reset by the
 * client included: past it, new streams are refused (the root of CVE-2023-44487 is work that goes
 * on after the client cancelled it).
 */
export const MAX_RUNNING_HANDLERS = 2 * MAX_CONCURRENT_STREAMS;

/** FloodLimit is a budget: `burst` events at once, refilled at `perSecond`. */
export interface FloodLimit {
  readonly burst: number;
  readonly perSecond: number;
}

/**
 * FLOOD_LIMITS are the budgets per connection. Browsers reset a handful of streams per page,
 * send a few SETTINGS and PINGs per connection and no empty DATA frames.
 */
export const FLOOD_LIMITS = Object.freeze({
  /** rapidReset: RST_STREAM from the client on a stream whose handler ran (CVE-2023-44487). */
  rapidReset: { burst: 100, perSecond: 50 },
  /** settings: SETTINGS frames, each owed an ACK (CVE-2019-9515). */
  settings: { burst: 100, perSecond: 10 },
  /** ping: PING frames, each owed an ACK (CVE-2019-9512). */
  ping: { burst: 100, perSecond: 10 },
  /** emptyFrames: DATA frames with no octets that do not end the stream (CVE-2019-9518). */
  emptyFrames: { burst: 100, perSecond: 10 },
} satisfies Record<string, FloodLimit>);

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
    if (this.#at !== 0) this.#tokens = Math.min(this.#limit.burst, this.#tokens + ((now - this.#at) * this.#limit.perSecond) / 1000);
    this.#at = now;
    this.#tokens -= 1;
    return this.#tokens >= 0;
  }
}
