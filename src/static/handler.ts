// staticFiles: the static file server as a native handler for the engine.
import { realpathSync, statSync } from 'node:fs';
import type { Handler, ServerRequest, ServerResponse } from '../server/types.js';
import { fieldValueProblem, titleCase, tokenProblem } from '../http/index.js';
import { Buffer } from 'node:buffer';
import { FileCache, keyOf, type Lookup } from './cache.js';
import { COMPRESS_MIN_SIZE, compressBytes, negotiateEncoding, type Coding } from './encoding.js';
import { ERROR_PAGE_CSP, InvalidStaticOptionError, InvalidStaticRootError, errorPage } from './errors.js';
import { LISTING_CSP, escapeHtml, listingHtml, listingJson, prefersJson, readListing } from './listing.js';
import { encodePath, parseRequestPath, type DotfilePolicy, type PathRefusal, type RequestPath } from './path.js';
import { serveFile, type ServeContext } from './respond.js';

/** StaticOptions configure staticFiles(); every field is optional and has the documented default. */
export interface StaticOptions {
  /** listing shows a directory listing when a folder has no index file (default true). */
  readonly listing?: boolean;
  /** dotfiles: names starting with "." are served ('allow'), 403 ('deny') or 404 ('ignore', the default); /.well-known/ is always served. */
  readonly dotfiles?: DotfilePolicy;
  /** spa answers a missing extensionless path with /index.html, for client-side routing (default false). */
  readonly spa?: boolean;
  /** cors adds Access-Control-Allow-Origin: * and answers preflights (default false). */
  readonly cors?: boolean;
  /** cacheControl is the Cache-Control value of files (default "no-cache": always revalidate). */
  readonly cacheControl?: string;
  /** compress compresses compressible files on the fly with brotli or gzip (default true). */
  readonly compress?: boolean;
  /** precompressed serves `name.br` / `name.gz` sidecars when the client accepts them (default true). */
  readonly precompressed?: boolean;
  /** headers are added to every response; they override ours of the same name. */
  readonly headers?: Readonly<Record<string, string>>;
  /** followSymlinks serves symlinks whose target is outside the root (default false). */
  readonly followSymlinks?: boolean;
  /** index is the file served for a directory (default "index.html"). */
  readonly index?: string;
  /**
   * onNoMatch is the handler to pass a request to when no file answers it (instead of the 404),
   * and every method but GET and HEAD (instead of 405 and the OPTIONS answer), so static files
   * compose with an app: `staticFiles(dir, { onNoMatch: app })`.
   */
  readonly onNoMatch?: Handler;
  /**
   * prefix mounts the folder under a URL path: with "/assets", /assets/app.js serves `dir`/app.js
   * and a path outside the prefix goes to onNoMatch (or is 404). It is compared with the raw
   * (percent-encoded) path, must start with "/" and must not end with one (default: none).
   */
  readonly prefix?: string;
  /** revalidateMs is how long a file's stat is trusted before the disk is asked again (default 200). */
  readonly revalidateMs?: number;
  /** maxFileBytes is the largest file kept in memory (default 512 KiB). */
  readonly maxFileBytes?: number;
  /** maxCacheBytes is the memory budget for cached files and compressed variants (default 64 MiB). */
  readonly maxCacheBytes?: number;
}

