// render(): open a page in headless Chromium, wait until it is ready, and take what was asked:
// the rendered DOM, an expression's value, a screenshot, a PDF, and every request it made.
import { launchBrowser, type Browser } from './browser.js';
import type { Session } from './connection.js';
import { Deadline } from './deadline.js';
import { BrowserArgumentError, BrowserEvaluateError, BrowserInvalidUrlError, ProtocolCallError, navigationFailure } from './errors.js';
import { NetworkLog, type PageRequest } from './network.js';

/** WaitUntil names the moment a page counts as loaded. */
export type WaitUntil = 'load' | 'domcontentloaded' | 'networkidle';

/** Viewport is the page's CSS size in pixels (device scale factor 1). */
export interface Viewport {
  width: number;
  height: number;
}

/** RenderOptions configures render(); every field is optional. */
export interface RenderOptions {
  /** browser is a running browser to use (from launchBrowser()); without it one is launched and closed. */
  browser?: Browser;
  /** executablePath is the Chromium to launch (default: COURIER_CHROMIUM, then PATH). */
  executablePath?: string;
  /** wait is when the page counts as loaded (default `load`; `networkidle`: load, then 500 ms without requests). */
  wait?: WaitUntil;
  /** waitFor is a CSS selector to wait for once the page is loaded. */
  waitFor?: string;
  /** timeout bounds the page's load and work, in ms (default 30 000; 0 for none); starting the browser has its own 30 s bound. */
  timeout?: number;
  /** viewport is the window size (default 1280 x 800). */
  viewport?: Viewport;
  /** headers are sent with every request of the page. */
  headers?: Record<string, string> | Iterable<readonly [string, string]>;
  /** userAgent replaces the browser's User-Agent. */
  userAgent?: string;
  /** insecure accepts any TLS certificate. */
  insecure?: boolean;
  /** proxy is an HTTP proxy URL for every request, loopback included. */
  proxy?: string;
  /** evaluate is a JavaScript expression to evaluate once loaded (promises are awaited); see `value`. */
  evaluate?: string;
  /** screenshot asks for a PNG of the viewport (or of the whole page with `fullPage`). */
  screenshot?: boolean;
  fullPage?: boolean;
  /** pdf asks for the page printed to PDF. */
  pdf?: boolean;
  /** signal aborts the render (BROWSER_ABORTED). */
  signal?: AbortSignal;
}

/** PageTimings say when the page's events fired, in ms after its first request (-1: not yet). */
export interface PageTimings {
  /** startedDateTime is when the first request was issued, in ms since the epoch. */
  startedDateTime: number;
  domContentLoaded: number;
  load: number;
  /** total is from the first request to the moment the page counted as ready. */
  total: number;
}

/** RenderResult is what render() returns. */
export interface RenderResult {
  /** status is the main document's HTTP status (after redirects). */
  status: number;
  statusText: string;
  /** url is the page's final URL. */
  url: string;
  /** title is the document's title. */
  title: string;
  /** html is the rendered DOM: the doctype, then `document.documentElement.outerHTML`. */
  html: string;
  requests: PageRequest[];
  timings: PageTimings;
  /** value is the JSON value of `evaluate`, when asked. */
  value?: unknown;
  screenshot?: Uint8Array;
  pdf?: Uint8Array;
}

const DEFAULT_VIEWPORT: Viewport = { width: 1280, height: 800 };

// Chromium shows its own error page for an error status with an empty body; that is still a response.
const HTTP_STATUS_FAILURE = 'net::ERR_HTTP_RESPONSE_CODE_FAILURE';

const LIFECYCLE: Readonly<Record<WaitUntil, readonly string[]>> = {
  domcontentloaded: ['DOMContentLoaded'],
  load: ['load'],
  networkidle: ['load', 'networkIdle'],
};

