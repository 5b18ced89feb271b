// Fixed bug: a frame that deserves a stream error, sent on an idle stream (WINDOW_UPDATE of 0, a
// PRIORITY of the wrong length or depending on itself), was answered with RST_STREAM on that idle
// stream, which RFC 9113 §6.4 forbids, and later HEADERS opening the stream were dropped without
// an answer. RFC 9113 §5.1 makes any frame but HEADERS and PRIORITY on an idle stream a connection
// error; the bad PRIORITY can only end the connection too.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FrameType as T, serializeRawFrame } from '../../src/h2/index.js';
import { GET, scripted } from './connection-harness.js';

const u32 = (value: number): Buffer => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value, 0);
  return out;
};

for (const [name, frame, goaway, code] of [
  ['WINDOW_UPDATE of 0', serializeRawFrame(T.WINDOW_UPDATE, 0, 3, u32(0)), '0 PROTOCOL_ERROR', 'H2_FRAME_ON_IDLE_STREAM'],
  ['PRIORITY of 4 octets', serializeRawFrame(T.PRIORITY, 0, 3, u32(0)), '0 FRAME_SIZE_ERROR', 'H2_BAD_FRAME_SIZE'],
  ['PRIORITY depending on itself', serializeRawFrame(T.PRIORITY, 0, 3, Buffer.concat([u32(3), Buffer.from([15])])), '0 PROTOCOL_ERROR', 'H2_SELF_DEPENDENCY'],
] as const) {
  test(`${name} on an idle stream ends the connection with GOAWAY, never RST_STREAM on the idle stream`, () => {
    const s = scripted({ role: 'server' });
    s.connection.receive(frame);
    assert.deepEqual(s.resets(), []);
    assert.equal(s.lastGoaway(), goaway);
    assert.deepEqual(s.events, [`goaway-sent ${code}`]);
  });
}

test('the same frames on an open stream stay stream errors', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  s.connection.receive(serializeRawFrame(T.WINDOW_UPDATE, 0, 1, u32(0)));
  assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR']);
  assert.equal(s.lastGoaway(), null);
});
