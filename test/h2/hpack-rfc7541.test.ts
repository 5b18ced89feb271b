// Every example of RFC 7541 Appendix C, byte for byte, decoded and encoded, with the dynamic
// table after each step.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { HpackDecoder, HpackEncoder, type HuffmanMode } from '../../src/h2/index.js';
import { writeInteger } from '../../src/h2/hpack-encoder.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

test('C.1 integers: 10 and 1337 on a 5-bit prefix, 42 on an 8-bit prefix', () => {
  const out = new Uint8Array(8);
  assert.deepEqual([...out.subarray(0, writeInteger(out, 0, 10, 5, 0))], [0x0a]);
  assert.deepEqual([...out.subarray(0, writeInteger(out, 0, 1337, 5, 0))], [0x1f, 0x9a, 0x0a]);
  assert.deepEqual([...out.subarray(0, writeInteger(out, 0, 42, 8, 0))], [0x2a]);
  // The 5-bit prefix is the one of a dynamic table size update (001xxxxx), so decode them as that.
  const decoder = new HpackDecoder();
  assert.deepEqual(decoder.decode(Buffer.from([0x20 | 0x0a])), []);
  assert.equal(decoder.tableMaxSize, 10);
  assert.deepEqual(decoder.decode(Buffer.from([0x20 | 0x1f, 0x9a, 0x0a])), []);
  assert.equal(decoder.tableMaxSize, 1337);
});

interface Step {
  name: string;
  bytes: string;
  fields: [string, string][];
  table: [string, string][];
  size: number;
}

const C2: (Step & { sensitive?: boolean })[] = [
  {
    name: 'C.2.1 literal with indexing',
    bytes: '400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572',
    fields: [['custom-key', 'custom-header']],
    table: [['custom-key', 'custom-header']],
    size: 55,
  },
  { name: 'C.2.2 literal without indexing', bytes: '040c 2f73 616d 706c 652f 7061 7468', fields: [[':path', '/sample/path']], table: [], size: 0 },
  {
    name: 'C.2.3 literal never indexed',
    bytes: '1008 7061 7373 776f 7264 0673 6563 7265 74',
    fields: [['password', 'secret']],
    table: [],
    size: 0,
    sensitive: true,
  },
  { name: 'C.2.4 indexed', bytes: '82', fields: [[':method', 'GET']], table: [], size: 0 },
];

for (const step of C2) {
  test(`${step.name}: decoded, and encoded back to the same bytes`, () => {
    const decoder = new HpackDecoder();
    const fields = decoder.decode(hex(step.bytes));
    assert.deepEqual(fields.map((f) => [f.name, f.value]), step.fields);
    assert.equal(fields[0]?.sensitive, step.sensitive === true);
    assert.deepEqual(decoder.tableEntries(), step.table);
    assert.equal(decoder.tableSize, step.size);
    const encoder = new HpackEncoder({ huffman: 'never', neverIndex: () => step.sensitive === true });
    const [name, value] = step.fields[0] as [string, string];
    // C.2.2 is :path, which the encoder never indexes; C.2.1 is indexed as a new name.
    assert.equal(encoder.encode([[name, value]]).toString('hex'), hex(step.bytes).toString('hex'));
    assert.deepEqual(encoder.tableEntries(), step.table);
  });
}

