// StreamRegistry's memory of closed streams: how each closed, for the last 256, older ones forgotten.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StreamRegistry } from '../../src/h2/stream-registry.js';
import { H2Stream } from '../../src/h2/stream.js';

function openAndClose(registry: StreamRegistry, id: number, how: 'end' | 'reset-local' | 'reset-remote'): void {
  const stream = new H2Stream(id, 65535, 65535);
  registry.lastPeerStreamId = id;
  registry.add(stream);
  stream.open(false, false);
  registry.close(stream, how);
}

test('the last 256 closed streams are remembered with how they closed; older ones are forgotten', () => {
  const registry = new StreamRegistry(false);
  for (let id = 1; id <= 601; id += 2) openAndClose(registry, id, id % 3 === 0 ? 'reset-local' : 'end');
  // 301 streams closed: the first 45 are forgotten, but still closed (below the last id).
  assert.equal(registry.closedHow(1), undefined);
  assert.equal(registry.closedHow(89), undefined);
  assert.equal(registry.closedHow(91), 'end');
  assert.equal(registry.closedHow(93), 'reset-local');
  assert.equal(registry.closedHow(601), 'end');
  assert.equal(registry.state(1), 'closed');
  assert.equal(registry.closedHow(603), undefined);
  assert.equal(registry.state(603), 'idle');
});

test('remembering a stream again changes how it closed but not its place in line', () => {
  const registry = new StreamRegistry(false);
  openAndClose(registry, 1, 'end');
  registry.remember(1, 'reset-local');
  assert.equal(registry.closedHow(1), 'reset-local');
  // Refused before opening: remembered without ever being open.
  registry.lastPeerStreamId = 3;
  registry.remember(3, 'reset-local');
  assert.equal(registry.closedHow(3), 'reset-local');
  // 255 more push stream 1 out first, then stream 3.
  for (let id = 5; id < 5 + 2 * 255; id += 2) openAndClose(registry, id, 'end');
  assert.equal(registry.closedHow(1), undefined);
  assert.equal(registry.closedHow(3), 'reset-local');
  openAndClose(registry, 5 + 2 * 255, 'end');
  assert.equal(registry.closedHow(3), undefined);
});
