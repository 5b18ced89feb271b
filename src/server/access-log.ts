// Access logs for any handler: Combined Log Format or JSON lines, with hostile bytes escaped.
import { Buffer } from 'node:buffer';
import type { HttpVersion } from '../http/index.js';
import type { Handler, RequestRejection, ServerRequest, ServerResponse } from './types.js';

/** LogFormat is the access log format: Apache/nginx "combined", JSON lines, or off. */
export type LogFormat = 'combined' | 'json' | 'off';

/** AccessRecord is one request as the access log sees it. */
export interface AccessRecord {
  readonly remoteAddress: string;
  readonly method: string;
  readonly target: string;
  readonly httpVersion: HttpVersion;
  readonly status: number;
  /** bytes is the body length when known, else undefined. */
  readonly bytes: number | undefined;
  readonly referer: string | undefined;
  readonly userAgent: string | undefined;
  readonly time: Date;
  readonly durationMs: number;
}

const HEX = '0123456789abcdef';

/**
 * escapeLogText makes request-controlled text safe for a log line: control characters, DEL,
 * non-ASCII bytes, backslash and double quote become `\xHH` escapes (or `\\`, `\"`), so no one
 * can forge a line or hide text in a terminal.
 */
export function escapeLogText(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += text.slice(from, i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c > 0xff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** clfTime writes a time the way the Common Log Format does, in UTC: 10/Oct/2000:13:55:36 +0000. */
export function clfTime(d: Date): string {
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** formatCombined writes a record as one Combined Log Format line (without the newline). */
export function formatCombined(r: AccessRecord): string {
  // HTTP/2 is written "HTTP/2.0" in request lines of logs, as nginx and Apache write it.
  const requestLine = `${r.method} ${r.target} HTTP/${r.httpVersion === '2' ? '2.0' : r.httpVersion}`;
  return (
    `${escapeLogText(r.remoteAddress)} - - [${clfTime(r.time)}] "${escapeLogText(requestLine)}" ${r.status} ` +
    `${r.bytes ?? '-'} "${r.referer === undefined ? '-' : escapeLogText(r.referer)}" ` +
    `"${r.userAgent === undefined ? '-' : escapeLogText(r.userAgent)}"`
  );
}

/**
 * formatJson writes a record as one JSON line (without the newline), every control character
 * escaped.
 */
export function formatJson(r: AccessRecord): string {
  const line = JSON.stringify({
    time: r.time.toISOString(),
    remote: r.remoteAddress,
    method: r.method,
    target: r.target,
    version: r.httpVersion,
    status: r.status,
    bytes: r.bytes ?? null,
    referer: r.referer ?? null,
    userAgent: r.userAgent ?? null,
    durationMs: Math.round(r.durationMs * 1000) / 1000,
  });
  // JSON.stringify leaves DEL, the C1 controls and the line separators raw: escape them too.
  return line.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function bodyLength(req: ServerRequest, res: ServerResponse): number | undefined {
  if (req.method === 'HEAD' || res.status === 304 || res.status === 204) return 0;
  const body = res.body;
  if (body === undefined || body === null) return 0;
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof Uint8Array) return body.length;
  if ('kind' in body && body.kind === 'file') return body.end - body.start;
  const headers = res.headers;
  if (headers !== undefined && !(Symbol.iterator in headers)) {
    const record = headers as Record<string, unknown>;
    const length = record['Content-Length'] ?? record['content-length'];
    if (typeof length === 'number') return length;
    if (typeof length === 'string') return Number(length);
  }
  return undefined;
}

function isPromise(value: ServerResponse | Promise<ServerResponse>): value is Promise<ServerResponse> {
  return typeof (value as Partial<Promise<ServerResponse>>).then === 'function';
}

/**
 * withAccessLog wraps a handler so each answered request is written as one log line. The line is
 * written when the handler returns (the body may still be streaming); a handler that throws is
 * logged as 500. A synchronous handler stays synchronous.
 */
export function withAccessLog(handler: Handler, format: LogFormat, write: (line: string) => void): Handler {
  if (format === 'off') return handler;
  const render = format === 'json' ? formatJson : formatCombined;
  const log = (req: ServerRequest, res: ServerResponse | undefined, time: Date, started: number): void => {
    write(
      `${render({
        remoteAddress: req.remoteAddress,
        method: req.method,
        target: req.target,
        httpVersion: req.httpVersion,
        status: res?.status ?? 500,
        bytes: res === undefined ? undefined : bodyLength(req, res),
        referer: req.headers.get('referer'),
        userAgent: req.headers.get('user-agent'),
        time,
        durationMs: performance.now() - started,
      })}\n`,
    );
  };
  return (req) => {
    const started = performance.now();
    const time = new Date();
    let result: ServerResponse | Promise<ServerResponse>;
    try {
      result = handler(req);
    } catch (error) {
      log(req, undefined, time, started);
      throw error;
    }
    if (!isPromise(result)) {
      log(req, result, time, started);
      return result;
    }
    return result.then(
      (res) => {
        log(req, res, time, started);
        return res;
      },
      (error: unknown) => {
        log(req, undefined, time, started);
        throw error;
      },
    );
  };
}

/**
 * formatRejection writes a request the codec refused as one log line (without the newline): in
 * combined format the request line is "-" and the reason follows as a last quoted field; in JSON
 * the request fields are null and `rejected` and `code` say why.
 */
export function formatRejection(format: 'combined' | 'json', r: RequestRejection): string {
  if (format === 'combined') {
    return `${escapeLogText(r.remoteAddress)} - - [${clfTime(r.time)}] "-" ${r.status} ${r.bytes} "-" "-" "${escapeLogText(r.reason)}"`;
  }
  const line = JSON.stringify({
    time: r.time.toISOString(),
    remote: r.remoteAddress,
    method: null,
    target: null,
    version: null,
    status: r.status,
    bytes: r.bytes,
    referer: null,
    userAgent: null,
    durationMs: 0,
    rejected: r.reason,
    code: r.code,
  });
  return line.replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * rejectionLog returns a ServerOptions.onRequestRejected hook that writes each rejected request
 * to the access log, or undefined when the log is off.
 */
export function rejectionLog(format: LogFormat, write: (line: string) => void): ((r: RequestRejection) => void) | undefined {
  if (format === 'off') return undefined;
  return (r) => write(`${formatRejection(format, r)}\n`);
}
