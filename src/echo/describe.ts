// What `courier echo` tells a client about its request: the elements of the message (method,
// target, version, header fields, content) as JSON, or the request's own text.
import { Buffer } from 'node:buffer';
import type { ServerRequest } from '../server/types.js';

/** EchoRecord is the JSON answer describing one request (httpbin's names where they exist). */
export interface EchoRecord {
  readonly method: string;
  /** target is the request-target as sent, e.g. "/anything?x=1". */
  readonly target: string;
  readonly path: string;
  readonly version: string;
  /** args are the query parameters (a repeated name gives an array). */
  readonly args: Record<string, string | string[]>;
  /** headers maps each name as sent to its value (repeated fields joined by ", "). */
  readonly headers: Record<string, string>;
  /** fields lists every field line in order, as [name, value] pairs. */
  readonly fields: [string, string][];
  /** body is the content as UTF-8 text, or base64 when it is not valid UTF-8 (see bodyEncoding). */
  readonly body: string;
  readonly bodyEncoding: 'utf-8' | 'base64';
  readonly bodyBytes: number;
  /** json is the parsed body when it is JSON, else null. */
  readonly json: unknown;
  /** form holds the fields of an application/x-www-form-urlencoded body, else null. */
  readonly form: Record<string, string | string[]> | null;
  readonly origin: string;
  readonly url: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function params(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const had = out[name];
    out[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return out;
}

/** describeRequest builds the EchoRecord of a request whose content has been read into `body`. */
export function describeRequest(req: ServerRequest, body: Uint8Array): EchoRecord {
  const headers: Record<string, string> = {};
  const fields: [string, string][] = [];
  const names = req.headers.names;
  const values = req.headers.values;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    const value = values[i] as string;
    fields.push([name, value]);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let text: string;
  let bodyEncoding: 'utf-8' | 'base64' = 'utf-8';
  try {
    text = utf8.decode(body);
  } catch {
    text = Buffer.from(body).toString('base64');
    bodyEncoding = 'base64';
  }
  const type = (req.headers.get('content-type') ?? '').toLowerCase();
  let json: unknown = null;
  if (bodyEncoding === 'utf-8' && /^application\/(?:[\w.+-]*\+)?json\b/.test(type)) {
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = null;
    }
  }
  const form = bodyEncoding === 'utf-8' && type.startsWith('application/x-www-form-urlencoded') ? params(text) : null;
  const host = req.headers.get('host') ?? 'localhost';
  return {
    method: req.method,
    target: req.target,
    path: req.path,
    version: `HTTP/${req.httpVersion}`,
    args: params(req.query),
    headers,
    fields,
    body: text,
    bodyEncoding,
    bodyBytes: body.length,
    json,
    form,
    origin: req.remoteAddress,
    url: /^https?:\/\//i.test(req.target) ? req.target : `${req.isTls ? 'https' : 'http'}://${host}${req.target}`,
  };
}

/**
 * requestText rebuilds the request as it came: request line, field lines (names, order and
 * values as received; whitespace around values as the parser trimmed it) and the content, every
 * line ending in CR LF.
 */
export function requestText(req: ServerRequest, body: Uint8Array): Buffer {
  let head = `${req.method} ${req.target} HTTP/${req.httpVersion}\r\n`;
  const names = req.headers.names;
  const values = req.headers.values;
  for (let i = 0; i < names.length; i++) head += `${names[i] as string}: ${values[i] as string}\r\n`;
  return Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
}
