// HPACK encoder (RFC 7541 §6): a header list in, a header block out. It picks, per field: an
// index when the field is in a table, never-indexed for secrets (§7.1.3), incremental indexing
// for the rest, and Huffman coding when it is shorter.
import { Buffer } from 'node:buffer';
import { H2ArgumentError } from './errors.js';
import { DEFAULT_HEADER_TABLE_SIZE } from './hpack-decoder.js';
import { huffmanEncode, huffmanEncodedLength } from './hpack-huffman.js';
import { DynamicTable, ENTRY_OVERHEAD, STATIC_NAMES, STATIC_TABLE_LENGTH } from './hpack-table.js';

/** HeaderFieldInit is a field to encode: `[name, value]` or an object whose `sensitive` forces never-indexed. */
export type HeaderFieldInit = readonly [name: string, value: string] | { readonly name: string; readonly value: string; readonly sensitive?: boolean };

/** HuffmanMode says when string literals are Huffman-coded: when shorter (`auto`), `always` or `never`. */
export type HuffmanMode = 'auto' | 'always' | 'never';

/** HpackEncoderOptions configure an encoder; all are optional. */
export interface HpackEncoderOptions {
  /** maxTableSize is the peer's SETTINGS_HEADER_TABLE_SIZE. Default 4096 (RFC 9113 §6.5.2). */
  maxTableSize?: number;
  /** tableSizeLimit caps the table we keep whatever the peer allows. Default 4096. */
  tableSizeLimit?: number;
  /** huffman chooses Huffman coding of literals. Default `auto`. */
  huffman?: HuffmanMode;
  /** neverIndex says which fields are sent never-indexed (RFC 7541 §6.2.3). Default isSensitiveField. */
  neverIndex?: (name: string, value: string) => boolean;
}

const SENSITIVE_NAMES = new Set(['authorization', 'proxy-authorization', 'set-cookie']);

/**
 * isSensitiveField is the default never-indexed rule: credentials (`authorization`,
 * `proxy-authorization`), `set-cookie`, and `cookie` values shorter than 20 octets, which are
 * cheap to guess through the compression ratio (RFC 7541 §7.1.3).
 */
export function isSensitiveField(name: string, value: string): boolean {
  return SENSITIVE_NAMES.has(name) || (name === 'cookie' && value.length < 20);
}

// Fields whose values change from message to message gain nothing from the table but evict
// entries that would (every path, every body length).
const NOT_INDEXED = new Set([':path', 'content-length']);

/** HpackEncoder encodes the header lists of one connection direction, in order. */
export class HpackEncoder {
  readonly #table: DynamicTable;
  readonly #tableSizeLimit: number;
  readonly #huffman: HuffmanMode;
  readonly #neverIndex: (name: string, value: string) => boolean;
  // Size updates owed at the start of the next block (RFC 7541 §4.2): the smallest size since
  // the last block, then the final one.
  #pendingSmallest = -1;
  #pendingFinal = -1;

