import { Fields, assertFieldValue, assertToken, reasonPhrase, type FieldValue, type HeadersInit } from '../wire/index.js';

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

  reset(): void {
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

function nameInfo(name: string): NameInfo {
  let info = names.get(name);
  if (info === undefined) {
    if (!TOKEN_RE.test(name)) assertToken(name, 'header name');
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

function fieldLine(name: string, value: FieldValue, plan: HeadPlan): string {
  const v = typeof value === 'string' ? value : String(value);
  const info = nameInfo(name);
  if (info.kind === Kind.Plain && v === info.lastValue && v !== '') return info.lastLine;
  if (BAD_VALUE_RE.test(v)) assertFieldValue(name, v);
  // The engine owns framing and connection fields; it writes them itself.
  switch (info.kind) {
    case Kind.Date:
      plan.hasDate = true;
      break;
    case Kind.Connection:
      if (/(^|,)[\t ]*close[\t ]*(,|$)/i.test(v)) plan.asksClose = true;
      return '';
    case Kind.ContentLength:
      plan.contentLength = v;
      return '';
    case Kind.TransferEncoding:
      plan.hasTransferEncoding = true;
      return '';
    default:
      break;
  }
  const line = `${name}: ${v}\r\n`;
  if (info.kind === Kind.Plain) {
    info.lastValue = v;
    info.lastLine = line;
  }
  return line;
}

/**
 * serializeHeaderFields validates and writes a handler's fields, leaving out Connection,
 * Content-Length and Transfer-Encoding (recorded in plan). Invalid names or values throw the
 * codec's WIRE_INVALID_ARGUMENT, so no handler can inject bytes into the response.
 */
export function serializeHeaderFields(headers: HeadersInit | undefined, plan: HeadPlan): string {
  if (headers === undefined) return '';
  let out = '';
  if (headers instanceof Fields) {
    for (let i = 0; i < headers.names.length; i++) out += fieldLine(headers.names[i] as string, headers.values[i] as string, plan);
    return out;
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, FieldValue]>) out += fieldLine(name, value, plan);
    return out;
  }
  const record = headers as Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') {
      out += fieldLine(name, value, plan);
    } else {
      for (const v of value) out += fieldLine(name, v, plan);
    }
  }
  return out;
}
