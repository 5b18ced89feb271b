// The file cache: what a URL path resolves to on disk, revalidated with at most one stat per
// interval, plus the bytes of small files and their compressed variants, within a memory budget.
import type { Buffer } from 'node:buffer';
import type { Stats } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { compressBytes } from './encoding.js';
import { fileETag } from './etag.js';
import { mediaTypeFor, type MediaType } from './mime.js';
import { resolveOnDisk, type DiskEntry, type DiskOptions } from './path.js';
import type { FileVariants } from './variant.js';

/** Sidecar is a precompressed copy next to a file (`app.js.br`, `app.js.gz`). */
export interface Sidecar {
  readonly realPath: string;
  readonly size: number;
  readonly etag: string;
}

/** FileInfo is everything about one file version that a response needs, computed once. */
export class FileInfo {
  readonly realPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly etag: string;
  /** lastModified is the Last-Modified value (IMF-fixdate). */
  readonly lastModified: string;
  readonly media: MediaType;
  readonly sidecars: { readonly br?: Sidecar; readonly gzip?: Sidecar };
  /** bytes holds the content of a small file once read, or null. */
  bytes: Uint8Array | null = null;
  /** compressed holds on-the-fly compressed variants of a small file by coding, while or once made. */
  readonly compressed = new Map<'br' | 'gzip', Promise<Buffer>>();
  /** compressedReady holds the variants of `compressed` that are done, for a synchronous answer. */
  readonly compressedReady = new Map<'br' | 'gzip', Buffer>();
  /** variants describes the representations of this version once (see variant.ts); dropped with the bytes. */
  variants: FileVariants | null = null;
  /** touched is the cache's epoch when this file was last moved to the recent end of its LRU order. */
  touched = -1;

  constructor(realPath: string, stats: Stats, sidecars: { br?: Sidecar; gzip?: Sidecar }) {
    this.realPath = realPath;
    this.size = stats.size;
    this.mtimeMs = stats.mtimeMs;
    this.ino = stats.ino;
    this.etag = fileETag(stats.mtimeMs, stats.size);
    this.lastModified = new Date(stats.mtimeMs).toUTCString();
    this.media = mediaTypeFor(realPath);
    this.sidecars = sidecars;
  }

  /** isSameVersion tells whether fresh stats still describe this version of the file. */
  isSameVersion(stats: Stats): boolean {
    return stats.size === this.size && stats.mtimeMs === this.mtimeMs && stats.ino === this.ino;
  }
}

/** Lookup is a cached resolution of a path: the disk entry and, for a file, its FileInfo. */
export interface Lookup {
  readonly entry: DiskEntry;
  readonly file: FileInfo | null;
}

/** keyOf is the cache key of checked path segments (RequestPath.key holds it ready). */
export function keyOf(segments: readonly string[]): string {
  return segments.length === 1 ? (segments[0] as string) : segments.join('/');
}

const NO_LOOKUP: Lookup = { entry: { kind: 'missing' }, file: null };

interface Slot {
  lookup: Lookup;
  checkedAt: number;
  /** revalidating is the disk check in flight for this path, which later lookups join. */
  revalidating: Promise<Lookup> | null;
}

/** FileCacheOptions tune the cache; every field has a default. */
export interface FileCacheOptions extends DiskOptions {
  /** revalidateMs is how long a lookup is trusted before the disk is asked again (default 200). */
  readonly revalidateMs?: number;
  /** maxFileBytes is the largest file kept in memory (default 512 KiB). */
  readonly maxFileBytes?: number;
  /** maxBytes is the memory budget for file bytes and compressed variants (default 64 MiB). */
  readonly maxBytes?: number;
  /** maxEntries caps how many paths are remembered (default 10000). */
  readonly maxEntries?: number;
  /** precompressed looks for `.br` and `.gz` sidecars next to files (default true). */
  readonly precompressed?: boolean;
}

