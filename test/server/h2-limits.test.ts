// Each abuse of an HTTP/2 server as a bounded attack over 127.0.0.1, raw frames written with the
// codec's serializer, and the exact reaction asserted: SETTINGS that announce the limits, GOAWAY
// ENHANCE_YOUR_CALM for floods and rapid reset, REFUSED_STREAM past the concurrency limit,
// RST_STREAM for a zero-window stall, GOAWAY on idle and the two-GOAWAY graceful shutdown.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { test } from 'node:test';
import { Flags, FrameType, SettingId, serializeRawFrame, type Frame } from '../../src/h2/index.js';
import type { ServerRequest } from '../../src/server/index.js';
import { start } from './harness.js';
import { rawH2 } from './h2-raw.js';

const T = FrameType;
const OPTS = { timeout: 30_000 };

function waitForAbort(req: ServerRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => req.signal.addEventListener('abort', () => resolve({ status: 200, body: 'late' }), { once: true }));
}

const isGoaway = (frames: Frame[]): boolean => frames.some((f) => f.type === T.GOAWAY);

test('the first SETTINGS announce what the server enforces: 100 streams, the stream window, the header list size', OPTS, async () => {
  const server = await start(() => ({ status: 200 }), { maxBodyBuffer: 256 * 1024, maxHeadSize: 16 * 1024 });
  const c = await rawH2(server.port);
  await c.until((frames) => frames.some((f) => f.type === T.SETTINGS && !f.ack));
  const first = c.frames[0];
  assert.ok(first?.type === T.SETTINGS);
  assert.deepEqual(new Map(first.settings), new Map([
    [SettingId.ENABLE_PUSH, 0],
    [SettingId.MAX_CONCURRENT_STREAMS, 100],
    [SettingId.INITIAL_WINDOW_SIZE, 256 * 1024],
    [SettingId.MAX_HEADER_LIST_SIZE, 16 * 1024],
  ]));
  c.socket.destroy();
  await server.close();
});

test('rapid reset (CVE-2023-44487): streams opened and reset at once end in GOAWAY ENHANCE_YOUR_CALM, and handlers stop being called', OPTS, async () => {
  let calls = 0;
  const server = await start((req) => {
    calls++;
    return waitForAbort(req);
  });
  const c = await rawH2(server.port);
  const attack: Buffer[] = [];
  for (let i = 0; i < 1000; i++) {
    const id = 1 + 2 * i;
    attack.push(
      Buffer.from(serializeRawFrame(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, id, c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]))),
      serializeRawFrame(T.RST_STREAM, 0, id, Buffer.from([0, 0, 0, 8])),
    );
  }
  c.write(Buffer.concat(attack));
  await c.until(isGoaway);
  assert.match(c.goaway() ?? '', /^\d+ ENHANCE_YOUR_CALM H2_RAPID_RESET$/);
  await c.closed;
  assert.ok(calls < 1000, `${calls} handlers ran`);
  await server.close();
});

test('CONTINUATION flood (CVE-2024-27316): endless CONTINUATION frames end in GOAWAY ENHANCE_YOUR_CALM', OPTS, async () => {
  let calls = 0;
  const server = await start(() => ({ status: 200, body: String(++calls) }));
  const c = await rawH2(server.port);
  const block = c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']]);
  const frames = [serializeRawFrame(T.HEADERS, 0, 1, block)];
  for (let i = 0; i < 200; i++) frames.push(serializeRawFrame(T.CONTINUATION, 0, 1, Buffer.from('x-a: b')));
  c.write(Buffer.concat(frames));
  await c.until(isGoaway);
  assert.match(c.goaway() ?? '', /^0 ENHANCE_YOUR_CALM H2_HEADER_BLOCK_TOO_LARGE$/);
  await c.closed;
  assert.equal(calls, 0);
  await server.close();
});