function headerObject(headers: RenderOptions['headers']): Record<string, string> {
  if (headers === undefined) return {};
  const entries = Symbol.iterator in headers ? [...(headers as Iterable<readonly [string, string]>)] : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [name, value] of entries) out[name] = out[name] === undefined ? value : `${out[name]}\n${value}`;
  return out;
}

/** Lifecycle follows the main frame's lifecycle events, per document (loaderId). */
class Lifecycle {
  readonly #events = new Map<string, Map<string, number>>();
  readonly #frameId: string;
  readonly #waiters = new Set<() => void>();
  /** loaderId is the main frame's current document; a client-side redirect moves it on. */
  loaderId = '';

  constructor(session: Session, frameId: string) {
    this.#frameId = frameId;
    session.on('Page.lifecycleEvent', (p) => {
      if (p.frameId !== frameId || typeof p.loaderId !== 'string' || typeof p.name !== 'string') return;
      let names = this.#events.get(p.loaderId);
      if (names === undefined) {
        names = new Map();
        this.#events.set(p.loaderId, names);
      }
      names.set(p.name, typeof p.timestamp === 'number' ? p.timestamp : 0);
      if (p.name === 'init' && this.loaderId !== '' && p.loaderId !== this.loaderId) this.loaderId = p.loaderId;
      for (const wake of [...this.#waiters]) wake();
    });
  }

  get frameId(): string {
    return this.#frameId;
  }

  /** at returns when `name` fired for the current document (monotonic s), or undefined. */
  at(name: string): number | undefined {
    return this.#events.get(this.loaderId)?.get(name);
  }

  /** until resolves once every one of `names` fired for the current document. */
  until(names: readonly string[]): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (names.every((n) => this.at(n) !== undefined)) {
          this.#waiters.delete(check);
          resolve();
        }
      };
      this.#waiters.add(check);
      check();
    });
  }
}

interface EvaluateResult {
  result?: { type?: string; value?: unknown; description?: string };
  exceptionDetails?: { text?: string; exception?: { description?: string } };
}

/** evaluate runs an expression in the page and returns its JSON value, or throws with the page's exception. */
async function evaluate(session: Session, expression: string, what: string): Promise<unknown> {
  const reply = (await session.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as EvaluateResult;
  if (reply.exceptionDetails !== undefined) {
    const detail = reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text ?? 'exception';
    throw new BrowserEvaluateError(`${what} threw: ${detail.split('\n')[0]}`);
  }
  return reply.result?.value;
}

const isContextLost = (error: unknown): boolean =>
  ProtocolCallError.is(error) && /context was destroyed|Cannot find context|navigated or closed/i.test(error.message);

/** waitForSelector resolves once an element matches `selector` (a MutationObserver in the page). */
async function waitForSelector(session: Session, selector: string): Promise<void> {
  const expression = `new Promise((resolve) => {
  const selector = ${JSON.stringify(selector)};
  if (document.querySelector(selector) !== null) return resolve(true);
  const observer = new MutationObserver(() => {
    if (document.querySelector(selector) !== null) { observer.disconnect(); resolve(true); }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
})`;
  for (;;) {
    try {
      await evaluate(session, expression, `Selector "${selector}"`);
      return;
    } catch (error) {
      // A navigation replaced the document under the observer: look again in the new one.
      if (isContextLost(error)) continue;
      if (BrowserEvaluateError.is(error)) {
        throw new BrowserArgumentError(`Invalid selector "${selector}": ${error.message.replace(/^.*? threw: /, '')}`);
      }
      throw error;
    }
  }
}

const HTML_EXPRESSION = `(document.doctype === null ? '' : new XMLSerializer().serializeToString(document.doctype) + '\\n') +
  (document.documentElement === null ? '' : document.documentElement.outerHTML)`;

/** bytesOf decodes the base64 `data` of a screenshot or PDF reply. */
function bytesOf(reply: Record<string, unknown>): Uint8Array {
  return Buffer.from(typeof reply.data === 'string' ? reply.data : '', 'base64');
}

async function screenshot(session: Session, isFullPage: boolean): Promise<Uint8Array> {
  if (!isFullPage) return bytesOf(await session.send('Page.captureScreenshot', { format: 'png' }));
  const metrics = await session.send('Page.getLayoutMetrics');
  const size = (metrics.cssContentSize ?? metrics.contentSize) as { width?: number; height?: number } | undefined;
  const width = Math.ceil(size?.width ?? DEFAULT_VIEWPORT.width);
  const height = Math.ceil(size?.height ?? DEFAULT_VIEWPORT.height);
  return bytesOf(await session.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } }));
}

