// The sans-IO connection: one test per rule of RFC 9113 §5–§8 that a peer can break or rely on,
// asserting the exact reaction (GOAWAY or RST_STREAM with its error code), plus a client and a
// server talking to each other through memory.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FRAME_TYPE_NAMES, FrameType as T, H2Connection, SettingId, type Frame, type FrameInit } from '../../src/h2/index.js';
import { GET, POST, scripted } from './connection-harness.js';

test('a client and a server exchange a request and a response through memory', () => {
  const log: string[] = [];
  let server: H2Connection | null = null;
  const client: H2Connection = new H2Connection(
    {
      onSend: (bytes) => server?.receive(Buffer.from(bytes)),
      onResponse: (id, head, end) => log.push(`client: response ${id} ${head.status} ${head.fields.map((f) => f.join('=')).join(',')} ${end}`),
      onData: (id, data, end) => log.push(`client: data ${id} ${Buffer.from(data).toString()} ${end}`),
    },
    { role: 'client' },
  );
  server = new H2Connection(
    {
      onSend: (bytes) => client.receive(Buffer.from(bytes)),
      onRequest: (id, head, end) => {
        log.push(`server: request ${id} ${head.method} ${head.path} ${end}`);
        server?.sendHeaders(id, [[':status', '200'], ['content-type', 'text/plain']], false);
        server?.sendData(id, Buffer.from('hello'), true);
      },
    },
    { role: 'server' },
  );
  server.start();
  client.start();
  const id = client.request(GET, true);
  assert.equal(id, 1);
  assert.deepEqual(log, ['server: request 1 GET / true', 'client: response 1 200 content-type=text/plain false', 'client: data 1 hello true']);
  assert.equal(client.streamState(1), 'closed');
  assert.equal(server.streamState(1), 'closed');
  assert.equal(client.request(GET, true), 3);
  assert.equal(server.isDead || client.isDead, false);
});

test('SETTINGS are acknowledged, and a SETTINGS ACK nobody asked for is a PROTOCOL_ERROR', () => {
  const s = scripted({ role: 'server' });
  assert.equal(s.sent.filter((f) => f.type === T.SETTINGS && f.ack).length, 1);
  s.send({ type: T.SETTINGS, streamId: 0, ack: true, settings: [] });
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
  assert.deepEqual(s.events, ['goaway-sent H2_UNSOLICITED_SETTINGS_ACK']);
});

test('the server announces push off and its limits in its first SETTINGS', () => {
  const s = scripted({ role: 'server', settings: { maxConcurrentStreams: 10 } }, false);
  const first = s.sent[0];
  assert.equal(first?.type, T.SETTINGS);
  // Only what differs from the protocol's initial values.
  assert.deepEqual(first?.type === T.SETTINGS ? first.settings : null, [
    [SettingId.ENABLE_PUSH, 0],
    [SettingId.MAX_CONCURRENT_STREAMS, 10],
    [SettingId.MAX_HEADER_LIST_SIZE, 65536],
  ]);
});

test('a client preface that breaks off into HTTP/1.1 is a PROTOCOL_ERROR (RFC 9113 §3.4)', () => {
  const s = scripted({ role: 'server' }, false);
  s.connection.receive(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  assert.deepEqual(s.events, ['goaway-sent H2_BAD_PREFACE']);
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
  assert.equal(s.connection.isDead, true);
});

test('stream ids: an even stream from a client is a PROTOCOL_ERROR (RFC 9113 §5.1.1)', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(2, GET, true));
  assert.deepEqual(s.events, ['goaway-sent H2_STREAM_ID_WRONG_PARITY']);
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
});

test('stream ids: a lower id than one already used is a PROTOCOL_ERROR (RFC 9113 §5.1.1)', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(5, GET, true), s.headers(3, GET, true));
  assert.deepEqual(s.events, ['request 5 GET / end', 'goaway-sent H2_STREAM_ID_NOT_INCREASING']);
  assert.equal(s.lastGoaway(), '5 PROTOCOL_ERROR');
});

