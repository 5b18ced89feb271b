// H2Connection.respond: a whole small response as HEADERS + one DATA frame in one buffer, or
// nothing at all (false) when the body does not fit the windows, so the caller can fall back.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FrameType as T, SettingId, type Frame } from '../../src/h2/index.js';
import { GET, scripted } from './connection-harness.js';

function describe(frames: Frame[], decode: (block: Uint8Array) => string): string[] {
  return frames.flatMap((f) => {
    if (f.type === T.HEADERS) return [`HEADERS ${f.streamId}${f.endStream ? ' end' : ''} ${decode(f.headerBlock)}`];
    if (f.type === T.DATA) return [`DATA ${f.streamId}${f.endStream ? ' end' : ''} ${Buffer.from(f.data).toString('utf8')}`];
    return [];
  });
}

test('respond sends HEADERS and one DATA frame with END_STREAM, and closes a request-complete stream', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  const decode = (block: Uint8Array): string => s.decoder.decode(block).map((f) => `${f.name}=${f.value}`).join(',');
  const windowBefore = s.connection.connectionSendWindow;
  assert.equal(s.connection.respond(1, [[':status', '200'], ['content-type', 'text/plain']], 'héllo'), true);
  assert.deepEqual(describe(s.sent, decode), ['HEADERS 1 :status=200,content-type=text/plain', 'DATA 1 end héllo']);
  assert.equal(s.connection.connectionSendWindow, windowBefore - Buffer.byteLength('héllo'));
  assert.equal(s.connection.streamState(1), 'closed');
  // The HPACK table moved in step: a second response indexes content-type.
  s.send(s.headers(3, GET, true));
  assert.equal(s.connection.respond(3, [[':status', '200'], ['content-type', 'text/plain']], Buffer.from('bytes')), true);
  assert.deepEqual(describe(s.sent, decode).slice(2), ['HEADERS 3 :status=200,content-type=text/plain', 'DATA 3 end bytes']);
});

test('respond sends nothing and returns false for a body over the stream window or an empty body', () => {
  const s = scripted({ role: 'server' });
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 4]] });
  s.send(s.headers(1, GET, true));
  const before = s.sent.length;
  assert.equal(s.connection.respond(1, [[':status', '200'], ['x-a', 'b']], 'too long'), false);
  assert.equal(s.connection.respond(1, [[':status', '200'], ['x-a', 'b']], ''), false);
  assert.equal(s.sent.length, before);
  assert.equal(s.connection.streamState(1), 'half-closed (remote)');
  // The tables did not move: the fallback's head decodes.
  s.connection.sendHeaders(1, [[':status', '200'], ['x-a', 'b']], false);
  assert.equal(s.connection.sendData(1, Buffer.from('too long'), true), 4);
  const decode = (block: Uint8Array): string => s.decoder.decode(block).map((f) => `${f.name}=${f.value}`).join(',');
  assert.deepEqual(describe(s.sent.slice(before), decode), ['HEADERS 1 :status=200,x-a=b', 'DATA 1 too ']);
});

test('respond sends a head bigger than a frame as HEADERS + CONTINUATION, then the DATA', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  const big = 'v'.repeat(20_000);
  assert.equal(s.connection.respond(1, [[':status', '200'], ['x-big', big]], 'ok'), true);
  const decode = (block: Uint8Array): string => s.decoder.decode(block).map((f) => `${f.name}=${f.value.length}`).join(',');
  assert.deepEqual(describe(s.sent, decode), ['HEADERS 1 :status=3,x-big=20000', 'DATA 1 end ok']);
  assert.equal(s.connection.streamState(1), 'closed');
});
