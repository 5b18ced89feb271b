// `courier render --requests`: every request of the page as an aligned table with a text
// waterfall, then a one-line summary. Pure formatting: the numbers come from render().
import type { PageRequest, PageTimings } from '../browser/index.js';

/** WATERFALL_WIDTH is the number of characters of the waterfall column. */
export const WATERFALL_WIDTH = 24;

/** formatSize writes a byte count as `588 B`, `41.6 KiB`, `412 KiB` or `1.2 MiB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const kib = bytes / 1024;
  if (kib < 1024) return `${kib < 10 ? kib.toFixed(1) : Math.round(kib)} KiB`;
  const mib = kib / 1024;
  return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB`;
}

const ms = (value: number): string => `${Math.round(value)} ms`;

/** shortUrl shows a same-origin URL as its path and query, any other in full. */
function shortUrl(url: string, origin: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin === origin ? `${parsed.pathname}${parsed.search}` : url;
  } catch {
    return url;
  }
}

/** waterfall draws one request's span on a line of `width` characters, `span` ms wide. */
export function waterfall(start: number, duration: number, span: number, width = WATERFALL_WIDTH): string {
  const scale = span > 0 ? width / span : 0;
  const from = Math.min(width - 1, Math.floor(start * scale));
  const isPending = duration < 0;
  const to = isPending ? width : Math.min(width, Math.max(from + 1, Math.ceil((start + duration) * scale)));
  return `|${' '.repeat(from)}${(isPending ? '-' : '=').repeat(to - from)}${' '.repeat(width - to)}|`;
}

function status(r: PageRequest): string {
  if (r.failure !== '') return 'ERR';
  if (r.status === 0) return '-';
  return String(r.status);
}

function size(r: PageRequest): string {
  if (r.isFromCache) return '(cache)';
  if (r.status === 0 && r.transferSize === 0) return '-';
  return formatSize(r.transferSize);
}

/**
 * formatRequestTable lays out every request: method, status, protocol, resource type, size on the
 * wire, start and duration (ms after the page's first request), the waterfall, then the URL.
 */
export function formatRequestTable(requests: readonly PageRequest[], pageUrl: string): string {
  let origin = '';
  try {
    origin = new URL(pageUrl).origin;
  } catch {
    // Not a URL with an origin (about:, data:): every URL is shown in full.
  }
  const span = Math.max(1, ...requests.map((r) => r.start + Math.max(0, r.duration)));
  const header = ['METHOD', 'STATUS', 'PROTOCOL', 'TYPE', 'SIZE', 'START', 'DURATION', 'WATERFALL'.padEnd(WATERFALL_WIDTH + 2), 'URL'];
  const rows = requests.map((r) => {
    const url = shortUrl(r.url, origin);
    const note = r.failure !== '' ? `  ${r.failure}` : r.redirectURL !== '' ? `  -> ${shortUrl(r.redirectURL, origin)}` : '';
    return [
      r.method,
      status(r),
      r.protocol === '' ? '-' : r.protocol,
      r.resourceType,
      size(r),
      ms(r.start),
      r.duration < 0 ? '-' : ms(r.duration),
      waterfall(r.start, r.duration, span),
      `${url}${note}`,
    ];
  });
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const right = new Set([4, 5, 6]);
  const lines = all.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** formatSummary is the line under the table: `34 requests, 412 KiB, DOMContentLoaded 120 ms, load 310 ms`. */
export function formatSummary(requests: readonly PageRequest[], timings: PageTimings): string {
  const bytes = requests.reduce((sum, r) => sum + (r.isFromCache ? 0 : r.transferSize), 0);
  const parts = [`${requests.length} ${requests.length === 1 ? 'request' : 'requests'}`, formatSize(bytes)];
  if (timings.domContentLoaded >= 0) parts.push(`DOMContentLoaded ${ms(timings.domContentLoaded)}`);
  if (timings.load >= 0) parts.push(`load ${ms(timings.load)}`);
  const failed = requests.filter((r) => r.failure !== '').length;
  if (failed > 0) parts.push(`${failed} failed`);
  return `${parts.join(', ')}\n`;
}
