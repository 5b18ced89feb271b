import { titleCase } from '../http/index.js';
import { InvalidHandlerResponseError } from './errors.js';
import { LightResponse, realResponse } from './light-response.js';
import type { Handler, ResponseBody, ServerRequest, ServerResponse } from './types.js';
import { forwardToReal } from './lazy.js';

/** FetchHandler is the Fetch-standard handler shape of Bun.serve, Deno.serve and Hono. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

const MATERIALIZE = Symbol('courier.materialize');

/**
 * IncomingRequest is a WHATWG Request built lazily (the idea of @hono/node-server): method, url,
 * headers and signal come straight from the native request; anything else builds the real
 * Request once and forwards to it. `instanceof Request` holds.
 */
class IncomingRequest {
  #req: ServerRequest;
  #origin: string;
  #url: string | null = null;
  #headers: Headers | null = null;
  #real: Request | null = null;

  constructor(req: ServerRequest, origin: string) {
    this.#req = req;
    this.#origin = origin;
  }

  get method(): string {
    return this.#req.method;
  }

  get url(): string {
    if (this.#url === null) {
      const req = this.#req;
      const target = req.target;
      if (target.charCodeAt(0) === 0x2f) {
        const host = req.headers.get('host');
        this.#url = host === undefined || host === '' ? `${this.#origin}${target}` : `${req.isTls ? 'https' : 'http'}://${host}${target}`;
      } else {
        // absolute-form (RFC 9112 §3.2.2) is already a URL; asterisk-form has no path.
        this.#url = target === '*' ? `${this.#origin}/` : target;
      }
    }
    return this.#url;
  }

  get headers(): Headers {
    if (this.#headers === null) {
      const headers = new Headers();
      const fields = this.#req.headers;
      for (let i = 0; i < fields.names.length; i++) headers.append(fields.names[i] as string, fields.values[i] as string);
      this.#headers = headers;
    }
    return this.#headers;
  }

  get signal(): AbortSignal {
    return this.#req.signal;
  }

  [MATERIALIZE](): Request {
    if (this.#real === null) {
      const req = this.#req;
      const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers: this.headers, signal: req.signal };
      if (req.hasBody && req.method !== 'GET' && req.method !== 'HEAD') {
        init.body = toReadableStream(req.body);
        init.duplex = 'half';
      }
      this.#real = new Request(this.url, init);
    }
    return this.#real;
  }
}

// Every other member of Request.prototype forwards to the real Request.
forwardToReal(IncomingRequest.prototype, Request.prototype, MATERIALIZE);

function toReadableStream(body: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = body[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      const result = await it.next();
      if (result.done === true) controller.close();
      else controller.enqueue(result.value);
    },
    async cancel(): Promise<void> {
      await it.return?.();
    },
  });
}

// Node's Response keeps the body it was given in an internal state; reading it back skips a
// stream per response. Only used when the shape is exactly as expected, else the stream is read.
const stateKey = Object.getOwnPropertySymbols(new Response('')).find((s) => s.description === 'state');

function bodySource(res: Response): string | Uint8Array | null {
  if (stateKey === undefined || res.bodyUsed) return null;
  const state = (res as unknown as Record<symbol, unknown>)[stateKey] as { body?: { source?: unknown; stream?: ReadableStream } | null } | undefined;
  const body = state?.body;
  if (body === null || body === undefined || body.stream?.locked !== false) return null;
  const source = body.source;
  return typeof source === 'string' || source instanceof Uint8Array ? source : null;
}

/** toServerResponse converts a WHATWG Response into the engine's native answer. */
export function toServerResponse(res: Response): ServerResponse {
  if (!(res instanceof Response)) {
    throw new InvalidHandlerResponseError('Invalid response: fetch handler must return a Response');
  }
  if (LightResponse.isLight(res)) {
    const native = res.toNative();
    if (native !== null) return native;
    res = realResponse(res);
  }
  const headers: [string, string][] = [];
  // WHATWG Headers lowercase every name; the head is written in the engine's one style.
  for (const [name, value] of res.headers) headers.push([titleCase(name), value]);
  let body: ResponseBody = null;
  if (res.body !== null) {
    body = bodySource(res) ?? (res.body as unknown as AsyncIterable<Uint8Array>);
  }
  return { status: res.status, headers, body };
}

/**
 * fetchHandler adapts a Fetch-standard handler to the native Handler. `origin` (like
 * "http://127.0.0.1:8080") completes URLs for requests without a Host field.
 */
export function fetchHandler(fetch: FetchHandler, origin: () => string): Handler {
  return (req: ServerRequest): ServerResponse | Promise<ServerResponse> => {
    const request = new IncomingRequest(req, origin()) as unknown as Request;
    const result = fetch(request);
    if (result instanceof Response) return toServerResponse(result);
    return Promise.resolve(result).then(toServerResponse);
  };
}
