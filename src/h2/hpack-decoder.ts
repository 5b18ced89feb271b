// HPACK decoder (RFC 7541 §3, §5, §6): a header block in, a header list out, the dynamic table
// kept in step with the peer's encoder. Any decoding error is a connection error of type
// COMPRESSION_ERROR (RFC 9113 §4.3), because the tables can no longer agree.
import { Buffer } from 'node:buffer';
import { H2ConnectionError, H2StreamError } from './errors.js';
import { huffmanDecode } from './hpack-huffman.js';
import { DynamicTable, ENTRY_OVERHEAD, STATIC_TABLE, STATIC_TABLE_LENGTH } from './hpack-table.js';

/** HeaderField is one decoded field; `sensitive` is set when it came never-indexed (RFC 7541 §6.2.3). */
export interface HeaderField {
  name: string;
  value: string;
  sensitive: boolean;
}

/** HpackDecoderOptions are the limits the decoder enforces. */
export interface HpackDecoderOptions {
  /** maxTableSize is our SETTINGS_HEADER_TABLE_SIZE: the largest table the peer may use. Default 4096. */
  maxTableSize?: number;
  /**
   * maxHeaderListSize caps a decoded header list, counted as RFC 9113 §6.5.2 does (name + value +
   * 32 octets per field). Default 65536. Past it, fields are no longer collected (the table is
   * still kept in step) and decode throws `H2_HEADER_LIST_TOO_LARGE` for the stream.
   */
  maxHeaderListSize?: number;
}

const EMPTY = Buffer.alloc(0);

/** DEFAULT_HEADER_TABLE_SIZE is the initial SETTINGS_HEADER_TABLE_SIZE of RFC 9113 §6.5.2. */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;

/** HpackDecoder decodes the header blocks of one connection direction, in order. */
export class HpackDecoder {
  readonly #table: DynamicTable;
  #limit: number;
  #isUpdateRequired = false;
  #maxHeaderListSize: number;
  // Decoding position, kept in fields so the integer and string readers need no tuples.
  #block: Buffer = EMPTY;
  #at = 0;

  constructor(options: HpackDecoderOptions = {}) {
    this.#limit = options.maxTableSize ?? DEFAULT_HEADER_TABLE_SIZE;
    this.#table = new DynamicTable(this.#limit);
    this.#maxHeaderListSize = options.maxHeaderListSize ?? 65536;
  }

  /** tableSize is the dynamic table's size in octets (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.#table.size;
  }

  /** tableMaxSize is the dynamic table's current maximum size, as the peer last set it. */
  get tableMaxSize(): number {
    return this.#table.maxSize;
  }

  /** tableEntries lists the dynamic table as [name, value] from index 62 (newest) on. */
  tableEntries(): [string, string][] {
    return this.#table.entries();
  }