async function sidecar(path: string, suffix: string, base: Stats): Promise<Sidecar | undefined> {
  try {
    // lstat: a sidecar must be a plain file right there, never a symlink leading elsewhere.
    const stats = await lstat(path);
    if (!stats.isFile()) return undefined;
    return { realPath: path, size: stats.size, etag: fileETag(base.mtimeMs, base.size, `${suffix}${stats.size.toString(36)}`) };
  } catch {
    return undefined;
  }
}

/**
 * FileCache resolves checked path segments to disk entries and remembers them for revalidateMs,
 * so a hot file costs no system call per request. It also keeps small files' bytes and their
 * compressed variants, evicting the least recently used when over its memory budget.
 */
export class FileCache {
  readonly #root: string;
  readonly #disk: DiskOptions;
  readonly #revalidateMs: number;
  readonly #maxFileBytes: number;
  readonly #maxBytes: number;
  readonly #maxEntries: number;
  readonly #precompressed: boolean;
  readonly #slots = new Map<string, Slot>();
  /** #resident lists files holding bytes, least recently used first, with their charge. */
  readonly #resident = new Map<FileInfo, number>();
  #bytes = 0;
  #diskChecks = 0;
  /** #epoch counts the charges: the LRU order only matters when one may evict. */
  #epoch = 0;

  constructor(realRoot: string, options: FileCacheOptions) {
    this.#root = realRoot;
    this.#disk = { followSymlinks: options.followSymlinks, dotfiles: options.dotfiles };
    this.#revalidateMs = options.revalidateMs ?? 200;
    this.#maxFileBytes = options.maxFileBytes ?? 512 * 1024;
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#maxEntries = options.maxEntries ?? 10_000;
    this.#precompressed = options.precompressed ?? true;
  }

  /** residentBytes is how many bytes of file content the cache holds now. */
  get residentBytes(): number {
    return this.#bytes;
  }

