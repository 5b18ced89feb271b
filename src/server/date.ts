// RFC 9110 §6.6.1: an origin server with a clock MUST send Date. Formatting it costs more than the
// rest of a small response head, so it is formatted at most once per second: a timer set for the
// next second boundary drops the cached text, and the next response formats it again.

let cachedDate = '';
let cachedLine = '';

function expire(): void {
  cachedDate = '';
  cachedLine = '';
}

/** httpDate returns the current time as an IMF-fixdate (RFC 9110 §5.6.7), cached per second. */
export function httpDate(): string {
  if (cachedDate === '') {
    const now = Date.now();
    cachedDate = new Date(now).toUTCString();
    cachedLine = `Date: ${cachedDate}\r\n`;
    setTimeout(expire, 1000 - (now % 1000)).unref();
  }
  return cachedDate;
}

/** dateLine returns the whole "Date: ...\r\n" field line, cached with httpDate. */
export function dateLine(): string {
  if (cachedLine === '') httpDate();
  return cachedLine;
}
