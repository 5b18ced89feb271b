// joinInRead: two pieces of one socket read with a 9-octet frame header between them become one
// view, the shorter piece moved over the header; anything else is left alone.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { joinInRead } from '../../src/h2/join-in-read.js';

// A read: 3 octets of something else, `a`, a 9-octet header, `b`, 2 more octets.
function read(a: string, b: string): { read: Buffer; last: Buffer; next: Buffer } {
  const bytes = Buffer.from(`xyz${a}HHHHHHHHH${b}!!`, 'latin1');
  return { read: bytes, last: bytes.subarray(3, 3 + a.length), next: bytes.subarray(12 + a.length, 12 + a.length + b.length) };
}

test('the shorter first piece moves forward over the header', () => {
  const r = read('ab', 'cdefghijklmn');
  const joined = joinInRead(r.read, r.last, r.next);
  assert.equal(joined?.toString('latin1'), 'abcdefghijklmn');
  assert.equal(joined?.byteOffset, r.last.byteOffset + 9);
  // What lies around the two pieces is untouched.
  assert.equal(r.read.toString('latin1', 0, 3), 'xyz');
  assert.equal(r.read.toString('latin1', r.read.length - 2), '!!');
});

test('the shorter second piece moves back over the header', () => {
  const r = read('abcdefghijkl', 'mn');
  const joined = joinInRead(r.read, r.last, r.next);
  assert.equal(joined?.toString('latin1'), 'abcdefghijklmn');
  assert.equal(joined?.byteOffset, r.last.byteOffset);
  assert.equal(r.read.toString('latin1', r.read.length - 2), '!!');
});

test('pieces not one header apart, of another buffer, or outside the read are not joined', () => {
  const r = read('abc', 'def');
  assert.equal(joinInRead(r.read, r.last, r.read.subarray(13, 16)), null); // 10 octets apart
  assert.equal(joinInRead(r.read, r.last, Buffer.from('def')), null);
  const other = Buffer.from(r.read); // same layout, another buffer
  assert.equal(joinInRead(r.read, other.subarray(3, 6), r.next), null);
  assert.equal(joinInRead(r.read.subarray(5), r.last, r.next), null); // `last` begins before this read
  assert.equal(r.read.toString('latin1'), 'xyzabcHHHHHHHHHdef!!');
});