  /**
   * peek returns the lookup for segments if one is cached and still fresh, without any I/O, so a
   * hot file is answered synchronously; otherwise undefined (then call lookup). `key` is
   * keyOf(segments), passed when known.
   */
  peek(segments: readonly string[], key = keyOf(segments)): Lookup | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined || slot.revalidating !== null || Date.now() - slot.checkedAt >= this.#revalidateMs) return undefined;
    return slot.lookup;
  }

  /** diskChecks counts the disk resolutions (realpath and stat) the cache has started. */
  get diskChecks(): number {
    return this.#diskChecks;
  }

  /**
   * lookup resolves segments (already checked by parseRequestPath) to a disk entry. When the
   * cached answer is stale, one disk check runs and every lookup of the same path arriving
   * meanwhile waits for it (single flight): a hot file costs one stat per interval, not one per
   * connection that noticed the interval ended.
   */
  lookup(segments: readonly string[], key = keyOf(segments)): Promise<Lookup> {
    let slot = this.#slots.get(key);
    if (slot !== undefined) {
      if (slot.revalidating !== null) return slot.revalidating;
      if (Date.now() - slot.checkedAt < this.#revalidateMs) return Promise.resolve(slot.lookup);
    } else {
      if (this.#slots.size >= this.#maxEntries) this.#evictSlot();
      // A slot without a lookup yet: only its revalidating promise is read until it settles.
      slot = { lookup: NO_LOOKUP, checkedAt: -Infinity, revalidating: null };
      this.#slots.set(key, slot);
    }
    const current = slot;
    const check = this.#check(segments, current);
    current.revalidating = check;
    check.then(
      () => {
        current.revalidating = null;
      },
      () => {
        current.revalidating = null;
        // A failed first check leaves nothing to remember.
        if (current.lookup === NO_LOOKUP && this.#slots.get(key) === current) this.#slots.delete(key);
      },
    );
    return check;
  }

  async #check(segments: readonly string[], slot: Slot): Promise<Lookup> {
    this.#diskChecks++;
    const entry = await resolveOnDisk(this.#root, segments, this.#disk);
    const previous = slot.lookup.file;
    let file: FileInfo | null = null;
    if (entry.kind === 'file') {
      if (previous != null && previous.realPath === entry.realPath && previous.isSameVersion(entry.stats)) {
        file = previous;
      } else {
        if (previous != null) this.#release(previous);
        file = await this.#describe(entry.realPath, entry.stats);
      }
    } else if (previous != null) {
      this.#release(previous);
    }
    const lookup: Lookup = { entry, file };
    slot.lookup = lookup;
    slot.checkedAt = Date.now();
    return lookup;
  }

  async #describe(realPath: string, stats: Stats): Promise<FileInfo> {
    const sidecars: { br?: Sidecar; gzip?: Sidecar } = {};
    if (this.#precompressed) {
      const [br, gz] = await Promise.all([sidecar(`${realPath}.br`, 'br', stats), sidecar(`${realPath}.gz`, 'gz', stats)]);
      if (br !== undefined) sidecars.br = br;
      if (gz !== undefined) sidecars.gzip = gz;
    }
    return new FileInfo(realPath, stats, sidecars);
  }

  /** isSmall tells whether a file is kept in memory. */
  isSmall(file: FileInfo): boolean {
    return file.size <= this.#maxFileBytes;
  }

  /** bytesNow returns a small file's content if it is in memory already, else null. */
  bytesNow(file: FileInfo): Uint8Array | null {
    if (file.bytes !== null) this.#touch(file);
    return file.bytes;
  }

  /**
   * bytesOf returns a small file's content, reading it once. The length may differ from
   * file.size if the file changed since the stat; callers frame the response with the length.
   */
  async bytesOf(file: FileInfo): Promise<Uint8Array> {
    if (file.bytes !== null) {
      this.#touch(file);
      return file.bytes;
    }
    const bytes = await readFile(file.realPath);
    file.bytes = bytes;
    this.#charge(file, bytes.length);
    return bytes;
  }

  /** compressedOf returns a small file compressed with the coding, compressing it once. */
  async compressedOf(file: FileInfo, coding: 'br' | 'gzip'): Promise<Buffer> {
    let pending = file.compressed.get(coding);
    if (pending === undefined) {
      pending = this.bytesOf(file).then((bytes) => compressBytes(coding, bytes));
      file.compressed.set(coding, pending);
      pending.then(
        (out) => {
          // A release meanwhile (new version, eviction) dropped the promise: keep nothing.
          if (file.compressed.get(coding) !== pending) return;
          file.compressedReady.set(coding, out);
          this.#charge(file, out.length);
        },
        () => file.compressed.delete(coding),
      );
    }
    return pending;
  }

  #charge(file: FileInfo, n: number): void {
    this.#epoch++;
    const held = this.#resident.get(file) ?? 0;
    this.#resident.delete(file);
    this.#resident.set(file, held + n);
    this.#bytes += n;
    while (this.#bytes > this.#maxBytes && this.#resident.size > 1) {
      const oldest = this.#resident.keys().next().value as FileInfo;
      if (oldest === file) break;
      this.#release(oldest);
    }
  }

  // A cheap touch: a file is moved to the recent end once per epoch (between two charges, where
  // eviction can happen), not on every request.
  #touch(file: FileInfo): void {
    if (file.touched === this.#epoch) return;
    file.touched = this.#epoch;
    const held = this.#resident.get(file);
    if (held === undefined) return;
    this.#resident.delete(file);
    this.#resident.set(file, held);
  }

  #release(file: FileInfo): void {
    const held = this.#resident.get(file);
    if (held !== undefined) {
      this.#bytes -= held;
      this.#resident.delete(file);
    }
    file.bytes = null;
    file.variants = null;
    file.compressed.clear();
    file.compressedReady.clear();
  }

  #evictSlot(): void {
    const oldestKey = this.#slots.keys().next().value as string;
    const slot = this.#slots.get(oldestKey);
    if (slot?.lookup.file != null) this.#release(slot.lookup.file);
    this.#slots.delete(oldestKey);
  }
}
