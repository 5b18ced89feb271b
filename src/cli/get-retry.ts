// `courier get --retry N`: which failures are transient, and how long to wait, as curl does.
import { ClientError } from '../client/index.js';

/** RETRY_STATUSES are the HTTP statuses curl counts as transient. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/** MAX_RETRY_WAIT bounds one wait, whatever Retry-After asks (curl's 10-minute cap). */
export const MAX_RETRY_WAIT = 600_000;

const TRANSIENT_CODES = new Set(['CLIENT_CONNECT_TIMEOUT', 'CLIENT_HEADERS_TIMEOUT', 'CLIENT_BODY_TIMEOUT', 'CLIENT_TIMEOUT', 'CLIENT_DNS']);

/** isTransientError tells whether a failed attempt may be retried: timeouts and DNS, refusals if asked. */
export function isTransientError(error: unknown, retryConnRefused: boolean): boolean {
  if (!ClientError.is(error)) return false;
  return TRANSIENT_CODES.has(error.code) || (retryConnRefused && error.code === 'CLIENT_CONNECT_REFUSED');
}

/**
 * retryDelay is how long to wait before retry number `retry` (0 for the first): Retry-After in
 * seconds or as an HTTP date when given (RFC 9110 §10.2.3), else 1 s doubling each time;
 * never more than MAX_RETRY_WAIT.
 */
export function retryDelay(retry: number, retryAfter: string | undefined, now = Date.now()): number {
  if (retryAfter !== undefined) {
    const text = retryAfter.trim();
    if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_WAIT);
    const at = Date.parse(text);
    if (!Number.isNaN(at)) return Math.min(Math.max(0, at - now), MAX_RETRY_WAIT);
  }
  return Math.min(1000 * 2 ** Math.min(retry, 20), MAX_RETRY_WAIT);
}
