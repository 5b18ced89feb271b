import type { Buffer } from 'node:buffer';
import { Fields } from '../http/index.js';
import { latin1 } from './chars.js';

/**
 * FieldCapture records a head's field lines as they are parsed and hands them over as one Fields.
 *
 * While every field line comes from the same input buffer it keeps only offsets (four per field:
 * name start, name end, value start, value end, relative to the first field line), and take()
 * makes one latin1 string of all the lines that Fields slices on demand: no string per name or
 * value on the hot path. Once the head spans buffers, or the caller is about to reuse its buffer
 * (detach()), what is held is decoded to strings and later fields are decoded as they come.
 */
export class FieldCapture {
  #names: string[] = [];
  #values: string[] = [];
  #offsets: number[] = [];
  #source: Buffer | null = null;
  #sourceStart = 0;
  #isEager = false;

  /** isHolding tells whether offsets into a caller's buffer are held, so detach() has work to do. */
  get isHolding(): boolean {
    return this.#source !== null;
  }

  /**
   * add records the field buf[start, nameEnd) : buf[valueStart, valueEnd). `isCopy` says buf is
   * the parser's own copy of a line split across inputs, which is reused: decode it at once.
   */
  add(buf: Buffer, start: number, nameEnd: number, valueStart: number, valueEnd: number, isCopy: boolean): void {
    if (!this.#isEager && !isCopy && (this.#source === null || this.#source === buf)) {
      if (this.#source === null) {
        this.#source = buf;
        this.#sourceStart = start;
      }
      const base = this.#sourceStart;
      this.#offsets.push(start - base, nameEnd - base, valueStart - base, valueEnd - base);
      return;
    }
    this.detach();
    this.#names.push(latin1(buf, start, nameEnd));
    this.#values.push(latin1(buf, valueStart, valueEnd));
  }

  /** detach decodes the fields held as offsets, so no reference to the caller's buffer remains. */
  detach(): void {
    if (this.#isEager) return;
    this.#isEager = true;
    const source = this.#source;
    if (source === null) return;
    const offsets = this.#offsets;
    const base = this.#sourceStart;
    for (let i = 0; i < offsets.length; i += 4) {
      this.#names.push(latin1(source, base + (offsets[i] as number), base + (offsets[i + 1] as number)));
      this.#values.push(latin1(source, base + (offsets[i + 2] as number), base + (offsets[i + 3] as number)));
    }
    this.#source = null;
    this.#offsets = [];
  }

  /** take hands the fields recorded so far over as a Fields and starts afresh for the next head. */
  take(): Fields {
    let fields: Fields;
    const source = this.#source;
    const offsets = this.#offsets;
    if (!this.#isEager && source !== null && offsets.length > 0) {
      // One string for all the field lines, so the head outlives the caller's buffer.
      const base = this.#sourceStart;
      fields = Fields.fromRaw(latin1(source, base, base + (offsets[offsets.length - 1] as number)), offsets);
    } else {
      fields = new Fields(this.#names, this.#values);
    }
    this.#names = [];
    this.#values = [];
    this.#offsets = [];
    this.#source = null;
    this.#isEager = false;
    return fields;
  }
}
