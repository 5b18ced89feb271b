import { Buffer } from 'node:buffer';
import type { Fields } from '../http/index.js';
import type { Dispatcher } from './agent.js';
import type { RequestBody } from './body.js';
import { ClientError } from './errors.js';
import { request, type ClientResponse, type RequestOptions } from './request.js';
import type { ResponseBody } from './response-body.js';

/** FetchInit is the WHATWG RequestInit plus courier's agent and timeouts. */
export interface FetchInit {
  method?: string;
  headers?: FetchHeadersInit;
  body?: FetchBodyInit | null;
  signal?: AbortSignal | null;
  redirect?: 'follow' | 'manual' | 'error';
  /** agent carries the request; default the global agent. */
  agent?: Dispatcher;
  /** dispatcher is undici's name for `agent`, accepted as an alias. */
  dispatcher?: Dispatcher;
  /** decompress decodes gzip, deflate and br. Default true, as fetch does. */
  decompress?: boolean;
  timeout?: number;
  headersTimeout?: number;
  bodyTimeout?: number;
}

/** FetchHeadersInit is what the Headers constructor accepts. */
export type FetchHeadersInit = NonNullable<ConstructorParameters<typeof Headers>[0]>;
/** FetchBodyInit is what the Response constructor accepts as a body. */
export type FetchBodyInit = NonNullable<ConstructorParameters<typeof Response>[0]>;

const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

// Node 20 loads its fetch implementation the first time a global like Response is touched, which
// costs milliseconds at startup: the subclass is built on the first fetch(), not at import.
type CourierResponseClass = new (response: ClientResponse) => Response;
let courierResponseClass: CourierResponseClass | null = null;

function defineCourierResponse(): CourierResponseClass {
  // Response's declared type lists its accessors as plain properties, which a subclass may not
  // redefine as accessors in TypeScript; the runtime class is extended through this view of it.
  const ResponseBase = Response as unknown as new (body: null, init: { status: number; statusText: string }) => object;
  /**
   * CourierResponse is a WHATWG Response whose headers and body stream are built only when asked
   * for: text(), json() and arrayBuffer() read courier's body directly.
   */
  class CourierResponse extends ResponseBase {
    readonly #response: ClientResponse;
    #headers: Headers | null = null;
    #stream: ReadableStream<Uint8Array> | null = null;
    #isUsed = false;

    constructor(response: ClientResponse) {
      super(null, { status: response.status, statusText: response.statusText });
      this.#response = response;
    }

    get headers(): Headers {
      if (this.#headers === null) this.#headers = toHeaders(this.#response.headers);
      return this.#headers;
    }

    get url(): string {
      return this.#response.url;
    }

    get redirected(): boolean {
      return this.#response.redirected;
    }

    get bodyUsed(): boolean {
      return this.#isUsed || (this.#stream !== null && this.#stream.locked);
    }

    get body(): ReadableStream<Uint8Array> | null {
      if (NULL_BODY_STATUS.has(this.#response.status)) return null;
      if (this.#stream === null) this.#stream = toStream(this.#response.body);
      return this.#stream;
    }

    #take(): ResponseBody | ReadableStream<Uint8Array> {
      if (this.bodyUsed) throw new TypeError('Body is unusable: body has already been read');
      this.#isUsed = true;
      return this.#stream ?? this.#response.body;
    }

    async arrayBuffer(): Promise<ArrayBuffer> {
      const source = this.#take();
      if (source instanceof ReadableStream) return new Response(source).arrayBuffer();
      return rethrow(source.arrayBuffer());
    }

    async text(): Promise<string> {
      const source = this.#take();
      if (source instanceof ReadableStream) return new Response(source).text();
      return rethrow(source.text());
    }

    async json(): Promise<unknown> {
      return JSON.parse(await this.text()) as unknown;
    }

    async blob(): Promise<Blob> {
      const type = this.#response.headers.get('content-type') ?? '';
      return new Blob([await this.arrayBuffer()], { type });
    }

    async formData(): Promise<FormData> {
      const bytes = await this.arrayBuffer();
      return new Response(bytes, { headers: this.headers }).formData();
    }

    clone(): Response {
      if (this.bodyUsed) throw new TypeError('Response.clone: body has already been read');
      const stream = this.body;
      let copy: Response;
      if (stream === null) {
        copy = new Response(null, { status: this.#response.status, statusText: this.#response.statusText, headers: this.headers });
      } else {
        const [a, b] = stream.tee();
        this.#stream = a;
        copy = new Response(b, { status: this.#response.status, statusText: this.#response.statusText, headers: this.headers });
      }
      Object.defineProperty(copy, 'url', { value: this.url });
      Object.defineProperty(copy, 'redirected', { value: this.redirected });
      return copy;
    }
  }
  return CourierResponse as unknown as CourierResponseClass;
}

async function rethrow<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw asFetchError(error);
  }
}

function toHeaders(fields: Fields): Headers {
  const headers = new Headers();
  for (const [name, value] of fields) headers.append(name, value);
  return headers;
}

function toStream(body: ResponseBody): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= body[Symbol.asyncIterator]();
      try {
        const { done, value } = await iterator.next();
        if (done === true) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        controller.error(asFetchError(error));
      }
    },
    async cancel(reason) {
      if (iterator !== null) await iterator.return?.();
      else body.cancel(reason instanceof Error ? reason : undefined);
    },
  });
}

/**
 * asFetchError turns a courier error into the TypeError fetch callers expect, keeping the precise
 * message and the stable `code` (the original error is the cause).
 */
function asFetchError(error: unknown): unknown {
  if (!ClientError.is(error)) return error;
  if (error.code === 'CLIENT_ABORTED' && error.cause !== undefined) return error.cause;
  const failure = new TypeError(error.message, { cause: error }) as TypeError & { code: string };
  failure.code = error.code;
  return failure;
}

async function toBody(body: FetchBodyInit | null | undefined): Promise<RequestBody | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams || body instanceof FormData || body instanceof Blob) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ReadableStream) return body as unknown as AsyncIterable<Uint8Array>;
  throw new TypeError('Unsupported fetch body type');
}

