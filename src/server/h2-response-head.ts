// A handler's answer as an HTTP/2 response head (RFC 9113 §8.3.2): `:status`, lowercased field
// names, the fields only HTTP/1.1 connections mean left out (§8.2.2), Date and Content-Length
// added as the HTTP/1 writer adds them.
import { fieldValueProblem, forEachField, httpDate, tokenProblem, type FieldValue } from '../http/index.js';
import { InvalidHandlerResponseError } from './errors.js';
import { FixedResponse } from './fixed-response.js';
import { responseLength } from './writer.js';
import type { ServerResponse } from './types.js';

/** H2ResponseHead is what the engine sends for a response: the header list (read-only: it may be shared) and how the body goes. */
export interface H2ResponseHead {
  fields: [string, string][];
  /** length is the body's size when known (strings, bytes, files, a stream with Content-Length), else -1. */
  length: number;
  /** hasBody tells whether DATA follows (not for HEAD, 204, 304 or an empty body). */
  hasBody: boolean;
}

// RFC 9113 §8.2.2: connection-specific fields are never sent over HTTP/2.
const CONNECTION_SPECIFIC = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']);

interface Collected {
  fields: [string, string][];
  contentLength: string | null;
  hasDate: boolean;
}

// Field names already checked as tokens, to their lowercase form: handlers send the same few
// names again and again. Bounded; past the bound names are checked and lowered every time.
const checkedNames = new Map<string, string>();
const CHECKED_NAMES_MAX = 512;

function lowerName(name: string): string {
  const known = checkedNames.get(name);
  if (known !== undefined) return known;
  invalid(tokenProblem(name, 'header name'));
  const lower = name.toLowerCase();
  if (checkedNames.size < CHECKED_NAMES_MAX) checkedNames.set(name, lower);
  return lower;
}

function collect(name: string, value: FieldValue, state: Collected): void {
  const v = typeof value === 'string' ? value : String(value);
  const lower = lowerName(name);
  if (v !== '') invalid(fieldValueProblem(name, v));
  if (CONNECTION_SPECIFIC.has(lower)) return;
  if (lower === 'content-length') {
    state.contentLength = v;
    return;
  }
  if (lower === 'date') state.hasDate = true;
  state.fields.push([lower, v]);
}

function invalid(problem: string | null): void {
  if (problem !== null) throw new InvalidHandlerResponseError(problem);
}

// The `:status`, `date` and small `content-length` fields are the same from response to response: one shared pair each
// (a head's fields are read-only).
const statusFields: ([string, string] | undefined)[] = [];
let lastDateField: [string, string] = ['date', ''];

function statusField(status: number): [string, string] {
  let field = statusFields[status];
  if (field === undefined) {
    field = [':status', String(status)];
    statusFields[status] = field;
  }
  return field;
}

// Small bodies' content-length pairs, shared too.
const lengthFields: ([string, string] | undefined)[] = [];
const SHARED_LENGTHS = 4096;

function lengthField(length: number): [string, string] {
  if (length >= SHARED_LENGTHS) return ['content-length', String(length)];
  let field = lengthFields[length];
  if (field === undefined) {
    field = ['content-length', String(length)];
    lengthFields[length] = field;
  }
  return field;
}

function dateField(): [string, string] {
  const date = httpDate();
  if (lastDateField[1] !== date) lastDateField = ['date', date];
  return lastDateField;
}

/** A FixedResponse's GET head, kept while its Date lasts: its status, fields and body never change. */
const fixedHeads = new WeakMap<FixedResponse, { date: string; head: H2ResponseHead }>();

/**
 * h2ResponseHead validates a handler's response and returns its HTTP/2 head; it throws
 * SERVER_INVALID_RESPONSE, having sent nothing, when the status, a field or the body is invalid.
 * A FixedResponse answering GET (a hot static file) is validated once a second, not per request.
 */
export function h2ResponseHead(res: ServerResponse, method: string): H2ResponseHead {
  if (method !== 'GET' || !(res instanceof FixedResponse)) return buildHead(res, method);
  const date = httpDate();
  const kept = fixedHeads.get(res);
  if (kept !== undefined && kept.date === date) return kept.head;
  const head = buildHead(res, method);
  fixedHeads.set(res, { date, head });
  return head;
}

function buildHead(res: ServerResponse, method: string): H2ResponseHead {
  const status = res.status;
  if (!Number.isInteger(status) || status < 200 || status > 999) {
    throw new InvalidHandlerResponseError(`Invalid response status "${status}": expected an integer from 200 to 999`);
  }
  const state: Collected = { fields: [statusField(status)], contentLength: null, hasDate: false };
  forEachField(res.headers, collect, state);
  const body = res.body ?? null;
  const length = responseLength(method, body, state.contentLength);
  if (!state.hasDate) state.fields.push(dateField());
  // RFC 9110 §15.3.5, §15.4.5: 204 and 304 never have content; HEAD gets a GET's Content-Length (§9.3.2).
  const isBodyless = status === 204 || status === 304;
  if (isBodyless) {
    if (status === 304 && state.contentLength !== null) state.fields.push(['content-length', state.contentLength]);
  } else if (length >= 0) {
    state.fields.push(lengthField(length));
  }
  return { fields: state.fields, length, hasBody: !isBodyless && method !== 'HEAD' && length !== 0 };
}
