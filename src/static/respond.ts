// serveFile: one file version to one request. Negotiates the coding, checks preconditions from
// validators alone, then answers 304, 412, 416, 206 or 200, reading the file only if needed.
import { Buffer } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { ServerRequest, ServerResponse } from '../server/types.js';
import type { FileCache, FileInfo } from './cache.js';
import { checkPreconditions, ifRangeAllows } from './conditional.js';
import { negotiateEncoding } from './encoding.js';
import { ERROR_PAGE_CSP, errorPage } from './errors.js';
import { contentRange, multipartFromBytes, multipartFromFile, parseRange, planMultipart } from './range.js';
import { variantsOf, type FileVariant, type VariantContext } from './variant.js';

/** ServeContext is what serveFile needs from the handler that owns it. */
export interface ServeContext extends VariantContext {
  readonly cache: FileCache;
}

type Fields = Record<string, string | number>;

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
  const variants = variantsOf(file, ctx);
  const rangeField = status === 200 && req.method === 'GET' ? headers.get('range') : undefined;
  const coding = rangeField === undefined && variants.isVarying ? negotiateEncoding(headers.get('accept-encoding'), variants.offered) : 'identity';
  const variant = variants.get(coding);

  if (status === 200) {
    const v = variant.validators;
    const outcome = checkPreconditions(req.method, headers, v);
    if (outcome === 304) return variant.notModified();
    if (outcome === 412) return errorResponse(412, ctx);
    if (rangeField !== undefined && ifRangeAllows(headers.get('if-range'), v)) {
      return serveRange(file, variant, ctx, rangeField).then((ranged) => ranged ?? serveWhole(req, file, ctx, status, variant));
    }
  }
  return serveWhole(req, file, ctx, status, variant);
}

/**
 * serveWhole sends the whole selected variant. It answers synchronously when the bytes are in
 * memory or need not be read (HEAD, big files, sidecars), so the engine can skip a promise; an
 * answer from memory is the variant's FixedResponse, whose bytes the engine keeps ready.
 */
function serveWhole(req: ServerRequest, file: FileInfo, ctx: ServeContext, status: number, variant: FileVariant): ServerResponse | Promise<ServerResponse> {
  const isHead = req.method === 'HEAD';
  const coding = variant.coding;
  const cache = ctx.cache;
  if (coding === 'identity') {
    if (isHead || !cache.isSmall(file)) {
      // For HEAD the engine takes the length from the range and never opens the file.
      return { status, headers: variant.headFor(file.size), body: { kind: 'file', path: file.realPath, start: 0, end: file.size } };
    }
    const ready = cache.bytesNow(file);
    if (ready !== null) return variant.whole(status, ready);
    return cache.bytesOf(file).then((bytes) => variant.whole(status, bytes));
  }
  if (variant.sidecar !== null) {
    const sidecar = variant.sidecar;
    return { status, headers: variant.headFor(sidecar.size), body: { kind: 'file', path: sidecar.realPath, start: 0, end: sidecar.size } };
  }
  if (cache.isSmall(file)) {
    const ready = file.compressedReady.get(coding);
    if (ready !== undefined) return variant.whole(status, ready);
    return cache.compressedOf(file, coding).then((bytes) => variant.whole(status, bytes));
  }
  // A big file compressed on the fly: its length is unknown, so the engine frames it (and a HEAD
  // gets no length rather than a wrong one).
  return { status, headers: variant.headFor(undefined), body: isHead ? noBytes() : streamCompressed(file.realPath, coding) };
}

async function serveRange(file: FileInfo, variant: FileVariant, ctx: ServeContext, rangeField: string): Promise<ServerResponse | null> {
  const size = file.size;
  const result = parseRange(rangeField, size);
  if (result.kind === 'ignore') return null;
  const base = variant.validatorFields();
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
      },
      body: bytes !== null ? bytes.subarray(range.start, range.end) : { kind: 'file', path: file.realPath, start: range.start, end: range.end },
    };
  }
  const plan = planMultipart(ranges, size, file.media.contentType);
  return {
    status: 206,
    headers: { 'Content-Type': plan.contentType, 'Content-Length': plan.length, 'Accept-Ranges': 'bytes', ...base },
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
