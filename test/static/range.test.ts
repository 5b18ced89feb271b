import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_RANGE_SPECS, coalesce, multipartFromBytes, multipartFromFile, parseRange, planMultipart } from '../../src/static/range.js';

describe('parseRange', () => {
  const size = 1000;
  const table: { input: string; expect: unknown }[] = [
    { input: 'bytes=0-99', expect: { kind: 'ranges', ranges: [{ start: 0, end: 100 }] } },
    { input: 'bytes=100-', expect: { kind: 'ranges', ranges: [{ start: 100, end: 1000 }] } },
    { input: 'bytes=-100', expect: { kind: 'ranges', ranges: [{ start: 900, end: 1000 }] } },
    { input: 'bytes=-5000', expect: { kind: 'ranges', ranges: [{ start: 0, end: 1000 }] } },
    { input: 'bytes=990-5000', expect: { kind: 'ranges', ranges: [{ start: 990, end: 1000 }] } },
    { input: 'BYTES = 0-0', expect: { kind: 'ranges', ranges: [{ start: 0, end: 1 }] } },
    { input: 'bytes=0-0, 999-999', expect: { kind: 'ranges', ranges: [{ start: 0, end: 1 }, { start: 999, end: 1000 }] } },
    { input: 'bytes=500-599,0-99', expect: { kind: 'ranges', ranges: [{ start: 0, end: 100 }, { start: 500, end: 600 }] } },
    { input: 'bytes=0-99,50-149', expect: { kind: 'ranges', ranges: [{ start: 0, end: 150 }] } },
    { input: 'bytes=0-99,100-199', expect: { kind: 'ranges', ranges: [{ start: 0, end: 200 }] } },
    { input: 'bytes=0-,0-,0-', expect: { kind: 'ranges', ranges: [{ start: 0, end: 1000 }] } },
    { input: 'bytes=,0-1,', expect: { kind: 'ranges', ranges: [{ start: 0, end: 2 }] } },
    { input: 'bytes=1000-', expect: { kind: 'unsatisfiable' } },
    { input: 'bytes=5000-6000', expect: { kind: 'unsatisfiable' } },
    { input: 'bytes=-0', expect: { kind: 'unsatisfiable' } },
    { input: 'bytes=2000-,-0', expect: { kind: 'unsatisfiable' } },
    { input: 'bytes=1000-,0-0', expect: { kind: 'ranges', ranges: [{ start: 0, end: 1 }] } },
    { input: 'bytes=5-1', expect: { kind: 'ignore' } },
    { input: 'bytes=abc', expect: { kind: 'ignore' } },
    { input: 'bytes=1-2-3', expect: { kind: 'ignore' } },
    { input: 'bytes=-', expect: { kind: 'ignore' } },
    { input: 'bytes=+1-2', expect: { kind: 'ignore' } },
    { input: 'bytes= ', expect: { kind: 'ignore' } },
    { input: 'items=0-1', expect: { kind: 'ignore' } },
    { input: '0-1', expect: { kind: 'ignore' } },
    { input: 'bytes=99999999999999999999-', expect: { kind: 'ignore' } },
  ];
  for (const { input, expect } of table) {
    test(JSON.stringify(input), () => assert.deepEqual(parseRange(input, size), expect));
  }

  test('an empty representation cannot satisfy any range', () => {
    assert.deepEqual(parseRange('bytes=0-', 0), { kind: 'unsatisfiable' });
    assert.deepEqual(parseRange('bytes=-10', 0), { kind: 'unsatisfiable' });
  });

  test('more than MAX_RANGE_SPECS specs are ignored instead of served', () => {
    const many = `bytes=${Array.from({ length: MAX_RANGE_SPECS + 1 }, (_, i) => `${i}-${i}`).join(',')}`;
    assert.deepEqual(parseRange(many, size), { kind: 'ignore' });
  });

  test('a hostile list of overlapping ranges collapses into one', () => {
    const overlapping = `bytes=${Array.from({ length: MAX_RANGE_SPECS }, () => '0-999').join(',')}`;
    assert.deepEqual(parseRange(overlapping, size), { kind: 'ranges', ranges: [{ start: 0, end: 1000 }] });
  });
});

describe('coalesce', () => {
  test('sorts, merges overlaps and touching ranges, keeps gaps', () => {
    assert.deepEqual(coalesce([{ start: 10, end: 20 }, { start: 0, end: 5 }, { start: 5, end: 8 }, { start: 15, end: 30 }]), [
      { start: 0, end: 8 },
      { start: 10, end: 30 },
    ]);
  });
});

describe('multipart/byteranges', () => {
  const bytes = Buffer.from('0123456789abcdefghij');
  const ranges = [{ start: 0, end: 3 }, { start: 10, end: 12 }];

  async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    for await (const part of iterable) parts.push(part);
    return Buffer.concat(parts);
  }

  test('the planned length is the exact body length and parts carry Content-Range', async () => {
    const plan = planMultipart(ranges, bytes.length, 'text/plain; charset=utf-8', 'BOUNDARY');
    assert.equal(plan.contentType, 'multipart/byteranges; boundary=BOUNDARY');
    const body = await collect(multipartFromBytes(plan, bytes));
    assert.equal(body.length, plan.length);
    assert.equal(
      body.toString('latin1'),
      '--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 0-2/20\r\n\r\n012' +
        '\r\n--BOUNDARY\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Range: bytes 10-11/20\r\n\r\nab' +
        '\r\n--BOUNDARY--\r\n',
    );
  });

  test('reading from the file gives the same bytes as from memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-range-'));
    try {
      const path = join(dir, 'f.txt');
      await writeFile(path, bytes);
      const plan = planMultipart(ranges, bytes.length, 'text/plain');
      assert.deepEqual(await collect(multipartFromFile(plan, path)), await collect(multipartFromBytes(plan, bytes)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('boundaries are random per response', () => {
    const a = planMultipart(ranges, 20, 'text/plain').contentType;
    const b = planMultipart(ranges, 20, 'text/plain').contentType;
    assert.notEqual(a, b);
  });
});
