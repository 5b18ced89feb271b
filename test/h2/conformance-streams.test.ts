// RFC 9113 conformance, stream states and identifiers (§5.1, §5.1.1, §5.1.2): frames sent in a
// state that forbids them, over a real socket to a courier server, and the exact reaction asserted.
// The table in docs/h2-conformance.md lists each case by its test name.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, test } from 'node:test';
import { Flags, FrameType, serializeRawFrame } from '../../src/h2/index.js';
import type { RawH2 } from '../server/h2-raw.js';
import { WAIT_MS, complete, conformanceServer, get, literal, ready, request, statusOf, suite, u32, type Case, type Target } from './conformance-peer.js';

const T = FrameType;
const raw = serializeRawFrame;

let target: Target & { close(): Promise<void> };
before(async () => {
  target = await conformanceServer();
});
after(async () => {
  await target.close();
});

const BLOCK = literal(request());
const PRIORITY = Buffer.concat([u32(0), Buffer.from([15])]);

/** halfClosedRemote: GET /hold on `id` with END_STREAM; the handler never answers, so the stream stays half-closed (remote). */
function halfClosedRemote(id: number): (c: RawH2) => Promise<void> {
  return async (c) => {
    c.write(c.headers(id, '/hold', true));
  };
}

/** resetByClient: a POST /hold on `id` left open, then the client's RST_STREAM CANCEL: closed by a received RST_STREAM. */
function resetByClient(id: number): (c: RawH2) => Promise<void> {
  return async (c) => {
    c.write(c.headers(id, '/hold', false, 'POST'), raw(T.RST_STREAM, 0, id, u32(8)));
  };
}

/** closedByEnd: a GET / on `id` answered in full: closed after END_STREAM both ways. */
function closedByEnd(id: number): (c: RawH2) => Promise<void> {
  return async (c) => {
    c.write(get(c, id));
    await complete(c, id);
  };
}

// The server's connection window is 4 × 65535 (conformanceServer's maxBodyBuffer is 65535).
const CONNECTION_WINDOW = 4 * 65535;

/** fillConnectionWindow is DATA on `id` that uses the whole connection window, in frames of at most 16384. */
function fillConnectionWindow(id: number): Buffer[] {
  const frames: Buffer[] = [];
  for (let left = CONNECTION_WINDOW; left > 0; left -= 16384) frames.push(raw(T.DATA, 0, id, Buffer.alloc(Math.min(left, 16384))));
  return frames;
}

/** credited sums the connection WINDOW_UPDATE increments after the one of the server's preface. */
function credited(c: RawH2): number {
  const updates = c.frames.filter((f) => f.type === T.WINDOW_UPDATE && f.streamId === 0);
  return updates.slice(1).reduce((sum, f) => sum + (f.type === T.WINDOW_UPDATE ? f.windowSizeIncrement : 0), 0);
}

