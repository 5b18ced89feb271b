import assert from 'node:assert/strict';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { compressBytes, negotiateEncoding } from '../../src/static/encoding.js';

describe('negotiateEncoding', () => {
  const both = ['br', 'gzip'] as const;
  const table: { name: string; input: string | undefined; offered?: readonly ('br' | 'gzip')[]; expect: string }[] = [
    { name: 'no field means identity', input: undefined, expect: 'identity' },
    { name: 'empty field means identity', input: '', expect: 'identity' },
    { name: 'a browser list picks br', input: 'gzip, deflate, br, zstd', expect: 'br' },
    { name: 'gzip only', input: 'gzip', expect: 'gzip' },
    { name: 'x-gzip is gzip', input: 'x-gzip', expect: 'gzip' },
    { name: 'case-insensitive', input: 'GZip', expect: 'gzip' },
    { name: 'q-values honoured', input: 'br;q=0.5, gzip;q=0.9', expect: 'gzip' },
    { name: 'q=0 excludes', input: 'br;q=0, gzip', expect: 'gzip' },
    { name: 'spaces around q', input: 'br ; q=0.2 , gzip ; q=0.1', expect: 'br' },
    { name: 'star matches what is not listed', input: '*', expect: 'br' },
    { name: 'star with exclusion', input: 'br;q=0, *', expect: 'gzip' },
    { name: 'identity preferred over codings', input: 'identity;q=1, gzip;q=0.5', expect: 'identity' },
    { name: 'unknown codings only', input: 'deflate, zstd', expect: 'identity' },
    { name: 'all excluded still answers identity', input: 'identity;q=0, *;q=0', expect: 'identity' },
    { name: 'a bad q-value is ignored', input: 'br;q=2, gzip;q=0.5', expect: 'br' },
    { name: 'sidecar offers only gzip', input: 'br, gzip', offered: ['gzip'], expect: 'gzip' },
    { name: 'nothing offered', input: 'br, gzip', offered: [], expect: 'identity' },
  ];
  for (const { name, input, offered, expect } of table) {
    test(name, () => assert.equal(negotiateEncoding(input, offered ?? both), expect));
  }
});

describe('compressBytes', () => {
  const text = Buffer.from('hello courier '.repeat(500));
  test('brotli round-trips and shrinks', async () => {
    const out = await compressBytes('br', text);
    assert.ok(out.length < text.length / 4);
    assert.deepEqual(brotliDecompressSync(out), text);
  });
  test('gzip round-trips and shrinks', async () => {
    const out = await compressBytes('gzip', text);
    assert.ok(out.length < text.length / 4);
    assert.deepEqual(gunzipSync(out), text);
  });
});
