// staticFetch: the static file server in the Fetch-standard shape, for serve({ fetch }) and Hono.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { Fields, forEachField } from '../http/index.js';
import type { ResponseBody, ServerRequest, ServerResponse } from '../server/types.js';
import { staticFiles, type StaticOptions } from './handler.js';

/**
 * StaticFetch answers a WHATWG Request from the folder, or resolves to null when no file answers
 * it (a missing path, a path outside the prefix, any method but GET and HEAD), so the caller
 * passes it on: to a Hono route with `(await files(c.req.raw)) ?? next()`.
 */
export type StaticFetch = (request: Request) => Promise<Response | null>;

// RFC 9110 §15.3.5, §15.3.6, §15.4.5: statuses whose response has no content.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const EMPTY: AsyncIterable<Uint8Array> = { async *[Symbol.asyncIterator]() {} };

/**
 * staticFetch returns the static file server (see staticFiles, same options but onNoMatch) as a
 * Fetch-standard function that resolves to null where onNoMatch would be called. It throws
 * STATIC_INVALID_ROOT when `dir` is not a readable directory.
 */
export function staticFetch(dir: string, options: Omit<StaticOptions, 'onNoMatch'> = {}): StaticFetch {
  const noMatch: ServerResponse = { status: 404 };
  const handler = staticFiles(dir, { ...options, onNoMatch: () => noMatch });
  return async (request) => {
    const res = await handler(toServerRequest(request));
    if (res === noMatch) return null;
    return toResponse(res, request.method === 'HEAD');
  };
}

function toServerRequest(request: Request): ServerRequest {
  const url = new URL(request.url);
  const names: string[] = [];
  const values: string[] = [];
  request.headers.forEach((value, name) => {
    names.push(name);
    values.push(value);
  });
  const query = url.search.slice(1);
  return {
    method: request.method,
    target: url.pathname + url.search,
    path: url.pathname,
    query,
    httpVersion: '1.1',
    headers: new Fields(names, values),
    // The static server reads no request content: what falls through keeps its body unread.
    hasBody: false,
    body: EMPTY,
    signal: request.signal,
    remoteAddress: '',
    remotePort: 0,
    isTls: url.protocol === 'https:',
  };
}

function toResponse(res: ServerResponse, isHead: boolean): Response {
  const headers = new Headers();
  forEachField(res.headers, (name, value, target) => target.append(name, String(value)), headers);
  const source = res.body ?? null;
  let body: string | Uint8Array | ReadableStream<Uint8Array> | null = null;
  if (source !== null && !NULL_BODY_STATUSES.has(res.status)) {
    // HEAD: a stream never read, so the server frames the head from our Content-Length (RFC 9110
    // §9.3.2) without a file being opened.
    body = isHead ? new ReadableStream<Uint8Array>() : toBodyInit(source);
  }
  return new Response(body, { status: res.status, headers });
}

function toBodyInit(body: ResponseBody): string | Uint8Array | ReadableStream<Uint8Array> | null {
  if (body === null || typeof body === 'string' || body instanceof Uint8Array) return body;
  if ('kind' in body) {
    if (body.end <= body.start) return null;
    // createReadStream's end is inclusive.
    return Readable.toWeb(createReadStream(body.path, { start: body.start, end: body.end - 1 })) as ReadableStream<Uint8Array>;
  }
  const source = body instanceof Readable ? body : Readable.from(body);
  return Readable.toWeb(source) as ReadableStream<Uint8Array>;
}
