import { Buffer } from 'node:buffer';
import { FIELD_VALUE, TARGET, TOKEN } from './chars.js';
import { WireError } from './errors.js';
import { Fields } from './fields.js';
import { reasonPhrase } from './status.js';

/** FieldValue is what a header value may be given as; numbers are written in decimal. */
export type FieldValue = string | number;

/**
 * HeadersInit is any of the header shapes the serializer accepts: a record (an array value
 * writes one line per element), a list of pairs, or parsed Fields.
 */
export type HeadersInit =
  | Fields
  | Iterable<readonly [string, FieldValue]>
  | Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;

/** RequestHeadInit describes a request head to serialize. */
export interface RequestHeadInit {
  method: string;
  target: string;
  headers?: HeadersInit;
  /** versionMinor is 1 (HTTP/1.1, the default) or 0 (HTTP/1.0). */
  versionMinor?: 0 | 1;
}

/** ResponseHeadInit describes a response head to serialize. */
export interface ResponseHeadInit {
  statusCode: number;
  /** reasonPhrase defaults to the standard phrase for the status code. */
  reasonPhrase?: string;
  headers?: HeadersInit;
  versionMinor?: 0 | 1;
}

function invalid(message: string): never {
  throw new WireError('WIRE_INVALID_ARGUMENT', message, 500);
}

/** assertToken throws WIRE_INVALID_ARGUMENT unless s is a non-empty token (RFC 9110 §5.6.2). */
export function assertToken(s: string, what: string): void {
  if (s.length === 0) invalid(`Invalid ${what} "": empty`);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) invalid(`Invalid ${what} "${s}": contains a character outside token`);
  }
}

/**
 * assertFieldValue throws WIRE_INVALID_ARGUMENT when a header value could break framing: CR, LF,
 * NUL or another control character, a char beyond one byte, or leading/trailing whitespace.
 */
export function assertFieldValue(name: string, value: string): void {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE[c] !== 1) {
      const what = c === 0x0d ? 'CR' : c === 0x0a ? 'LF' : c === 0 ? 'NUL' : c > 0xff ? 'a non-latin1 character' : 'a control character';
      invalid(`Invalid header value "${name}": contains ${what}`);
    }
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
    invalid(`Invalid header value "${name}": leading or trailing whitespace`);
  }
}

function fieldLine(name: string, value: FieldValue): string {
  assertToken(name, 'header name');
  const v = typeof value === 'number' ? String(value) : value;
  assertFieldValue(name, v);
  return `${name}: ${v}\r\n`;
}

/** serializeFields writes header (or trailer) lines, each ending in CRLF, after validating them. */
export function serializeFields(headers: HeadersInit | undefined): string {
  if (headers === undefined) return '';
  let out = '';
  if (headers instanceof Fields || Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, FieldValue]>) out += fieldLine(name, value);
    return out;
  }
  const record = headers as Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const v of value as readonly FieldValue[]) out += fieldLine(name, v);
    } else {
      out += fieldLine(name, value as FieldValue);
    }
  }
  return out;
}

/**
 * serializeRequestHead returns a request line and header section, ending in the empty line, as a
 * latin1 string. It throws WIRE_INVALID_ARGUMENT for anything that could inject bytes.
 */
export function serializeRequestHead(init: RequestHeadInit): string {
  assertToken(init.method, 'method');
  const target = init.target;
  if (target.length === 0) invalid('Invalid request-target "": empty');
  for (let i = 0; i < target.length; i++) {
    const c = target.charCodeAt(i);
    if (c > 0xff || TARGET[c] !== 1) invalid(`Invalid request-target "${target}": contains a forbidden character`);
  }
  return `${init.method} ${target} HTTP/1.${init.versionMinor ?? 1}\r\n${serializeFields(init.headers)}\r\n`;
}

/** serializeResponseHead returns a status line and header section, ending in the empty line. */
export function serializeResponseHead(init: ResponseHeadInit): string {
  const status = init.statusCode;
  if (!Number.isInteger(status) || status < 100 || status > 999) invalid(`Invalid status code "${status}"`);
  const reason = init.reasonPhrase ?? reasonPhrase(status);
  for (let i = 0; i < reason.length; i++) {
    const c = reason.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE[c] !== 1) invalid(`Invalid reason phrase "${reason}": contains a control character`);
  }
  return `HTTP/1.${init.versionMinor ?? 1} ${status} ${reason}\r\n${serializeFields(init.headers)}\r\n`;
}

/**
 * prepareResponseHead serializes a constant response head once, for hot paths that write the same
 * head many times (Date and other per-response fields then cannot be part of it).
 */
export function prepareResponseHead(init: ResponseHeadInit): Buffer {
  return Buffer.from(serializeResponseHead(init), 'latin1');
}

/** prepareRequestHead serializes a constant request head once. */
export function prepareRequestHead(init: RequestHeadInit): Buffer {
  return Buffer.from(serializeRequestHead(init), 'latin1');
}
