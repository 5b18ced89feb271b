// What a server's limits build on: onFrameReceived sees every frame before it acts, terminate()
// ends the connection with the caller's error, and sentGoawayStreamId tells the shutdown's end.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Buffer } from 'node:buffer';
import { CONNECTION_PREFACE, FRAME_TYPE_NAMES, FrameType as T, H2Connection, H2ConnectionError, serializeFrame } from '../../src/h2/index.js';
import { GET, scripted } from './connection-harness.js';

test('onFrameReceived sees each frame, and terminate() from it stops the frames that follow in the same read', () => {
  const seen: string[] = [];
  const sent: Uint8Array[] = [];
  const hooked: H2Connection = new H2Connection(
    {
      onSend: (bytes) => sent.push(bytes),
      onFrameReceived: (frame) => {
        seen.push(FRAME_TYPE_NAMES[frame.type] ?? String(frame.type));
        if (frame.type === T.PING) hooked.terminate(new H2ConnectionError('H2_FRAME_FLOOD', 'Too many PING frames'));
      },
      onConnectionError: (error) => seen.push(`goaway ${error.reason} ${error.errorName}`),
    },
    { role: 'server' },
  );
  hooked.receive(CONNECTION_PREFACE);
  hooked.receive(
    Buffer.concat([
      serializeFrame({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] }),
      serializeFrame({ type: T.PING, streamId: 0, ack: false, data: new Uint8Array(8) }),
      serializeFrame({ type: T.PING, streamId: 0, ack: false, data: new Uint8Array(8) }),
    ]),
  );
  assert.deepEqual(seen, ['SETTINGS', 'PING', 'goaway H2_FRAME_FLOOD ENHANCE_YOUR_CALM']);
  assert.equal(hooked.isDead, true);
});

test('sentGoawayStreamId is -1 until the second GOAWAY of a graceful shutdown names the last stream', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  assert.equal(s.connection.sentGoawayStreamId, -1);
  s.connection.shutdown();
  assert.equal(s.connection.sentGoawayStreamId, -1);
  const ping = s.sent.filter((f) => f.type === T.PING).at(-1);
  assert.ok(ping !== undefined && ping.type === T.PING);
  s.send({ type: T.PING, streamId: 0, ack: true, data: ping.data });
  assert.equal(s.connection.sentGoawayStreamId, 1);
  assert.equal(s.lastGoaway(), '1 NO_ERROR');
});