/**
 * renderPage loads `url` in a fresh browser context of `browser` (its own cookies and cache) and
 * returns what `options` ask for. The context is disposed afterwards; the browser stays up.
 */
export async function renderPage(browser: Browser, url: string, options: RenderOptions = {}): Promise<RenderResult> {
  return renderIn(browser, url, options, false);
}

/**
 * openTarget makes the tab to render in. A browser launched for this one render (with a fresh
 * profile) opens it in its default context; a shared browser gets a new browser context per
 * render, so that renders share no cookies or cache. The browser starts without a window
 * (--no-startup-window), so this tab is the only page.
 */
async function openTarget(root: Session, deadline: Deadline, options: RenderOptions, isOwnBrowser: boolean): Promise<{ targetId: string; contextId: string }> {
  let contextId = '';
  if (!isOwnBrowser || options.proxy !== undefined) {
    const contextParams: Record<string, unknown> = { disposeOnDetach: true };
    if (options.proxy !== undefined) Object.assign(contextParams, { proxyServer: options.proxy, proxyBypassList: '<-loopback>' });
    contextId = String((await deadline.race(root.send('Target.createBrowserContext', contextParams), 'the browser')).browserContextId);
  }
  const targetParams = contextId === '' ? { url: 'about:blank' } : { url: 'about:blank', browserContextId: contextId };
  const { targetId } = await deadline.race(root.send('Target.createTarget', targetParams), 'the browser');
  return { targetId: String(targetId), contextId };
}

