// serveFile: one file version to one request. Negotiates the coding, checks preconditions from
// validators alone, then answers 304, 412, 416, 206 or 200, reading the file only if needed.
import { Buffer } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { ServerRequest, ServerResponse } from '../server/types.js';
import type { FileCache, FileInfo, Sidecar } from './cache.js';
import { checkPreconditions, ifRangeAllows, type Validators } from './conditional.js';
import { COMPRESS_MIN_SIZE, negotiateEncoding, type Coding } from './encoding.js';
import { ERROR_PAGE_CSP, errorPage } from './errors.js';
import { fileETag } from './etag.js';
import { contentRange, multipartFromBytes, multipartFromFile, parseRange, planMultipart } from './range.js';

/** ServeContext is what serveFile needs from the handler that owns it. */
export interface ServeContext {
  readonly cache: FileCache;
  /** common holds the headers every response carries (nosniff, CORS, the user's). */
  readonly common: Readonly<Record<string, string>>;
  readonly cacheControl: string;
  readonly isCompressing: boolean;
}

/** Variant is one representation of a file: identity, a sidecar, or compressed on the fly. */
interface Variant {
  readonly coding: Coding;
  readonly etag: string;
  readonly sidecar: Sidecar | null;
}

type Fields = Record<string, string | number>;

function offeredCodings(file: FileInfo, ctx: ServeContext): Coding[] {
  const onTheFly = ctx.isCompressing && file.media.isCompressible && file.size >= COMPRESS_MIN_SIZE;
  const out: Coding[] = [];
  if (onTheFly || file.sidecars.br !== undefined) out.push('br');
  if (onTheFly || file.sidecars.gzip !== undefined) out.push('gzip');
  return out;
}

function variantOf(file: FileInfo, coding: Coding): Variant {
  if (coding === 'identity') return { coding, etag: file.etag, sidecar: null };
  const sidecar = file.sidecars[coding] ?? null;
  return { coding, etag: sidecar !== null ? sidecar.etag : fileETag(file.mtimeMs, file.size, coding), sidecar };
}

/** validatorHeaders are the fields a 200 and a 304 share (RFC 9110 §15.4.5). */
function validatorHeaders(file: FileInfo, variant: Variant, isVarying: boolean, ctx: ServeContext): Fields {
  const out: Fields = { ETag: variant.etag, 'Last-Modified': file.lastModified, 'Cache-Control': ctx.cacheControl };
  if (isVarying) out.Vary = 'Accept-Encoding';
  return out;
}

/** fullHeaders builds (once per file version and variant) the head of a 200 response. */
function fullHeaders(file: FileInfo, variant: Variant, isVarying: boolean, ctx: ServeContext, length: number | undefined): Readonly<Fields> {
  const key = `${variant.coding}:${length ?? ''}`;
  let head = file.heads.get(key);
  if (head === undefined) {
    const out: Fields = { 'Content-Type': file.media.contentType };
    if (length !== undefined) out['Content-Length'] = length;
    if (variant.coding !== 'identity') out['Content-Encoding'] = variant.coding;
    out['Accept-Ranges'] = variant.coding === 'identity' ? 'bytes' : 'none';
    head = Object.freeze({ ...out, ...validatorHeaders(file, variant, isVarying, ctx), ...ctx.common });
    file.heads.set(key, head);
  }
  return head;
}

