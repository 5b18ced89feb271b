import { hasToken } from '../http/index.js';
import type { Dispatch } from './types.js';

/** H1Head is a request head serialized for HTTP/1.x, and whether it asks to close the connection. */
export interface H1Head {
  head: string;
  /** closes is set when the request says `Connection: close`: nothing may follow it (RFC 9112 §9.6). */
  closes: boolean;
}

/**
 * serializeH1Head writes the HTTP/1.x request line and header section of a neutral request: Host
 * first from the authority (RFC 9112 §3.2, unless the caller gave one), the request's fields, then
 * `Transfer-Encoding: chunked` for a body of unknown length (RFC 9112 §7.1) and, for HTTP/1.0,
 * `Connection: keep-alive` (each unless `d.omit` names it; a body's framing is always sent). The
 * request-target is `d.requestTarget` when set. Names and values were checked when the request was made; the
 * request-target is the path, or the absolute URL for a plain-http proxy (RFC 9112 §3.2.2).
 */
export function serializeH1Head(d: Dispatch, isAbsoluteForm: boolean): H1Head {
  const target = d.requestTarget ?? (isAbsoluteForm ? `${d.scheme}://${d.authority}${d.path}` : d.path);
  const omit = d.omit;
  const minor = d.httpVersion === '1.0' ? 0 : 1;
  let hasHost = omit !== null && omit.has('host');
  let hasLength = false;
  let closes = false;
  let lines = '';
  const fields = d.fields;
  for (let i = 0; i < fields.length; i++) {
    const [name, value] = fields[i] as [string, string];
    switch (name.length) {
      case 4:
        if (name.toLowerCase() === 'host') hasHost = true;
        break;
      case 10:
        if (name.toLowerCase() === 'connection' && hasToken(value, 'close')) closes = true;
        break;
      case 14:
        if (name.toLowerCase() === 'content-length') hasLength = true;
        break;
      case 17:
        if (name.toLowerCase() === 'transfer-encoding') hasLength = true;
        break;
    }
    lines += `${name}: ${value}\r\n`;
  }
  let head = `${d.method} ${target} HTTP/1.${minor}\r\n`;
  if (!hasHost) head += `Host: ${d.authority}\r\n`;
  head += lines;
  if (!hasLength && d.body !== null && d.body.length < 0) head += 'Transfer-Encoding: chunked\r\n';
  if (minor === 0 && !closes && omit?.has('connection') !== true) head += 'Connection: keep-alive\r\n';
  return { head: `${head}\r\n`, closes };
}