test('DATA, WINDOW_UPDATE or RST_STREAM on an idle stream is a PROTOCOL_ERROR (RFC 9113 §5.1)', () => {
  const frames: FrameInit[] = [
    { type: T.DATA, streamId: 1, data: Buffer.from('x'), endStream: false },
    { type: T.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 1 },
    { type: T.RST_STREAM, streamId: 1, errorCode: 0 },
  ];
  for (const frame of frames) {
    const s = scripted({ role: 'server' });
    s.send(frame);
    assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR', `frame type ${frame.type}`);
    assert.deepEqual(s.events, ['goaway-sent H2_FRAME_ON_IDLE_STREAM']);
  }
});

test('PRIORITY on an idle stream is fine and does not open it (RFC 9113 §5.1)', () => {
  const s = scripted({ role: 'server' });
  s.send({ type: T.PRIORITY, streamId: 9, priority: { streamDependency: 0, isExclusive: false, weight: 16 } }, s.headers(1, GET, true));
  assert.deepEqual(s.events, ['request 1 GET / end']);
  assert.equal(s.connection.streamState(9), 'idle');
});

test('DATA after END_STREAM gets RST_STREAM STREAM_CLOSED (RFC 9113 §5.1, §6.1)', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, POST, false), s.data(1, 'abc', true), s.data(1, 'more', false));
  assert.deepEqual(s.resets(), ['1 STREAM_CLOSED']);
  assert.equal(s.lastGoaway(), null);
  assert.deepEqual(s.events.slice(-1), ['reset 1 STREAM_CLOSED H2_STREAM_CLOSED']);
});

test('HEADERS on a half-closed (remote) stream gets RST_STREAM STREAM_CLOSED', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true), s.headers(1, [['x-trailer', '1']], true));
  assert.deepEqual(s.resets(), ['1 STREAM_CLOSED']);
});

test('frames on a stream we reset are ignored, not answered (RFC 9113 §5.1 closed)', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, POST, false));
  s.connection.resetStream(1, 8);
  s.send(s.data(1, 'in flight', false), { type: T.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 10 }, s.data(1, 'x', true));
  assert.deepEqual(s.resets(), ['1 CANCEL']);
  assert.equal(s.lastGoaway(), null);
  assert.deepEqual(s.events, ['request 1 POST /up']);
});

test('streams past SETTINGS_MAX_CONCURRENT_STREAMS are refused with REFUSED_STREAM, HPACK kept in step (RFC 9113 §5.1.2)', () => {
  const s = scripted({ role: 'server', settings: { maxConcurrentStreams: 2 } });
  const indexed: [string, string][] = [...GET, ['x-session', 'abcdef']];
  s.send(s.headers(1, indexed, false), s.headers(3, indexed, false), s.headers(5, indexed, false));
  assert.deepEqual(s.resets(), ['5 REFUSED_STREAM']);
  s.send(s.data(1, '', true));
  s.connection.sendHeaders(1, [[':status', '204']], true);
  // Stream 7 reuses the dynamic table entry the refused stream 5 also referred to.
  s.send(s.headers(7, indexed, true));
  assert.deepEqual(s.events, ['request 1 GET /', 'request 3 GET /', 'reset 5 REFUSED_STREAM H2_TOO_MANY_STREAMS', 'data 1  end', 'request 7 GET / end']);
});

test('DATA beyond a stream window gets RST_STREAM FLOW_CONTROL_ERROR (RFC 9113 §6.9.1)', () => {
  const s = scripted({ role: 'server', settings: { initialWindowSize: 1000 }, isFlowControlManual: true });
  s.send(s.headers(1, POST, false), s.data(1, 'a'.repeat(1000), false), s.data(1, 'b', false));
  assert.deepEqual(s.resets(), ['1 FLOW_CONTROL_ERROR']);
  assert.equal(s.lastGoaway(), null);
});

test('DATA beyond the connection window is a connection FLOW_CONTROL_ERROR', () => {
  const s = scripted({ role: 'server', settings: { initialWindowSize: 1 << 20 }, isFlowControlManual: true });
  const chunk = 'z'.repeat(16384);
  s.send(s.headers(1, POST, false), s.data(1, chunk, false), s.data(1, chunk, false), s.data(1, chunk, false), s.data(1, chunk, false));
  assert.equal(s.lastGoaway(), '1 FLOW_CONTROL_ERROR');
  assert.equal(s.events[s.events.length - 1], 'goaway-sent H2_FLOW_CONTROL_VIOLATION');
});

