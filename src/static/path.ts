// Path safety in one place (STYLE habit 12): decode once -> normalise -> redirect to the canonical
// path if it changed -> containment with path.relative -> realpath and check again.
import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { PathRefusalCode } from './errors.js';

/** DotfilePolicy says what to do with names starting with ".": serve, 403, or 404. */
export type DotfilePolicy = 'allow' | 'deny' | 'ignore';

/** RequestPath is a request path that passed the checks, split into decoded segments. */
export interface RequestPath {
  readonly kind: 'ok';
  /** segments are the decoded, normalised path segments (no empty, "." or ".." ones). */
  readonly segments: readonly string[];
  /** hasTrailingSlash tells whether the path names a directory ("/docs/"). */
  readonly hasTrailingSlash: boolean;
}

/** PathRefusal is a request path we refuse, with the status to answer and a stable code. */
export interface PathRefusal {
  readonly kind: 'error';
  readonly status: 400 | 403 | 404;
  readonly code: PathRefusalCode;
}

/** PathRedirect asks the client to use the canonical form of its path (same origin only). */
export interface PathRedirect {
  readonly kind: 'redirect';
  /** location is an absolute path: one "/", never "//", never a scheme. */
  readonly location: string;
}

/** PathResult is what parseRequestPath decided: go on, refuse, or redirect. */
export type PathResult = RequestPath | PathRefusal | PathRedirect;

const decoder = new TextDecoder('utf-8', { fatal: true });

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * decodeSegment percent-decodes one path segment exactly once into UTF-8 text. The raw segment is
 * latin1 (one char per byte of the request-target). It returns undefined for a bad escape, bytes
 * that are not UTF-8, or a result holding NUL, "/" or "\".
 */
export function decodeSegment(raw: string): string | undefined {
  let plain = true;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x25 || c >= 0x80 || c === 0 || c === 0x5c) {
      plain = false;
      break;
    }
  }
  if (plain) return raw;
  const bytes = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    let c = raw.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi < 0 || lo < 0) return undefined;
      c = hi * 16 + lo;
      i += 2;
    } else if (c > 0xff) {
      return undefined;
    }
    // Encoded or not, these never belong inside one segment.
    if (c === 0 || c === 0x2f || c === 0x5c) return undefined;
    bytes[n++] = c;
  }
  try {
    return decoder.decode(bytes.subarray(0, n));
  } catch {
    return undefined;
  }
}

/** encodePath percent-encodes decoded segments back into an absolute URL path. */
export function encodePath(segments: readonly string[], hasTrailingSlash: boolean): string {
  let out = '';
  for (const s of segments) out += `/${encodeURIComponent(s)}`;
  return hasTrailingSlash || out === '' ? `${out}/` : out;
}

/** isHiddenSegment tells whether the dotfile policy covers a segment at this depth. */
function isHiddenSegment(segment: string, index: number): boolean {
  return segment.charCodeAt(0) === 0x2e && !(index === 0 && segment === '.well-known');
}

function dotfileStatus(policy: DotfilePolicy): 403 | 404 {
  return policy === 'deny' ? 403 : 404;
}

const BAD_PATH: PathRefusal = { kind: 'error', status: 400, code: 'STATIC_BAD_PATH' };
const TRAVERSAL: PathRefusal = { kind: 'error', status: 403, code: 'STATIC_TRAVERSAL' };

/**
 * parseRequestPath checks a raw (percent-encoded) request path and splits it into decoded
 * segments. Each segment is decoded once; "." and ".." and empty segments are resolved, and a ".."
 * that would climb above the root is refused with 403. Names starting with "." (except a
 * top-level ".well-known") follow the dotfile policy. A path that changed on normalisation is
 * redirected to its canonical form, keeping the query.
 */
