// Rendering of wire bytes and message heads for `courier get --trace` and `-v`.
import type { Direction } from '../client/index.js';
import type { ClientResponse } from '../client/index.js';

const HEX = '0123456789abcdef';

/**
 * escapeLine renders bytes so that every one is visible: printable ASCII as is, CR as \r, LF as
 * \n, TAB as \t, backslash as \\, anything else as \xNN.
 */
export function escapeLine(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b === 0x0d) out += '\\r';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x09) out += '\\t';
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
  }
  return out;
}

/**
 * formatTrace renders one write or read: a line per LF in the bytes, each starting with `> ` for
 * bytes sent or `< ` for bytes received, the line's own CR LF shown escaped at its end.
 */
export function formatTrace(direction: Direction, bytes: Uint8Array): string {
  const marker = direction === 'out' ? '> ' : '< ';
  let out = '';
  let start = 0;
  while (start < bytes.length) {
    let lf = bytes.indexOf(0x0a, start);
    if (lf === -1) lf = bytes.length - 1;
    out += `${marker}${escapeLine(bytes, start, lf + 1)}\n`;
    start = lf + 1;
  }
  return out;
}

/** formatRequestHead prefixes each line of a serialized request head with `> `, without CR LF. */
export function formatRequestHead(head: string): string {
  const lines = head.split('\r\n');
  lines.pop();
  return `${lines.map((line) => `> ${line}`).join('\n')}\n`;
}

/** responseHeadText is a response's status line and header lines, as plain text lines. */
export function responseHeadText(response: ClientResponse): string[] {
  const lines = [`HTTP/${response.httpVersion} ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`];
  for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
  return lines;
}

/**
 * formatResponseHead prefixes each response head line with `< ` and ends with an empty `<` line.
 * An HTTP/2 response shows its header list as it came: `:status` first, then the fields.
 */
export function formatResponseHead(response: ClientResponse): string {
  const lines = response.httpVersion === '2' ? [`:status: ${response.status}`, ...responseHeadText(response).slice(1)] : responseHeadText(response);
  return `${lines.map((line) => `< ${line}`).join('\n')}\n<\n`;
}