test('padding counts against the window and is given back at once', () => {
  const s = scripted({ role: 'server', isFlowControlManual: true });
  s.send(s.headers(1, POST, false), { type: T.DATA, streamId: 1, data: Buffer.from('ab'), endStream: false, padLength: 200 });
  s.connection.consume(1, 0);
  // The padding (201 octets) was returned; the 2 data octets wait for consume().
  s.connection.consume(1, 2);
  assert.equal(s.lastGoaway(), null);
});

test('received data is given back with WINDOW_UPDATE once half a window was read', () => {
  const s = scripted({ role: 'server' });
  const chunk = 'q'.repeat(16384);
  s.send(s.headers(1, POST, false), s.data(1, chunk, false), s.data(1, chunk, false));
  const updates = s.sent.flatMap((f) => (f.type === T.WINDOW_UPDATE ? [`${f.streamId}+${f.windowSizeIncrement}`] : []));
  assert.deepEqual(updates, ['0+32768', '1+32768']);
  // The peer can keep sending: 4 more frames fit only because of the updates.
  s.send(s.data(1, chunk, false), s.data(1, chunk, false), s.data(1, chunk, true));
  assert.equal(s.lastGoaway(), null);
  assert.deepEqual(s.resets(), []);
});

test('WINDOW_UPDATE overflowing 2^31-1: on the connection a connection error, on a stream a stream error', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, false));
  s.send({ type: T.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 0x7fffffff - 65535 + 1 });
  assert.deepEqual(s.resets(), ['1 FLOW_CONTROL_ERROR']);
  s.send({ type: T.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 0x7fffffff - 65535 });
  assert.equal(s.lastGoaway(), null);
  s.send({ type: T.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 1 });
  assert.equal(s.lastGoaway(), '1 FLOW_CONTROL_ERROR');
});

test('WINDOW_UPDATE with increment 0 on a stream gets RST_STREAM PROTOCOL_ERROR, on the connection GOAWAY', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, false), { type: T.GOAWAY, streamId: 0, lastStreamId: 0, errorCode: 0, debugData: Buffer.alloc(0) });
  s.connection.receive(Buffer.from('000004080000000001 00000000'.replace(/ /g, ''), 'hex'));
  assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR']);
  s.connection.receive(Buffer.from('00000408000000000000000000', 'hex'));
  assert.equal(s.lastGoaway(), '1 PROTOCOL_ERROR');
});

test('sendData stops at the window and goes on after WINDOW_UPDATE', () => {
  const s = scripted({ role: 'server' });
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 10]] });
  s.send(s.headers(1, GET, true));
  s.connection.sendHeaders(1, [[':status', '200']], false);
  const body = Buffer.from('0123456789abcdefghij');
  assert.equal(s.connection.sendData(1, body, true), 10);
  assert.equal(s.connection.sendWindow(1), 0);
  s.send({ type: T.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 100 });
  assert.ok(s.events.includes('window 1'));
  assert.equal(s.connection.sendData(1, body.subarray(10), true), 10);
  const data = s.sent.flatMap((f) => (f.type === T.DATA ? [`${Buffer.from(f.data).toString()}${f.endStream ? '!' : ''}`] : []));
  assert.deepEqual(data, ['0123456789', 'abcdefghij!']);
  assert.equal(s.connection.streamState(1), 'closed');
});

test('a change of SETTINGS_INITIAL_WINDOW_SIZE moves the windows of open streams (RFC 9113 §6.9.2)', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  s.connection.sendHeaders(1, [[':status', '200']], false);
  assert.equal(s.connection.sendData(1, Buffer.alloc(1000), false), 1000);
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 500]] });
  // 65535 - 1000 sent, then 500 - 65535 = -65035 applied: -500.
  assert.equal(s.connection.sendWindow(1), 0);
  assert.equal(s.connection.sendData(1, Buffer.alloc(10), false), 0);
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 2000]] });
  assert.equal(s.connection.sendWindow(1), 1000);
});

test('a SETTINGS_INITIAL_WINDOW_SIZE change that overflows a stream window is a FLOW_CONTROL_ERROR', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true), { type: T.WINDOW_UPDATE, streamId: 1, windowSizeIncrement: 0x7fffffff - 65535 });
  assert.equal(s.lastGoaway(), null);
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 65536]] });
  assert.equal(s.lastGoaway(), '1 FLOW_CONTROL_ERROR');
  assert.equal(s.events[s.events.length - 1], 'goaway-sent H2_FLOW_CONTROL_OVERFLOW');
});

