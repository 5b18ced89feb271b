// RFC 9113 conformance, frame layer (§3.4, §4, §5.5, §6): each requirement a peer can break is
// broken on purpose over a real socket to a courier server, and the exact reaction is asserted.
// The table in docs/h2-conformance.md lists each case by its test name.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, test } from 'node:test';
import { CONNECTION_PREFACE, Flags, FrameType, SettingId, serializeRawFrame, type FrameInit } from '../../src/h2/index.js';
import type { RawH2 } from '../server/h2-raw.js';
import { selfSigned } from '../support/tls.js';
import { WAIT_MS, answered, check, complete, conformanceServer, get, literal, ready, request, statusOf, suite, u32, type Case, type Target } from './conformance-peer.js';

const T = FrameType;
const raw = serializeRawFrame;

let target: Target & { close(): Promise<void> };
before(async () => {
  target = await conformanceServer();
});
after(async () => {
  await target.close();
});

/** hold opens stream `id` on /hold: the handler never answers, so the stream stays in the state the flags make. */
function hold(id: number, endStream: boolean): (c: RawH2) => Promise<void> {
  return async (c) => {
    c.write(c.headers(id, '/hold', endStream, endStream ? 'GET' : 'POST'));
  };
}

/** ok completes a GET / on stream `id` before the case runs. */
function ok(id: number): (c: RawH2) => Promise<void> {
  return async (c) => {
    c.write(get(c, id));
    await complete(c, id);
  };
}

const settings = (pairs: [number, number][]): FrameInit => ({ type: T.SETTINGS, streamId: 0, ack: false, settings: pairs });
const setting = (id: number, value: number): Buffer => Buffer.concat([Buffer.from([id >> 8, id & 0xff]), u32(value)]);
const PING_DATA = Buffer.from('courier!');

// One block a case can send as a request, encoded by hand so it does not touch the HPACK tables.
const BLOCK = literal(request());