/**
 * fetch is the WHATWG fetch() on courier's engine: same signature, a standard Response, pooled
 * keep-alive connections, and errors that say what failed (a TypeError with a `code`).
 */
export async function fetch(input: string | URL | Request, init: FetchInit = {}): Promise<Response> {
  let url: string | URL;
  let method = init.method;
  let headers: FetchHeadersInit | undefined = init.headers;
  let body: FetchBodyInit | null | undefined = init.body;
  let signal = init.signal ?? undefined;
  let redirect = init.redirect;
  if (input instanceof Request) {
    url = input.url;
    method ??= input.method;
    headers ??= input.headers;
    if (body === undefined && input.body !== null) body = Buffer.from(await input.arrayBuffer());
    signal ??= input.signal;
    redirect ??= input.redirect === 'manual' || input.redirect === 'error' ? input.redirect : 'follow';
  } else {
    url = input;
  }
  const pairs: Array<[string, string]> = [];
  let hasAccept = false;
  if (headers !== undefined) {
    const list = headers instanceof Headers ? headers : new Headers(headers);
    for (const [name, value] of list) {
      if (name === 'accept') hasAccept = true;
      pairs.push([name, value]);
    }
  }
  if (!hasAccept) pairs.push(['accept', '*/*']);
  const options: RequestOptions = { headers: pairs, decompress: init.decompress ?? true };
  if (method !== undefined) options.method = method;
  const requestBody = await toBody(body);
  if (requestBody !== undefined) options.body = requestBody;
  if (signal !== undefined) options.signal = signal;
  if (redirect !== undefined) options.redirect = redirect;
  const agent = init.agent ?? init.dispatcher;
  if (agent !== undefined) options.agent = agent;
  if (init.timeout !== undefined) options.timeout = init.timeout;
  if (init.headersTimeout !== undefined) options.headersTimeout = init.headersTimeout;
  if (init.bodyTimeout !== undefined) options.bodyTimeout = init.bodyTimeout;
  let response: ClientResponse;
  try {
    response = await request(url, options);
  } catch (error) {
    throw asFetchError(error);
  }
  if (response.status < 200 || response.status > 599) {
    await response.body.dump();
    throw new TypeError(`Invalid response status "${response.status}": fetch only returns 200 to 599`);
  }
  courierResponseClass ??= defineCourierResponse();
  return new courierResponseClass(response);
}