const ALLOW = 'GET, HEAD, OPTIONS';
// A prefix is one or more "/segment" of URL path characters (RFC 3986 §3.3 pchar), no dot segments.
const PREFIX = /^(?:\/(?!\.{1,2}(?:\/|$))[A-Za-z0-9\-._~!$&'()*+,;=:@%]+)+$/;
const LISTING_CODINGS: readonly Coding[] = ['br', 'gzip'];
/** MAX_PATHS bounds the memo of parsed request paths (it starts afresh when full). */
const MAX_PATHS = 4096;
/** MAX_PATH_LENGTH is the longest request path kept in the memo (so it holds at most ~2 MiB). */
const MAX_PATH_LENGTH = 512;

/**
 * KnownPath is a request path parsed once: the outcome, and for a good path its cache key and
 * those of its index file (a folder's "/" is asked for as often as any file).
 */
interface KnownPath {
  readonly parsed: RequestPath | PathRefusal;
  readonly key: string;
  readonly indexSegments: readonly string[];
  readonly indexKey: string;
}

export { titleCase };


function isExtensionless(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return last === undefined || !last.includes('.');
}

/**
 * staticFiles returns a handler that serves the files under `dir`: GET and HEAD with validators,
 * conditional requests, ranges, content negotiation for compression, index files, listings and
 * safe path resolution. It throws STATIC_INVALID_ROOT when `dir` is not a readable directory.
 */
export function staticFiles(dir: string, options: StaticOptions = {}): Handler {
  let root: string;
  try {
    root = realpathSync(dir);
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new InvalidStaticRootError(`Cannot serve "${dir}": not a readable directory`);
  }
  const dotfiles = options.dotfiles ?? 'ignore';
  if (dotfiles !== 'allow' && dotfiles !== 'deny' && dotfiles !== 'ignore') {
    throw new InvalidStaticOptionError(`Invalid option "dotfiles": expected allow, deny or ignore`);
  }
  const prefix = options.prefix ?? '';
  if (prefix !== '' && !PREFIX.test(prefix)) {
    throw new InvalidStaticOptionError(`Invalid option "prefix": expected a path like "/assets" (starts with "/", no trailing "/", no "." or ".." segment), got ${JSON.stringify(prefix)}`);
  }
  const index = options.index ?? 'index.html';
  const isListing = options.listing ?? true;
  const isSpa = options.spa ?? false;
  const isCors = options.cors ?? false;
  const cache = new FileCache(root, {
    followSymlinks: options.followSymlinks ?? false,
    dotfiles,
    ...(options.revalidateMs !== undefined && { revalidateMs: options.revalidateMs }),
    ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
    ...(options.maxCacheBytes !== undefined && { maxBytes: options.maxCacheBytes }),
    precompressed: options.precompressed ?? true,
  });
  // Headers every response carries; the user's come last so they win.
  const common: Record<string, string> = { 'X-Content-Type-Options': 'nosniff' };
  if (isCors) {
    common['Access-Control-Allow-Origin'] = '*';
    common['Access-Control-Expose-Headers'] = 'Accept-Ranges, Content-Encoding, Content-Length, Content-Range, ETag, Last-Modified';
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    const problem = tokenProblem(name, 'header name') ?? fieldValueProblem(name, value);
    if (problem !== null) throw new InvalidStaticOptionError(`Invalid option "headers": ${problem}`);
    common[titleCase(name)] = value;
  }
  const context: ServeContext = {
    cache,
    common,
    cacheControl: options.cacheControl ?? 'no-cache',
    isCompressing: options.compress ?? true,
  };

  // Bodies are given for HEAD too: the engine frames the head from them and sends none.
  const respond = (status: number, body: string, extra?: Record<string, string>): ServerResponse => {
    const length = Buffer.byteLength(body);
    return {
      status,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': length, 'Content-Security-Policy': ERROR_PAGE_CSP, ...extra, ...common },
      body,
    };
  };
  // Locations are paths under the root: the prefix goes in front.
  const redirect = (rootLocation: string): ServerResponse => {
    const location = prefix + rootLocation;
    return respond(301, `<!doctype html><title>Moved</title><a href="${escapeHtml(location)}">Moved</a>\n`, { Location: location });
  };

  const onNoMatch = options.onNoMatch;
  const notFound = async (req: ServerRequest): Promise<ServerResponse> => {
    if (onNoMatch !== undefined) return onNoMatch(req);
    const custom = await cache.lookup(['404.html']);
    if (custom.file !== null) return serveFile(req, custom.file, context, 404);
    return respond(404, errorPage(404));
  };

  // A file or folder that became unreadable (or vanished) after its stat: the answer is the same
  // as if the stat had seen it, never a 500 with a path in a stack trace.
  const diskFailure = (error: unknown): ServerResponse => {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EACCES' || code === 'EPERM') return respond(403, errorPage(403));
    if (code === 'ENOENT' || code === 'ENOTDIR') return respond(404, errorPage(404));
    throw error;
  };

  const guard = (res: ServerResponse | Promise<ServerResponse>): ServerResponse | Promise<ServerResponse> =>
    'then' in res ? res.catch(diskFailure) : res;

  // A listing is text, often big (10,000 names is megabytes): compressed like any text file.
  const listing = async (req: ServerRequest, segments: readonly string[], realPath: string): Promise<ServerResponse> => {
    const entries = await readListing(realPath, dotfiles === 'allow');
    const isJson = prefersJson(req.headers.get('accept'));
    const text = isJson ? listingJson(segments, entries) : listingHtml(segments, entries, prefix);
    let body: string | Uint8Array = text;
    const headers: Record<string, string | number> = {
      'Content-Type': isJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    };
    if (!isJson) headers['Content-Security-Policy'] = LISTING_CSP;
    if (context.isCompressing) {
      const coding = (headers['Content-Length'] as number) >= COMPRESS_MIN_SIZE ? negotiateEncoding(req.headers.get('accept-encoding'), LISTING_CODINGS) : 'identity';
      if (coding !== 'identity') {
        // HEAD too: its head must be the one a GET gets.
        body = await compressBytes(coding, Buffer.from(text));
        headers['Content-Length'] = body.length;
        headers['Content-Encoding'] = coding;
      }
    }
    headers['Cache-Control'] = 'no-cache';
    headers.Vary = context.isCompressing ? 'Accept, Accept-Encoding' : 'Accept';
    return { status: 200, headers: { ...headers, ...common }, body };
  };

  const serveIndex = async (req: ServerRequest): Promise<ServerResponse | null> => {
    const found = await cache.lookup([index]);
    return found.file === null ? null : serveFile(req, found.file, context, 200);
  };

  const route = async (req: ServerRequest, parsed: RequestPath, found: Lookup): Promise<ServerResponse> => {
    const segments = parsed.segments;
    const entry = found.entry;
    if (found.file !== null) {
      // "/file.txt/" names a directory that is not there.
      if (parsed.hasTrailingSlash) return notFound(req);
      return serveFile(req, found.file, context, 200);
    }
    if (entry.kind === 'directory') {
      if (!parsed.hasTrailingSlash) {
        const location = encodePath(segments, true);
        return redirect(req.query === '' ? location : `${location}?${req.query}`);
      }
      const indexed = await cache.lookup([...segments, index]);
      if (indexed.file !== null) return serveFile(req, indexed.file, context, 200);
      if (isListing) return listing(req, segments, entry.realPath);
      return notFound(req);
    }
    if (entry.kind === 'refused') return respond(entry.status, errorPage(entry.status));
    if (isSpa && isExtensionless(segments)) {
      const page = await serveIndex(req);
      if (page !== null) return page;
    }
    return notFound(req);
  };

  // Request paths parsed once: clients ask for the same few paths again and again. Redirects are
  // not kept (their Location carries the query).
  const paths = new Map<string, KnownPath>();

  return (req) => {
    let path = req.path;
    if (prefix !== '') {
      // Outside the prefix nothing is ours: not even a 405.
      if (!path.startsWith(prefix)) return notFound(req);
      path = path.slice(prefix.length);
      if (path !== '' && path.charCodeAt(0) !== 0x2f) return notFound(req);
    }
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      if (onNoMatch !== undefined) return onNoMatch(req);
      if (method === 'OPTIONS') return options204(req, common, isCors);
      return respond(405, errorPage(405), { Allow: ALLOW });
    }
    // "/assets" is the mounted folder without its slash: like any folder, redirected.
    if (path === '') return redirect(req.query === '' ? '/' : `/?${req.query}`);
    let known = paths.get(path);
    if (known === undefined) {
      const parsed = parseRequestPath(path, req.query, dotfiles);
      if (parsed.kind === 'redirect') return redirect(parsed.location);
      const indexSegments = parsed.kind === 'ok' && parsed.hasTrailingSlash ? [...parsed.segments, index] : [];
      known = { parsed, key: parsed.kind === 'ok' ? keyOf(parsed.segments) : '', indexSegments, indexKey: keyOf(indexSegments) };
      if (path.length <= MAX_PATH_LENGTH) {
        if (paths.size >= MAX_PATHS) paths.clear();
        paths.set(path, known);
      }
    }
    const parsed = known.parsed;
    if (parsed.kind === 'error') {
      if (parsed.status === 404 && onNoMatch !== undefined) return onNoMatch(req);
      return respond(parsed.status, errorPage(parsed.status));
    }
    const found = cache.peek(parsed.segments, known.key);
    if (found === undefined) return cache.lookup(parsed.segments, known.key).then((fresh) => route(req, parsed, fresh)).catch(diskFailure);
    // The hot path: a fresh cached file (or folder index) is answered without a promise.
    if (found.file !== null && !parsed.hasTrailingSlash) return guard(serveFile(req, found.file, context, 200));
    if (found.entry.kind === 'directory' && parsed.hasTrailingSlash) {
      const indexed = cache.peek(known.indexSegments, known.indexKey);
      if (indexed?.file != null) return guard(serveFile(req, indexed.file, context, 200));
    }
    return route(req, parsed, found).catch(diskFailure);
  };
}

function options204(req: ServerRequest, common: Record<string, string>, isCors: boolean): ServerResponse {
  // RFC 9110 §8.6: no Content-Length on a 204.
  const headers: Record<string, string> = { Allow: ALLOW, ...common };
  if (isCors && req.headers.has('access-control-request-method')) {
    headers['Access-Control-Allow-Methods'] = ALLOW;
    const asked = req.headers.get('access-control-request-headers');
    if (asked !== undefined) headers['Access-Control-Allow-Headers'] = asked;
    headers['Access-Control-Max-Age'] = '600';
  }
  return { status: 204, headers, body: null };
}