test('our SETTINGS_MAX_FRAME_SIZE applies once acknowledged', () => {
  const s = scripted({ role: 'server', settings: { maxFrameSize: 32768 } }, false);
  s.connection.receive(Buffer.from('505249202a20485454502f322e300d0a0d0a534d0d0a0d0a', 'hex'));
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] }, s.headers(1, POST, false));
  s.send(s.data(1, 'x'.repeat(16384), false));
  s.send({ type: T.SETTINGS, streamId: 0, ack: true, settings: [] }, s.data(1, 'y'.repeat(20000), false));
  assert.equal(s.lastGoaway(), null);
  const t = scripted({ role: 'server', settings: { maxFrameSize: 32768 } });
  t.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] });
  // Not yet acknowledged: still 16384.
  const u = scripted({ role: 'server', settings: { maxFrameSize: 32768 } }, false);
  u.connection.receive(Buffer.from('505249202a20485454502f322e300d0a0d0a534d0d0a0d0a', 'hex'));
  u.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] }, u.headers(1, POST, false), u.data(1, 'y'.repeat(20000), false));
  assert.equal(u.lastGoaway(), '1 FRAME_SIZE_ERROR');
});

test('PING is answered with the same data; an unsolicited PING ACK is ignored; our PING comes back', () => {
  const s = scripted({ role: 'server' });
  s.send({ type: T.PING, streamId: 0, ack: false, data: Buffer.from('01020304050607ff', 'hex') });
  const acks = s.sent.flatMap((f) => (f.type === T.PING && f.ack ? [Buffer.from(f.data).toString('hex')] : []));
  assert.deepEqual(acks, ['01020304050607ff']);
  s.send({ type: T.PING, streamId: 0, ack: true, data: Buffer.alloc(8, 9) });
  assert.equal(s.lastGoaway(), null);
  s.connection.ping(Buffer.alloc(8, 1));
  s.send({ type: T.PING, streamId: 0, ack: true, data: Buffer.alloc(8, 1) });
  assert.deepEqual(s.events, ['ping-ack 0101010101010101']);
});

test('a GOAWAY refuses our streams above its last stream id and stops new ones (RFC 9113 §6.8)', () => {
  const s = scripted({ role: 'client' });
  assert.equal(s.connection.request(GET, true), 1);
  assert.equal(s.connection.request(GET, true), 3);
  s.send({ type: T.GOAWAY, streamId: 0, lastStreamId: 1, errorCode: 0, debugData: Buffer.from('bye') });
  assert.deepEqual(s.events, ['reset 3 REFUSED_STREAM by-peer', 'goaway-received 1 NO_ERROR']);
  assert.equal(s.connection.canOpenStream, false);
  assert.equal(s.connection.streamState(1), 'half-closed (local)');
});

test('graceful shutdown: GOAWAY 2^31-1 and PING, then GOAWAY with the last stream once the PING returns', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, GET, true));
  s.connection.shutdown();
  s.send(s.headers(3, GET, true)); // still processed: in flight before the final GOAWAY
  assert.equal(s.lastGoaway(), '2147483647 NO_ERROR');
  const ping = s.sent.find((f) => f.type === T.PING && !f.ack);
  assert.ok(ping?.type === T.PING);
  s.send({ type: T.PING, streamId: 0, ack: true, data: ping.data });
  assert.equal(s.lastGoaway(), '3 NO_ERROR');
  s.send(s.headers(5, GET, true)); // after the final GOAWAY: ignored
  assert.deepEqual(s.events, ['request 1 GET / end', 'request 3 GET / end']);
});

test('malformed requests get RST_STREAM PROTOCOL_ERROR (RFC 9113 §8.1.1)', () => {
  const cases: [string, [string, string][]][] = [
    ['uppercase name', [...GET, ['X-Upper', '1']]],
    ['connection-specific field', [...GET, ['connection', 'close']]],
    ['te other than trailers', [...GET, ['te', 'gzip']]],
    ['missing :path', GET.slice(0, 3)],
  ];
  for (const [name, fields] of cases) {
    const s = scripted({ role: 'server' });
    s.send(s.headers(1, fields, true), s.headers(3, GET, true));
    assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR'], name);
    assert.deepEqual(s.events, ['reset 1 PROTOCOL_ERROR H2_MALFORMED_HEADERS', 'request 3 GET / end'], name);
  }
});