  constructor(options: HpackEncoderOptions = {}) {
    const peerSize = options.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE;
    this.#tableSizeLimit = options.tableSizeLimit ?? DEFAULT_HEADER_TABLE_SIZE;
    this.#huffman = options.huffman ?? 'auto';
    this.#neverIndex = options.neverIndex ?? isSensitiveField;
    const size = Math.min(peerSize, this.#tableSizeLimit);
    this.#table = new DynamicTable(size, true);
    if (size !== peerSize) {
      this.#pendingSmallest = size;
      this.#pendingFinal = size;
    }
  }

  /** tableSize is the dynamic table's size in octets (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.#table.size;
  }

  /** tableEntries lists the dynamic table as [name, value] from index 62 (newest) on. */
  tableEntries(): [string, string][] {
    return this.#table.entries();
  }

  /**
   * setMaxTableSize applies the peer's new SETTINGS_HEADER_TABLE_SIZE: the table shrinks at once
   * and the next block starts with the size update(s) that tell the peer (RFC 7541 §4.2, §6.3).
   */
  setMaxTableSize(maxTableSize: number): void {
    const size = Math.min(maxTableSize, this.#tableSizeLimit);
    if (size === this.#table.maxSize && this.#pendingFinal === -1) return;
    if (this.#pendingSmallest === -1 || size < this.#pendingSmallest) this.#pendingSmallest = size;
    this.#pendingFinal = size;
    this.#table.setMaxSize(size);
  }

  /** encode returns the header block of a header list. Names should already be lowercase (RFC 9113 §8.2.1). */
  encode(fields: Iterable<HeaderFieldInit>): Buffer {
    const list = Array.isArray(fields) ? (fields as readonly HeaderFieldInit[]) : [...fields];
    const out = Buffer.allocUnsafe(this.encodedBound(list));
    return out.subarray(0, this.encodeInto(list, out, 0));
  }

  /**
   * encodedBound is the most octets encodeInto may write for `list`: per field a type octet, two
   * 5-octet integers, name and value (a Huffman code is at most 30 bits per octet when forced);
   * plus two size updates.
   */
  encodedBound(list: readonly HeaderFieldInit[]): number {
    const factor = this.#huffman === 'always' ? 4 : 1;
    let bound = 12;
    for (let i = 0; i < list.length; i++) {
      const field = list[i] as HeaderFieldInit;
      const length = isTuple(field) ? field[0].length + field[1].length : field.name.length + field.value.length;
      bound += 16 + length * factor;
    }
    return bound;
  }

  /**
   * encodeInto writes the header block of `list` into `out` from `at` (which must have room for
   * encodedBound(list) octets) and returns the offset after it: no buffer of its own per block.
   */
  encodeInto(list: readonly HeaderFieldInit[], out: Buffer, at: number): number {
    if (this.#pendingFinal !== -1) {
      if (this.#pendingSmallest < this.#pendingFinal) at = writeInteger(out, at, this.#pendingSmallest, 5, 0x20);
      at = writeInteger(out, at, this.#pendingFinal, 5, 0x20);
      this.#pendingSmallest = -1;
      this.#pendingFinal = -1;
    }
    for (let i = 0; i < list.length; i++) {
      const field = list[i] as HeaderFieldInit;
      let name: string;
      let value: string;
      let sensitive = false;
      if (isTuple(field)) {
        name = field[0];
        value = field[1];
      } else {
        name = field.name;
        value = field.value;
        sensitive = field.sensitive === true;
      }
      at = this.#encodeField(out, at, name, value, sensitive || this.#neverIndex(name, value));
    }
    return at;
  }

  #encodeField(out: Buffer, at: number, name: string, value: string, sensitive: boolean): number {
    const staticName = STATIC_NAMES.get(name);
    if (!sensitive) {
      const staticIndex = staticName?.values.get(value);
      if (staticIndex !== undefined) return writeInteger(out, at, staticIndex, 7, 0x80);
      const dynamicIndex = this.#table.findField(name, value);
      if (dynamicIndex !== 0) return writeInteger(out, at, STATIC_TABLE_LENGTH + dynamicIndex, 7, 0x80);
    }
    let nameIndex = staticName?.index ?? 0;
    if (nameIndex === 0) {
      const dynamicIndex = this.#table.findName(name);
      if (dynamicIndex !== 0) nameIndex = STATIC_TABLE_LENGTH + dynamicIndex;
    }
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    if (sensitive) {
      at = writeInteger(out, at, nameIndex, 4, 0x10);
    } else if (NOT_INDEXED.has(name) || entrySize * 4 > this.#table.maxSize * 3) {
      // Too big to be worth flushing three quarters of the table for.
      at = writeInteger(out, at, nameIndex, 4, 0x00);
    } else {
      at = writeInteger(out, at, nameIndex, 6, 0x40);
      this.#table.add(name, value);
    }
    if (nameIndex === 0) at = this.#writeString(out, at, name);
    return this.#writeString(out, at, value);
  }

  // RFC 7541 §5.2: a string literal, Huffman-coded per the encoder's mode.
  #writeString(out: Buffer, at: number, value: string): number {
    for (let i = 0; i < value.length; i++) {
      if (value.charCodeAt(i) > 0xff) {
        throw new H2ArgumentError(`Invalid header field: "${value.slice(0, 40)}" has a character above U+00FF; encode it first`);
      }
    }
    if (this.#huffman !== 'never') {
      const huffmanLength = huffmanEncodedLength(value);
      if (this.#huffman === 'always' || huffmanLength < value.length) {
        at = writeInteger(out, at, huffmanLength, 7, 0x80);
        return huffmanEncode(value, out, at);
      }
    }
    at = writeInteger(out, at, value.length, 7, 0x00);
    return at + out.write(value, at, 'latin1');
  }
}

function isTuple(field: HeaderFieldInit): field is readonly [string, string] {
  return Array.isArray(field);
}

/** fieldPair returns a field to encode as [name, value]. */
export function fieldPair(field: HeaderFieldInit): [name: string, value: string] {
  return isTuple(field) ? [field[0], field[1]] : [field.name, field.value];
}

/** writeInteger writes `value` with an N-bit prefix after the `flags` bits (RFC 7541 §5.1) and returns the next offset. */
export function writeInteger(out: Uint8Array, at: number, value: number, prefixBits: number, flags: number): number {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out[at++] = flags | value;
    return at;
  }
  out[at++] = flags | max;
  let rest = value - max;
  while (rest >= 0x80) {
    out[at++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[at++] = rest;
  return at;
}
