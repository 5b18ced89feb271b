// Spellings the RFCs use that plain Title-Case would change.
const SPECIAL_NAMES: Readonly<Record<string, string>> = { etag: 'ETag', 'www-authenticate': 'WWW-Authenticate' };

// Responses repeat the same few names: each spelling is computed once (bounded, as names are
// chosen by handlers, not by peers).
const cache = new Map<string, string>();
const MAX_CACHED = 512;

/**
 * titleCase spells a field name the way every name in courier's heads is spelled (Content-Type,
 * as the engine writes Content-Length), so a head never mixes styles and a user's field replaces
 * one of ours whatever its case (names are case-insensitive, RFC 9110 §5.1).
 */
export function titleCase(name: string): string {
  let out = cache.get(name);
  if (out === undefined) {
    const lower = name.toLowerCase();
    out = SPECIAL_NAMES[lower] ?? lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    if (cache.size < MAX_CACHED) cache.set(name, out);
  }
  return out;
}