const CASES: Case[] = [
  // §3.4 Connection preface: checked before anything else, so these start from a bare socket.
  {
    section: '§3.4',
    name: 'a connection preface with the wrong magic is a connection error PROTOCOL_ERROR',
    fresh: true,
    send: () => [Buffer.from('PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n', 'latin1')],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§3.4',
    name: 'a preface followed by PING instead of SETTINGS is a connection error PROTOCOL_ERROR',
    fresh: true,
    send: () => [CONNECTION_PREFACE, raw(T.PING, 0, 0, PING_DATA)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§3.4',
    name: 'a preface followed by a SETTINGS ACK is a connection error PROTOCOL_ERROR',
    fresh: true,
    send: () => [CONNECTION_PREFACE, raw(T.SETTINGS, Flags.ACK, 0, Buffer.alloc(0))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  // §4.1 Frame format
  {
    section: '§4.1',
    name: 'unknown flags on PING are ignored: the PING is still answered',
    send: () => [raw(T.PING, 0xfe, 0, PING_DATA)],
    expect: { ignored: true, next: 1 },
    verify: (c) => assert.deepEqual(c.frames.flatMap((f) => (f.type === T.PING ? [`${f.ack} ${Buffer.from(f.data).toString()}`] : [])), ['true courier!']),
  },
  {
    section: '§4.1',
    name: 'the reserved bit of a stream identifier is ignored',
    send: () => {
      const frame = raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, BLOCK);
      frame[5] = (frame[5] as number) | 0x80;
      return [frame];
    },
    expect: { ignored: true, next: 3 },
    verify: (c) => assert.equal(statusOf(c, 1), '200'),
  },
  // §4.2 Frame size
  {
    section: '§4.2',
    name: 'DATA larger than SETTINGS_MAX_FRAME_SIZE is a connection error FRAME_SIZE_ERROR',
    setup: hold(1, false),
    send: () => [raw(T.DATA, 0, 1, Buffer.alloc(16385))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 1 },
  },
  {
    section: '§4.2',
    name: 'HEADERS larger than SETTINGS_MAX_FRAME_SIZE is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([BLOCK, Buffer.alloc(16385 - BLOCK.length)]))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.2',
    name: 'a frame of unknown type larger than SETTINGS_MAX_FRAME_SIZE is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(0xfa, 0, 0, Buffer.alloc(16385))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.2',
    name: 'a frame of SETTINGS_MAX_FRAME_SIZE octets exactly is accepted',
    setup: async (c) => {
      c.write(c.headers(1, '/echo', false, 'POST'), raw(T.DATA, Flags.END_STREAM, 1, Buffer.alloc(16384)));
      await complete(c, 1);
    },
    send: () => [],
    expect: { ignored: true, next: 3 },
  },
  // §4.3 Field section compression and decompression
  {
    section: '§4.3',
    name: 'a field block using HPACK index 0 is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.from([0x80]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a field block using an HPACK index past both tables is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.from([0xbe]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'an HPACK table size update above SETTINGS_HEADER_TABLE_SIZE is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([Buffer.from([0x3f, 0xe1, 0x3f]), BLOCK]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'an HPACK table size update after the first field of a block is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([BLOCK, Buffer.from([0x20])]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a Huffman string padded with zero bits is a connection error COMPRESSION_ERROR',
    // RFC 7541 §5.2: padding is the most significant bits of EOS, all ones. 0x00 is "0" and three zero bits.
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([BLOCK, Buffer.from([0x00, 0x81, 0x00, 0x01, 0x61])]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a Huffman string padded with more than 7 bits is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([BLOCK, Buffer.from([0x00, 0x82, 0x1f, 0xff, 0x01, 0x61])]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a field block that ends inside a string literal is a connection error COMPRESSION_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, Buffer.concat([BLOCK, Buffer.from([0x00, 0x05, 0x61])]))],
    expect: { goaway: 'COMPRESSION_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a stream error keeps the HPACK tables in step: a refused request with indexed fields does not break the next one',
    send: (c) => [
      // Incremental indexing into the dynamic table, on a stream that is then refused as malformed.
      { type: T.HEADERS, streamId: 1, headerBlock: c.encoder.encode([...request(), ['x-indexed', 'yes'], ['te', 'gzip']]), endStream: true, priority: null },
      { type: T.HEADERS, streamId: 3, headerBlock: c.encoder.encode([...request(), ['x-indexed', 'yes']]), endStream: true, priority: null },
    ],
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 5 },
    verify: (c) => assert.equal(statusOf(c, 3), '200'),
  },
  {
    section: '§4.3',
    name: 'a field block interleaved with HEADERS of another stream is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_STREAM, 1, BLOCK), raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 3, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§4.3',
    name: 'a field block interleaved with DATA on its own stream is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, 0, 1, BLOCK), raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('x'))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  // §5.5 Extending HTTP/2
  {
    section: '§5.5',
    name: 'a frame of unknown type on stream 0 is ignored',
    send: () => [raw(0xfa, 0xff, 0, Buffer.from('extension'))],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§5.5',
    name: 'a frame of unknown type on an idle stream is ignored and opens nothing',
    send: () => [raw(0xfa, 0, 7, Buffer.from('extension'))],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§5.5',
    name: 'a frame of unknown type with flag 0x1 on an open stream does not end the stream',
    setup: async (c) => {
      c.write(c.headers(1, '/echo', false, 'POST'), raw(0xfa, 0x1, 1, Buffer.alloc(0)), raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('ab')));
      await complete(c, 1);
    },
    send: () => [],
    expect: { ignored: true, next: 3 },
    verify: (c) => {
      assert.equal(statusOf(c, 1), '200');
      assert.equal(c.frames.flatMap((f) => (f.type === T.DATA && f.streamId === 1 ? [Buffer.from(f.data).toString()] : [])).join(''), '2');
    },
  },
  {
    section: '§5.5',
    name: 'a frame of unknown type inside a field block is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_STREAM, 1, BLOCK.subarray(0, 4)), raw(0xfa, 0, 1, Buffer.alloc(0)), raw(T.CONTINUATION, Flags.END_HEADERS, 1, BLOCK.subarray(4))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§5.5',
    name: 'an unknown SETTINGS identifier is ignored, and the SETTINGS acknowledged',
    send: () => [raw(T.SETTINGS, 0, 0, Buffer.concat([setting(0xf0f0, 7), setting(SettingId.MAX_CONCURRENT_STREAMS, 50)]))],
    expect: { ignored: true, next: 1 },
  },
  // §6.1 DATA
  {
    section: '§6.1',
    name: 'DATA on stream 0 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.DATA, 0, 0, Buffer.from('x'))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.1',
    name: 'DATA whose Pad Length equals the payload length is a connection error PROTOCOL_ERROR',
    setup: hold(1, false),
    send: () => [raw(T.DATA, Flags.PADDED, 1, Buffer.from([4, 0x61, 0x62, 0x63]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 1 },
  },
  {
    section: '§6.1',
    name: 'DATA made only of padding is accepted',
    setup: async (c) => {
      c.write(c.headers(1, '/echo', false, 'POST'), raw(T.DATA, Flags.PADDED, 1, Buffer.from([3, 0, 0, 0])), raw(T.DATA, Flags.END_STREAM, 1, Buffer.from('ab')));
      await complete(c, 1);
    },
    send: () => [],
    expect: { ignored: true, next: 3 },
  },
  // §6.2 HEADERS
  {
    section: '§6.2',
    name: 'HEADERS on stream 0 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 0, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.2',
    name: 'HEADERS whose padding is as long as the payload is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM | Flags.PADDED, 1, Buffer.concat([Buffer.from([BLOCK.length + 1]), BLOCK]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.2',
    name: 'HEADERS with padding and a priority block is accepted',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM | Flags.PADDED | Flags.PRIORITY, 1, Buffer.concat([Buffer.from([2]), u32(0), Buffer.from([15]), BLOCK, Buffer.alloc(2)]))],
    expect: { ignored: true, next: 3 },
  },
  {
    section: '§5.3.1',
    name: 'HEADERS making a stream depend on itself is a stream error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM | Flags.PRIORITY, 1, Buffer.concat([u32(1), Buffer.from([15]), BLOCK]))],
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 },
  },
  // §6.3 PRIORITY
  {
    section: '§6.3',
    name: 'PRIORITY on stream 0 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.PRIORITY, 0, 0, Buffer.concat([u32(1), Buffer.from([15])]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.3',
    name: 'PRIORITY of 4 octets is a stream error FRAME_SIZE_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.PRIORITY, 0, 1, u32(0))],
    expect: { reset: 1, code: 'FRAME_SIZE_ERROR', next: 3 },
  },
  {
    section: '§5.3.1',
    name: 'PRIORITY making a stream depend on itself is a stream error PROTOCOL_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.PRIORITY, 0, 1, Buffer.concat([u32(1), Buffer.from([15])]))],
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 },
  },
  // §6.4 RST_STREAM
  {
    section: '§6.4',
    name: 'RST_STREAM on stream 0 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.RST_STREAM, 0, 0, u32(8))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.4',
    name: 'RST_STREAM of 3 octets is a connection error FRAME_SIZE_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.RST_STREAM, 0, 1, Buffer.from([0, 0, 8]))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 1 },
  },
  // §6.5 SETTINGS
  {
    section: '§6.5',
    name: 'SETTINGS on stream 1 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 1, Buffer.alloc(0))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5',
    name: 'SETTINGS of 5 octets is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, Buffer.alloc(5))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5',
    name: 'a SETTINGS ACK with a payload is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.SETTINGS, Flags.ACK, 0, setting(SettingId.MAX_CONCURRENT_STREAMS, 1))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_ENABLE_PUSH 2 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, setting(SettingId.ENABLE_PUSH, 2))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_ENABLE_PUSH 1 from a client is accepted',
    send: () => [settings([[SettingId.ENABLE_PUSH, 1]])],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_INITIAL_WINDOW_SIZE 2^31 is a connection error FLOW_CONTROL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, setting(SettingId.INITIAL_WINDOW_SIZE, 2 ** 31))],
    expect: { goaway: 'FLOW_CONTROL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_INITIAL_WINDOW_SIZE 2^31-1 is accepted',
    send: () => [settings([[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31 - 1]])],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_MAX_FRAME_SIZE 16383 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, setting(SettingId.MAX_FRAME_SIZE, 16383))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.5.2',
    name: 'SETTINGS_MAX_FRAME_SIZE 2^24 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, setting(SettingId.MAX_FRAME_SIZE, 2 ** 24))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: 'RFC 8441 §3',
    name: 'SETTINGS_ENABLE_CONNECT_PROTOCOL 2 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.SETTINGS, 0, 0, setting(SettingId.ENABLE_CONNECT_PROTOCOL, 2))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  // §6.6 PUSH_PROMISE, §8.4 Server push
  {
    section: '§8.4',
    name: 'PUSH_PROMISE from a client is a connection error PROTOCOL_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.PUSH_PROMISE, Flags.END_HEADERS, 1, Buffer.concat([u32(2), BLOCK]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 1 },
  },
  // §6.7 PING
  {
    section: '§6.7',
    name: 'PING on stream 1 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.PING, 0, 1, PING_DATA)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.7',
    name: 'PING of 7 octets is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.PING, 0, 0, PING_DATA.subarray(0, 7))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.7',
    name: 'an unsolicited PING ACK is ignored and not answered',
    send: () => [raw(T.PING, Flags.ACK, 0, PING_DATA)],
    expect: { ignored: true, next: 1 },
  },
  // §6.8 GOAWAY
  {
    section: '§6.8',
    name: 'GOAWAY on stream 1 is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.GOAWAY, 0, 1, Buffer.concat([u32(0), u32(0)]))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.8',
    name: 'GOAWAY of 7 octets is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.GOAWAY, 0, 0, Buffer.alloc(7))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  // §6.9 WINDOW_UPDATE
  {
    section: '§6.9',
    name: 'WINDOW_UPDATE of 0 on the connection is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.WINDOW_UPDATE, 0, 0, u32(0))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.9',
    name: 'WINDOW_UPDATE of 0 on a stream is a stream error PROTOCOL_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.WINDOW_UPDATE, 0, 1, u32(0))],
    expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 },
  },
  {
    section: '§6.9',
    name: 'WINDOW_UPDATE of 3 octets is a connection error FRAME_SIZE_ERROR',
    send: () => [raw(T.WINDOW_UPDATE, 0, 0, Buffer.from([0, 0, 1]))],
    expect: { goaway: 'FRAME_SIZE_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.9.1',
    name: 'WINDOW_UPDATE taking the connection window past 2^31-1 is a connection error FLOW_CONTROL_ERROR',
    send: () => [raw(T.WINDOW_UPDATE, 0, 0, u32(2 ** 31 - 1))],
    expect: { goaway: 'FLOW_CONTROL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.9.1',
    name: 'WINDOW_UPDATE taking the connection window to 2^31-1 exactly is accepted',
    send: () => [raw(T.WINDOW_UPDATE, 0, 0, u32(2 ** 31 - 1 - 65535))],
    expect: { ignored: true, next: 1 },
  },
  {
    section: '§6.9.1',
    name: 'WINDOW_UPDATE taking a stream window past 2^31-1 is a stream error FLOW_CONTROL_ERROR',
    setup: hold(1, true),
    send: () => [raw(T.WINDOW_UPDATE, 0, 1, u32(2 ** 31 - 1))],
    expect: { reset: 1, code: 'FLOW_CONTROL_ERROR', next: 3 },
  },
  {
    section: '§6.9.1',
    name: 'DATA beyond the stream window is a stream error FLOW_CONTROL_ERROR',
    setup: hold(1, false),
    send: () => [0, 1, 2, 3].map(() => raw(T.DATA, 0, 1, Buffer.alloc(16384))),
    expect: { reset: 1, code: 'FLOW_CONTROL_ERROR', next: 3 },
  },
  {
    section: '§6.9.1',
    name: 'DATA beyond the connection window is a connection error FLOW_CONTROL_ERROR',
    setup: async (c) => {
      // Four streams fill their windows (65535 each), which is the whole connection window.
      for (const id of [1, 3, 5, 7]) {
        c.write(c.headers(id, '/hold', false, 'POST'), raw(T.DATA, 0, id, Buffer.alloc(16384)), raw(T.DATA, 0, id, Buffer.alloc(16384)), raw(T.DATA, 0, id, Buffer.alloc(16384)), raw(T.DATA, 0, id, Buffer.alloc(16383)));
      }
    },
    send: (c) => [c.headers(9, '/hold', false, 'POST'), raw(T.DATA, 0, 9, Buffer.from('x'))],
    expect: { goaway: 'FLOW_CONTROL_ERROR', lastStreamId: 9 },
  },
  {
    section: '§6.9.2',
    name: 'SETTINGS_INITIAL_WINDOW_SIZE taking an open stream window past 2^31-1 is a connection error FLOW_CONTROL_ERROR',
    setup: async (c) => {
      await hold(1, true)(c);
      c.write(raw(T.WINDOW_UPDATE, 0, 1, u32(2 ** 31 - 1 - 65535)));
    },
    send: () => [settings([[SettingId.INITIAL_WINDOW_SIZE, 65536]])],
    expect: { goaway: 'FLOW_CONTROL_ERROR', lastStreamId: 1 },
  },
  // §6.10 CONTINUATION
  {
    section: '§6.10',
    name: 'CONTINUATION without an open field block is a connection error PROTOCOL_ERROR',
    setup: ok(1),
    send: () => [raw(T.CONTINUATION, Flags.END_HEADERS, 1, BLOCK)],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 1 },
  },
  {
    section: '§6.10',
    name: 'CONTINUATION on another stream than its HEADERS is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_STREAM, 1, BLOCK.subarray(0, 4)), raw(T.CONTINUATION, Flags.END_HEADERS, 3, BLOCK.subarray(4))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.10',
    name: 'PING between HEADERS and its CONTINUATION is a connection error PROTOCOL_ERROR',
    send: () => [raw(T.HEADERS, Flags.END_STREAM, 1, BLOCK.subarray(0, 4)), raw(T.PING, 0, 0, PING_DATA), raw(T.CONTINUATION, Flags.END_HEADERS, 1, BLOCK.subarray(4))],
    expect: { goaway: 'PROTOCOL_ERROR', lastStreamId: 0 },
  },
  {
    section: '§6.10',
    name: 'a field block split over HEADERS and two CONTINUATION frames is accepted',
    send: () => [raw(T.HEADERS, Flags.END_STREAM, 1, BLOCK.subarray(0, 3)), raw(T.CONTINUATION, 0, 1, BLOCK.subarray(3, 9)), raw(T.CONTINUATION, Flags.END_HEADERS, 1, BLOCK.subarray(9))],
    expect: { ignored: true, next: 3 },
  },
];

suite(CASES, () => target);

// Cases whose reaction needs more than the table says.

test('§6.7 PING is answered by a PING ACK with the same 8 octets, before the request that follows', { timeout: 4 * WAIT_MS }, async () => {
  const c = await ready(target);
  c.write(raw(T.PING, 0, 0, PING_DATA), get(c, 1));
  await answered(c, 1);
  const pings = c.frames.filter((f) => f.type === T.PING);
  assert.equal(pings.length, 1);
  assert.ok(pings[0]?.type === T.PING && pings[0].ack);
  assert.equal(Buffer.from(pings[0].data).toString(), 'courier!');
  assert.ok(c.frames.indexOf(pings[0]) < c.frames.findIndex((f) => f.type === T.HEADERS));
  c.socket.destroy();
});

test('§6.7 an unsolicited PING ACK gets no PING back', { timeout: 4 * WAIT_MS }, async () => {
  const c = await ready(target);
  c.write(raw(T.PING, Flags.ACK, 0, PING_DATA), get(c, 1));
  await answered(c, 1);
  assert.deepEqual(c.frames.filter((f) => f.type === T.PING), []);
  c.socket.destroy();
});

test('§6.5.3 every SETTINGS is acknowledged, unknown identifiers included', { timeout: 4 * WAIT_MS }, async () => {
  const c = await ready(target);
  const before = c.frames.filter((f) => f.type === T.SETTINGS && f.ack).length;
  c.write(raw(T.SETTINGS, 0, 0, setting(0xf0f0, 7)), settings([[SettingId.MAX_CONCURRENT_STREAMS, 50]]), get(c, 1));
  await answered(c, 1);
  assert.equal(c.frames.filter((f) => f.type === T.SETTINGS && f.ack).length - before, 2);
  c.socket.destroy();
});

// The same frame layer behind TLS (ALPN h2): a few cases again over an encrypted socket.
test('over TLS (ALPN h2): the same reactions, a connection error, a stream error and an ignored frame', { timeout: 6 * WAIT_MS }, async () => {
  const cert = selfSigned();
  const server = await conformanceServer({ tls: cert });
  const secure: Target = { port: server.port, ca: cert.cert };
  const cases: Case[] = CASES.filter((k) =>
    [
      'DATA on stream 0 is a connection error PROTOCOL_ERROR',
      'WINDOW_UPDATE of 0 on a stream is a stream error PROTOCOL_ERROR',
      'an unsolicited PING ACK is ignored and not answered',
    ].includes(k.name),
  );
  assert.equal(cases.length, 3);
  for (const k of cases) {
    const c = await ready(secure);
    if (k.setup !== undefined) await k.setup(c);
    c.write(...k.send(c));
    await check(c, k.expect);
    c.socket.destroy();
  }
  await server.close();
});
