// Every request a page makes, assembled from the DevTools Network domain's events. Chromium
// stamps events with a monotonic clock in seconds; a response's ResourceTiming gives each phase
// (DNS, connect, TLS, send, wait) in ms after its own `requestTime`.
import type { Session } from './connection.js';

/** RequestTimings are a request's phases in ms, as HAR 1.2 §timings defines them (-1: did not happen). */
export interface RequestTimings {
  blocked: number;
  dns: number;
  connect: number;
  ssl: number;
  send: number;
  wait: number;
  receive: number;
}

/** PageRequest is one request the page made (a redirect makes one per hop). */
export interface PageRequest {
  /** requestId is Chromium's id; hops of a redirect share it. */
  requestId: string;
  url: string;
  method: string;
  /** resourceType is Chromium's, lowercased: document, stylesheet, script, image, font, fetch... */
  resourceType: string;
  /** status is 0 when no response arrived (failed or still loading). */
  status: number;
  statusText: string;
  /** protocol is what Chromium reports: `http/1.1`, `h2`, `h3`, `data`... ('' when unknown). */
  protocol: string;
  remoteAddress: string;
  mimeType: string;
  requestHeaders: Array<[string, string]>;
  responseHeaders: Array<[string, string]>;
  postData: string | undefined;
  /** redirectURL is the Location followed from this response ('' when none). */
  redirectURL: string;
  /** start is when the request was issued, in ms after the page's first request. */
  start: number;
  /** wallTime is when the request was issued, in ms since the epoch. */
  wallTime: number;
  /** duration is from issue to the last byte (or failure), in ms; -1 while still loading. */
  duration: number;
  /** transferSize is the bytes received for it, head included (0 from cache). */
  transferSize: number;
  /** bodySize is the decoded body length in bytes. */
  bodySize: number;
  /** headersSize is the response head length in bytes (-1 when Chromium did not say). */
  headersSize: number;
  isFromCache: boolean;
  /** failure is Chromium's error (`net::ERR_ABORTED`) when the request failed, else ''. */
  failure: string;
  timings: RequestTimings;
}

interface ResourceTiming {
  requestTime: number;
  dnsStart: number;
  dnsEnd: number;
  connectStart: number;
  connectEnd: number;
  sslStart: number;
  sslEnd: number;
  sendStart: number;
  sendEnd: number;
  receiveHeadersEnd: number;
}

interface Entry {
  request: PageRequest;
  issueTime: number;
  timing: ResourceTiming | undefined;
  /**
   * wire is the status line that came over the network (responseReceivedExtraInfo). It wins over
   * the response's: after a 304, Chromium reports the cached 200 it revalidated.
   */
  wire: { status: number; statusText: string } | undefined;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown, fallback = 0): number => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);
const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});

/** headerList turns DevTools' header object (repeated values joined by \n) into pairs. */
function headerList(headers: unknown): Array<[string, string]> {
  const list: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(obj(headers))) {
    for (const line of String(value).split('\n')) list.push([name, line]);
  }
  return list;
}

function resourceTiming(value: unknown): ResourceTiming | undefined {
  const t = obj(value);
  if (typeof t.requestTime !== 'number') return undefined;
  return {
    requestTime: t.requestTime,
    dnsStart: num(t.dnsStart, -1),
    dnsEnd: num(t.dnsEnd, -1),
    connectStart: num(t.connectStart, -1),
    connectEnd: num(t.connectEnd, -1),
    sslStart: num(t.sslStart, -1),
    sslEnd: num(t.sslEnd, -1),
    sendStart: num(t.sendStart, 0),
    sendEnd: num(t.sendEnd, 0),
    receiveHeadersEnd: num(t.receiveHeadersEnd, 0),
  };
}

const phase = (start: number, end: number): number => (start >= 0 && end >= start ? end - start : -1);
const nonNegative = (ms: number): number => (ms > 0 ? ms : 0);