for (const [name, frame, count] of [
  ['SETTINGS flood (CVE-2019-9515)', serializeRawFrame(T.SETTINGS, 0, 0, Buffer.alloc(0)), 500],
  ['PING flood (CVE-2019-9512)', serializeRawFrame(T.PING, 0, 0, Buffer.alloc(8)), 500],
] as const) {
  test(`${name}: frames each owed an ACK end in GOAWAY ENHANCE_YOUR_CALM`, OPTS, async () => {
    const server = await start(() => ({ status: 200 }));
    const c = await rawH2(server.port);
    c.write(Buffer.concat(Array.from({ length: count }, () => frame)));
    await c.until(isGoaway);
    assert.equal(c.goaway(), '0 ENHANCE_YOUR_CALM H2_FRAME_FLOOD');
    await c.closed;
    // Answered up to the budget, not all.
    const acks = c.frames.filter((f) => (f.type === T.SETTINGS || f.type === T.PING) && f.ack).length;
    assert.ok(acks < count, `${acks} ACKs`);
    await server.close();
  });
}

test('empty-frame flood (CVE-2019-9518): DATA frames without octets end in GOAWAY ENHANCE_YOUR_CALM', OPTS, async () => {
  const server = await start(async (req) => {
    for await (const chunk of req.body) void chunk;
    return { status: 200 };
  });
  const c = await rawH2(server.port);
  const frames: Buffer[] = [Buffer.from(serializeRawFrame(T.HEADERS, Flags.END_HEADERS, 1, c.encoder.encode([[':method', 'POST'], [':scheme', 'http'], [':authority', 'x'], [':path', '/']])))];
  for (let i = 0; i < 500; i++) frames.push(serializeRawFrame(T.DATA, 0, 1, Buffer.alloc(0)));
  c.write(Buffer.concat(frames));
  await c.until(isGoaway);
  assert.equal(c.goaway(), '1 ENHANCE_YOUR_CALM H2_FRAME_FLOOD');
  await c.closed;
  await server.close();
});

test('more concurrent streams than SETTINGS_MAX_CONCURRENT_STREAMS: the extra one is refused with REFUSED_STREAM, the others served', OPTS, async () => {
  const release: (() => void)[] = [];
  const server = await start((req) => new Promise((resolve) => release.push(() => resolve({ status: 200, body: req.path }))));
  const c = await rawH2(server.port);
  const opens = [];
  for (let i = 0; i < 101; i++) opens.push(c.headers(1 + 2 * i, `/${i}`, true));
  c.write(...opens);
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM));
  assert.deepEqual(c.resets(), ['201 REFUSED_STREAM']);
  for (let i = 0; i < 200 && release.length < 100; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(release.length, 100);
  for (const done of release) done();
  await c.until((frames) => frames.filter((f) => f.type === T.DATA && f.endStream).length === 100);
  assert.equal(c.goaway(), null);
  c.socket.destroy();
  await server.close();
});

test('a header list larger than MAX_HEADER_LIST_SIZE (an HPACK bomb) resets its stream; the connection goes on', OPTS, async () => {
  const server = await start((req) => ({ status: 200, body: req.path }), { maxHeadSize: 8192 });
  const c = await rawH2(server.port);
  // GET http://x/ from the static table (RFC 7541 Appendix A), :authority literal and not indexed.
  const request = Buffer.from([0x82, 0x86, 0x84, 0x01, 0x01, 0x78]);
  // One 4000-octet field enters the dynamic table, then is referenced by index (62) nine times:
  // about 4 KB on the wire, 40 KB decoded.
  const bomb = Buffer.concat([
    request,
    Buffer.from([0x40, 0x06]),
    Buffer.from('x-bomb'),
    Buffer.from([0x7f, 0xa1, 0x1e]), // 4000 = 127 + 3873, in 7-bit groups (RFC 7541 §5.1)
    Buffer.alloc(4000, 0x76),
    Buffer.alloc(9, 0xbe),
  ]);
  c.write(serializeRawFrame(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, bomb));
  c.write(serializeRawFrame(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 3, request));
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === 3 && f.endStream));
  assert.deepEqual(c.resets(), ['1 ENHANCE_YOUR_CALM']);
  assert.equal(Buffer.from((c.frames.find((f) => f.type === T.DATA && f.streamId === 3) as { data: Uint8Array }).data).toString(), '/');
  c.socket.destroy();
  await server.close();
});

