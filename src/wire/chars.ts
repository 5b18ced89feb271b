// Byte classes of HTTP/1.x (RFC 9112) as lookup tables so the hot loops test one array element per
// byte; token and field-value classes are HTTP's own (src/http/chars.ts).

import { FIELD_VALUE, LOWER, TOKEN } from '../http/index.js';

export { FIELD_VALUE, TOKEN };

function table(accept: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

/**
 * TARGET marks bytes accepted in a request-target: visible ASCII except "#" (a fragment is never
 * sent, RFC 9112 §3.2), plus obs-text, because curl and others send raw UTF-8 paths.
 */
export const TARGET = table((b) => b > 0x20 && b !== 0x7f && b !== 0x23);

/** HOST marks bytes of uri-host [ ":" port ] (RFC 3986 §3.2.2): reg-name, IP literals, port. */
export const HOST = table(
  (b) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    "-._~!$&'()*+,;=:[]%".includes(String.fromCharCode(b)),
);

/** HEX maps a hex digit byte to its value, every other byte to 255. */
export const HEX = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let d = 0; d < 10; d++) t[0x30 + d] = d;
  for (let d = 0; d < 6; d++) {
    t[0x41 + d] = 10 + d;
    t[0x61 + d] = 10 + d;
  }
  return t;
})();

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;

interface Latin1Slicer {
  latin1Slice(start: number, end: number): string;
}

/** latin1 decodes buf[start, end) one char per byte, without toString's argument checks. */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  return (buf as unknown as Latin1Slicer).latin1Slice(start, end);
}

/**
 * skipPlainWords returns the first index from `pos` whose 4-byte word holds a byte below 0x20 or
 * 0x7f (CR, LF, HTAB or a control char); the bytes it skips are all field-vchar or SP. A SWAR
 * test: (w - 0x20202020) & ~w & 0x80808080 is non-zero exactly when some byte of w is < 0x20.
 */
export function skipPlainWords(view: DataView, pos: number, len: number): number {
  while (pos + 4 <= len) {
    const w = view.getInt32(pos, true);
    const x = w ^ 0x7f7f7f7f;
    if ((((w - 0x20202020) & ~w) | ((x - 0x01010101) & ~x)) & 0x80808080) break;
    pos += 4;
  }
  return pos;
}

/** fieldNameIs tells whether buf[start, end) equals `lowerName` ignoring ASCII case. */
export function fieldNameIs(buf: Uint8Array, start: number, end: number, lowerName: string): boolean {
  const n = lowerName.length;
  if (end - start !== n) return false;
  for (let k = 0; k < n; k++) {
    if (LOWER[buf[start + k] as number] !== lowerName.charCodeAt(k)) return false;
  }
  return true;
}
