// HTTP dates (RFC 9110 §5.6.7): the current date, cached per second, and parsing of the three
// formats a recipient must accept. Date#toUTCString() already writes IMF-fixdate.

// RFC 9110 §6.6.1: an origin server with a clock MUST send Date. Formatting it costs more than the
// rest of a small response head, so it is formatted at most once per second: a timer set for the
// next second boundary drops the cached text, and the next call formats it again.
let cachedDate = '';

function expire(): void {
  cachedDate = '';
}

/** httpDate returns the current time as an IMF-fixdate (RFC 9110 §5.6.7), cached per second. */
export function httpDate(): string {
  if (cachedDate === '') {
    const now = Date.now();
    cachedDate = new Date(now).toUTCString();
    setTimeout(expire, 1000 - (now % 1000)).unref();
  }
  return cachedDate;
}

/** formatHttpDate writes a time in milliseconds as an IMF-fixdate (RFC 9110 §5.6.7). */
export function formatHttpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

// The three formats a recipient must accept (RFC 9110 §5.6.7), matched whole and case-sensitively.
const IMF_FIXDATE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850 = /^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

function build(year: number, month: string, day: string, h: string, m: string, s: string): number | undefined {
  const mon = MONTHS[month];
  if (mon === undefined) return undefined;
  const d = Number(day.trim());
  const hh = Number(h);
  const mm = Number(m);
  const ss = Number(s);
  if (d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const ms = Date.UTC(year, mon, d, hh, mm, ss === 60 ? 59 : ss);
  // Reject dates like 31 Feb that Date.UTC would roll into the next month.
  if (new Date(ms).getUTCDate() !== d) return undefined;
  return ms;
}

/**
 * parseHttpDate returns the time in milliseconds of an HTTP-date in any of the three formats of
 * RFC 9110 §5.6.7 (IMF-fixdate, obsolete RFC 850 and asctime), or undefined when it is not one.
 */
export function parseHttpDate(value: string, now = Date.now()): number | undefined {
  let match = IMF_FIXDATE.exec(value);
  if (match !== null) {
    const [, day, month, year, h, m, s] = match as unknown as string[];
    return build(Number(year), month as string, day as string, h as string, m as string, s as string);
  }
  match = RFC850.exec(value);
  if (match !== null) {
    const [, day, month, yy, h, m, s] = match as unknown as string[];
    // RFC 9110 §5.6.7: a two-digit year more than 50 years in the future is in the past century.
    const nowYear = new Date(now).getUTCFullYear();
    let year = Math.floor(nowYear / 100) * 100 + Number(yy);
    if (year > nowYear + 50) year -= 100;
    return build(year, month as string, day as string, h as string, m as string, s as string);
  }
  match = ASCTIME.exec(value);
  if (match !== null) {
    const [, month, day, h, m, s, year] = match as unknown as string[];
    return build(Number(year), month as string, day as string, h as string, m as string, s as string);
  }
  return undefined;
}
