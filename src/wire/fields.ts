/**
 * Fields holds header (or trailer) fields in wire order with their original case. Lookups are
 * case-insensitive; names are lowercased lazily, once, on the first lookup.
 */
export class Fields implements Iterable<[string, string]> {
  /** names holds each field name as it arrived. */
  readonly names: string[];
  /** values holds each field value, OWS trimmed, index-aligned with names. */
  readonly values: string[];
  #lower: string[] | null = null;

  constructor(names: string[] = [], values: string[] = []) {
    this.names = names;
    this.values = values;
  }

  /** size is the number of field lines. */
  get size(): number {
    return this.names.length;
  }

  #lowerNames(): string[] {
    let lower = this.#lower;
    if (lower === null || lower.length !== this.names.length) {
      lower = this.names.map((n) => n.toLowerCase());
      this.#lower = lower;
    }
    return lower;
  }

  /** get returns the first value of the named field, or undefined. */
  get(name: string): string | undefined {
    const lower = this.#lowerNames();
    const wanted = name.toLowerCase();
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] === wanted) return this.values[i];
    }
    return undefined;
  }

  /** getAll returns every value of the named field in wire order. */
  getAll(name: string): string[] {
    const lower = this.#lowerNames();
    const wanted = name.toLowerCase();
    const out: string[] = [];
    for (let i = 0; i < lower.length; i++) {
      if (lower[i] === wanted) out.push(this.values[i] as string);
    }
    return out;
  }

  /** has tells whether any field has the given name. */
  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** append adds a field line at the end. */
  append(name: string, value: string): void {
    this.names.push(name);
    this.values.push(value);
  }

  /** toObject returns lowercased names mapped to values, repeated fields joined by ", ". */
  toObject(): Record<string, string> {
    const lower = this.#lowerNames();
    const out: Record<string, string> = Object.create(null) as Record<string, string>;
    for (let i = 0; i < lower.length; i++) {
      const key = lower[i] as string;
      const value = this.values[i] as string;
      const prev = out[key];
      out[key] = prev === undefined ? value : `${prev}, ${value}`;
    }
    return out;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    for (let i = 0; i < this.names.length; i++) {
      yield [this.names[i] as string, this.values[i] as string];
    }
  }
}

/**
 * hasToken tells whether a comma-separated field value (like Connection) lists the token,
 * compared case-insensitively. `token` must be lowercase.
 */
export function hasToken(value: string, token: string): boolean {
  let start = 0;
  const n = value.length;
  while (start <= n) {
    let end = value.indexOf(',', start);
    if (end === -1) end = n;
    let a = start;
    let b = end;
    while (a < b && (value.charCodeAt(a) === 0x20 || value.charCodeAt(a) === 0x09)) a++;
    while (b > a && (value.charCodeAt(b - 1) === 0x20 || value.charCodeAt(b - 1) === 0x09)) b--;
    if (b - a === token.length && value.slice(a, b).toLowerCase() === token) return true;
    start = end + 1;
  }
  return false;
}
