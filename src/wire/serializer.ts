import {
  FIELD_VALUE,
  fieldValueProblem,
  forEachField,
  reasonPhrase,
  tokenProblem,
  type FieldValue,
  type HeadersInit,
} from '../http/index.js';
import { TARGET } from './chars.js';
import { WireArgumentError } from './errors.js';

export type { FieldValue, HeadersInit };

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
  throw new WireArgumentError(message);
}

/** assertToken throws WIRE_INVALID_ARGUMENT unless s is a non-empty token (RFC 9110 §5.6.2). */
export function assertToken(s: string, what: string): void {
  const problem = tokenProblem(s, what);
  if (problem !== null) invalid(problem);
}

/**
 * assertFieldValue throws WIRE_INVALID_ARGUMENT when a header value could break framing: CR, LF,
 * NUL or another control character, a char beyond one byte, or leading/trailing whitespace.
 */
export function assertFieldValue(name: string, value: string): void {
  const problem = fieldValueProblem(name, value);
  if (problem !== null) invalid(problem);
}

interface Lines {
  out: string;
}

function fieldLine(name: string, value: FieldValue, lines: Lines): void {
  assertToken(name, 'header name');
  const v = typeof value === 'number' ? String(value) : value;
  assertFieldValue(name, v);
  lines.out += `${name}: ${v}\r\n`;
}

/** serializeFields writes header (or trailer) lines, each ending in CRLF, after validating them. */
export function serializeFields(headers: HeadersInit | undefined): string {
  if (headers === undefined) return '';
  const lines: Lines = { out: '' };
  forEachField(headers, fieldLine, lines);
  return lines.out;
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