/**
 * phases splits a finished request into HAR timings: `blocked` is the queueing before the first
 * network phase, `connect` includes `ssl` (HAR 1.2), `receive` runs to the last byte.
 */
export function phases(issueTime: number, endTime: number, timing: ResourceTiming | undefined): RequestTimings {
  const total = nonNegative((endTime - issueTime) * 1000);
  if (timing === undefined) return { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: total };
  const queued = nonNegative((timing.requestTime - issueTime) * 1000);
  const first = [timing.dnsStart, timing.connectStart, timing.sendStart].find((t) => t >= 0) ?? 0;
  const headersEnd = Math.max(timing.receiveHeadersEnd, timing.sendEnd);
  return {
    blocked: queued + nonNegative(first),
    dns: phase(timing.dnsStart, timing.dnsEnd),
    connect: phase(timing.connectStart, timing.connectEnd),
    ssl: phase(timing.sslStart, timing.sslEnd),
    send: nonNegative(timing.sendEnd - timing.sendStart),
    wait: nonNegative(headersEnd - timing.sendEnd),
    receive: nonNegative((endTime - timing.requestTime) * 1000 - headersEnd),
  };
}

/**
 * NetworkLog records the requests of one page from its session's Network events. Call it before
 * `Network.enable`; `requests` lists them in the order they were issued.
 */
export class NetworkLog {
  readonly #entries: Entry[] = [];
  readonly #current = new Map<string, Entry>();
  /** #hops lists the entries of each requestId in order: one per redirect hop. */
  readonly #hops = new Map<string, Entry[]>();
  /** origin is the monotonic time (s) of the first request; starts are measured from it. */
  origin = -1;
  readonly #removers: Array<() => void>;

