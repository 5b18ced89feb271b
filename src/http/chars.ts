// Byte classes from RFC 9110 §5.6.2 (token) and §5.5 (field values), as lookup tables so hot loops
// test one array element per byte, and the checks every protocol applies to names and values.

function table(accept: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

const TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

/** TOKEN marks tchar: ALPHA / DIGIT / "!#$%&'*+-.^_`|~" (RFC 9110 §5.6.2). */
export const TOKEN = table(
  (b) =>
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    TCHAR_SYMBOLS.includes(String.fromCharCode(b)),
);

/** FIELD_VALUE marks field-vchar, SP and HTAB (RFC 9110 §5.5): everything but CTLs and DEL. */
export const FIELD_VALUE = table((b) => b === 0x09 || (b >= 0x20 && b !== 0x7f));

/** LOWER maps A-Z to a-z and every other byte to itself. */
export const LOWER = (() => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
  return t;
})();

/**
 * tokenProblem returns why `s` is not a token (RFC 9110 §5.6.2), as a message naming `what`, or
 * null when it is one. Each layer throws its own error with the message.
 */
export function tokenProblem(s: string, what: string): string | null {
  if (s.length === 0) return `Invalid ${what} "": empty`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff || TOKEN[c] !== 1) return `Invalid ${what} "${s}": contains a character outside token`;
  }
  return null;
}

/**
 * fieldValueProblem returns why `value` may not be sent as the value of field `name`, or null:
 * CR, LF, NUL or another control character, a char beyond one byte, or leading/trailing
 * whitespace (RFC 9110 §5.5) could break framing or be read differently by a peer.
 */
export function fieldValueProblem(name: string, value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff || FIELD_VALUE[c] !== 1) {
      const what = c === 0x0d ? 'CR' : c === 0x0a ? 'LF' : c === 0 ? 'NUL' : c > 0xff ? 'a non-latin1 character' : 'a control character';
      return `Invalid header value "${name}": contains ${what}`;
    }
  }
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) {
    return `Invalid header value "${name}": leading or trailing whitespace`;
  }
  return null;
}
