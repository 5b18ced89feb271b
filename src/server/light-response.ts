import { titleCase } from '../http/index.js';
import type { ResponseBody, ServerResponse } from './types.js';
import { forwardToReal } from './lazy.js';

// Node's Response builds a web ReadableStream for every body, about 10 µs per response: more
// than the whole rest of a request. LightResponse (the idea of @hono/node-server) records what
// the handler passed and builds the real Response only when someone looks past status, headers
// and body source. serve() installs it as globalThis.Response unless told not to.

const NativeResponse = globalThis.Response;
const MATERIALIZE = Symbol('courier.materializeResponse');

type Init = ResponseInit | undefined;
type BodyInit = ConstructorParameters<typeof Response>[0];

function isFastBody(body: unknown): body is string | Uint8Array | null | undefined {
  return body === null || body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

let realBuilt = 0;

function buildReal(body: BodyInit | null | undefined, init: ResponseInit | undefined): Response {
  realBuilt++;
  return new NativeResponse(body, init);
}

/** realResponsesBuilt counts the real Responses LightResponses had to build (for tests). */
export function realResponsesBuilt(): number {
  return realBuilt;
}

/**
 * LightResponse is a WHATWG Response that stays a plain record of (body, init) until a member
 * other than status, ok, and headers-as-given is used. `instanceof Response` holds.
 */
export class LightResponse {
  #body: BodyInit | null | undefined;
  #init: Init;
  #real: Response | null = null;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.#body = body;
    this.#init = init;
    const status = init?.status;
    // Checked eagerly, as the real constructor does (Fetch standard, "initialize a response").
    if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599) || !isFastBody(body)) {
      this.#real = buildReal(body, init);
    }
  }

  get status(): number {
    return this.#real !== null ? this.#real.status : (this.#init?.status ?? 200);
  }

  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status <= 299;
  }

  [MATERIALIZE](): Response {
    this.#real ??= buildReal(this.#body, this.#init);
    return this.#real;
  }

  /** toNative returns the engine's answer without building the real Response when possible. */
  toNative(): ServerResponse | null {
    if (this.#real !== null) return null;
    const body = (this.#body ?? null) as string | Uint8Array | null;
    const headersInit = this.#init?.headers;
    const headers: [string, string][] = [];
    let hasType = false;
    if (headersInit instanceof Headers || Array.isArray(headersInit)) {
      for (const pair of headersInit as Iterable<[string, string]>) {
        const name = pair[0];
        if (name.length === 12 && name.toLowerCase() === 'content-type') hasType = true;
        headers.push([titleCase(name), String(pair[1])]);
      }
    } else if (headersInit !== undefined) {
      for (const name in headersInit) {
        const value = (headersInit as Record<string, string>)[name];
        if (value === undefined) continue;
        if (name.length === 12 && name.toLowerCase() === 'content-type') hasType = true;
        headers.push([titleCase(name), String(value)]);
      }
    }
    // Fetch standard "extract a body": a string gets text/plain;charset=UTF-8 by default.
    if (typeof body === 'string' && !hasType) headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
    const out: { status: number; headers: [string, string][]; body: ResponseBody } = { status: this.status, headers, body };
    return out;
  }

  /** isLight tells a LightResponse apart from a native Response. */
  static isLight(value: unknown): value is LightResponse {
    return typeof value === 'object' && value !== null && #real in value;
  }

  // Installed as globalThis.Response, the class must still recognise native Responses (from
  // fetch(), Response.json()...) in `instanceof Response`.
  static [Symbol.hasInstance](value: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(NativeResponse, value);
  }

  static json(data: unknown, init?: ResponseInit): Response {
    return NativeResponse.json(data, init);
  }

  static error(): Response {
    return NativeResponse.error();
  }

  static redirect(url: string | URL, status?: number): Response {
    return NativeResponse.redirect(url, (status ?? 302) as 302);
  }
}

forwardToReal(LightResponse.prototype, NativeResponse.prototype, MATERIALIZE);
Object.setPrototypeOf(LightResponse, NativeResponse);

/** realResponse returns the real Response behind a LightResponse, or the argument itself. */
export function realResponse(res: Response): Response {
  return LightResponse.isLight(res) ? res[MATERIALIZE]() : res;
}

/** installLightResponse makes globalThis.Response the LightResponse class (idempotent). */
export function installLightResponse(): void {
  if (globalThis.Response !== (LightResponse as unknown as typeof Response)) {
    globalThis.Response = LightResponse as unknown as typeof Response;
  }
}
