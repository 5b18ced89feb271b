// Property: any sequence of header lists round-trips through an encoder and a decoder, across
// table size changes, with both tables in step after every block.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { HpackDecoder, HpackEncoder, STATIC_TABLE, type HuffmanMode } from '../../src/h2/index.js';

const latin1 = fc.string({ unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const staticName = fc.constantFrom(...STATIC_TABLE.map(([name]) => name));
const staticField = fc.constantFrom(...STATIC_TABLE.map(([name, value]) => [name, value] as [string, string]));
const name = fc.oneof(staticName, fc.constantFrom('x-a', 'x-b', 'cookie', 'authorization'), fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.toLowerCase()));
const value = fc.oneof(fc.constantFrom('', '1', 'gzip', 'a'.repeat(300)), latin1);
const field = fc.oneof(staticField, fc.tuple(name, value).map(([n, v]) => [[...n].map((c) => String.fromCharCode(c.charCodeAt(0) & 0xff)).join(''), v] as [string, string]));
const step = fc.oneof(
  { weight: 5, arbitrary: fc.record({ list: fc.array(field, { maxLength: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ resize: fc.constantFrom(0, 64, 256, 1000, 4096, 8192) }) },
);

test('header lists round-trip with tables in step across table size changes', () => {
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 1, maxLength: 12 }),
      fc.constantFrom<HuffmanMode>('auto', 'always', 'never'),
      fc.constantFrom(4096, 256, 0),
      (steps, huffman, initialSize) => {
        const encoder = new HpackEncoder({ huffman, maxTableSize: initialSize });
        const decoder = new HpackDecoder({ maxTableSize: initialSize, maxHeaderListSize: 1 << 20 });
        for (const item of steps) {
          if ('resize' in item) {
            decoder.setMaxTableSize(item.resize);
            encoder.setMaxTableSize(item.resize);
            continue;
          }
          const decoded = decoder.decode(encoder.encode(item.list));
          assert.deepEqual(decoded.map((f) => [f.name, f.value]), item.list);
          assert.deepEqual(decoder.tableEntries(), encoder.tableEntries());
          assert.equal(decoder.tableSize, encoder.tableSize);
        }
      },
    ),
    { numRuns: 300 },
  );
});