const CASES: Case[] = [
  // §5.1 idle
  {
    section: '§5.1',
    name: 'idle: DATA is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('x'))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: RST_STREAM is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.RST_STREAM, 0, 1, u32(8))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: WINDOW_UPDATE is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.WINDOW_UPDATE, 0, 1, u32(100))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: CONTINUATION is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.CONTINUATION, Flags.END_HEADERS, 1, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: DATA on an idle stream above an open one is a connection error PROTOCOL_ERROR',
    setup: halfClosedRemote(1),
    send: () => [raw(T.DATA, Flags.END_STREAM, 3, Buffer.from('x'))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 1 },
  },
  {
    section: '§5.1',
    name: 'idle: PRIORITY is accepted and leaves the stream idle',
    send: () => [raw(T.PRIORITY, 0, 3, PRIORITY)],
    // Stream 1 may still open: the PRIORITY on 3 did not move 3 out of idle (§5.1.1 would close 1).
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§5.1',
    name: 'idle: PRIORITY then HEADERS on the same stream opens it',
    send: () => [raw(T.PRIORITY, 0, 1, PRIORITY)],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§5.1',
    name: 'idle: WINDOW_UPDATE of 0 is a connection error PROTOCOL_ERROR, not a RST_STREAM on an idle stream',
    send: () => [raw(T.WINDOW_UPDATE, 0, 1, u32(0))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: PRIORITY of 4 octets is a connection error FRAME_SIZE_ERROR, not a RST_STREAM on an idle stream',
    send: () => [raw(T.PRIORITY, 0, 3, u32(0))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle: PRIORITY making a stream depend on itself is a connection error PROTOCOL_ERROR, not a RST_STREAM on an idle stream',
    send: () => [raw(T.PRIORITY, 0, 3, Buffer.concat([u32(3), Buffer.from([15])]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle (a server stream): DATA on stream 2 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.DATA, 0, 2, Buffer.from('x'))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle (a server stream): RST_STREAM on stream 2 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.RST_STREAM, 0, 2, u32(8))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle (a server stream): WINDOW_UPDATE on stream 2 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.WINDOW_UPDATE, 0, 2, u32(100))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1',
    name: 'idle (a server stream): PRIORITY on stream 2 is accepted',
    send: () => [raw(T.PRIORITY, 0, 2, PRIORITY)],
    expect: { ignored: true, next: 1 },
  },
  // §5.1 half-closed (remote)
  {
    section: '§5.1',
    name: 'half-closed (remote): DATA is a stream error STREAM_CLOSED',
    setup: halfClosedRemote(1),
    send: () => [raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('x'))],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'half-closed (remote): HEADERS is a stream error STREAM_CLOSED',
    setup: halfClosedRemote(1),
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, literal([['x-trailer', '1']]))],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'half-closed (remote): WINDOW_UPDATE is accepted',
    setup: halfClosedRemote(1),
    send: () => [raw(T.WINDOW_UPDATE, 0, 1, u32(100))],
    expect: { ignored: true, next: 3 },
  },
  {
    section: '§5.1',
    name: 'half-closed (remote): PRIORITY is accepted',
    setup: halfClosedRemote(1),
    send: () => [raw(T.PRIORITY, 0, 1, PRIORITY)],
    expect: { ignored: true, next: 3 },
  },
  {
    section: '§7',
    name: 'RST_STREAM with an unknown error code is accepted like any other',
    setup: halfClosedRemote(1),
    send: () => [raw(T.RST_STREAM, 0, 1, u32(0xdeadbeef))],
    expect: { ignored: true, next: 3 },
  },
  {
    section: '§5.1',
    name: 'half-closed (remote): RST_STREAM is accepted and closes the stream',
    setup: halfClosedRemote(1),
    send: () => [raw(T.RST_STREAM, 0, 1, u32(8))],
    expect: { ignored: true, next: 3 },
  },
  // §5.1 closed, by a RST_STREAM the client sent
  {
    section: '§5.1',
    name: 'closed by the client\'s RST_STREAM: DATA is a stream error STREAM_CLOSED',
    setup: resetByClient(1),
    send: () => [raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('x'))],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'closed by the client\'s RST_STREAM: HEADERS is a stream error STREAM_CLOSED',
    setup: resetByClient(1),
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, literal([['x-trailer', '1']]))],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'closed by the client\'s RST_STREAM: PRIORITY, WINDOW_UPDATE and RST_STREAM are ignored',
    setup: resetByClient(1),
    send: () => [raw(T.PRIORITY, 0, 1, PRIORITY), raw(T.WINDOW_UPDATE, 0, 1, u32(100)), raw(T.RST_STREAM, 0, 1, u32(8))],
    expect: { ignored: true, next: 3 },
  },
  // §5.1 closed, after END_STREAM both ways
  {
    section: '§5.1',
    name: 'closed after END_STREAM both ways: DATA is a stream error STREAM_CLOSED',
    setup: closedByEnd(1),
    send: () => [raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('x'))],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'closed after END_STREAM both ways: HEADERS is a stream error STREAM_CLOSED',
    setup: closedByEnd(1),
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, BLOCK)],
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.4.2',
    name: 'closed after END_STREAM both ways: three DATA frames get one RST_STREAM, the rest are ignored',
    setup: closedByEnd(1),
    send: () => [1, 2, 3].map(() => raw(T.DATA, 0, 1, Buffer.from('x'))),
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.4.2',
    name: 'closed by the client\'s RST_STREAM: three DATA frames get one RST_STREAM, the rest are ignored',
    setup: resetByClient(1),
    send: () => [1, 2, 3].map(() => raw(T.DATA, 0, 1, Buffer.from('x'))),
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.4.2',
    name: 'half-closed (remote): three DATA frames get one RST_STREAM, the rest are ignored',
    setup: halfClosedRemote(1),
    send: () => [1, 2, 3].map(() => raw(T.DATA, 0, 1, Buffer.from('x'))),
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
  },
  {
    section: '§5.1',
    name: 'closed after END_STREAM both ways: PRIORITY, WINDOW_UPDATE and RST_STREAM are ignored',
    setup: closedByEnd(1),
    send: () => [raw(T.PRIORITY, 0, 1, PRIORITY), raw(T.WINDOW_UPDATE, 0, 1, u32(100)), raw(T.RST_STREAM, 0, 1, u32(8))],
    expect: { ignored: true, next: 3 },
  },
  // §5.1 closed, by a RST_STREAM the server sent: what the client had in flight is ignored
  {
    section: '§5.1',
    name: 'closed by the server\'s RST_STREAM: DATA and HEADERS still in flight are ignored',
    setup: async (c) => {
      // Malformed (te: gzip): the server resets stream 1 while the client still sends on it.
      c.write(raw(T.HEADERS, Flags.END_HEADERS, 1, literal([...request('/echo', 'POST'), ['te', 'gzip']])));
      await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
    },
    send: () => [raw(T.DATA, 0, 1, Buffer.alloc(16384)), raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, literal([['x-trailer', '1']]))],
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 },
  },
  // §6.9: a DATA frame in error still counts for the connection window, and is credited back
  {
    section: '§6.9',
    name: 'DATA in flight on a stream the server reset counts for the connection window and is credited back',
    setup: async (c) => {
      c.write(raw(T.HEADERS, Flags.END_HEADERS, 1, literal([...request('/echo', 'POST'), ['te', 'gzip']])));
      await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
    },
    send: () => fillConnectionWindow(1),
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 },
    verify: (c) => assert.ok(credited(c) >= 131070, `connection window credited ${credited(c)}`),
  },
  {
    section: '§6.9',
    name: 'DATA on a closed stream counts for the connection window and is credited back',
    setup: closedByEnd(1),
    send: () => fillConnectionWindow(1),
    expect: { reset: 1, code: 'STREAM_CLOSED', next: 3 },
    verify: (c) => assert.ok(credited(c) >= 131070, `connection window credited ${credited(c)}`),
  },
  // §5.1.1 Stream identifiers
  {
    section: '§5.1.1',
    name: 'HEADERS on an even stream from a client is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 2, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.1.1',
    name: 'HEADERS opening a stream lower than one already opened is a connection error PROTOCOL_ERROR',
    setup: closedByEnd(5),
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 3, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 5 },
  },
  {
    section: '§5.1.1',
    name: 'HEADERS opening a lower stream while a higher one is still open is a connection error PROTOCOL_ERROR',
    setup: halfClosedRemote(5),
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 3, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 5 },
  },
  {
    section: '§5.1.1',
    name: 'a skipped stream identifier is closed: DATA on it is a stream error STREAM_CLOSED',
    setup: closedByEnd(5),
    send: () => [raw(T.DATA, Flags.END_STREAM, 3, Buffer.from('x'))],
    expect: { reset: 3, code: 'STREAM_CLOSED', next: 7 },
  },
  {
    section: '§5.1.1',
    name: 'a skipped stream identifier is closed: WINDOW_UPDATE on it is ignored',
    setup: closedByEnd(5),
    send: () => [raw(T.WINDOW_UPDATE, 0, 3, u32(100))],
    expect: { ignored: true, next: 7 },
  },
  {
    section: '§5.1.1',
    name: 'stream identifiers may skip: HEADERS on 99 after 1 is accepted',
    setup: closedByEnd(1),
    send: () => [],
    expect: { ignored: true, next: 99 },
  },
  {
    section: '§5.1.1',
    name: 'the largest stream identifier, 2^31-1, is accepted',
    send: () => [],
    expect: { ignored: true, next: 2 ** 31 - 1 },
  },
  // §5.1.2 Stream concurrency
  {
    section: '§5.1.2',
    name: 'a stream past SETTINGS_MAX_CONCURRENT_STREAMS (100) is a stream error REFUSED_STREAM, and its DATA is dropped',
    setup: async (c) => {
      for (let id = 1; id <= 199; id += 2) c.write(c.headers(id, '/hold', true));
    },
    // The client then cancels stream 1, which makes room for the request that proves the connection serves.
    send: () => [raw(T.HEADERS, Flags.END_HEADERS, 201, literal(request('/echo', 'POST'))), raw(T.DATA, Flags.END_STREAM, 201, Buffer.from('x')), raw(T.RST_STREAM, 0, 1, u32(8))],
    expect: { reset: 201, code: 'REFUSED_STREAM', next: 203 },
  },
];

