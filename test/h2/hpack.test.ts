// HPACK beyond the RFC's examples: the Huffman table itself, every decoding error with its code,
// the header list limit, the encoder's choices and table size updates.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { H2Error, HpackDecoder, HpackEncoder, huffmanDecode, huffmanEncode, huffmanEncodedLength } from '../../src/h2/index.js';
import { HUFFMAN_CODES, HUFFMAN_LENGTHS } from '../../src/h2/hpack-huffman-table.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(H2Error.is(error), `not an H2Error: ${String(error)}`);
    return error.reason;
  }
  return 'no error';
}

test('the Huffman table is a complete canonical code: lengths alone rebuild every code', () => {
  assert.equal(HUFFMAN_CODES.length, 257);
  assert.equal(HUFFMAN_LENGTHS.length, 257);
  const order = [...Array(257).keys()].sort((a, b) => (HUFFMAN_LENGTHS[a] as number) - (HUFFMAN_LENGTHS[b] as number) || a - b);
  let code = 0;
  let kraft = 0;
  order.forEach((symbol, i) => {
    const length = HUFFMAN_LENGTHS[symbol] as number;
    if (i > 0) code = (code + 1) * 2 ** (length - (HUFFMAN_LENGTHS[order[i - 1] as number] as number));
    assert.equal(HUFFMAN_CODES[symbol], code, `symbol ${symbol}`);
    kraft += 2 ** -length;
  });
  assert.equal(kraft, 1);
  assert.equal(HUFFMAN_CODES[256], 0x3fffffff); // EOS: 30 ones
});

test('every octet round-trips through Huffman coding, alone and all together', () => {
  const all = Buffer.from([...Array(256).keys()]).toString('latin1');
  for (const text of [...all, all, '', 'www.example.com']) {
    const out = Buffer.alloc(huffmanEncodedLength(text));
    assert.equal(huffmanEncode(text, out, 0), out.length);
    assert.equal(huffmanDecode(out, 0, out.length), text);
  }
  assert.equal(huffmanEncodedLength('www.example.com'), 12);
});

test('Huffman strings with EOS, long padding or padding that is not all ones are COMPRESSION_ERRORs', () => {
  const cases: [string, string, string][] = [
    ['EOS then padding', 'ffffffff', 'H2_HPACK_HUFFMAN_EOS'],
    ['"a" then 11 bits of padding', '1fff', 'H2_HPACK_HUFFMAN_PADDING'],
    ['"a" then padding 000', '18', 'H2_HPACK_HUFFMAN_PADDING'],
    ['8 bits of padding alone', 'ff', 'H2_HPACK_HUFFMAN_PADDING'],
    ['"a" then padding 111 (valid)', '1f', 'no error'],
  ];
  for (const [name, bytes, code] of cases) {
    const input = hex(bytes);
    assert.equal(codeOf(() => huffmanDecode(input, 0, input.length)), code, name);
    // The same string as a header value in a block.
    const block = Buffer.concat([Buffer.from([0x00, 0x01, 0x61, 0x80 | input.length]), input]);
    assert.equal(codeOf(() => new HpackDecoder().decode(block)), code, `${name} in a block`);
  }
  const error = (() => {
    try {
      huffmanDecode(hex('ffffffff'), 0, 4);
    } catch (e) {
      return e as H2Error;
    }
    return null;
  })();
  assert.equal(error?.errorName, 'COMPRESSION_ERROR');
  assert.equal(error?.isConnectionError, true);
});

