/**
 * hasToken tells whether a comma-separated field value (like Connection, RFC 9110 §7.6.1) lists
 * the token, compared case-insensitively. `token` must be lowercase.
 */
export function hasToken(value: string, token: string): boolean {
  let start = 0;
  const n = value.length;
  while (start <= n) {
    let end = value.indexOf(',', start);
    if (end === -1) end = n;
    let a = start;
    let b = end;
    while (a < b && (value.charCodeAt(a) === 0x20 || value.charCodeAt(a) === 0x09)) a++;
    while (b > a && (value.charCodeAt(b - 1) === 0x20 || value.charCodeAt(b - 1) === 0x09)) b--;
    if (b - a === token.length && value.slice(a, b).toLowerCase() === token) return true;
    start = end + 1;
  }
  return false;
}