test('a client that opens no window for a response (zero-window stall) gets its stream reset after sendTimeout; the connection goes on', OPTS, async () => {
  const server = await start((req) => ({ status: 200, body: req.path === '/big' ? Buffer.alloc(100_000, 1) : 'small' }), { sendTimeout: 300 });
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 0]]);
  c.write(c.headers(1, '/big', true));
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM));
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  c.write({ type: T.PING, streamId: 0, ack: false, data: Buffer.from('stillok!') });
  await c.until((frames) => frames.some((f) => f.type === T.PING && f.ack && Buffer.from(f.data).toString() === 'stillok!'));
  assert.equal(c.goaway(), null);
  c.socket.destroy();
  await server.close();
});

test('an idle connection gets GOAWAY NO_ERROR after keepAliveTimeout, then is closed', OPTS, async () => {
  const server = await start(() => ({ status: 200 }), { keepAliveTimeout: 200 });
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/', true));
  await c.closed;
  assert.equal(c.goaway(), '1 NO_ERROR');
  assert.ok(c.frames.some((f) => f.type === T.HEADERS && f.streamId === 1));
  await server.close();
});

test('close() shuts down gracefully: GOAWAY 2^31-1 and a PING, then GOAWAY naming the last stream; the stream in flight is answered', OPTS, async () => {
  let release = (): void => {};
  const server = await start((req) => new Promise((resolve) => (release = () => resolve({ status: 200, body: req.path }))));
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/in-flight', true));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closing = server.close();
  await c.until((frames) => frames.some((f) => f.type === T.PING && !f.ack));
  const goaways = c.frames.filter((f) => f.type === T.GOAWAY);
  assert.equal(goaways.length, 1);
  assert.equal(goaways[0]?.type === T.GOAWAY ? goaways[0].lastStreamId : -1, 0x7fffffff);
  const ping = c.frames.find((f) => f.type === T.PING && !f.ack);
  assert.ok(ping?.type === T.PING);
  c.write({ type: T.PING, streamId: 0, ack: true, data: Buffer.from(ping.data) });
  await c.until((frames) => frames.filter((f) => f.type === T.GOAWAY).length === 2);
  const second = c.frames.filter((f) => f.type === T.GOAWAY)[1];
  assert.equal(second?.type === T.GOAWAY ? second.lastStreamId : -1, 1);
  release();
  await c.closed;
  const data = c.frames.find((f) => f.type === T.DATA && f.streamId === 1);
  assert.equal(data?.type === T.DATA ? Buffer.from(data.data).toString() : '', '/in-flight');
  await closing;
});

test('cleartext: a preface sent byte by byte is HTTP/2; one broken after "PRI * HTTP/2.0" gets GOAWAY PROTOCOL_ERROR, not an HTTP/1 answer', OPTS, async () => {
  const server = await start((req) => ({ status: 200, body: req.httpVersion }));
  const slow = await rawH2(server.port, [], false);
  for (const byte of Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')) {
    slow.write(Buffer.from([byte]));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  slow.write({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] }, slow.headers(1, '/', true));
  await slow.until((frames) => frames.some((f) => f.type === T.DATA && f.endStream));
  assert.equal(Buffer.from((slow.frames.find((f) => f.type === T.DATA) as { data: Uint8Array }).data).toString(), '2');
  slow.socket.destroy();

  const broken = net.connect(server.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  broken.on('data', (chunk: Buffer) => chunks.push(chunk));
  broken.write('PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n');
  await new Promise((resolve) => broken.on('close', resolve));
  const bytes = Buffer.concat(chunks);
  assert.doesNotMatch(bytes.toString('latin1'), /^HTTP\/1/);
  const goawayAt = bytes.indexOf(Buffer.from('H2_BAD_PREFACE'));
  assert.ok(goawayAt > 0, 'GOAWAY with H2_BAD_PREFACE');
  // The GOAWAY's error code (PROTOCOL_ERROR = 1) precedes its debug data.
  assert.equal(bytes.readUInt32BE(goawayAt - 4), 1);
  await server.close();
});
