// The HTTP/2 limits as ServerLimits options, each set small and hit over a raw socket on 127.0.0.1:
// maxConcurrentStreams, maxContinuationFrames, maxResetBurst, maxControlFrameBurst (PRIORITY frames
// included, a burst of 0 disabling the budget), and onRequestRejected hearing of the requests the
// HTTP/2 codec refuses (malformed header lists, too many fields, a header list too large).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { Flags, FrameType, SettingId, serializeRawFrame, type Frame } from '../../src/h2/index.js';
import type { RequestRejection, ServerRequest } from '../../src/server/index.js';
import { start } from './harness.js';
import { rawH2 } from './h2-raw.js';

const T = FrameType;
const OPTS = { timeout: 30_000 };
const isGoaway = (frames: Frame[]): boolean => frames.some((f) => f.type === T.GOAWAY);

function priority(streamId: number, dependency: number): Buffer {
  const payload = Buffer.alloc(5);
  payload.writeUInt32BE(dependency, 0);
  payload[4] = 15;
  return Buffer.from(serializeRawFrame(T.PRIORITY, 0, streamId, payload));
}

test('PRIORITY flood: PRIORITY frames count against the control-frame budget and end in GOAWAY ENHANCE_YOUR_CALM', OPTS, async () => {
  const server = await start(() => ({ status: 200 }));
  const c = await rawH2(server.port);
  // PRIORITY on idle streams is allowed (RFC 9113 §5.1) and costs the server a frame each time.
  c.write(Buffer.concat(Array.from({ length: 500 }, (_, i) => priority(1 + 2 * i, 0))));
  await c.until(isGoaway);
  assert.equal(c.goaway(), '0 ENHANCE_YOUR_CALM H2_FRAME_FLOOD');
  await c.closed;
  await server.close();
});

test('a few PRIORITY frames, as browsers send, are fine', OPTS, async () => {
  const server = await start(() => ({ status: 200, body: 'ok' }));
  const c = await rawH2(server.port);
  c.write(Buffer.concat(Array.from({ length: 20 }, (_, i) => priority(3 + 2 * i, 0))), c.headers(1, '/', true));
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.endStream));
  assert.equal(c.goaway(), null);
  c.socket.destroy();
  await server.close();
});

test('maxControlFrameBurst and maxControlFramesPerSecond set the PING budget; a burst of 0 disables it', OPTS, async () => {
  const small = await start(() => ({ status: 200 }), { maxControlFrameBurst: 5, maxControlFramesPerSecond: 1 });
  const c = await rawH2(small.port);
  c.write(Buffer.concat(Array.from({ length: 10 }, () => Buffer.from(serializeRawFrame(T.PING, 0, 0, Buffer.alloc(8))))));
  await c.until(isGoaway);
  assert.equal(c.goaway(), '0 ENHANCE_YOUR_CALM H2_FRAME_FLOOD');
  assert.equal(c.frames.filter((f) => f.type === T.PING && f.ack).length, 5);
  await small.close();

  const off = await start(() => ({ status: 200 }), { maxControlFrameBurst: 0 });
  const d = await rawH2(off.port);
  d.write(Buffer.concat(Array.from({ length: 500 }, () => Buffer.from(serializeRawFrame(T.PING, 0, 0, Buffer.alloc(8))))));
  await d.until((frames) => frames.filter((f) => f.type === T.PING && f.ack).length === 500);
  assert.equal(d.goaway(), null);
  d.socket.destroy();
  await off.close();
});

test('maxConcurrentStreams is announced and enforced: the stream past it is refused', OPTS, async () => {
  const releases: (() => void)[] = [];
  const server = await start((req) => new Promise((resolve) => releases.push(() => resolve({ status: 200, body: req.path }))), { maxConcurrentStreams: 2 });
  const c = await rawH2(server.port);
  await c.until((frames) => frames.some((f) => f.type === T.SETTINGS && !f.ack));
  const settings = c.frames.find((f) => f.type === T.SETTINGS && !f.ack);
  assert.ok(settings?.type === T.SETTINGS);
  assert.equal(new Map(settings.settings).get(SettingId.MAX_CONCURRENT_STREAMS), 2);
  c.write(c.headers(1, '/a', true), c.headers(3, '/b', true), c.headers(5, '/c', true));
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM));
  assert.deepEqual(c.resets(), ['5 REFUSED_STREAM']);
  for (const release of releases) release();
  await c.until((frames) => frames.filter((f) => f.type === T.DATA && f.endStream).length === 2);
  c.socket.destroy();
  await server.close();
});