test('content-length must match the DATA received (RFC 9113 §8.1.1)', () => {
  const short = scripted({ role: 'server' });
  short.send(short.headers(1, [...POST, ['content-length', '5']], false), short.data(1, 'abc', true));
  assert.deepEqual(short.resets(), ['1 PROTOCOL_ERROR']);
  const long = scripted({ role: 'server' });
  long.send(long.headers(1, [...POST, ['content-length', '2']], false), long.data(1, 'abc', false));
  assert.deepEqual(long.resets(), ['1 PROTOCOL_ERROR']);
  const none = scripted({ role: 'server' });
  none.send(none.headers(1, [...POST, ['content-length', '2']], true));
  assert.deepEqual(none.resets(), ['1 PROTOCOL_ERROR']);
  const exact = scripted({ role: 'server' });
  exact.send(exact.headers(1, [...POST, ['content-length', '3']], false), exact.data(1, 'ab', false), exact.data(1, 'c', true));
  assert.deepEqual(exact.resets(), []);
  assert.deepEqual(exact.events, ['request 1 POST /up', 'data 1 ab', 'data 1 c end']);
});

test('a response to HEAD may declare a content-length without DATA', () => {
  const s = scripted({ role: 'client' });
  const id = s.connection.request([[':method', 'HEAD'], [':scheme', 'https'], [':authority', 'a'], [':path', '/']], true, true);
  s.send(s.headers(id, [[':status', '200'], ['content-length', '1234']], true));
  assert.deepEqual(s.events, ['response 1 200 end']);
  assert.deepEqual(s.resets(), []);
});

test('a client takes 1xx heads, then the final one, DATA and trailers', () => {
  const s = scripted({ role: 'client' });
  const id = s.connection.request(POST, false);
  s.connection.sendData(id, Buffer.from('up'), true);
  s.send(s.headers(id, [[':status', '103'], ['link', '</a.css>; rel=preload']], false));
  s.send(s.headers(id, [[':status', '200']], false), s.data(id, 'down', false), s.headers(id, [['x-checksum', 'abc']], true));
  assert.deepEqual(s.events, ['response 1 103', 'response 1 200', 'data 1 down', 'trailers 1 x-checksum=abc']);
  assert.equal(s.connection.streamState(id), 'closed');
});

test('trailers without END_STREAM are malformed', () => {
  const s = scripted({ role: 'server' });
  s.send(s.headers(1, POST, false), s.headers(1, [['x-t', '1']], false));
  assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR']);
});

test('PUSH_PROMISE is a PROTOCOL_ERROR: push is never enabled (RFC 9113 §6.6, §8.4)', () => {
  const s = scripted({ role: 'client' });
  const id = s.connection.request(GET, true);
  s.send({ type: T.PUSH_PROMISE, streamId: id, promisedStreamId: 2, headerBlock: Buffer.from([0x82]) });
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
  assert.deepEqual(s.events, ['goaway-sent H2_PUSH_REFUSED']);
});

test('a server-initiated HEADERS on a client is a PROTOCOL_ERROR', () => {
  const s = scripted({ role: 'client' });
  s.send(s.headers(2, [[':status', '200']], true));
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
});

test('a broken HPACK block is a COMPRESSION_ERROR (RFC 9113 §4.3)', () => {
  const s = scripted({ role: 'server' });
  s.send({ type: T.HEADERS, streamId: 1, headerBlock: Buffer.from([0xbe]), endStream: true, priority: null });
  assert.equal(s.lastGoaway(), '0 COMPRESSION_ERROR');
  assert.deepEqual(s.events, ['goaway-sent H2_HPACK_BAD_INDEX']);
});

test('a header list above SETTINGS_MAX_HEADER_LIST_SIZE resets the stream, and the connection goes on', () => {
  const s = scripted({ role: 'server', settings: { maxHeaderListSize: 1000 } });
  s.send(s.headers(1, [...GET, ['x-big', 'v'.repeat(2000)]], true), s.headers(3, GET, true));
  assert.deepEqual(s.resets(), ['1 ENHANCE_YOUR_CALM']);
  assert.deepEqual(s.events, ['reset 1 ENHANCE_YOUR_CALM H2_HEADER_LIST_TOO_LARGE', 'request 3 GET / end']);
});