function streamCompressed(path: string, coding: 'br' | 'gzip'): Readable {
  const source = createReadStream(path, { highWaterMark: 256 * 1024 });
  const codec =
    coding === 'br' ? createBrotliCompress({ params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : createGzip({ level: 6 });
  // pipeline, not pipe: when the engine destroys the codec (client gone), the file closes too.
  pipeline(source, codec, noop);
  return codec;
}

function noop(): void {}

/**
 * serveFile answers a GET or HEAD for one file with `status` (200, or 404 for a custom 404
 * page, which skips preconditions and ranges). Compression is never combined with Range: a
 * request with Range gets the identity representation.
 */
export function serveFile(req: ServerRequest, file: FileInfo, ctx: ServeContext, status: number): ServerResponse | Promise<ServerResponse> {
  const headers = req.headers;
  const rangeField = status === 200 && req.method === 'GET' ? headers.get('range') : undefined;
  const offered = offeredCodings(file, ctx);
  const isVarying = offered.length > 0;
  const coding = rangeField === undefined && isVarying ? negotiateEncoding(headers.get('accept-encoding'), offered) : 'identity';
  const variant = variantOf(file, coding);

  if (status === 200) {
    const v: Validators = { etag: variant.etag, lastModified: file.mtimeMs, lastModifiedText: file.lastModified };
    const outcome = checkPreconditions(req.method, headers, v);
    if (outcome === 304) {
      return { status: 304, headers: { ...validatorHeaders(file, variant, isVarying, ctx), ...ctx.common }, body: null };
    }
    if (outcome === 412) return errorResponse(412, ctx);
    if (rangeField !== undefined && ifRangeAllows(headers.get('if-range'), v)) {
      return serveRange(req, file, variant, isVarying, ctx, rangeField).then(
        (ranged) => ranged ?? serveWhole(req, file, ctx, status, variant, isVarying),
      );
    }
  }
  return serveWhole(req, file, ctx, status, variant, isVarying);
}

/**
 * serveWhole sends the whole selected variant. It answers synchronously when the bytes are in
 * memory or need not be read (HEAD, big files, sidecars), so the engine can skip a promise.
 */
function serveWhole(
  req: ServerRequest,
  file: FileInfo,
  ctx: ServeContext,
  status: number,
  variant: Variant,
  isVarying: boolean,
): ServerResponse | Promise<ServerResponse> {
  const isHead = req.method === 'HEAD';
  const coding = variant.coding;
  const cache = ctx.cache;
  if (coding === 'identity') {
    if (isHead || !cache.isSmall(file)) {
      const head = fullHeaders(file, variant, isVarying, ctx, file.size);
      // For HEAD the engine takes the length from the range and never opens the file.
      return { status, headers: head, body: { kind: 'file', path: file.realPath, start: 0, end: file.size } };
    }
    const ready = cache.bytesNow(file);
    if (ready !== null) return { status, headers: fullHeaders(file, variant, isVarying, ctx, ready.length), body: ready };
    return cache.bytesOf(file).then((bytes) => ({ status, headers: fullHeaders(file, variant, isVarying, ctx, bytes.length), body: bytes }));
  }
  if (variant.sidecar !== null) {
    const sidecar = variant.sidecar;
    return {
      status,
      headers: fullHeaders(file, variant, isVarying, ctx, sidecar.size),
      body: { kind: 'file', path: sidecar.realPath, start: 0, end: sidecar.size },
    };
  }
  if (cache.isSmall(file)) {
    const ready = file.compressedReady.get(coding);
    if (ready !== undefined) return { status, headers: fullHeaders(file, variant, isVarying, ctx, ready.length), body: ready };
    return cache.compressedOf(file, coding).then((bytes) => ({ status, headers: fullHeaders(file, variant, isVarying, ctx, bytes.length), body: bytes }));
  }
  // A big file compressed on the fly: its length is unknown, so the engine frames it (and a HEAD
  // gets no length rather than a wrong one).
  return { status, headers: fullHeaders(file, variant, isVarying, ctx, undefined), body: isHead ? noBytes() : streamCompressed(file.realPath, coding) };
}

async function serveRange(
  req: ServerRequest,
  file: FileInfo,
  variant: Variant,
  isVarying: boolean,
  ctx: ServeContext,
  rangeField: string,
): Promise<ServerResponse | null> {
  const size = file.size;
  const result = parseRange(rangeField, size);
  if (result.kind === 'ignore') return null;
  const base = validatorHeaders(file, variant, isVarying, ctx);
  if (result.kind === 'unsatisfiable') {
    // RFC 9110 §15.5.17: a 416 says the current length in Content-Range.
    return errorResponse(416, ctx, { 'Content-Range': `bytes */${size}` });
  }
  const ranges = result.ranges;
  let bytes = ctx.cache.isSmall(file) ? await ctx.cache.bytesOf(file) : null;
  // Bytes read after the file changed do not match the ranges computed from the stat.
  if (bytes !== null && bytes.length !== size) bytes = null;
  if (ranges.length === 1) {
    const range = ranges[0] as { start: number; end: number };
    return {
      status: 206,
      headers: {
        'Content-Type': file.media.contentType,
        'Content-Length': range.end - range.start,
        'Content-Range': contentRange(range, size),
        'Accept-Ranges': 'bytes',
        ...base,
        ...ctx.common,
      },
      body: bytes !== null ? bytes.subarray(range.start, range.end) : { kind: 'file', path: file.realPath, start: range.start, end: range.end },
    };
  }
  const plan = planMultipart(ranges, size, file.media.contentType);
  return {
    status: 206,
    headers: { 'Content-Type': plan.contentType, 'Content-Length': plan.length, 'Accept-Ranges': 'bytes', ...base, ...ctx.common },
    body: bytes !== null ? multipartFromBytes(plan, bytes) : multipartFromFile(plan, file.realPath),
  };
}

function errorResponse(status: number, ctx: ServeContext, extra?: Fields): ServerResponse {
  const body = errorPage(status);
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body), 'Content-Security-Policy': ERROR_PAGE_CSP, ...extra, ...ctx.common },
    body,
  };
}

async function* noBytes(): AsyncGenerator<Uint8Array> {}
