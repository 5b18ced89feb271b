// File variants: each representation of one file version (identity, brotli, gzip) described once,
// with its validators and every header line, so a hot request allocates no header, variant or
// validator object (STYLE habit 5; sirv precomputes headers per file the same way).
import { FixedResponse } from '../server/fixed-response.js';
import type { FileInfo, Sidecar } from './cache.js';
import type { Validators } from './conditional.js';
import { COMPRESS_MIN_SIZE, type Coding } from './encoding.js';
import { fileETag } from './etag.js';

/** VariantContext is what the description of a variant needs from the handler that owns it. */
export interface VariantContext {
  /** common holds the headers every response carries (nosniff, CORS, the user's). */
  readonly common: Readonly<Record<string, string>>;
  readonly cacheControl: string;
  readonly isCompressing: boolean;
}

type Fields = Record<string, string | number>;

// Canonical lists, so negotiateEncoding remembers its answers per list and not per request.
const BR_GZIP: readonly Coding[] = Object.freeze(['br', 'gzip']);
const BR: readonly Coding[] = Object.freeze(['br']);
const GZIP: readonly Coding[] = Object.freeze(['gzip']);
const NONE: readonly Coding[] = Object.freeze([]);

/**
 * FileVariant is one representation of a file version: its coding, strong ETag, sidecar (if it
 * is served from one), validators, and the responses it answers with, each made once.
 */
export class FileVariant {
  readonly coding: Coding;
  readonly etag: string;
  readonly sidecar: Sidecar | null;
  readonly validators: Validators;
  readonly #file: FileInfo;
  readonly #isVarying: boolean;
  readonly #ctx: VariantContext;
  #validatorFields: Readonly<Fields> | null = null;
  #notModified: FixedResponse | null = null;
  #heads = new Map<number, Readonly<Fields>>();
  #full: FixedResponse | null = null;

  constructor(file: FileInfo, coding: Coding, isVarying: boolean, ctx: VariantContext) {
    this.#file = file;
    this.#isVarying = isVarying;
    this.#ctx = ctx;
    this.coding = coding;
    const sidecar = coding === 'identity' ? null : (file.sidecars[coding] ?? null);
    this.sidecar = sidecar;
    this.etag = coding === 'identity' ? file.etag : sidecar !== null ? sidecar.etag : fileETag(file.mtimeMs, file.size, coding);
    this.validators = Object.freeze({ etag: this.etag, lastModified: file.mtimeMs, lastModifiedText: file.lastModified });
  }

  /** validatorFields are the fields a 200 and a 304 share (RFC 9110 §15.4.5), common ones included. */
  validatorFields(): Readonly<Fields> {
    if (this.#validatorFields === null) {
      const out: Fields = { ETag: this.etag, 'Last-Modified': this.#file.lastModified, 'Cache-Control': this.#ctx.cacheControl };
      if (this.#isVarying) out.Vary = 'Accept-Encoding';
      this.#validatorFields = Object.freeze({ ...out, ...this.#ctx.common });
    }
    return this.#validatorFields;
  }

  /** notModified is the 304 answer of this variant, made once. */
  notModified(): FixedResponse {
    this.#notModified ??= new FixedResponse(304, this.validatorFields(), null);
    return this.#notModified;
  }

  /**
   * headFor returns the head fields of a whole (200) response of `length` bytes, or of unknown
   * length when undefined (compressed on the fly), made once per length.
   */
  headFor(length: number | undefined): Readonly<Fields> {
    const key = length ?? -1;
    let head = this.#heads.get(key);
    if (head === undefined) {
      const file = this.#file;
      const out: Fields = { 'Content-Type': file.media.contentType };
      if (length !== undefined) out['Content-Length'] = length;
      if (this.coding !== 'identity') out['Content-Encoding'] = this.coding;
      out['Accept-Ranges'] = this.coding === 'identity' ? 'bytes' : 'none';
      head = Object.freeze({ ...out, ...this.validatorFields() });
      this.#heads.set(key, head);
    }
    return head;
  }

  /**
   * whole returns the answer sending `bytes` (this variant's content in memory) with `status`,
   * made once and kept while the bytes and the status are the same.
   */
  whole(status: number, bytes: Uint8Array): FixedResponse {
    const full = this.#full;
    if (full !== null && full.body === bytes && full.status === status) return full;
    const made = new FixedResponse(status, this.headFor(bytes.length), bytes);
    this.#full = made;
    return made;
  }
}

/** FileVariants are the representations a file version is offered in, described once. */
export class FileVariants {
  /** offered lists the codings besides identity, in the server's order of preference. */
  readonly offered: readonly Coding[];
  /** isVarying tells whether the coding depends on Accept-Encoding (Vary is sent). */
  readonly isVarying: boolean;
  readonly identity: FileVariant;
  readonly #file: FileInfo;
  readonly #ctx: VariantContext;
  #br: FileVariant | null = null;
  #gzip: FileVariant | null = null;

  constructor(file: FileInfo, ctx: VariantContext) {
    const onTheFly = ctx.isCompressing && file.media.isCompressible && file.size >= COMPRESS_MIN_SIZE;
    const br = onTheFly || file.sidecars.br !== undefined;
    const gzip = onTheFly || file.sidecars.gzip !== undefined;
    this.offered = br ? (gzip ? BR_GZIP : BR) : gzip ? GZIP : NONE;
    this.isVarying = this.offered.length > 0;
    this.#file = file;
    this.#ctx = ctx;
    this.identity = new FileVariant(file, 'identity', this.isVarying, ctx);
  }

  /** get returns the variant of a coding (one the file is offered in, or identity). */
  get(coding: Coding): FileVariant {
    if (coding === 'br') return (this.#br ??= new FileVariant(this.#file, 'br', this.isVarying, this.#ctx));
    if (coding === 'gzip') return (this.#gzip ??= new FileVariant(this.#file, 'gzip', this.isVarying, this.#ctx));
    return this.identity;
  }
}

/** variantsOf returns the variants of a file version, describing them on first use. */
export function variantsOf(file: FileInfo, ctx: VariantContext): FileVariants {
  let variants = file.variants;
  if (variants === null) {
    variants = new FileVariants(file, ctx);
    file.variants = variants;
  }
  return variants;
}
