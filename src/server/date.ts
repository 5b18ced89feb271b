// RFC 9110 §6.6.1: an origin server with a clock MUST send Date. Formatting it costs more than the
// rest of a small response head, so it is formatted once per second and reused.

let cachedSecond = -1;
let cachedDate = '';

/** httpDate returns the current time as an IMF-fixdate (RFC 9110 §5.6.7), cached per second. */
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = new Date(second * 1000).toUTCString();
  }
  return cachedDate;
}
