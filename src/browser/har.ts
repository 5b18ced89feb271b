// An HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/) of one rendered page,
// built from the requests the Network domain reported. Browser devtools and HAR viewers open it.
import type { PageRequest, RequestTimings } from './network.js';
import type { RenderResult } from './render.js';

/** HarHeader is a name/value pair (headers, query string). */
export interface HarHeader {
  name: string;
  value: string;
}

/** HarEntry is one request and its response. Fields starting with `_` are Chromium devtools' extensions. */
export interface HarEntry {
  pageref: string;
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarHeader[];
    headers: HarHeader[];
    queryString: HarHeader[];
    postData?: { mimeType: string; text: string };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarHeader[];
    headers: HarHeader[];
    content: { size: number; mimeType: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
    _transferSize: number;
    _error?: string;
  };
  cache: Record<string, never>;
  timings: RequestTimings;
  serverIPAddress?: string;
  _resourceType: string;
}

/** Har is the whole archive: one page and its entries. */
export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    browser?: { name: string; version: string };
    pages: Array<{
      startedDateTime: string;
      id: string;
      title: string;
      pageTimings: { onContentLoad: number; onLoad: number };
    }>;
    entries: HarEntry[];
  };
}

/** HarOptions names the tool and browser recorded in the archive. */
export interface HarOptions {
  creator?: { name: string; version: string };
  browser?: { name: string; version: string };
}

const PAGE_ID = 'page_1';
const round = (ms: number): number => Math.round(ms * 1000) / 1000;
const pairs = (list: Array<[string, string]>): HarHeader[] => list.map(([name, value]) => ({ name, value }));

function queryString(url: string): HarHeader[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** serverAddress strips the port (and IPv6 brackets) from `1.2.3.4:80` / `[::1]:80`. */
function serverAddress(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  const host = colon === -1 ? remoteAddress : remoteAddress.slice(0, colon);
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function roundTimings(t: RequestTimings): RequestTimings {
  return { blocked: round(t.blocked), dns: round(t.dns), connect: round(t.connect), ssl: round(t.ssl), send: round(t.send), wait: round(t.wait), receive: round(t.receive) };
}

/** harEntry turns one request into a HAR entry. */
export function harEntry(r: PageRequest): HarEntry {
  const timings = roundTimings(r.timings);
  // HAR 1.2: `time` is the sum of the phases that happened; ssl is already inside connect.
  const time = round([timings.blocked, timings.dns, timings.connect, timings.send, timings.wait, timings.receive].reduce((sum, t) => sum + Math.max(0, t), 0));
  const contentType = r.requestHeaders.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const entry: HarEntry = {
    pageref: PAGE_ID,
    startedDateTime: new Date(r.wallTime).toISOString(),
    time,
    request: {
      method: r.method,
      url: r.url,
      httpVersion: r.protocol,
      cookies: [],
      headers: pairs(r.requestHeaders),
      queryString: queryString(r.url),
      headersSize: -1,
      bodySize: r.postData === undefined ? 0 : Buffer.byteLength(r.postData),
    },
    response: {
      status: r.status,
      statusText: r.statusText,
      httpVersion: r.protocol,
      cookies: [],
      headers: pairs(r.responseHeaders),
      content: { size: r.bodySize, mimeType: r.mimeType },
      redirectURL: r.redirectURL,
      headersSize: r.headersSize,
      bodySize: r.isFromCache ? 0 : r.headersSize >= 0 ? Math.max(0, r.transferSize - r.headersSize) : r.status === 0 ? -1 : r.transferSize,
      _transferSize: r.transferSize,
    },
    cache: {},
    timings,
    _resourceType: r.resourceType,
  };
  if (r.postData !== undefined) entry.request.postData = { mimeType: contentType, text: r.postData };
  if (r.failure !== '') entry.response._error = r.failure;
  const address = serverAddress(r.remoteAddress);
  if (address !== '') entry.serverIPAddress = address;
  return entry;
}

/** toHar builds a HAR 1.2 archive of a render: one page, one entry per request (each redirect hop too). */
export function toHar(result: RenderResult, options: HarOptions = {}): Har {
  const har: Har = {
    log: {
      version: '1.2',
      creator: options.creator ?? { name: 'courier', version: '0' },
      pages: [
        {
          startedDateTime: new Date(result.timings.startedDateTime).toISOString(),
          id: PAGE_ID,
          title: result.title === '' ? result.url : result.title,
          pageTimings: { onContentLoad: round(result.timings.domContentLoaded), onLoad: round(result.timings.load) },
        },
      ],
      entries: result.requests.map(harEntry),
    },
  };
  if (options.browser !== undefined) har.log.browser = options.browser;
  return har;
}
