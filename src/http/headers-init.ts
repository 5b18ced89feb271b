import { Fields } from './fields.js';

/** FieldValue is what a header value may be given as; numbers are written in decimal. */
export type FieldValue = string | number;

/**
 * HeadersInit is any of the header shapes courier accepts: a record (an array value gives one
 * field line per element, undefined none), a list of pairs, or Fields.
 */
export type HeadersInit =
  | Fields
  | Iterable<readonly [string, FieldValue]>
  | Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;

/**
 * forEachField calls `visit(name, value, state)` for every field line of `headers`, in order.
 * It is the one walker over HeadersInit: serializers pass their own state instead of a closure,
 * so a hot path allocates nothing per call.
 */
export function forEachField<S>(
  headers: HeadersInit | undefined,
  visit: (name: string, value: FieldValue, state: S) => void,
  state: S,
): void {
  if (headers === undefined) return;
  if (headers instanceof Fields) {
    const names = headers.names;
    const values = headers.values;
    for (let i = 0; i < names.length; i++) visit(names[i] as string, values[i] as string, state);
    return;
  }
  if (Symbol.iterator in headers) {
    for (const [name, value] of headers as Iterable<readonly [string, FieldValue]>) visit(name, value, state);
    return;
  }
  const record = headers as Readonly<Record<string, FieldValue | readonly FieldValue[] | undefined>>;
  for (const name in record) {
    const value = record[name];
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') visit(name, value, state);
    else for (const v of value) visit(name, v, state);
  }
}