  /**
   * setMaxTableSize applies a new SETTINGS_HEADER_TABLE_SIZE of ours once the peer acknowledged
   * it. If it is below the table's current maximum, the next header block must start with a size
   * update that obeys it (RFC 7541 §4.2).
   */
  setMaxTableSize(maxTableSize: number): void {
    if (maxTableSize < this.#table.maxSize) this.#isUpdateRequired = true;
    this.#limit = maxTableSize;
  }

  /** setMaxHeaderListSize changes the header list limit for the next blocks. */
  setMaxHeaderListSize(maxHeaderListSize: number): void {
    this.#maxHeaderListSize = maxHeaderListSize;
  }

  /**
   * decode returns the header list of one complete header block. `streamId` names the stream in
   * a header-list-too-large error; decoding errors are connection errors.
   */
  decode(block: Uint8Array, streamId = 0): HeaderField[] {
    this.#block = Buffer.isBuffer(block) ? block : Buffer.from(block.buffer, block.byteOffset, block.byteLength);
    this.#at = 0;
    const fields: HeaderField[] = [];
    const end = this.#block.length;
    const bytes = this.#block;
    let listSize = 0;
    let isTooLarge = false;
    let isFirst = true;
    while (this.#at < end) {
      const octet = bytes[this.#at] as number;
      let name: string;
      let value: string;
      let sensitive = false;
      if (octet >= 0x80) {
        // §6.1 Indexed Header Field
        const index = this.#readInteger(7);
        if (index === 0) throw badIndex('index 0 is not used (RFC 7541 §6.1)');
        name = this.#name(index);
        value = this.#value(index);
      } else if (octet >= 0x40) {
        // §6.2.1 Literal Header Field with Incremental Indexing
        const index = this.#readInteger(6);
        name = index === 0 ? this.#readString() : this.#name(index);
        value = this.#readString();
        this.#table.add(name, value);
      } else if (octet >= 0x20) {
        // §6.3 Dynamic Table Size Update: only at the start of a block, never above our setting.
        if (!isFirst) throw sizeUpdateError('a dynamic table size update after a field (RFC 7541 §4.2)');
        const size = this.#readInteger(5);
        if (size > this.#limit) {
          throw sizeUpdateError(`a dynamic table size update to ${size} exceeds the limit ${this.#limit} (RFC 7541 §6.3)`);
        }
        this.#table.setMaxSize(size);
        this.#isUpdateRequired = false;
        continue;
      } else {
        // §6.2.2 without indexing (0000), §6.2.3 never indexed (0001)
        sensitive = octet >= 0x10;
        const index = this.#readInteger(4);
        name = index === 0 ? this.#readString() : this.#name(index);
        value = this.#readString();
      }
      if (isFirst) {
        if (this.#isUpdateRequired) {
          throw sizeUpdateError('the block must start with a dynamic table size update after SETTINGS_HEADER_TABLE_SIZE was lowered (RFC 7541 §4.2)');
        }
        isFirst = false;
      }
      listSize += name.length + value.length + ENTRY_OVERHEAD;
      if (listSize > this.#maxHeaderListSize) isTooLarge = true;
      if (!isTooLarge) fields.push({ name, value, sensitive });
    }
    if (isFirst && this.#isUpdateRequired && end > 0) {
      throw sizeUpdateError('the block must start with a dynamic table size update after SETTINGS_HEADER_TABLE_SIZE was lowered (RFC 7541 §4.2)');
    }
    this.#block = EMPTY; // the block is the caller's: not kept
    if (isTooLarge) {
      const message = `Header list too large: more than ${this.#maxHeaderListSize} octets (RFC 9113 §6.5.2)`;
      throw streamId === 0
        ? new H2ConnectionError('H2_HEADER_LIST_TOO_LARGE', message)
        : new H2StreamError('H2_HEADER_LIST_TOO_LARGE', message, streamId);
    }
    return fields;
  }

  #name(index: number): string {
    if (index <= STATIC_TABLE_LENGTH) return (STATIC_TABLE[index - 1] as readonly [string, string])[0];
    const dynamicIndex = index - STATIC_TABLE_LENGTH;
    if (dynamicIndex > this.#table.length) throw badIndex(`index ${index} is past the end of the tables (RFC 7541 §2.3.3)`);
    return this.#table.name(dynamicIndex);
  }

  #value(index: number): string {
    if (index <= STATIC_TABLE_LENGTH) return (STATIC_TABLE[index - 1] as readonly [string, string])[1];
    return this.#table.value(index - STATIC_TABLE_LENGTH);
  }

  // RFC 7541 §5.1: an N-bit prefix, then 7 bits per octet while the top bit is set.
  #readInteger(prefixBits: number): number {
    const bytes = this.#block;
    const max = (1 << prefixBits) - 1;
    let value = (bytes[this.#at++] as number) & max;
    if (value < max) return value;
    let shift = 0;
    for (;;) {
      if (this.#at >= bytes.length) throw truncated();
      const octet = bytes[this.#at++] as number;
      value += (octet & 0x7f) * 2 ** shift;
      if (value > 0x7fffffff || shift > 28) {
        throw new H2ConnectionError('H2_HPACK_INTEGER_OVERFLOW', 'Invalid HPACK integer: larger than 2^31-1 (RFC 7541 §5.1)');
      }
      if (octet < 0x80) return value;
      shift += 7;
    }
  }

  // RFC 7541 §5.2: H flag, 7-bit-prefix length, then raw or Huffman-coded octets.
  #readString(): string {
    const bytes = this.#block;
    if (this.#at >= bytes.length) throw truncated();
    const isHuffman = ((bytes[this.#at] as number) & 0x80) !== 0;
    const length = this.#readInteger(7);
    const start = this.#at;
    if (length > bytes.length - start) throw truncated();
    this.#at = start + length;
    return isHuffman ? huffmanDecode(bytes, start, start + length) : bytes.toString('latin1', start, start + length);
  }
}

function badIndex(detail: string): H2ConnectionError {
  return new H2ConnectionError('H2_HPACK_BAD_INDEX', `Invalid HPACK index: ${detail}`);
}

function truncated(): H2ConnectionError {
  return new H2ConnectionError('H2_HPACK_TRUNCATED', 'Invalid HPACK block: ends inside a representation');
}

function sizeUpdateError(detail: string): H2ConnectionError {
  return new H2ConnectionError('H2_HPACK_TABLE_SIZE_UPDATE', `Invalid HPACK table size update: ${detail}`);
}
