import { fieldValueProblem, forEachField, hasToken, reasonPhrase, tokenProblem, type FieldValue, type HeadersInit } from '../http/index.js';
import { InvalidHandlerResponseError } from './errors.js';

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: HTAB, SP, VCHAR and obs-text; no leading or trailing whitespace (RFC 9110 §5.5).
const BAD_VALUE_RE = /[^\t\x20-\x7e\x80-\xff]|^[\t ]|[\t ]$/;

/**
 * HeadPlan collects what the engine learns from the handler's header fields while writing them:
 * the fields it manages itself are left out of the serialized text.
 */
export class HeadPlan {
  /** contentLength is the handler's Content-Length value, or null. */
  contentLength: string | null = null;
  hasTransferEncoding = false;
  hasDate = false;
  /** asksClose is true when the handler's Connection field lists "close". */
  asksClose = false;
  /** out collects the serialized field lines while serializeHeaderFields walks the fields. */
  out = '';

  reset(): void {
    this.out = '';
    this.contentLength = null;
    this.hasTransferEncoding = false;
    this.hasDate = false;
    this.asksClose = false;
  }
}

const statusLines: Map<number, string>[] = [new Map(), new Map()];
const lengthLines: string[] = [];

/** contentLengthLine returns "Content-Length: n\r\n", cached for small sizes. */
export function contentLengthLine(length: number): string {
  if (length >= 4096) return `Content-Length: ${length}\r\n`;
  return (lengthLines[length] ??= `Content-Length: ${length}\r\n`);
}

/** statusLine returns "HTTP/1.x code reason\r\n", cached per version and code. */
export function statusLine(statusCode: number, versionMinor: 0 | 1): string {
  const cache = statusLines[versionMinor] as Map<number, string>;
  let line = cache.get(statusCode);
  if (line === undefined) {
    line = `HTTP/1.${versionMinor} ${statusCode} ${reasonPhrase(statusCode)}\r\n`;
    cache.set(statusCode, line);
  }
  return line;
}

const enum Kind {
  Plain,
  Date,
  Connection,
  ContentLength,
  TransferEncoding,
}

/** NameInfo remembers a validated field name and the last line written for it. */
interface NameInfo {
  kind: Kind;
  lastValue: string;
  lastLine: string;
}

// Handlers send the same few names (and often the same value strings) on every response: a
// validated name is remembered, and so is its last line, reused while the value is the same.
const names = new Map<string, NameInfo>();
const MAX_NAMES = 512;

// A handler's bad field is a bad response, like a bad status: one kind of error reaches onError.
function invalid(problem: string | null): void {
  if (problem !== null) throw new InvalidHandlerResponseError(problem);
}

function nameInfo(name: string): NameInfo {
  let info = names.get(name);
  if (info === undefined) {
    if (!TOKEN_RE.test(name)) invalid(tokenProblem(name, 'header name'));
    let kind = Kind.Plain;
    const lower = name.toLowerCase();
    if (lower === 'date') kind = Kind.Date;
    else if (lower === 'connection') kind = Kind.Connection;
    else if (lower === 'content-length') kind = Kind.ContentLength;
    else if (lower === 'transfer-encoding') kind = Kind.TransferEncoding;
    info = { kind, lastValue: '', lastLine: '' };
    if (names.size < MAX_NAMES) names.set(name, info);
  }
  return info;
}

function fieldLine(name: string, value: FieldValue, plan: HeadPlan): void {
  const v = typeof value === 'string' ? value : String(value);
  const info = nameInfo(name);
  if (info.kind === Kind.Plain && v === info.lastValue && v !== '') {
    plan.out += info.lastLine;
    return;
  }
  if (BAD_VALUE_RE.test(v)) invalid(fieldValueProblem(name, v));
  // The engine owns framing and connection fields; it writes them itself.
  switch (info.kind) {
    case Kind.Date:
      plan.hasDate = true;
      break;
    case Kind.Connection:
      if (hasToken(v, 'close')) plan.asksClose = true;
      return;
    case Kind.ContentLength:
      plan.contentLength = v;
      return;
    case Kind.TransferEncoding:
      plan.hasTransferEncoding = true;
      return;
    default:
      break;
  }
  const line = `${name}: ${v}\r\n`;
  if (info.kind === Kind.Plain) {
    info.lastValue = v;
    info.lastLine = line;
  }
  plan.out += line;
}

/**
 * serializeHeaderFields validates and writes a handler's fields, leaving out Connection,
 * Content-Length and Transfer-Encoding (recorded in plan). Invalid names or values throw
 * SERVER_INVALID_RESPONSE (as an invalid status does), so no handler can inject bytes into the response.
 */
export function serializeHeaderFields(headers: HeadersInit | undefined, plan: HeadPlan): string {
  if (headers === undefined) return '';
  plan.out = '';
  forEachField(headers, fieldLine, plan);
  const out = plan.out;
  plan.out = '';
  return out;
}