test('maxContinuationFrames caps one header block: one CONTINUATION past it ends the connection', OPTS, async () => {
  let calls = 0;
  const server = await start(() => ({ status: 200, body: String(++calls) }), { maxContinuationFrames: 2 });
  const c = await rawH2(server.port);
  const block = c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]);
  // Two CONTINUATIONs are allowed...
  c.write(serializeRawFrame(T.HEADERS, Flags.END_STREAM, 1, block.subarray(0, 2)), serializeRawFrame(T.CONTINUATION, 0, 1, block.subarray(2, 4)), serializeRawFrame(T.CONTINUATION, Flags.END_HEADERS, 1, block.subarray(4)));
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.endStream));
  // ...three are not.
  const next = c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/2']]);
  c.write(serializeRawFrame(T.HEADERS, Flags.END_STREAM, 3, next), ...[0, 1, 2].map(() => serializeRawFrame(T.CONTINUATION, 0, 3, Buffer.alloc(0))));
  await c.until(isGoaway);
  assert.equal(c.goaway(), '1 ENHANCE_YOUR_CALM H2_HEADER_BLOCK_TOO_LARGE');
  assert.equal(calls, 1);
  await server.close();
});

test('maxResetBurst sets the rapid-reset budget', OPTS, async () => {
  const server = await start((req: ServerRequest) => new Promise((resolve) => req.signal.addEventListener('abort', () => resolve({ status: 200 }))), { maxResetBurst: 5, maxResetsPerSecond: 1 });
  const c = await rawH2(server.port);
  const frames: Buffer[] = [];
  for (let i = 0; i < 10; i++) {
    const id = 1 + 2 * i;
    frames.push(Buffer.from(serializeRawFrame(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, id, c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]))));
    frames.push(Buffer.from(serializeRawFrame(T.RST_STREAM, 0, id, Buffer.from([0, 0, 0, 8]))));
  }
  c.write(Buffer.concat(frames));
  await c.until(isGoaway);
  assert.match(c.goaway() ?? '', /^\d+ ENHANCE_YOUR_CALM H2_RAPID_RESET$/);
  await server.close();
});

test('invalid HTTP/2 limit options are rejected with SERVER_INVALID_OPTION', async () => {
  await assert.rejects(async () => start(() => ({ status: 200 }), { maxConcurrentStreams: -1 }), { code: 'SERVER_INVALID_OPTION' });
});

test('onRequestRejected hears of HTTP/2 requests the codec refused: the stream reset, its code, the reason', OPTS, async () => {
  const rejections: RequestRejection[] = [];
  let calls = 0;
  const server = await start(() => ({ status: 200, body: String(++calls) }), { onRequestRejected: (r) => rejections.push(r), maxHeaderCount: 5, maxHeadSize: 4096 });
  const c = await rawH2(server.port);
  // An uppercase field name is malformed (RFC 9113 §8.2.1).
  c.write(c.headers(1, '/', true, 'GET', [['X-Upper', 'a']]));
  // Too many fields: answered 431 on the stream.
  c.write(c.headers(3, '/', true, 'GET', Array.from({ length: 6 }, (_, i) => [`x-f${i}`, 'v'] as [string, string])));
  // A header list larger than SETTINGS_MAX_HEADER_LIST_SIZE.
  c.write(c.headers(5, '/', true, 'GET', [['x-big', 'b'.repeat(5000)]]));
  c.write(c.headers(7, '/fine', true));
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === 7 && f.endStream));
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === 3 && f.endStream));
  assert.deepEqual(c.resets().filter((r) => !r.startsWith('3 ')), ['1 PROTOCOL_ERROR', '5 ENHANCE_YOUR_CALM']);
  assert.equal(calls, 1);
  const seen = rejections.map((r) => ({ streamId: r.streamId, status: r.status, code: r.code, errorCode: r.errorCode, bytes: r.bytes }));
  assert.deepEqual(seen, [
    { streamId: 1, status: 400, code: 'H2_MALFORMED_HEADERS', errorCode: 'PROTOCOL_ERROR', bytes: 0 },
    { streamId: 3, status: 431, code: 'WIRE_TOO_MANY_HEADERS', errorCode: undefined, bytes: 'Request Header Fields Too Large'.length },
    { streamId: 5, status: 431, code: 'H2_HEADER_LIST_TOO_LARGE', errorCode: 'ENHANCE_YOUR_CALM', bytes: 0 },
  ]);
  assert.match(rejections[0]?.reason ?? '', /x-upper|X-Upper|uppercase/i);
  assert.equal(rejections[0]?.remoteAddress, '127.0.0.1');
  c.socket.destroy();
  await server.close();
});