  constructor(session: Session) {
    this.#removers = [
      session.on('Network.requestWillBeSent', (p) => this.#onRequest(p)),
      session.on('Network.responseReceived', (p) => this.#onResponse(p)),
      session.on('Network.responseReceivedExtraInfo', (p) => this.#onResponseExtra(p)),
      session.on('Network.requestServedFromCache', (p) => {
        const entry = this.#current.get(str(p.requestId));
        if (entry !== undefined) entry.request.isFromCache = true;
      }),
      session.on('Network.dataReceived', (p) => {
        const entry = this.#current.get(str(p.requestId));
        if (entry !== undefined) entry.request.bodySize += num(p.dataLength);
      }),
      session.on('Network.loadingFinished', (p) => this.#onEnd(p, '')),
      session.on('Network.loadingFailed', (p) => this.#onEnd(p, str(p.errorText) || 'failed')),
    ];
  }

  /** requests lists every request so far, each hop of a redirect on its own. */
  get requests(): PageRequest[] {
    return this.#entries.map((e) => e.request);
  }

  /** stop detaches the log from its session: later events are ignored. */
  stop(): void {
    for (const remove of this.#removers) remove();
  }

  /** since converts a monotonic DevTools timestamp (s) to ms after the first request. */
  since(timestamp: number): number {
    return this.origin < 0 ? 0 : (timestamp - this.origin) * 1000;
  }

  #onRequest(p: Record<string, unknown>): void {
    const requestId = str(p.requestId);
    const timestamp = num(p.timestamp);
    if (this.origin < 0) this.origin = timestamp;
    const previous = this.#current.get(requestId);
    if (previous !== undefined && p.redirectResponse !== undefined) {
      this.#applyResponse(previous, obj(p.redirectResponse));
      const location = previous.request.responseHeaders.find(([n]) => n.toLowerCase() === 'location');
      previous.request.redirectURL = location === undefined ? str(obj(p.request).url) : location[1];
      previous.request.transferSize = num(obj(p.redirectResponse).encodedDataLength);
      this.#finish(previous, timestamp);
    }
    const request = obj(p.request);
    const entry: Entry = {
      issueTime: timestamp,
      timing: undefined,
      wire: undefined,
      request: {
        requestId,
        url: str(request.url) + str(request.urlFragment),
        method: str(request.method),
        resourceType: (str(p.type) || 'other').toLowerCase(),
        status: 0,
        statusText: '',
        protocol: '',
        remoteAddress: '',
        mimeType: '',
        requestHeaders: headerList(request.headers),
        responseHeaders: [],
        postData: typeof request.postData === 'string' ? request.postData : undefined,
        redirectURL: '',
        start: this.since(timestamp),
        wallTime: num(p.wallTime) * 1000,
        duration: -1,
        transferSize: 0,
        bodySize: 0,
        headersSize: -1,
        isFromCache: false,
        failure: '',
        timings: { blocked: 0, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
      },
    };
    this.#current.set(requestId, entry);
    const hops = this.#hops.get(requestId);
    if (hops === undefined) this.#hops.set(requestId, [entry]);
    else hops.push(entry);
    this.#entries.push(entry);
  }

  #applyResponse(entry: Entry, response: Record<string, unknown>): void {
    const r = entry.request;
    r.status = num(response.status);
    r.statusText = str(response.statusText);
    r.protocol = str(response.protocol);
    const ip = str(response.remoteIPAddress);
    r.remoteAddress = ip === '' ? '' : `${ip.includes(':') ? `[${ip}]` : ip}:${num(response.remotePort)}`;
    r.mimeType = str(response.mimeType);
    r.responseHeaders = headerList(response.headers);
    if (response.fromDiskCache === true || response.fromPrefetchCache === true) r.isFromCache = true;
    entry.timing = resourceTiming(response.timing);
    if (entry.wire !== undefined) Object.assign(r, entry.wire);
  }

  #onResponse(p: Record<string, unknown>): void {
    const entry = this.#current.get(str(p.requestId));
    if (entry === undefined) return;
    this.#applyResponse(entry, obj(p.response));
    if (typeof p.type === 'string') entry.request.resourceType = p.type.toLowerCase();
  }

  /**
   * extraInfoEntry finds the hop a responseReceivedExtraInfo belongs to. It may arrive after the
   * next hop of a redirect has started, so it goes to the first hop without one whose status
   * agrees (a 304 agrees with the cached 200 Chromium reports), else to the first hop without one.
   */
  #extraInfoEntry(requestId: string, statusCode: number): Entry | undefined {
    const open = (this.#hops.get(requestId) ?? []).filter((e) => e.wire === undefined);
    const agrees = (e: Entry): boolean => e.request.status === 0 || e.request.status === statusCode || (statusCode === 304 && e.request.status === 200);
    return open.find(agrees) ?? open[0];
  }

  #onResponseExtra(p: Record<string, unknown>): void {
    const statusCode = typeof p.statusCode === 'number' ? p.statusCode : 0;
    const entry = this.#extraInfoEntry(str(p.requestId), statusCode);
    if (entry === undefined) return;
    const headersText = typeof p.headersText === 'string' ? p.headersText : '';
    if (headersText !== '') entry.request.headersSize = Buffer.byteLength(headersText, 'latin1');
    if (statusCode === 0) return;
    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    const statusLine = /^HTTP\/\S+ \d{3} ?([^\r\n]*)/.exec(headersText);
    const statusText = statusCode === entry.request.status ? entry.request.statusText : (statusLine?.[1] ?? '');
    entry.wire = { status: statusCode, statusText };
    if (entry.request.status !== 0) Object.assign(entry.request, entry.wire);
  }

  #onEnd(p: Record<string, unknown>, failure: string): void {
    const entry = this.#current.get(str(p.requestId));
    if (entry === undefined || entry.request.duration >= 0) return;
    entry.request.failure = failure;
    if (failure === '') entry.request.transferSize = entry.request.isFromCache ? 0 : num(p.encodedDataLength);
    this.#finish(entry, num(p.timestamp));
  }

  #finish(entry: Entry, endTime: number): void {
    entry.request.duration = Math.max(0, (endTime - entry.issueTime) * 1000);
    entry.request.timings = phases(entry.issueTime, endTime, entry.timing);
  }
}