const REQUESTS: [string, string][][] = [
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com']],
  [[':method', 'GET'], [':scheme', 'http'], [':path', '/'], [':authority', 'www.example.com'], ['cache-control', 'no-cache']],
  [[':method', 'GET'], [':scheme', 'https'], [':path', '/index.html'], [':authority', 'www.example.com'], ['custom-key', 'custom-value']],
];
const REQUEST_TABLES: { table: [string, string][]; size: number }[] = [
  { table: [[':authority', 'www.example.com']], size: 57 },
  { table: [['cache-control', 'no-cache'], [':authority', 'www.example.com']], size: 110 },
  { table: [['custom-key', 'custom-value'], ['cache-control', 'no-cache'], [':authority', 'www.example.com']], size: 164 },
];
const DATE1 = 'Mon, 21 Oct 2013 20:13:21 GMT';
const DATE2 = 'Mon, 21 Oct 2013 20:13:22 GMT';
const COOKIE = 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1';
const RESPONSES: [string, string][][] = [
  [[':status', '302'], ['cache-control', 'private'], ['date', DATE1], ['location', 'https://www.example.com']],
  [[':status', '307'], ['cache-control', 'private'], ['date', DATE1], ['location', 'https://www.example.com']],
  [[':status', '200'], ['cache-control', 'private'], ['date', DATE2], ['location', 'https://www.example.com'], ['content-encoding', 'gzip'], ['set-cookie', COOKIE]],
];
const RESPONSE_TABLES: { table: [string, string][]; size: number }[] = [
  { table: [['location', 'https://www.example.com'], ['date', DATE1], ['cache-control', 'private'], [':status', '302']], size: 222 },
  { table: [[':status', '307'], ['location', 'https://www.example.com'], ['date', DATE1], ['cache-control', 'private']], size: 222 },
  { table: [['set-cookie', COOKIE], ['content-encoding', 'gzip'], ['date', DATE2]], size: 215 },
];

interface Sequence {
  name: string;
  huffman: HuffmanMode;
  tableSize: number;
  lists: [string, string][][];
  tables: { table: [string, string][]; size: number }[];
  blocks: string[];
}

const SEQUENCES: Sequence[] = [
  {
    name: 'C.3 requests without Huffman',
    huffman: 'never',
    tableSize: 4096,
    lists: REQUESTS,
    tables: REQUEST_TABLES,
    blocks: [
      '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '8286 84be 5808 6e6f 2d63 6163 6865',
      '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    ],
  },
  {
    name: 'C.4 requests with Huffman',
    huffman: 'always',
    tableSize: 4096,
    lists: REQUESTS,
    tables: REQUEST_TABLES,
    blocks: [
      '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
      '8286 84be 5886 a8eb 1064 9cbf',
      '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
    ],
  },
  {
    name: 'C.5 responses without Huffman, table size 256',
    huffman: 'never',
    tableSize: 256,
    lists: RESPONSES,
    tables: RESPONSE_TABLES,
    blocks: [
      `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
       2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
       6c65 2e63 6f6d`,
      '4803 3330 37c1 c0bf',
      `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
       54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
       5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
       3d31`,
    ],
  },
  {
    name: 'C.6 responses with Huffman, table size 256',
    huffman: 'always',
    tableSize: 256,
    lists: RESPONSES,
    tables: RESPONSE_TABLES,
    blocks: [
      `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
       2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3`,
      '4883 640e ffc1 c0bf',
      `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
       77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
       9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
    ],
  },
];

for (const sequence of SEQUENCES) {
  test(`${sequence.name}: each block decodes to its list, with the table after each step`, () => {
    const decoder = new HpackDecoder({ maxTableSize: sequence.tableSize });
    sequence.blocks.forEach((block, i) => {
      const fields = decoder.decode(hex(block));
      assert.deepEqual(fields.map((f) => [f.name, f.value]), sequence.lists[i], `block ${i + 1}`);
      assert.ok(fields.every((f) => !f.sensitive));
      assert.deepEqual(decoder.tableEntries(), sequence.tables[i]?.table, `table after block ${i + 1}`);
      assert.equal(decoder.tableSize, sequence.tables[i]?.size, `table size after block ${i + 1}`);
    });
  });

  test(`${sequence.name}: each list encodes to the RFC's bytes, with the table after each step`, () => {
    // The RFC's encoder indexes everything, set-cookie included, so the secret rule is off here.
    const encoder = new HpackEncoder({ maxTableSize: sequence.tableSize, huffman: sequence.huffman, neverIndex: () => false });
    sequence.lists.forEach((list, i) => {
      assert.equal(encoder.encode(list).toString('hex'), hex(sequence.blocks[i] as string).toString('hex'), `block ${i + 1}`);
      assert.deepEqual(encoder.tableEntries(), sequence.tables[i]?.table, `table after block ${i + 1}`);
      assert.equal(encoder.tableSize, sequence.tables[i]?.size, `table size after block ${i + 1}`);
    });
  });
}
