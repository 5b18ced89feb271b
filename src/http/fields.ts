import { LOWER } from './chars.js';

// Passed by fromRaw so that making a lazy Fields allocates no arrays it drops at once.
const NO_STRINGS: string[] = [];

/**
 * Fields holds header (or trailer) fields in wire order with their original case. Lookups are
 * case-insensitive. Fields the parser makes are lazy: they keep the head bytes and offsets, and
 * decode a name or value into a string only when it is asked for (STYLE habit 5), so a handler
 * that reads three headers pays for three strings.
 */
export class Fields implements Iterable<[string, string]> {
  // Lazy form: the field lines decoded as one latin1 string (one char per byte) plus
  // [nameStart, nameEnd, valueStart, valueEnd] per field; names and values are slices of it.
  #raw: string | null = null;
  #offsets: number[] | null = null;
  // Eager form, built on first need from the lazy form.
  #names: string[] | null = null;
  #values: string[] | null = null;
  #lower: string[] | null = null;

  constructor(names: string[] = [], values: string[] = []) {
    this.#names = names;
    this.#values = values;
  }

  /**
   * Fields.fromRaw wraps the field lines as one latin1 string and offsets into it (four per field:
   * name start and end, value start and end), slicing names and values out only when asked.
   */
  static fromRaw(raw: string, offsets: number[]): Fields {
    const fields = new Fields(NO_STRINGS, NO_STRINGS);
    fields.#names = null;
    fields.#values = null;
    fields.#raw = raw;
    fields.#offsets = offsets;
    return fields;
  }

  #materialize(): void {
    if (this.#names !== null) return;
    const raw = this.#raw as string;
    const offsets = this.#offsets as number[];
    const names: string[] = [];
    const values: string[] = [];
    for (let i = 0; i < offsets.length; i += 4) {
      names.push(raw.slice(offsets[i] as number, offsets[i + 1] as number));
      values.push(raw.slice(offsets[i + 2] as number, offsets[i + 3] as number));
    }
    this.#names = names;
    this.#values = values;
    this.#raw = null;
    this.#offsets = null;
  }

  /** names holds each field name as it arrived. */
  get names(): string[] {
    this.#materialize();
    return this.#names as string[];
  }

  /** values holds each field value, OWS trimmed, index-aligned with names. */
  get values(): string[] {
    this.#materialize();
    return this.#values as string[];
  }

  /** size is the number of field lines. */
  get size(): number {
    return this.#names !== null ? this.#names.length : (this.#offsets as number[]).length / 4;
  }

  #lowerNames(): string[] {
    const names = this.names;
    let lower = this.#lower;
    if (lower === null || lower.length !== names.length) {
      lower = names.map((n) => n.toLowerCase());
      this.#lower = lower;
    }
    return lower;
  }

  // Lazy lookup: compare bytes against the lowercased name; no strings for the misses.
  #find(wanted: string, from: number): number {
    const raw = this.#raw as string;
    const offsets = this.#offsets as number[];
    const n = wanted.length;
    for (let i = from; i < offsets.length; i += 4) {
      const start = offsets[i] as number;
      if ((offsets[i + 1] as number) - start !== n) continue;
      let k = 0;
      while (k < n && LOWER[raw.charCodeAt(start + k)] === wanted.charCodeAt(k)) k++;
      if (k === n) return i;
    }
    return -1;
  }

  /** get returns the first value of the named field, or undefined. */
  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    if (this.#names === null) {
      const i = this.#find(wanted, 0);
      if (i === -1) return undefined;
      const offsets = this.#offsets as number[];
      return (this.#raw as string).slice(offsets[i + 2] as number, offsets[i + 3] as number);
    }
    const lower = this.#lowerNames();
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] === wanted) return this.#values?.[i];
    }
    return undefined;
  }

  /** getAll returns every value of the named field in wire order. */
  getAll(name: string): string[] {
    const wanted = name.toLowerCase();
    const out: string[] = [];
    if (this.#names === null) {
      const offsets = this.#offsets as number[];
      for (let i = this.#find(wanted, 0); i !== -1; i = this.#find(wanted, i + 4)) {
        out.push((this.#raw as string).slice(offsets[i + 2] as number, offsets[i + 3] as number));
      }
      return out;
    }
    const lower = this.#lowerNames();
    const values = this.#values as string[];
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] === wanted) out.push(values[i] as string);
    }
    return out;
  }

  /** has tells whether any field has the given name. */
  has(name: string): boolean {
    if (this.#names === null) return this.#find(name.toLowerCase(), 0) !== -1;
    return this.get(name) !== undefined;
  }

  /** append adds a field line at the end. */
  append(name: string, value: string): void {
    this.#materialize();
    (this.#names as string[]).push(name);
    (this.#values as string[]).push(value);
  }

  /** toObject returns lowercased names mapped to values, repeated fields joined by ", ". */
  toObject(): Record<string, string> {
    const lower = this.#lowerNames();
    const values = this.#values as string[];
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let i = 0; i < lower.length; i++) {
      const key = lower[i] as string;
      const value = values[i] as string;
      const prev = out[key];
      out[key] = prev === undefined ? value : `${prev}, ${value}`;
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    const names = this.names;
    const values = this.#values as string[];
    for (let i = 0; i < names.length; i++) {
      yield [names[i] as string, values[i] as string];
    }
  }
}
