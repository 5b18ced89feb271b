import type { Fields, HttpVersion } from '../http/index.js';
import { AbortError, RequestTimeoutError } from './errors.js';
import type { ClientResponse, RequestOptions } from './send.js';
import { ResponseBody, type BodyControl } from './response-body.js';
import type { Dispatch, DispatchHandler, Timings } from './types.js';

/** Guard enforces the signal and the total timeout over a whole exchange, redirects included. */
export class Guard {
  #error: Error | null = null;
  #current: Dispatch | null = null;
  #body: ResponseBody | null = null;
  #timer: NodeJS.Timeout | null = null;
  #signal: AbortSignal | undefined;
  #onAbort: (() => void) | null = null;

  constructor(options: RequestOptions) {
    const signal = options.signal;
    if (signal !== undefined) {
      if (signal.aborted) {
        this.#error = new AbortError('Request aborted', { cause: signal.reason });
        return;
      }
      this.#signal = signal;
      this.#onAbort = () => this.#trip(new AbortError('Request aborted', { cause: signal.reason }));
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
    const timeout = options.timeout;
    if (timeout !== undefined && timeout > 0 && Number.isFinite(timeout)) {
      this.#timer = setTimeout(() => this.#trip(new RequestTimeoutError(`Request timeout: not complete within ${timeout} ms`)), timeout);
    }
  }

  get error(): Error | null {
    return this.#error;
  }

  get isActive(): boolean {
    return this.#onAbort !== null || this.#timer !== null;
  }

  track(d: Dispatch): void {
    this.#current = d;
  }

  #trip(error: Error): void {
    if (this.#error !== null) return;
    this.#error = error;
    const d = this.#current;
    if (d !== null) {
      d.isCancelled = true;
      if (d.detach !== null) d.detach(error);
      else d.handler.onError(error);
    }
    this.#body?.fail(error);
    this.done();
  }

  /** attach keeps guarding the final response until its body is read, then lets go. */
  attach(raw: ResponseBody): void {
    if (!this.isActive) return;
    this.#body = raw;
    const exchange = this.#current?.handler;
    if (exchange instanceof Exchange) exchange.isFinal = true;
    if (raw.isDone) this.done();
  }

  /** done stops the timer and the abort listener. */
  done(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#onAbort !== null) this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#onAbort = null;
    this.#current = null;
  }
}

/** Exchange is the handler for one dispatch: it resolves on the final head and feeds the body. */
export class Exchange implements DispatchHandler {
  response: ClientResponse | null = null;
  /**
   * body is the raw body the connection feeds: request() may swap `response.body` for a decoding
   * one, so bytes, end and failure always go here, never through the response.
   */
  #body: ResponseBody | null = null;
  /** isFinal marks the response request() returns, not a redirect hop. */
  isFinal = false;
  readonly #resolve: (response: ClientResponse) => void;
  readonly #reject: (error: Error) => void;
  readonly #url: URL;
  readonly #method: string;
  readonly #timings: Timings;
  readonly #isRedirected: boolean;
  readonly #options: RequestOptions;
  readonly #guard: Guard;

  constructor(
    resolve: (response: ClientResponse) => void,
    reject: (error: Error) => void,
    url: URL,
    method: string,
    timings: Timings,
    isRedirected: boolean,
    options: RequestOptions,
    guard: Guard,
  ) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#url = url;
    this.#method = method;
    this.#timings = timings;
    this.#isRedirected = isRedirected;
    this.#options = options;
    this.#guard = guard;
  }

  onInterim(status: number, statusText: string, headers: Fields): void {
    this.#options.onInterim?.({ status, statusText, headers });
  }

  onHead(status: number, statusText: string, headers: Fields, httpVersion: HttpVersion, hasBody: boolean, control: BodyControl): void {
    const body = hasBody ? new ResponseBody(control) : ResponseBody.empty();
    this.#body = body;
    this.response = {
      status,
      statusText,
      httpVersion,
      headers,
      body,
      trailers: null,
      url: this.#url.href,
      redirected: this.#isRedirected,
      timings: this.#timings,
    };
    this.#resolve(this.response);
  }

  onData(chunk: Uint8Array): void {
    (this.#body as ResponseBody).push(chunk);
  }

  onComplete(trailers: Fields | null): void {
    (this.response as ClientResponse).trailers = trailers;
    (this.#body as ResponseBody).end();
    if (this.isFinal) this.#guard.done();
  }

  onError(error: Error): void {
    const response = this.response;
    if (response === null) this.#reject(error);
    else this.#body?.fail(error);
    if (this.isFinal || response === null) this.#guard.done();
  }
}
