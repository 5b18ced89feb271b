// Entity tags (RFC 9110 §8.8.3): making them for files, parsing lists of them, comparing them.

/** EntityTag is one parsed entity-tag: its opaque value (quotes included) and whether it is weak. */
export interface EntityTag {
  readonly isWeak: boolean;
  /** opaque is the quoted part, quotes included, e.g. `"abc"`. */
  readonly opaque: string;
}

/** TagList is a parsed If-Match / If-None-Match value: either `*` or a list of tags. */
export type TagList = { readonly isAny: true } | { readonly isAny: false; readonly tags: readonly EntityTag[] };

/**
 * fileETag returns a strong entity-tag for a file version from its modification time (to the
 * microsecond) and size, like nginx does. A suffix names a content coding variant ("br", "gzip"),
 * because each encoded representation needs its own strong tag (RFC 9110 §8.8.3).
 */
export function fileETag(mtimeMs: number, size: number, suffix = ''): string {
  const base = `${Math.round(mtimeMs * 1000).toString(36)}-${size.toString(36)}`;
  return suffix === '' ? `"${base}"` : `"${base}-${suffix}"`;
}

function isEtagc(c: number): boolean {
  // etagc = %x21 / %x23-7E / obs-text
  return c === 0x21 || (c >= 0x23 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
}

/**
 * parseTagList parses an If-Match or If-None-Match value (RFC 9110 §13.1.1): `*` or a
 * comma-separated list of entity-tags. Commas may appear inside a tag's quotes. It returns null
 * when the value is malformed, so the caller can ignore the field.
 */
export function parseTagList(value: string): TagList | null {
  const n = value.length;
  let i = 0;
  const skip = (): void => {
    while (i < n) {
      const c = value.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x2c) break;
      i++;
    }
  };
  skip();
  if (i < n && value.charCodeAt(i) === 0x2a /* * */) {
    i++;
    skip();
    return i === n ? { isAny: true } : null;
  }
  const tags: EntityTag[] = [];
  while (i < n) {
    let isWeak = false;
    if (value.charCodeAt(i) === 0x57 /* W */ && value.charCodeAt(i + 1) === 0x2f /* / */) {
      isWeak = true;
      i += 2;
    }
    if (value.charCodeAt(i) !== 0x22) return null;
    const start = i;
    i++;
    while (i < n && value.charCodeAt(i) !== 0x22) {
      if (!isEtagc(value.charCodeAt(i))) return null;
      i++;
    }
    if (i >= n) return null;
    i++;
    tags.push({ isWeak, opaque: value.slice(start, i) });
    // After a tag: optional whitespace, then a comma or the end.
    while (i < n && (value.charCodeAt(i) === 0x20 || value.charCodeAt(i) === 0x09)) i++;
    if (i < n && value.charCodeAt(i) !== 0x2c) return null;
    skip();
  }
  return tags.length === 0 ? null : { isAny: false, tags };
}

/** splitETag parses our own ETag header value into an EntityTag. */
export function splitETag(etag: string): EntityTag {
  return etag.startsWith('W/') ? { isWeak: true, opaque: etag.slice(2) } : { isWeak: false, opaque: etag };
}

/** strongMatch tells whether two tags match by strong comparison (RFC 9110 §8.8.3.2). */
export function strongMatch(a: EntityTag, b: EntityTag): boolean {
  return !a.isWeak && !b.isWeak && a.opaque === b.opaque;
}

/** weakMatch tells whether two tags match by weak comparison (RFC 9110 §8.8.3.2). */
export function weakMatch(a: EntityTag, b: EntityTag): boolean {
  return a.opaque === b.opaque;
}
