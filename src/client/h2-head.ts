import type { Dispatch } from './types.js';

// RFC 9113 §8.2.2: fields that only mean something to an HTTP/1.1 connection are never sent.
const CONNECTION_SPECIFIC = new Set(['connection', 'proxy-connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * h2RequestFields turns a neutral request into an HTTP/2 request header list (RFC 9113 §8.3.1):
 * the pseudo-headers `:method`, `:scheme`, `:authority` (a caller's Host, when given, replaces
 * the URL's authority) and `:path`, then the fields with lowercase names (§8.2.1), without the
 * connection-specific ones (§8.2.2) and with TE only as `trailers`. `d.omit` can leave out
 * `:authority` (as `host`) and Content-Length.
 */
export function h2RequestFields(d: Dispatch): Array<[string, string]> {
  let authority: string | null = d.omit?.has('host') === true ? null : d.authority;
  const fields: Array<[string, string]> = [];
  for (const [rawName, value] of d.fields) {
    const name = rawName.toLowerCase();
    if (CONNECTION_SPECIFIC.has(name)) continue;
    if (name === 'host') {
      authority = value;
      continue;
    }
    if (name === 'te' && value.trim().toLowerCase() !== 'trailers') continue;
    fields.push([name, value]);
  }
  const head: Array<[string, string]> = [[':method', d.method]];
  if (d.method !== 'CONNECT') {
    head.push([':scheme', d.scheme]);
    if (authority !== null) head.push([':authority', authority]);
    head.push([':path', d.requestTarget ?? d.path]);
  } else if (authority !== null) {
    head.push([':authority', authority]);
  }
  return head.concat(fields);
}

/** renderH2Head writes a header list as `name: value` lines, the form `onRequestHead` shows for HTTP/2. */
export function renderH2Head(fields: ReadonlyArray<readonly [string, string]>): string {
  let text = '';
  for (const [name, value] of fields) text += `${name}: ${value}\r\n`;
  return `${text}\r\n`;
}