test('decoding errors each have their code', () => {
  const cases: { name: string; block: string; code: string; setup?: (d: HpackDecoder) => void }[] = [
    { name: 'indexed field with index 0', block: '80', code: 'H2_HPACK_BAD_INDEX' },
    { name: 'index past the static table with an empty dynamic table', block: 'be', code: 'H2_HPACK_BAD_INDEX' },
    { name: 'literal with a name index past the tables', block: '7f00 0161', code: 'H2_HPACK_BAD_INDEX' },
    { name: 'string longer than the block', block: '4005 6162', code: 'H2_HPACK_TRUNCATED' },
    { name: 'literal with no value', block: '4001 61', code: 'H2_HPACK_TRUNCATED' },
    { name: 'integer that never ends', block: 'ff ff', code: 'H2_HPACK_TRUNCATED' },
    { name: 'integer above 2^31-1', block: 'ff ff ff ff ff 0f', code: 'H2_HPACK_INTEGER_OVERFLOW' },
    { name: 'integer padded with endless zero continuations', block: 'ff 80 80 80 80 80 80 00', code: 'H2_HPACK_INTEGER_OVERFLOW' },
    { name: 'size update above SETTINGS_HEADER_TABLE_SIZE', block: '3f e2 1f', code: 'H2_HPACK_TABLE_SIZE_UPDATE' },
    { name: 'size update after a field', block: '82 20', code: 'H2_HPACK_TABLE_SIZE_UPDATE' },
    {
      name: 'no size update after our setting was lowered',
      block: '82',
      code: 'H2_HPACK_TABLE_SIZE_UPDATE',
      setup: (d) => d.setMaxTableSize(100),
    },
    { name: 'size update to the lowered setting', block: '3f 45 82', code: 'no error', setup: (d) => d.setMaxTableSize(100) },
    { name: 'size update at the setting', block: '3f e1 1f 82', code: 'no error' },
    { name: 'two size updates at the start', block: '20 3f e1 1f 82', code: 'no error' },
  ];
  for (const { name, block, code, setup } of cases) {
    const decoder = new HpackDecoder();
    setup?.(decoder);
    assert.equal(codeOf(() => decoder.decode(hex(block))), code, name);
  }
});

test('an HPACK bomb fails at the header list limit, and the table stays in step', () => {
  const encoder = new HpackEncoder({ huffman: 'never' });
  const decoder = new HpackDecoder({ maxHeaderListSize: 16384 });
  // One 3000-octet entry, then 1000 one-octet references to it: 3 MB decoded from 4 KB.
  const first = encoder.encode([['x-bomb', 'a'.repeat(3000)]]);
  const bomb = Buffer.concat([first, Buffer.alloc(1000, 0xbe)]);
  let error: unknown = null;
  try {
    decoder.decode(bomb, 5);
  } catch (e) {
    error = e;
  }
  assert.ok(H2Error.is(error));
  assert.equal(error.reason, 'H2_HEADER_LIST_TOO_LARGE');
  assert.equal(error.streamId, 5);
  assert.equal(error.isConnectionError, false);
  // The table still agrees with the encoder: the next block refers to the entry.
  assert.deepEqual(decoder.decode(encoder.encode([['x-bomb', 'a'.repeat(3000)]])).map((f) => f.value.length), [3000]);
  assert.deepEqual(decoder.tableEntries(), encoder.tableEntries());
});

test('the header list limit counts name + value + 32 per field (RFC 9113 §6.5.2)', () => {
  const block = new HpackEncoder().encode([['ab', 'cd']]); // 36 octets
  assert.equal(new HpackDecoder({ maxHeaderListSize: 36 }).decode(block).length, 1);
  assert.equal(codeOf(() => new HpackDecoder({ maxHeaderListSize: 35 }).decode(block, 1)), 'H2_HEADER_LIST_TOO_LARGE');
});