test('HEADERS that make a stream depend on itself get RST_STREAM PROTOCOL_ERROR (RFC 9113 §5.3.1)', () => {
  const s = scripted({ role: 'server' });
  const frame = s.headers(1, GET, true);
  s.send({ ...frame, priority: { streamDependency: 1, isExclusive: false, weight: 16 } } as FrameInit);
  assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR']);
});

test('a client cannot open more streams than the server allows', () => {
  const s = scripted({ role: 'client' });
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.MAX_CONCURRENT_STREAMS, 1]] });
  s.connection.request(GET, true);
  assert.equal(s.connection.canOpenStream, false);
  assert.throws(() => s.connection.request(GET, true), { code: 'H2_INVALID_ARGUMENT' });
  s.send(s.headers(1, [[':status', '204']], true));
  assert.equal(s.connection.canOpenStream, true);
});

test('a client treats SETTINGS_ENABLE_PUSH 1 from a server as a PROTOCOL_ERROR (RFC 9113 §6.5.2)', () => {
  const s = scripted({ role: 'client' });
  s.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.ENABLE_PUSH, 1]] });
  assert.equal(s.lastGoaway(), '0 PROTOCOL_ERROR');
  const server = scripted({ role: 'server' });
  server.send({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.ENABLE_PUSH, 1]] });
  assert.equal(server.lastGoaway(), null);
});

test('connectionWindowSize raises the connection window at start and paces its WINDOW_UPDATEs', () => {
  const s = scripted({ role: 'server', connectionWindowSize: 1 << 20, settings: { initialWindowSize: 1 << 20 } });
  const first = s.sent.find((f) => f.type === T.WINDOW_UPDATE);
  assert.deepEqual(first?.type === T.WINDOW_UPDATE ? [first.streamId, first.windowSizeIncrement] : null, [0, (1 << 20) - 65535]);
  const chunk = 'w'.repeat(16384);
  // 20 frames of 16 KiB: past 65535 but within the raised window; no connection error.
  s.send(s.headers(1, POST, false), ...Array.from({ length: 20 }, () => s.data(1, chunk, false)));
  assert.equal(s.lastGoaway(), null);
  const connectionUpdates = s.sent.filter((f) => f.type === T.WINDOW_UPDATE && f.streamId === 0).length;
  assert.equal(connectionUpdates, 1); // 320 KiB read is less than half the 1 MiB window
});

test('onFrame traces every frame both ways, header lists decoded, in wire order', () => {
  const trace: string[] = [];
  const describe = (who: string) => (direction: 'received' | 'sent', frame: Frame, headers: [string, string][] | null) => {
    const name = FRAME_TYPE_NAMES[frame.type] ?? '?';
    const list = headers === null ? '' : ` ${headers.map(([n, v]) => `${n}: ${v}`).join(', ')}`;
    trace.push(`${who} ${direction} ${name} stream=${frame.streamId} length=${frame.length} flags=0x${frame.flags.toString(16)}${list}`);
  };
  let server: H2Connection | null = null;
  const client: H2Connection = new H2Connection({ onSend: (bytes) => server?.receive(Buffer.from(bytes)), onFrame: describe('client') }, { role: 'client' });
  server = new H2Connection(
    {
      onSend: (bytes) => client.receive(Buffer.from(bytes)),
      onFrame: describe('server'),
      onRequest: (id) => {
        server?.sendHeaders(id, [[':status', '200']], false);
        server?.sendData(id, Buffer.from('hi'), true);
      },
    },
    { role: 'server' },
  );
  client.request(GET, true);
  // Each frame shows up as sent by one side and received by the other, in the same order.
  const sent = (who: string) => trace.filter((l) => l.startsWith(`${who} sent`)).map((l) => l.replace(`${who} sent `, ''));
  const received = (who: string) => trace.filter((l) => l.startsWith(`${who} received`)).map((l) => l.replace(`${who} received `, ''));
  assert.deepEqual(sent('client'), received('server'));
  assert.deepEqual(sent('server'), received('client'));
  assert.deepEqual(sent('client'), [
    'SETTINGS stream=0 length=18 flags=0x0',
    'SETTINGS stream=0 length=0 flags=0x1',
    'HEADERS stream=1 length=12 flags=0x5 :method: GET, :scheme: https, :authority: a.example, :path: /',
  ]);
  assert.deepEqual(sent('server'), [
    'SETTINGS stream=0 length=18 flags=0x0',
    'SETTINGS stream=0 length=0 flags=0x1',
    'HEADERS stream=1 length=1 flags=0x4 :status: 200',
    'DATA stream=1 length=2 flags=0x1',
  ]);
});

