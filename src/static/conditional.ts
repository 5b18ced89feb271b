// Conditional requests (RFC 9110 §13), evaluated from validators alone, before any file is read.
import type { Fields } from '../http/index.js';
import { parseHttpDate } from '../http/index.js';
import { parseTagList, splitETag, strongMatch, weakMatch } from './etag.js';

/** Validators are what a representation can be compared with: its ETag and modification time. */
export interface Validators {
  /** etag is the ETag header value, e.g. `"abc"`. */
  readonly etag: string;
  /** lastModified is the modification time in milliseconds (compared to the second). */
  readonly lastModified: number;
  /** lastModifiedText is the Last-Modified header value (an IMF-fixdate) for an exact-match fast path. */
  readonly lastModifiedText?: string;
}

/** Precondition is the outcome: go on with the request, or answer 304 or 412 at once. */
export type Precondition = 'proceed' | 304 | 412;

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}

// Most requests carry none of the conditional fields: get() answers that without an array.
function sole(headers: Fields, name: string): string | undefined {
  if (headers.get(name) === undefined) return undefined;
  const all = headers.getAll(name);
  if (all.length === 0) return undefined;
  return all.join(', ');
}

function matchesTagList(value: string, etag: string, strong: boolean): boolean | undefined {
  const list = parseTagList(value);
  if (list === null) return undefined;
  if (list.isAny) return true;
  const ours = splitETag(etag);
  for (const tag of list.tags) {
    if (strong ? strongMatch(tag, ours) : weakMatch(tag, ours)) return true;
  }
  return false;
}

function dateOf(headers: Fields, name: string, v: Validators): number | undefined {
  if (headers.get(name) === undefined) return undefined;
  const all = headers.getAll(name);
  // RFC 9110 §13.1.3/§13.1.4: ignore the field unless it holds exactly one valid HTTP-date.
  if (all.length !== 1) return undefined;
  const text = all[0] as string;
  if (text === v.lastModifiedText) return v.lastModified;
  return parseHttpDate(text);
}

/**
 * checkPreconditions evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since
 * in the order of RFC 9110 §13.2.2 for a GET or HEAD of an existing representation. Malformed
 * fields are ignored. It returns 304 (not modified), 412 (precondition failed) or 'proceed'.
 */
export function checkPreconditions(method: string, headers: Fields, v: Validators): Precondition {
  const isRead = method === 'GET' || method === 'HEAD';
  // Step 1: If-Match, strong comparison (§13.1.1).
  const ifMatch = sole(headers, 'if-match');
  if (ifMatch !== undefined) {
    if (matchesTagList(ifMatch, v.etag, true) === false) return 412;
  } else {
    // Step 2: If-Unmodified-Since, only without If-Match (§13.1.4).
    const since = dateOf(headers, 'if-unmodified-since', v);
    if (since !== undefined && seconds(v.lastModified) > seconds(since)) return 412;
  }
  // Step 3: If-None-Match, weak comparison (§13.1.2).
  const ifNoneMatch = sole(headers, 'if-none-match');
  if (ifNoneMatch !== undefined) {
    if (matchesTagList(ifNoneMatch, v.etag, false) === true) return isRead ? 304 : 412;
  } else if (isRead) {
    // Step 4: If-Modified-Since, only without If-None-Match and for GET/HEAD (§13.1.3).
    const since = dateOf(headers, 'if-modified-since', v);
    if (since !== undefined && seconds(v.lastModified) <= seconds(since)) return 304;
  }
  return 'proceed';
}

/**
 * ifRangeAllows tells whether a Range request may be honoured given its If-Range value
 * (RFC 9110 §13.1.5): an entity-tag must match strongly, a date must equal Last-Modified exactly.
 * Without If-Range it returns true.
 */
export function ifRangeAllows(ifRange: string | undefined, v: Validators): boolean {
  if (ifRange === undefined) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) {
    const list = parseTagList(value);
    if (list === null || list.isAny || list.tags.length !== 1) return false;
    return strongMatch(list.tags[0] as { isWeak: boolean; opaque: string }, splitETag(v.etag));
  }
  if (value === v.lastModifiedText) return true;
  const date = parseHttpDate(value);
  return date !== undefined && seconds(date) === seconds(v.lastModified);
}
