// windowGrowth, the rule by which a receive window grows: doubling, up to its maximum, only when
// at most a quarter of the window waits unread as credit goes back; and receiveWindows, which
// reads the windows from a connection's options in whole octets, at most 2^31-1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { receiveWindows, windowGrowth } from '../../src/h2/window-growth.js';

test('windowGrowth doubles a window whose application keeps up, up to the maximum', () => {
  // target, credit still with the peer, octets given back now, maximum -> growth
  const cases: [number, number, number, number, number][] = [
    [65536, 32768, 32768, 1 << 20, 65536], // nothing unread
    [65536, 16384, 32768, 1 << 20, 65536], // 16,384 unread: a quarter exactly
    [65536, 16383, 32768, 1 << 20, 0], // one octet more than a quarter
    [65536, 32768, 32768, 100_000, 34464], // up to the maximum, not past it
    [1 << 20, 1 << 19, 1 << 19, 1 << 20, 0], // at the maximum
    [65536, 32768, 32768, 0, 0], // no maximum: no growth
  ];
  for (const [target, available, unacknowledged, max, growth] of cases) {
    assert.equal(windowGrowth(target, available, unacknowledged, max), growth, `${target} ${available} ${unacknowledged} ${max}`);
  }
});

test('windowGrowth is whole octets even from a fractional window', () => {
  assert.equal(windowGrowth(1000.5, 500.5, 500, 4000), 1000);
});

test('receiveWindows: whole octets, at most 2^31-1, no growth unless asked', () => {
  assert.deepEqual(receiveWindows({ role: 'server' }), { connection: 65535, maxStream: 0, maxConnection: 0 });
  assert.deepEqual(receiveWindows({ role: 'server', connectionWindowSize: 2 ** 40, maxStreamWindowSize: 1000.7, maxConnectionWindowSize: 2 ** 32 }), {
    connection: 2 ** 31 - 1,
    maxStream: 1000,
    maxConnection: 2 ** 31 - 1,
  });
});
