// Range requests (RFC 9110 §14): parsing byte ranges, coalescing them, and multipart/byteranges.
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';

/** ByteRange is a satisfiable range of bytes [start, end): end is exclusive. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/**
 * RangeResult says what to do with a Range field: ignore it (serve the whole representation),
 * answer 416, or send the listed ranges (sorted and coalesced).
 */
export type RangeResult =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'unsatisfiable' }
  | { readonly kind: 'ranges'; readonly ranges: readonly ByteRange[] };

/** MAX_RANGE_SPECS caps how many range-specs one Range field may hold before we ignore it. */
export const MAX_RANGE_SPECS = 100;

const IGNORE: RangeResult = { kind: 'ignore' };
const UNSATISFIABLE: RangeResult = { kind: 'unsatisfiable' };

function parseDigits(s: string): number | undefined {
  if (s.length === 0 || s.length > 15) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(s);
}

/**
 * parseRange interprets a Range field value against a representation of `size` bytes
 * (RFC 9110 §14.1.2). Syntax errors, other units, and lists longer than MAX_RANGE_SPECS are
 * ignored (the server may ignore Range, §14.2); lists with no satisfiable range are 416.
 * Overlapping and adjacent ranges are sorted and coalesced (§14.2 allows it) so a hostile list
 * cannot make us send the same bytes many times.
 */
export function parseRange(value: string, size: number): RangeResult {
  const eq = value.indexOf('=');
  if (eq === -1 || value.slice(0, eq).trim().toLowerCase() !== 'bytes') return IGNORE;
  const specs = value.slice(eq + 1).split(',');
  if (specs.length > MAX_RANGE_SPECS) return IGNORE;
  const ranges: { start: number; end: number }[] = [];
  let sawSpec = false;
  for (const raw of specs) {
    const spec = raw.trim();
    // RFC 9110 §5.6.1: empty list elements are allowed and ignored.
    if (spec.length === 0) continue;
    sawSpec = true;
    const dash = spec.indexOf('-');
    if (dash === -1) return IGNORE;
    const firstText = spec.slice(0, dash);
    const lastText = spec.slice(dash + 1);
    if (firstText.length === 0) {
      // suffix-range: the last N bytes.
      const suffix = parseDigits(lastText);
      if (suffix === undefined) return IGNORE;
      if (suffix === 0 || size === 0) continue;
      ranges.push({ start: Math.max(0, size - suffix), end: size });
      continue;
    }
    const first = parseDigits(firstText);
    if (first === undefined) return IGNORE;
    let last: number;
    if (lastText.length === 0) {
      last = size - 1;
    } else {
      const parsed = parseDigits(lastText);
      // A last-pos below first-pos makes the spec invalid (§14.1.1): ignore the whole field.
      if (parsed === undefined || parsed < first) return IGNORE;
      last = Math.min(parsed, size - 1);
    }
    if (first >= size) continue;
    ranges.push({ start: first, end: last + 1 });
  }
  if (!sawSpec) return IGNORE;
  if (ranges.length === 0) return UNSATISFIABLE;
  return { kind: 'ranges', ranges: coalesce(ranges) };
}

/** coalesce sorts ranges by start and merges those that overlap or touch. */
export function coalesce(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && r.start <= prev.end) {
      if (r.end > prev.end) prev.end = r.end;
    } else {
      out.push({ start: r.start, end: r.end });
    }
  }
  return out;
}

/** contentRange returns a Content-Range value for a range of a representation of `size` bytes. */
export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`;
}

/** Multipart is a multipart/byteranges body plan: its Content-Type, exact length, and parts. */
export interface Multipart {
  readonly contentType: string;
  readonly length: number;
  /** heads[i] precedes ranges[i]; heads[ranges.length] is the closing delimiter. */
  readonly heads: readonly Uint8Array[];
  readonly ranges: readonly ByteRange[];
}

/**
 * planMultipart lays out a multipart/byteranges body (RFC 9110 §14.6) for the ranges of a
 * representation, so its Content-Length is known before any byte is read.
 */
export function planMultipart(ranges: readonly ByteRange[], size: number, type: string, boundary = newBoundary()): Multipart {
  const heads: Uint8Array[] = [];
  let length = 0;
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i] as ByteRange;
    const head = Buffer.from(
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: ${contentRange(range, size)}\r\n\r\n`,
      'latin1',
    );
    heads.push(head);
    length += head.length + (range.end - range.start);
  }
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  heads.push(tail);
  length += tail.length;
  return { contentType: `multipart/byteranges; boundary=${boundary}`, length, heads, ranges };
}

function newBoundary(): string {
  return `courier-${randomBytes(12).toString('hex')}`;
}

const READ_BLOCK = 64 * 1024;

/**
 * multipartFromBytes yields a planned multipart body from bytes already in memory.
 */
export async function* multipartFromBytes(plan: Multipart, bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < plan.ranges.length; i++) {
    const range = plan.ranges[i] as ByteRange;
    yield plan.heads[i] as Uint8Array;
    yield bytes.subarray(range.start, range.end);
  }
  yield plan.heads[plan.ranges.length] as Uint8Array;
}

/**
 * multipartFromFile yields a planned multipart body, reading each range from the file in blocks.
 * The file is closed when the body ends or the consumer stops early.
 */
export async function* multipartFromFile(plan: Multipart, path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    for (let i = 0; i < plan.ranges.length; i++) {
      const range = plan.ranges[i] as ByteRange;
      yield plan.heads[i] as Uint8Array;
      let position = range.start;
      while (position < range.end) {
        const want = Math.min(READ_BLOCK, range.end - position);
        const buffer = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buffer, 0, want, position);
        if (bytesRead === 0) throw new Error(`File shrank while sending ranges: ended at byte ${position}`);
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
      }
    }
    yield plan.heads[plan.ranges.length] as Uint8Array;
  } finally {
    await handle.close();
  }
}
