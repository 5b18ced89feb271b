import { httpDate } from '../http/index.js';

// The whole HTTP/1 field line is cached beside the date it was made from (httpDate keeps the
// once-a-second cache): one string comparison per response.
let lineDate = '';
let cachedLine = '';

/** dateLine returns the whole "Date: ...\r\n" field line of the current second. */
export function dateLine(): string {
  const date = httpDate();
  if (date !== lineDate) {
    lineDate = date;
    cachedLine = `Date: ${date}\r\n`;
  }
  return cachedLine;
}