export function parseRequestPath(rawPath: string, query: string, dotfiles: DotfilePolicy): PathResult {
  if (rawPath.charCodeAt(0) !== 0x2f) return BAD_PATH;
  const parts = rawPath.split('/');
  const segments: string[] = [];
  let isChanged = false;
  for (let i = 1; i < parts.length; i++) {
    const decoded = decodeSegment(parts[i] as string);
    if (decoded === undefined) return BAD_PATH;
    const isLast = i === parts.length - 1;
    if (decoded === '' ) {
      if (!isLast) isChanged = true;
    } else if (decoded === '.') {
      isChanged = true;
    } else if (decoded === '..') {
      if (segments.length === 0) return TRAVERSAL;
      segments.pop();
      isChanged = true;
    } else {
      segments.push(decoded);
    }
  }
  const lastRaw = decodeSegment(parts[parts.length - 1] as string);
  const hasTrailingSlash = lastRaw === '' || lastRaw === '.' || lastRaw === '..';
  if (dotfiles !== 'allow') {
    for (let i = 0; i < segments.length; i++) {
      if (isHiddenSegment(segments[i] as string, i)) return { kind: 'error', status: dotfileStatus(dotfiles), code: 'STATIC_DOTFILE' };
    }
  }
  if (isChanged) {
    const location = encodePath(segments, hasTrailingSlash);
    return { kind: 'redirect', location: query === '' ? location : `${location}?${query}` };
  }
  return { kind: 'ok', segments, hasTrailingSlash };
}

/** isInside tells whether `child` is `root` or below it, judged with path.relative. */
export function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  if (rel === '') return true;
  if (isAbsolute(rel)) return false;
  return !(rel === '..' || rel.startsWith(`..${sep}`));
}

/** DiskEntry is what a checked path is on disk: a file, a directory, or why not. */
export type DiskEntry =
  | { readonly kind: 'file' | 'directory'; readonly realPath: string; readonly stats: Stats }
  | { readonly kind: 'missing' }
  | { readonly kind: 'refused'; readonly status: 403 | 404; readonly code: PathRefusalCode };

const MISSING: DiskEntry = { kind: 'missing' };
const FORBIDDEN: DiskEntry = { kind: 'refused', status: 403, code: 'STATIC_FORBIDDEN' };

/** DiskOptions are the checks resolveOnDisk applies after realpath. */
export interface DiskOptions {
  readonly followSymlinks: boolean;
  readonly dotfiles: DotfilePolicy;
}

/**
 * resolveOnDisk joins checked segments to the root (whose realpath is `realRoot`), checks
 * containment, resolves symlinks and, unless followSymlinks, checks that the real path is still
 * under the root and not a dotfile. Other file types (sockets, devices) count as missing.
 */
export async function resolveOnDisk(realRoot: string, segments: readonly string[], options: DiskOptions): Promise<DiskEntry> {
  const full = join(realRoot, ...segments);
  if (!isInside(realRoot, full)) return { kind: 'refused', status: 403, code: 'STATIC_TRAVERSAL' };
  let real: string;
  let stats: Stats;
  try {
    real = await realpath(full);
    stats = await stat(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') return FORBIDDEN;
    return MISSING;
  }
  if (!options.followSymlinks && real !== full) {
    if (!isInside(realRoot, real)) return { kind: 'refused', status: 403, code: 'STATIC_OUTSIDE_ROOT' };
    if (options.dotfiles !== 'allow') {
      const parts = relative(realRoot, real).split(sep);
      for (let i = 0; i < parts.length; i++) {
        if (isHiddenSegment(parts[i] as string, i)) return { kind: 'refused', status: dotfileStatus(options.dotfiles), code: 'STATIC_DOTFILE' };
      }
    }
  }
  const isFile = stats.isFile();
  if (!isFile && !stats.isDirectory()) return MISSING;
  // A file we cannot read, or a folder we cannot enter, is refused before any head is chosen, so
  // GET, HEAD and ranges all answer the same 403 (a folder we may enter but not list is refused
  // by the listing). Root passes this check; a failing read is then answered as 403 too.
  try {
    await access(real, isFile ? constants.R_OK : constants.X_OK);
  } catch {
    return FORBIDDEN;
  }
  return { kind: isFile ? 'file' : 'directory', realPath: real, stats };
}