test('the encoder sends secrets never-indexed and keeps them out of the table', () => {
  const encoder = new HpackEncoder({ huffman: 'never' });
  const fields: [string, string][] = [
    ['authorization', 'Bearer abc'],
    ['proxy-authorization', 'Basic xyz'],
    ['set-cookie', 'id=1; Secure'],
    ['cookie', 'sid=short'],
    ['cookie', 'prefs=a-long-enough-cookie-value'],
    ['x-custom', 'plain'],
  ];
  const block = encoder.encode([...fields, { name: 'x-asked', value: 'secret', sensitive: true }]);
  // authorization is static name 23: never-indexed, 4-bit prefix 15 + 8.
  assert.deepEqual([...block.subarray(0, 2)], [0x1f, 0x08]);
  const decoded = new HpackDecoder().decode(block);
  assert.deepEqual(
    decoded.map((f) => [f.name, f.sensitive]),
    [
      ['authorization', true],
      ['proxy-authorization', true],
      ['set-cookie', true],
      ['cookie', true],
      ['cookie', false],
      ['x-custom', false],
      ['x-asked', true],
    ],
  );
  assert.deepEqual(encoder.tableEntries(), [
    ['x-custom', 'plain'],
    ['cookie', 'prefs=a-long-enough-cookie-value'],
  ]);
});

test('the encoder indexes what is in a table and Huffman-codes only when shorter', () => {
  const encoder = new HpackEncoder();
  assert.deepEqual([...encoder.encode([[':method', 'GET'], [':status', '200']])], [0x82, 0x88]);
  const first = encoder.encode([['x-id', 'www.example.com']]);
  assert.equal(first[0], 0x40); // incremental indexing, new name
  assert.equal(first[1], 0x80 | 3); // "x-id" is 4 octets raw, 3 Huffman-coded
  assert.deepEqual([...encoder.encode([['x-id', 'www.example.com']])], [0xbe]); // now index 62
  // "<<<" is 3 octets raw and 6 Huffman-coded: sent raw.
  const raw = encoder.encode([['x-id', '<<<']]);
  assert.deepEqual([...raw.subarray(1)], [0x03, 0x3c, 0x3c, 0x3c]);
  // :path and content-length change per message: never added to the table.
  const before = encoder.tableEntries().length;
  encoder.encode([[':path', '/a/b'], ['content-length', '123']]);
  assert.equal(encoder.tableEntries().length, before);
});

test('a field too big for the table is sent without indexing rather than flushing the table', () => {
  const encoder = new HpackEncoder({ maxTableSize: 256 });
  encoder.encode([['x-a', '1']]);
  const block = encoder.encode([['x-big', 'v'.repeat(300)]]);
  assert.equal(block[0], 0x00);
  assert.deepEqual(encoder.tableEntries(), [['x-a', '1']]);
});

test('table size changes are signalled at the start of the next block, smallest first (RFC 7541 §4.2)', () => {
  const encoder = new HpackEncoder();
  const decoder = new HpackDecoder();
  decoder.decode(encoder.encode([['x-a', '1'], ['x-b', '2']]));
  encoder.setMaxTableSize(0);
  decoder.setMaxTableSize(0);
  encoder.setMaxTableSize(4096);
  decoder.setMaxTableSize(4096);
  const block = encoder.encode([['x-a', '1']]);
  // 0x20 = size 0, then 0x3f e1 1f = 4096, then the field as a new literal (the table was emptied).
  assert.deepEqual([...block.subarray(0, 5)], [0x20, 0x3f, 0xe1, 0x1f, 0x40]);
  assert.deepEqual(decoder.decode(block).map((f) => f.value), ['1']);
  assert.deepEqual(decoder.tableEntries(), [['x-a', '1']]);
  assert.equal(decoder.tableMaxSize, 4096);
});

test('an encoder capped below the peer setting announces its size in its first block', () => {
  const encoder = new HpackEncoder({ tableSizeLimit: 100 });
  const decoder = new HpackDecoder();
  const block = encoder.encode([['x-a', '1']]);
  assert.deepEqual([...block.subarray(0, 3)], [0x3f, 0x45, 0x40]);
  decoder.decode(block);
  assert.equal(decoder.tableMaxSize, 100);
});

test('the encoder refuses characters above U+00FF instead of mangling them', () => {
  assert.equal(codeOf(() => new HpackEncoder().encode([['x-a', 'caf\u00e9']])), 'no error');
  assert.equal(codeOf(() => new HpackEncoder().encode([['x-a', '\u20ac']])), 'H2_INVALID_ARGUMENT');
});
