// Media types from mime-db (the one runtime dependency): extension -> type, charset, compressible.
import { createRequire } from 'node:module';

interface MimeEntry {
  readonly source?: string;
  readonly charset?: string;
  readonly compressible?: boolean;
  readonly extensions?: readonly string[];
}

/** MediaType is what we know about a file's type: its Content-Type value and whether to compress. */
export interface MediaType {
  /** contentType is the Content-Type header value, with `charset=utf-8` for text. */
  readonly contentType: string;
  /** isCompressible tells whether on-the-fly compression is worth it for this type. */
  readonly isCompressible: boolean;
}

const OCTET_STREAM: MediaType = { contentType: 'application/octet-stream', isCompressible: false };

const SOURCE_SCORES: Readonly<Record<string, number>> = { iana: 40, apache: 20, nginx: 10 };

// score ranks the types that claim the same extension: plain subtypes over vnd./x- ones, then
// IANA over Apache over nginx, then a concrete top-level type over application/, then the shorter.
function score(type: string, entry: MimeEntry): number {
  if (type === 'application/octet-stream') return 0;
  const slash = type.indexOf('/');
  const subtype = type.slice(slash + 1);
  const facet = subtype.startsWith('vnd.') ? 400 : subtype.startsWith('x-') || subtype.startsWith('x.') ? 200 : subtype.startsWith('prs.') ? 100 : 900;
  const source = entry.source === undefined ? 30 : (SOURCE_SCORES[entry.source] ?? 30);
  const top = type.startsWith('application/') ? 0 : 1;
  return facet + source + top + (1 - type.length / 100);
}

function hasUtf8Charset(type: string, entry: MimeEntry): boolean {
  return (
    type.startsWith('text/') ||
    entry.charset?.toUpperCase() === 'UTF-8' ||
    type.endsWith('+json') ||
    type.endsWith('+xml') ||
    type === 'application/xml'
  );
}

let table: Map<string, MediaType> | null = null;

function load(): Map<string, MediaType> {
  const require = createRequire(import.meta.url);
  const db = require('mime-db') as Readonly<Record<string, MimeEntry>>;
  const chosen = new Map<string, { type: string; entry: MimeEntry; score: number }>();
  for (const type of Object.keys(db)) {
    const entry = db[type] as MimeEntry;
    if (entry.extensions === undefined) continue;
    const s = score(type, entry);
    for (const ext of entry.extensions) {
      const prev = chosen.get(ext);
      if (prev === undefined || s > prev.score) chosen.set(ext, { type, entry, score: s });
    }
  }
  const out = new Map<string, MediaType>();
  for (const [ext, { type, entry }] of chosen) {
    const contentType = hasUtf8Charset(type, entry) ? `${type}; charset=utf-8` : type;
    const isCompressible =
      entry.compressible === true || (entry.compressible === undefined && (type.startsWith('text/') || type.endsWith('+json') || type.endsWith('+xml')));
    out.set(ext, { contentType, isCompressible });
  }
  return out;
}

/**
 * mediaTypeFor returns the media type of a file name from its extension (case-insensitive),
 * or application/octet-stream when the extension is unknown or missing.
 */
export function mediaTypeFor(fileName: string): MediaType {
  table ??= load();
  const slash = fileName.lastIndexOf('/');
  const dot = fileName.lastIndexOf('.');
  if (dot <= slash + 1) return OCTET_STREAM;
  return table.get(fileName.slice(dot + 1).toLowerCase()) ?? OCTET_STREAM;
}