async function renderIn(browser: Browser, url: string, options: RenderOptions, isOwnBrowser: boolean): Promise<RenderResult> {
  const wait = options.wait ?? 'load';
  if (LIFECYCLE[wait] === undefined) throw new BrowserArgumentError(`Invalid wait "${String(wait)}": expected load, domcontentloaded or networkidle`);
  // Chromium answers an unparsable URL with a protocol error, not a net error: say what it is.
  if (!URL.canParse(url)) throw new BrowserInvalidUrlError(`Invalid URL "${url}"`);
  const deadline = new Deadline(options.timeout ?? 30_000, options.signal);
  const root = browser.connection.browser;
  let contextId = '';
  let sessionId = '';
  let log: NetworkLog | undefined;
  try {
    const target = await openTarget(root, deadline, options, isOwnBrowser);
    contextId = target.contextId;
    const targetId = target.targetId;
    sessionId = String((await deadline.race(root.send('Target.attachToTarget', { targetId, flatten: true }), 'the browser')).sessionId);
    const session = browser.connection.session(sessionId);
    const lifecycle = new Lifecycle(session, String(targetId));
    log = new NetworkLog(session);
    const viewport = options.viewport ?? DEFAULT_VIEWPORT;
    const setup: Array<Promise<unknown>> = [
      session.send('Page.enable'),
      session.send('Page.setLifecycleEventsEnabled', { enabled: true }),
      session.send('Network.enable'),
      session.send('Emulation.setDeviceMetricsOverride', { width: viewport.width, height: viewport.height, deviceScaleFactor: 1, mobile: false }),
    ];
    const headers = headerObject(options.headers);
    if (Object.keys(headers).length > 0) setup.push(session.send('Network.setExtraHTTPHeaders', { headers }));
    if (options.userAgent !== undefined) setup.push(session.send('Network.setUserAgentOverride', { userAgent: options.userAgent }));
    if (options.insecure === true) setup.push(session.send('Security.setIgnoreCertificateErrors', { ignore: true }));
    await deadline.race(Promise.all(setup));

    const navigation = await deadline.race(session.send('Page.navigate', { url }), `"${url}" did not answer`);
    const errorText = typeof navigation.errorText === 'string' ? navigation.errorText : '';
    if (errorText !== '' && errorText !== HTTP_STATUS_FAILURE) throw navigationFailure(errorText, url);
    lifecycle.loaderId = String(navigation.loaderId ?? '');
    await deadline.race(lifecycle.until(LIFECYCLE[wait]), `"${url}" did not reach ${wait}`);
    if (options.waitFor !== undefined) await deadline.race(waitForSelector(session, options.waitFor), `no element matched "${options.waitFor}"`);

    const page = (await deadline.race(evaluate(session, `({ html: ${HTML_EXPRESSION}, url: location.href, title: document.title })`, 'Reading the page'), 'reading the page')) as {
      html: string;
      url: string;
      title: string;
    };
    const requests = log.requests;
    const documents = requests.filter((r) => r.requestId === lifecycle.loaderId);
    const main = documents.at(-1) ?? requests.find((r) => r.resourceType === 'document');
    const mark = (name: string): number => {
      const at = lifecycle.at(name);
      return at === undefined || log === undefined ? -1 : log.since(at);
    };
    const first = requests[0];
    const result: RenderResult = {
      status: main?.status ?? 0,
      statusText: main?.statusText ?? '',
      // Chromium's own error page (an error status with an empty body) is not where the page is.
      url: page.url.startsWith('chrome-error:') ? (main?.url ?? url) : page.url,
      title: page.title,
      html: page.html,
      requests,
      timings: {
        startedDateTime: first?.wallTime ?? Date.now(),
        domContentLoaded: mark('DOMContentLoaded'),
        load: mark('load'),
        total: Math.max(0, ...requests.map((r) => (r.duration < 0 ? r.start : r.start + r.duration))),
      },
    };
    if (options.evaluate !== undefined) result.value = await deadline.race(evaluate(session, options.evaluate, 'The expression'), 'evaluating the expression');
    if (options.screenshot === true) result.screenshot = await deadline.race(screenshot(session, options.fullPage === true), 'the screenshot');
    if (options.pdf === true) result.pdf = bytesOf(await deadline.race(session.send('Page.printToPDF', { printBackground: true }), 'the PDF'));
    return result;
  } finally {
    deadline.clear();
    log?.stop();
    browser.connection.forget(sessionId);
    // A browser launched for this render is closed next: no need to dispose of the context first.
    if (!isOwnBrowser && contextId !== '' && !browser.connection.isClosed) await root.send('Target.disposeBrowserContext', { browserContextId: contextId }).catch(() => {});
  }
}

/** LAUNCH_TIMEOUT_MS bounds the start of a browser that render() launches itself. */
const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * render loads `url` in headless Chromium and returns `{ status, url, html, requests, timings }`,
 * plus `value`, `screenshot` and `pdf` when asked. Without `options.browser` it launches a browser
 * (fresh temporary profile) and closes it before returning; pass one from launchBrowser() to
 * render many pages with one browser.
 */
export async function render(url: string, options: RenderOptions = {}): Promise<RenderResult> {
  if (options.browser !== undefined) return renderPage(options.browser, url, options);
  // The start of the browser has its own bound: a short page timeout must not turn a slow start on
  // a busy machine into a failure of the page (Playwright keeps the two apart too).
  const browser = await launchBrowser({ executablePath: options.executablePath, timeout: LAUNCH_TIMEOUT_MS, signal: options.signal });
  try {
    return await renderIn(browser, url, options, true);
  } finally {
    await browser.close();
  }
}
