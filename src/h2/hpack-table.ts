// HPACK tables (RFC 7541 §2.3): the static table of Appendix A and the dynamic table, a FIFO of
// fields sized by name + value + 32 octets (§4.1) that evicts its oldest entries to fit (§4.4).

/** STATIC_TABLE is RFC 7541 Appendix A: index i (1-based) is STATIC_TABLE[i - 1] as [name, value]. */
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** STATIC_TABLE_LENGTH is 61: dynamic table indices start at 62 (RFC 7541 §2.3.3). */
export const STATIC_TABLE_LENGTH = STATIC_TABLE.length;

/** ENTRY_OVERHEAD is the 32 octets RFC 7541 §4.1 adds to name and value lengths. */
export const ENTRY_OVERHEAD = 32;

/** StaticName is what the static table holds for one name: its lowest index and its values' indices. */
export interface StaticName {
  index: number;
  values: Map<string, number>;
}

/** STATIC_NAMES maps each static name to its indices, so an encoder finds a field with two lookups. */
export const STATIC_NAMES = new Map<string, StaticName>();
STATIC_TABLE.forEach(([name, value], i) => {
  let entry = STATIC_NAMES.get(name);
  if (entry === undefined) {
    entry = { index: i + 1, values: new Map() };
    STATIC_NAMES.set(name, entry);
  }
  if (value !== '') entry.values.set(value, i + 1);
});

// Encoder lookup of one name in the dynamic table: insertion numbers of its newest entry and of each value.
interface DynamicName {
  newest: number;
  values: Map<string, number>;
}

/**
 * DynamicTable is the HPACK dynamic table (RFC 7541 §2.3.2, §4): newest entry at index 1. With
 * `lookup`, it also indexes names and fields so an encoder can find them.
 */
export class DynamicTable {
  #names: string[] = [];
  #values: string[] = [];
  #sizes: number[] = [];
  // Ring buffer: entries live at positions (#head - k) mod capacity for k = 0..#length-1.
  #head = -1;
  #length = 0;
  #size = 0;
  #maxSize: number;
  // Encoder lookup by name, then value, of insertion numbers (0, 1, 2, ... over the table's life).
  #inserted = 0;
  readonly #byName: Map<string, DynamicName> | null;

  constructor(maxSize: number, lookup = false) {
    this.#maxSize = maxSize;
    this.#byName = lookup ? new Map() : null;
  }

  /** length is the number of entries. */
  get length(): number {
    return this.#length;
  }

  /** size is the sum of entry sizes in octets (RFC 7541 §4.1). */
  get size(): number {
    return this.#size;
  }

  /** maxSize is the current maximum size in octets. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** setMaxSize changes the maximum size, evicting the oldest entries that no longer fit (RFC 7541 §4.3). */
  setMaxSize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictTo(maxSize);
  }

  /**
   * add inserts a field as index 1, evicting to make room; a field larger than the maximum size
   * empties the table and is not added (RFC 7541 §4.4).
   */
  add(name: string, value: string): void {
    const entrySize = name.length + value.length + ENTRY_OVERHEAD;
    if (entrySize > this.#maxSize) {
      this.#evictTo(0);
      return;
    }
    this.#evictTo(this.#maxSize - entrySize);
    let capacity = this.#names.length;
    if (this.#length === capacity) {
      this.#grow();
      capacity = this.#names.length;
    }
    this.#head = (this.#head + 1) % capacity;
    this.#names[this.#head] = name;
    this.#values[this.#head] = value;
    this.#sizes[this.#head] = entrySize;
    this.#length++;
    this.#size += entrySize;
    if (this.#byName !== null) {
      const entry = this.#byName.get(name);
      if (entry === undefined) this.#byName.set(name, { newest: this.#inserted, values: new Map([[value, this.#inserted]]) });
      else {
        entry.newest = this.#inserted;
        entry.values.set(value, this.#inserted);
      }
    }
    this.#inserted++;
  }

  /** name returns the name at dynamic index `index` (1 = newest); the caller checks the range. */
  name(index: number): string {
    return this.#names[this.#position(index)] as string;
  }

  /** value returns the value at dynamic index `index` (1 = newest). */
  value(index: number): string {
    return this.#values[this.#position(index)] as string;
  }

  /** entrySize returns the size of the entry at dynamic index `index` (RFC 7541 §4.1). */
  entrySize(index: number): number {
    return this.#sizes[this.#position(index)] as number;
  }

  /** findField returns the dynamic index of a name and value, or 0 (needs `lookup`). */
  findField(name: string, value: string): number {
    const inserted = this.#byName?.get(name)?.values.get(value);
    return inserted === undefined ? 0 : this.#inserted - inserted;
  }

  /** findName returns the dynamic index of the newest entry with a name, or 0 (needs `lookup`). */
  findName(name: string): number {
    const inserted = this.#byName?.get(name)?.newest;
    return inserted === undefined ? 0 : this.#inserted - inserted;
  }

  /** entries lists [name, value] from index 1 (newest) on. */
  entries(): [string, string][] {
    const list: [string, string][] = [];
    for (let i = 1; i <= this.#length; i++) list.push([this.name(i), this.value(i)]);
    return list;
  }

  #position(index: number): number {
    const capacity = this.#names.length;
    return (this.#head - (index - 1) + capacity) % capacity;
  }

  #evictTo(limit: number): void {
    while (this.#size > limit && this.#length > 0) {
      const oldest = this.#position(this.#length);
      const name = this.#names[oldest] as string;
      const value = this.#values[oldest] as string;
      this.#size -= this.#sizes[oldest] as number;
      this.#length--;
      const entry = this.#byName?.get(name);
      if (entry !== undefined) {
        // Forget only what no newer entry took over; the oldest entry being the newest of its
        // name means it was the last of that name.
        const inserted = this.#inserted - this.#length - 1;
        if (entry.newest === inserted) this.#byName?.delete(name);
        else if (entry.values.get(value) === inserted) entry.values.delete(value);
      }
      this.#names[oldest] = '';
      this.#values[oldest] = '';
    }
  }

  #grow(): void {
    const capacity = this.#names.length;
    const next = Math.max(16, capacity * 2);
    const names: string[] = new Array<string>(next);
    const values: string[] = new Array<string>(next);
    const sizes: number[] = new Array<number>(next);
    // Copy oldest to newest so the newest ends at position #length - 1.
    for (let k = 0; k < this.#length; k++) {
      const from = this.#position(this.#length - k);
      names[k] = this.#names[from] as string;
      values[k] = this.#values[from] as string;
      sizes[k] = this.#sizes[from] as number;
    }
    this.#names = names;
    this.#values = values;
    this.#sizes = sizes;
    this.#head = this.#length - 1;
  }
}