test('start() writes the client preface, SETTINGS and WINDOW_UPDATE in one piece, so no answer gets in between', () => {
  const writes: Buffer[] = [];
  const client = new H2Connection({ onSend: (bytes) => writes.push(Buffer.from(bytes)) }, { role: 'client', connectionWindowSize: 1 << 20 });
  client.start();
  client.start();
  assert.equal(writes.length, 1);
  const bytes = writes[0] as Buffer;
  assert.equal(bytes.subarray(0, 24).toString('latin1'), 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
  assert.equal(bytes[24 + 3], T.SETTINGS);
  assert.equal(bytes[bytes.length - 13 + 3], T.WINDOW_UPDATE);
});

test('updateSettings lowers the header list limit at once and announces it', () => {
  const s = scripted({ role: 'server' });
  s.connection.updateSettings({ maxHeaderListSize: 300 });
  const last = s.sent[s.sent.length - 1];
  assert.deepEqual(last?.type === T.SETTINGS ? last.settings : null, [[SettingId.MAX_HEADER_LIST_SIZE, 300]]);
  s.send(s.headers(1, [...GET, ['x-big', 'v'.repeat(400)]], true), s.headers(3, GET, true));
  assert.deepEqual(s.resets(), ['1 ENHANCE_YOUR_CALM']);
  assert.deepEqual(s.events.slice(-1), ['request 3 GET / end']);
});

test('receive windows grow toward their maximum while the application keeps up, and not while it leaves data unread', () => {
  const s = scripted({ role: 'server', settings: { initialWindowSize: 32768 }, isFlowControlManual: true, connectionWindowSize: 65536, maxStreamWindowSize: 65536, maxConnectionWindowSize: 131072 });
  const updates = (): string[] => s.sent.flatMap((f) => (f.type === T.WINDOW_UPDATE && f.streamId !== 0 ? [`${f.streamId}+${f.windowSizeIncrement}`] : []));
  const connectionUpdates = (): string[] => s.sent.flatMap((f) => (f.type === T.WINDOW_UPDATE && f.streamId === 0 ? [`+${f.windowSizeIncrement}`] : []));
  const start = connectionUpdates().length; // the preface's raise of the connection window
  // Stream 1: half its window read, nothing left unread: it doubles (16384 back + 32768 more).
  s.send(s.headers(1, POST, false), s.data(1, 'a'.repeat(16384), false));
  s.connection.consume(1, 16384);
  // Stream 3: half its window read, 16000 octets of it unread (more than a quarter): no growth.
  s.send(s.headers(3, POST, false), s.data(3, 'b'.repeat(16384), false), s.data(3, 'c'.repeat(16000), false));
  s.connection.consume(3, 16384);
  assert.deepEqual(updates(), ['1+49152', '3+16384']);
  // Stream 1 at 65536 (its maximum) grows no more.
  s.send(s.data(1, 'd'.repeat(16384), false), s.data(1, 'e'.repeat(16384), false));
  s.connection.consume(1, 32768);
  assert.deepEqual(updates().slice(2), ['1+32768']);
  // The connection's credit goes back with each stream's. The first time nothing was unread: it
  // doubled to 131,072 (its maximum) with it; then 16,384 and 32,768 octets.
  assert.deepEqual(connectionUpdates().slice(start), ['+81920', '+16384', '+32768']);
  // Each connection update went out right before its stream's.
  const order = s.sent.filter((f) => f.type === T.WINDOW_UPDATE).slice(start).map((f) => f.streamId);
  assert.deepEqual(order, [0, 1, 0, 3, 0, 1]);
  assert.equal(s.lastGoaway(), null);
});
