// Content codings (RFC 9110 §12.5.3 Accept-Encoding): choosing one, and compressing on the fly.
import { Buffer } from 'node:buffer';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip, type BrotliOptions, type ZlibOptions } from 'node:zlib';

/** Coding is a content coding we can send; identity means none. */
export type Coding = 'br' | 'gzip' | 'identity';


function parseQ(param: string): number | undefined {
  // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
  const eq = param.indexOf('=');
  if (eq === -1 || param.slice(0, eq).trim().toLowerCase() !== 'q') return undefined;
  const text = param.slice(eq + 1).trim();
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(text)) return undefined;
  return Number(text);
}

/**
 * negotiateEncoding picks the content coding to send from an Accept-Encoding value among the
 * `offered` codings (in the server's order of preference), following RFC 9110 §12.5.3: q-values,
 * `*`, `identity`, and `x-gzip` as gzip. Without the field, or when nothing offered is acceptable,
 * it answers identity (sending an unencoded body beats a 406 for a file server).
 */
export function negotiateEncoding(acceptEncoding: string | undefined, offered: readonly Coding[]): Coding {
  if (acceptEncoding === undefined || offered.length === 0) return 'identity';
  // Clients send few distinct values (one per browser), so the answers are remembered, per list
  // of offered codings (callers pass a few constant lists), without a string made per request.
  let remembered = rememberedFor.get(offered);
  if (remembered === undefined) {
    remembered = new Map();
    rememberedFor.set(offered, remembered);
  }
  let coding = remembered.get(acceptEncoding);
  if (coding === undefined) {
    coding = negotiate(acceptEncoding, offered);
    if (remembered.size >= REMEMBER_MAX) remembered.clear();
    remembered.set(acceptEncoding, coding);
  }
  return coding;
}

const REMEMBER_MAX = 256;
const rememberedFor = new WeakMap<readonly Coding[], Map<string, Coding>>();

function negotiate(acceptEncoding: string, offered: readonly Coding[]): Coding {
  const prefs = new Map<string, number>();
  for (const member of acceptEncoding.split(',')) {
    const parts = member.split(';');
    let name = (parts[0] as string).trim().toLowerCase();
    if (name.length === 0) continue;
    if (name === 'x-gzip') name = 'gzip';
    let q = 1;
    for (let i = 1; i < parts.length; i++) {
      const parsed = parseQ(parts[i] as string);
      if (parsed !== undefined) q = parsed;
    }
    // A repeated coding keeps its first entry.
    if (!prefs.has(name)) prefs.set(name, q);
  }
  const star = prefs.get('*');
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const coding of offered) {
    const q = prefs.get(coding) ?? star ?? 0;
    // Ties go to the server's order (offered), which lists the smaller coding first.
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  // identity is always acceptable to us as a last resort (§12.5.3 lets it be excluded, but an
  // unencoded body beats a 406); it competes only when the client names it with a q-value.
  const identityQ = prefs.get('identity') ?? 0;
  return bestQ > 0 && bestQ >= identityQ ? best : 'identity';
}

/** COMPRESS_MIN_SIZE is the smallest file worth compressing on the fly, in bytes. */
export const COMPRESS_MIN_SIZE = 1024;

const brotliAsync = promisify(brotliCompress) as (input: Uint8Array, options: BrotliOptions) => Promise<Buffer>;
const gzipAsync = promisify(gzip) as (input: Uint8Array, options: ZlibOptions) => Promise<Buffer>;

/**
 * compressBytes compresses a whole body in memory with brotli or gzip. Brotli runs at quality 5,
 * which compresses close to gzip -9 while staying fast enough for on-the-fly use.
 */
export async function compressBytes(coding: 'br' | 'gzip', bytes: Uint8Array): Promise<Buffer> {
  if (coding === 'br') {
    return brotliAsync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
  }
  return gzipAsync(bytes, { level: 6 });
}