suite(CASES, () => target);

test('§6.8 a client\'s GOAWAY does not cut the streams it opened: they are answered, then the server closes', { timeout: 4 * WAIT_MS }, async () => {
  const c = await ready(target);
  c.write(get(c, 1, '/big?100000'), raw(T.GOAWAY, 0, 0, Buffer.concat([u32(0), u32(0)])), raw(T.WINDOW_UPDATE, 0, 0, u32(1_000_000)), raw(T.WINDOW_UPDATE, 0, 1, u32(1_000_000)));
  await complete(c, 1);
  assert.equal(statusOf(c, 1), '200');
  assert.equal(c.frames.reduce((sum, f) => sum + (f.type === T.DATA ? f.data.length : 0), 0), 100000);
  assert.deepEqual(c.resets(), []);
  await Promise.race([c.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not close')), WAIT_MS).unref())]);
  c.socket.destroy();
});

test('§6.8 after the server\'s GOAWAY, a new stream above its last-stream-id is ignored but its field block still decoded, and the streams below it finish', { timeout: 4 * WAIT_MS }, async () => {
  const server = await conformanceServer();
  const c = await ready(server);
  c.write(c.headers(1, '/echo', false, 'POST'), raw(T.PING, 0, 0, Buffer.from('in-order')));
  await c.until((frames) => frames.some((f) => f.type === T.PING && f.ack), WAIT_MS);
  const closing = server.close();
  // Graceful shutdown: GOAWAY 2^31-1 and a PING; once the PING is acknowledged, GOAWAY with the last stream.
  await c.until((frames) => frames.some((f) => f.type === T.PING && !f.ack), WAIT_MS);
  const ping = c.frames.find((f) => f.type === T.PING && !f.ack);
  assert.ok(ping?.type === T.PING);
  c.write(raw(T.PING, Flags.ACK, 0, ping.data));
  await c.until((frames) => frames.filter((f) => f.type === T.GOAWAY).length === 2, WAIT_MS);
  const goaways = c.frames.flatMap((f) => (f.type === T.GOAWAY ? [`${f.lastStreamId} ${f.errorCode}`] : []));
  assert.deepEqual(goaways, [`${2 ** 31 - 1} 0`, '1 0']);
  // Stream 3 is past the last-stream-id: ignored. Its field block indexes a field that stream 1's
  // trailers then refer to, so a server that skipped decoding it would fail stream 1's trailers.
  c.write(
    { type: T.HEADERS, streamId: 3, headerBlock: c.encoder.encode([...request(), ['x-indexed', 'yes']]), endStream: true, priority: null },
    raw(T.DATA, 0, 1, Buffer.from('ab')),
    { type: T.HEADERS, streamId: 1, headerBlock: c.encoder.encode([['x-indexed', 'yes']]), endStream: true, priority: null },
  );
  await complete(c, 1);
  assert.equal(statusOf(c, 1), '200');
  assert.equal(statusOf(c, 3), null);
  assert.deepEqual(c.resets(), []);
  await Promise.race([c.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not close')), WAIT_MS).unref())]);
  await closing;
});
