// Fixed bug: DATA on a stream closed by END_STREAM both ways, or by the peer's RST_STREAM, drew a
// RST_STREAM STREAM_CLOSED for every frame, so a client could make the server write one frame per
// frame it sent. RFC 9113 §5.4.2: one RST_STREAM per stream; once we reset a stream, what still
// arrives on it is dropped (§5.1, closed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POST, scripted } from './connection-harness.js';

test('three DATA frames on a stream closed by END_STREAM both ways get one RST_STREAM', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, POST, false), s.data(1, 'body', true));
  s.connection.sendHeaders(1, [[':status', '204']], true);
  assert.equal(s.connection.streamState(1), 'closed');
  s.send(s.data(1, 'a', false), s.data(1, 'b', false), s.data(1, 'c', true));
  assert.deepEqual(s.resets(), ['1 STREAM_CLOSED']);
  assert.equal(s.lastGoaway(), null);
});

test('three DATA frames after the peer\'s own RST_STREAM get one RST_STREAM', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, POST, false), { type: 0x3, streamId: 1, errorCode: 8 });
  s.send(s.data(1, 'a', false), s.data(1, 'b', false), s.data(1, 'c', true));
  assert.deepEqual(s.resets(), ['1 STREAM_CLOSED']);
  assert.equal(s.lastGoaway(), null);
});
