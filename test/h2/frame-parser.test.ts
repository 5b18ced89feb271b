// Frame fixtures, one per type and one per frame-level error of RFC 9113 §3.4, §4–§6, each fed
// whole, byte by byte and in random splits with the same result.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { CONNECTION_PREFACE, FrameType as T, type FrameParserOptions } from '../../src/h2/index.js';
import { parse, parseEverySplit, raw, type Outcome } from './frame-harness.js';

const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

interface Fixture {
  name: string;
  input: Buffer;
  options?: FrameParserOptions;
  expect: Partial<Outcome>;
}

const OK: Fixture[] = [
  {
    name: 'DATA with END_STREAM',
    input: hex('000005 00 01 00000001 68656c6c6f'),
    expect: { frames: [{ type: T.DATA, streamId: 1, flags: 1, length: 5, data: '68656c6c6f', endStream: true, padLength: 0 }] },
  },
  {
    name: 'DATA padded: Pad Length, data, padding',
    input: hex('000007 00 08 00000003 03 6869 7a 000000'),
    expect: { frames: [{ type: T.DATA, streamId: 3, flags: 8, length: 7, data: '68697a', endStream: false, padLength: 3 }] },
  },
  {
    name: 'DATA padded with all padding and no data',
    input: hex('000003 00 08 00000003 02 0000'),
    expect: { frames: [{ type: T.DATA, streamId: 3, flags: 8, length: 3, data: '', endStream: false, padLength: 2 }] },
  },
  {
    name: 'empty DATA',
    input: hex('000000 00 00 00000005'),
    expect: { frames: [{ type: T.DATA, streamId: 5, flags: 0, length: 0, data: '', endStream: false, padLength: 0 }] },
  },
  {
    name: 'HEADERS with END_HEADERS and END_STREAM',
    input: hex('000001 01 05 00000001 82'),
    expect: {
      frames: [{ type: T.HEADERS, streamId: 1, flags: 5, length: 1, headerBlock: '82', endStream: true, priority: null, padLength: 0, continuations: 0 }],
    },
  },
  {
    name: 'HEADERS padded with PRIORITY (exclusive, weight 256)',
    input: hex('000009 01 2c 00000003 02 80000001 ff 82 0000'),
    expect: {
      frames: [
        {
          type: T.HEADERS,
          streamId: 3,
          flags: 0x2c,
          length: 9,
          headerBlock: '82',
          endStream: false,
          priority: { streamDependency: 1, isExclusive: true, weight: 256 },
          padLength: 2,
          continuations: 0,
        },
      ],
    },
  },
  {
    name: 'HEADERS + two CONTINUATION frames join into one header block',
    input: cat(raw(T.HEADERS, 0x01, 1, '8286'), raw(T.CONTINUATION, 0, 1, '84'), raw(T.CONTINUATION, 0x04, 1, '41 8cf1e3c2e5f23a6ba0ab90f4ff')),
    expect: {
      frames: [
        {
          type: T.HEADERS,
          streamId: 1,
          flags: 0x05,
          length: 2,
          headerBlock: '828684418cf1e3c2e5f23a6ba0ab90f4ff',
          endStream: true,
          priority: null,
          padLength: 0,
          continuations: 2,
        },
      ],
    },
  },
  {
    name: 'PRIORITY (non-exclusive, weight 16)',
    input: hex('000005 02 00 00000005 00000003 0f'),
    expect: { frames: [{ type: T.PRIORITY, streamId: 5, flags: 0, length: 5, priority: { streamDependency: 3, isExclusive: false, weight: 16 } }] },
  },
  {
    name: 'RST_STREAM with CANCEL',
    input: hex('000004 03 00 00000001 00000008'),
    expect: { frames: [{ type: T.RST_STREAM, streamId: 1, flags: 0, length: 4, errorCode: 8 }] },
  },
  {
    name: 'SETTINGS with a known and an unknown setting, in order',
    input: hex('00000c 04 00 00000000 0003 00000064 00ff 0000002a'),
    expect: { frames: [{ type: T.SETTINGS, streamId: 0, flags: 0, length: 12, ack: false, settings: [[3, 100], [255, 42]] }] },
  },
  {
    name: 'SETTINGS ACK',
    input: hex('000000 04 01 00000000'),
    expect: { frames: [{ type: T.SETTINGS, streamId: 0, flags: 1, length: 0, ack: true, settings: [] }] },
  },
  {
    name: 'SETTINGS at the edges of the allowed values',
    input: hex('000018 04 00 00000000 0002 00000001 0004 7fffffff 0005 00004000 0005 00ffffff'),
    expect: {
      frames: [{ type: T.SETTINGS, streamId: 0, flags: 0, length: 24, ack: false, settings: [[2, 1], [4, 0x7fffffff], [5, 16384], [5, 0xffffff]] }],
    },
  },
  {
    name: 'PUSH_PROMISE padded, then a CONTINUATION',
    input: cat(raw(T.PUSH_PROMISE, 0x08, 1, '01 00000002 82 00'), raw(T.CONTINUATION, 0x04, 1, '84')),
    expect: {
      frames: [{ type: T.PUSH_PROMISE, streamId: 1, flags: 0x0c, length: 7, promisedStreamId: 2, headerBlock: '8284', padLength: 1, continuations: 1 }],
    },
  },
  {
    name: 'PING and PING ACK',
    input: cat(raw(T.PING, 0, 0, '0102030405060708'), raw(T.PING, 1, 0, '0102030405060708')),
    expect: {
      frames: [
        { type: T.PING, streamId: 0, flags: 0, length: 8, ack: false, data: '0102030405060708' },
        { type: T.PING, streamId: 0, flags: 1, length: 8, ack: true, data: '0102030405060708' },
      ],
    },
  },
  {
    name: 'GOAWAY with debug data, reserved bit of the last stream id ignored',
    input: hex('00000b 07 00 00000000 80000007 00000001 6f6f70'),
    expect: { frames: [{ type: T.GOAWAY, streamId: 0, flags: 0, length: 11, lastStreamId: 7, errorCode: 1, debugData: '6f6f70' }] },
  },
  {
    name: 'WINDOW_UPDATE on the connection and on a stream, reserved bits ignored',
    input: cat(hex('000004 08 00 00000000 80000001'), hex('000004 08 00 80000003 7fffffff')),
    expect: {
      frames: [
        { type: T.WINDOW_UPDATE, streamId: 0, flags: 0, length: 4, windowSizeIncrement: 1 },
        { type: T.WINDOW_UPDATE, streamId: 3, flags: 0, length: 4, windowSizeIncrement: 0x7fffffff },
      ],
    },
  },
  {
    name: 'unknown frame types are handed aside and skipped (RFC 9113 §5.5)',
    input: cat(raw(0xfa, 0xff, 9, 'abcd'), raw(T.PING, 0, 0, '0000000000000000')),
    expect: { unknown: ['250/255/9/abcd'], frames: [{ type: T.PING, streamId: 0, flags: 0, length: 8, ack: false, data: '0000000000000000' }] },
  },
  {
    name: 'unknown flags are kept raw and otherwise ignored',
    input: hex('000000 00 f6 00000001'),
    expect: { frames: [{ type: T.DATA, streamId: 1, flags: 0xf6, length: 0, data: '', endStream: false, padLength: 0 }] },
  },
  {
    name: 'client preface then SETTINGS',
    input: cat(CONNECTION_PREFACE, hex('000000 04 00 00000000')),
    options: { expectPreface: true, expectSettings: true },
    expect: { frames: [{ type: T.SETTINGS, streamId: 0, flags: 0, length: 0, ack: false, settings: [] }] },
  },
  {
    name: 'a frame of exactly SETTINGS_MAX_FRAME_SIZE',
    input: cat(hex('004000 00 00 00000001'), Buffer.alloc(16384, 0x61)),
    expect: { frames: [{ type: T.DATA, streamId: 1, flags: 0, length: 16384, data: '61'.repeat(16384), endStream: false, padLength: 0 }] },
  },
];

for (const fixture of OK) {
  test(`parses ${fixture.name}`, () => {
    const outcome = parseEverySplit(fixture.input, fixture.options);
    assert.equal(outcome.error, null);
    assert.deepEqual(outcome.frames, fixture.expect.frames ?? []);
    assert.deepEqual(outcome.unknown, fixture.expect.unknown ?? []);
    assert.deepEqual(outcome.streamErrors, []);
  });
}

interface ErrorFixture {
  name: string;
  input: Buffer;
  code: string;
  errorName: string;
  options?: FrameParserOptions;
}

const CONNECTION_ERRORS: ErrorFixture[] = [
  { name: 'an HTTP/1.1 request instead of the preface', input: Buffer.from('GET / HTTP/1.1\r\n\r\n'), code: 'H2_BAD_PREFACE', errorName: 'PROTOCOL_ERROR', options: { expectPreface: true } },
  { name: 'a preface broken at its last octet', input: cat(CONNECTION_PREFACE.subarray(0, 23), Buffer.from('x')), code: 'H2_BAD_PREFACE', errorName: 'PROTOCOL_ERROR', options: { expectPreface: true } },
  { name: 'a first frame that is not SETTINGS', input: raw(T.PING, 0, 0, '0000000000000000'), code: 'H2_SETTINGS_EXPECTED', errorName: 'PROTOCOL_ERROR', options: { expectSettings: true } },
  { name: 'a first frame that is a SETTINGS ACK', input: raw(T.SETTINGS, 1, 0), code: 'H2_SETTINGS_EXPECTED', errorName: 'PROTOCOL_ERROR', options: { expectSettings: true } },
  { name: 'a frame above SETTINGS_MAX_FRAME_SIZE (header only)', input: hex('004001 00 00 00000001'), code: 'H2_FRAME_TOO_LARGE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'a frame above a raised maxFrameSize', input: hex('100000 00 00 00000001'), code: 'H2_FRAME_TOO_LARGE', errorName: 'FRAME_SIZE_ERROR', options: { maxFrameSize: 0xfffff } },
  { name: 'DATA on stream 0', input: raw(T.DATA, 0, 0, '61'), code: 'H2_STREAM_ID_REQUIRED', errorName: 'PROTOCOL_ERROR' },
  { name: 'HEADERS on stream 0', input: raw(T.HEADERS, 4, 0, '82'), code: 'H2_STREAM_ID_REQUIRED', errorName: 'PROTOCOL_ERROR' },
  { name: 'PRIORITY on stream 0', input: raw(T.PRIORITY, 0, 0, '0000000110'), code: 'H2_STREAM_ID_REQUIRED', errorName: 'PROTOCOL_ERROR' },
  { name: 'RST_STREAM on stream 0', input: raw(T.RST_STREAM, 0, 0, '00000008'), code: 'H2_STREAM_ID_REQUIRED', errorName: 'PROTOCOL_ERROR' },
  { name: 'PUSH_PROMISE on stream 0', input: raw(T.PUSH_PROMISE, 4, 0, '00000002'), code: 'H2_STREAM_ID_REQUIRED', errorName: 'PROTOCOL_ERROR' },
  { name: 'SETTINGS on stream 1', input: raw(T.SETTINGS, 0, 1), code: 'H2_STREAM_ID_FORBIDDEN', errorName: 'PROTOCOL_ERROR' },
  { name: 'PING on stream 1', input: raw(T.PING, 0, 1, '0000000000000000'), code: 'H2_STREAM_ID_FORBIDDEN', errorName: 'PROTOCOL_ERROR' },
  { name: 'GOAWAY on stream 1', input: raw(T.GOAWAY, 0, 1, '0000000000000000'), code: 'H2_STREAM_ID_FORBIDDEN', errorName: 'PROTOCOL_ERROR' },
  { name: 'SETTINGS of 5 octets', input: raw(T.SETTINGS, 0, 0, '0003000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'SETTINGS ACK with a payload', input: raw(T.SETTINGS, 1, 0, '000300000064'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'PING of 7 octets', input: raw(T.PING, 0, 0, '00000000000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'PING of 9 octets', input: raw(T.PING, 0, 0, '000000000000000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'RST_STREAM of 3 octets', input: raw(T.RST_STREAM, 0, 1, '000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'WINDOW_UPDATE of 5 octets', input: raw(T.WINDOW_UPDATE, 0, 1, '0000000100'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'GOAWAY of 7 octets', input: raw(T.GOAWAY, 0, 0, '00000000000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'WINDOW_UPDATE increment 0 on the connection', input: raw(T.WINDOW_UPDATE, 0, 0, '00000000'), code: 'H2_ZERO_WINDOW_INCREMENT', errorName: 'PROTOCOL_ERROR' },
  { name: 'DATA whose padding is the payload length', input: raw(T.DATA, 8, 1, '04 616161'), code: 'H2_BAD_PADDING', errorName: 'PROTOCOL_ERROR' },
  { name: 'DATA whose padding exceeds the payload', input: raw(T.DATA, 8, 1, 'ff 61'), code: 'H2_BAD_PADDING', errorName: 'PROTOCOL_ERROR' },
  { name: 'DATA PADDED with no Pad Length octet', input: raw(T.DATA, 8, 1), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'HEADERS whose padding leaves less than the priority fields', input: raw(T.HEADERS, 0x2c, 1, '02 0000000010 82'), code: 'H2_BAD_PADDING', errorName: 'PROTOCOL_ERROR' },
  { name: 'HEADERS with PRIORITY but 3 octets', input: raw(T.HEADERS, 0x24, 1, '000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'PUSH_PROMISE shorter than its promised stream id', input: raw(T.PUSH_PROMISE, 4, 1, '000000'), code: 'H2_BAD_FRAME_SIZE', errorName: 'FRAME_SIZE_ERROR' },
  { name: 'PUSH_PROMISE whose padding eats the promised stream id', input: raw(T.PUSH_PROMISE, 0x0c, 1, '02 00000002 82'), code: 'H2_BAD_PADDING', errorName: 'PROTOCOL_ERROR' },
  { name: 'CONTINUATION with no open header block', input: raw(T.CONTINUATION, 4, 1, '82'), code: 'H2_UNEXPECTED_CONTINUATION', errorName: 'PROTOCOL_ERROR' },
  { name: 'CONTINUATION after a complete HEADERS', input: cat(raw(T.HEADERS, 4, 1, '82'), raw(T.CONTINUATION, 4, 1, '84')), code: 'H2_UNEXPECTED_CONTINUATION', errorName: 'PROTOCOL_ERROR' },
  { name: 'DATA where CONTINUATION was expected', input: cat(raw(T.HEADERS, 0, 1, '82'), raw(T.DATA, 0, 1, '61')), code: 'H2_CONTINUATION_EXPECTED', errorName: 'PROTOCOL_ERROR' },
  { name: 'CONTINUATION on another stream', input: cat(raw(T.HEADERS, 0, 1, '82'), raw(T.CONTINUATION, 4, 3, '84')), code: 'H2_CONTINUATION_EXPECTED', errorName: 'PROTOCOL_ERROR' },
  { name: 'an unknown frame inside a header block', input: cat(raw(T.HEADERS, 0, 1, '82'), raw(0xfa, 0, 0)), code: 'H2_CONTINUATION_EXPECTED', errorName: 'PROTOCOL_ERROR' },
  { name: 'a PING inside a PUSH_PROMISE header block', input: cat(raw(T.PUSH_PROMISE, 0, 1, '00000002'), raw(T.PING, 0, 0, '0000000000000000')), code: 'H2_CONTINUATION_EXPECTED', errorName: 'PROTOCOL_ERROR' },
  {
    name: 'a CONTINUATION flood of empty frames (CVE-2024-27316)',
    input: cat(raw(T.HEADERS, 0, 1, '82'), ...Array.from({ length: 40 }, () => raw(T.CONTINUATION, 0, 1))),
    code: 'H2_HEADER_BLOCK_TOO_LARGE',
    errorName: 'ENHANCE_YOUR_CALM',
  },
  {
    name: 'a header block past maxHeaderBlockSize',
    input: cat(raw(T.HEADERS, 0, 1, '00'.repeat(600)), raw(T.CONTINUATION, 0, 1, '00'.repeat(600))),
    code: 'H2_HEADER_BLOCK_TOO_LARGE',
    errorName: 'ENHANCE_YOUR_CALM',
    options: { maxHeaderBlockSize: 1000 },
  },
  { name: 'a single HEADERS past maxHeaderBlockSize', input: raw(T.HEADERS, 4, 1, '00'.repeat(1001)), code: 'H2_HEADER_BLOCK_TOO_LARGE', errorName: 'ENHANCE_YOUR_CALM', options: { maxHeaderBlockSize: 1000 } },
  { name: 'SETTINGS_ENABLE_PUSH 2', input: raw(T.SETTINGS, 0, 0, '0002 00000002'), code: 'H2_BAD_SETTING_VALUE', errorName: 'PROTOCOL_ERROR' },
  { name: 'SETTINGS_ENABLE_CONNECT_PROTOCOL 2', input: raw(T.SETTINGS, 0, 0, '0008 00000002'), code: 'H2_BAD_SETTING_VALUE', errorName: 'PROTOCOL_ERROR' },
  { name: 'SETTINGS_INITIAL_WINDOW_SIZE 2^31', input: raw(T.SETTINGS, 0, 0, '0004 80000000'), code: 'H2_BAD_INITIAL_WINDOW_SIZE', errorName: 'FLOW_CONTROL_ERROR' },
  { name: 'SETTINGS_MAX_FRAME_SIZE 16383', input: raw(T.SETTINGS, 0, 0, '0005 00003fff'), code: 'H2_BAD_SETTING_VALUE', errorName: 'PROTOCOL_ERROR' },
  { name: 'SETTINGS_MAX_FRAME_SIZE 2^24', input: raw(T.SETTINGS, 0, 0, '0005 01000000'), code: 'H2_BAD_SETTING_VALUE', errorName: 'PROTOCOL_ERROR' },
];

for (const fixture of CONNECTION_ERRORS) {
  test(`rejects ${fixture.name} with ${fixture.code} (${fixture.errorName})`, () => {
    const outcome = parseEverySplit(fixture.input, fixture.options);
    assert.equal(outcome.error, fixture.code);
    assert.equal(outcome.errorName, fixture.errorName);
  });
}

const STREAM_ERRORS: { name: string; input: Buffer; expect: string }[] = [
  { name: 'PRIORITY of 4 octets', input: raw(T.PRIORITY, 0, 3, '00000001'), expect: 'H2_BAD_FRAME_SIZE@3' },
  { name: 'PRIORITY depending on its own stream', input: raw(T.PRIORITY, 0, 3, '0000000310'), expect: 'H2_SELF_DEPENDENCY@3' },
  { name: 'WINDOW_UPDATE increment 0 on a stream', input: raw(T.WINDOW_UPDATE, 0, 5, '80000000'), expect: 'H2_ZERO_WINDOW_INCREMENT@5' },
];

for (const fixture of STREAM_ERRORS) {
  test(`${fixture.name} is a stream error and parsing goes on`, () => {
    const ping = raw(T.PING, 0, 0, '0000000000000001');
    const outcome = parseEverySplit(cat(fixture.input, ping));
    assert.equal(outcome.error, null);
    assert.deepEqual(outcome.streamErrors, [fixture.expect]);
    assert.equal(outcome.frames.length, 1);
  });
}

test('a frame above SETTINGS_MAX_FRAME_SIZE fails on its header, before the payload arrives', () => {
  const outcome = parse([hex('ffffff 00 00 00000001')]);
  assert.equal(outcome.error, 'H2_FRAME_TOO_LARGE');
});

test('a broken preface fails at the first wrong octet', () => {
  assert.equal(parse([Buffer.from('P')], { expectPreface: true }).error, null);
  assert.equal(parse([Buffer.from('PRX')], { expectPreface: true }).error, 'H2_BAD_PREFACE');
});

test('setMaxFrameSize raises the limit for later frames', async () => {
  const { FrameParser } = await import('../../src/h2/index.js');
  const frames: number[] = [];
  const parser = new FrameParser({ onFrame: (f) => frames.push(f.length) });
  parser.setMaxFrameSize(20000);
  parser.execute(cat(hex('004e20 00 00 00000001'), Buffer.alloc(20000)));
  assert.deepEqual(frames, [20000]);
});

test('a stream error with no onStreamError handler is thrown', async () => {
  const { FrameParser, H2Error } = await import('../../src/h2/index.js');
  const parser = new FrameParser({ onFrame: () => {} });
  assert.throws(
    () => parser.execute(raw(T.WINDOW_UPDATE, 0, 5, '00000000')),
    (error: unknown) => H2Error.is(error) && error.code === 'H2_STREAM_ERROR' && error.reason === 'H2_ZERO_WINDOW_INCREMENT' && error.streamId === 5 && !error.isConnectionError,
  );
});

test('DATA payloads joined from several reads stay intact while kept: a later frame never overwrites an earlier one', async () => {
  const { FrameParser, serializeFrame } = await import('../../src/h2/index.js');
  const sizes = [1, 700, 16384, 5000, 16384, 16384, 9, 12000, 16384, 3, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 16384, 1024];
  const payloads = sizes.map((size, i) => Buffer.alloc(size, i + 1));
  const wire = Buffer.concat(payloads.map((data) => serializeFrame({ type: T.DATA, streamId: 1, data, endStream: false })));
  const kept: Uint8Array[] = [];
  const parser = new FrameParser({ onFrame: (frame) => frame.type === T.DATA && kept.push(frame.data) }, { maxFrameSize: 16384 });
  // Reads of 4,000 octets: almost every frame spans reads and is joined; views are kept, not copied.
  for (let at = 0; at < wire.length; at += 4000) parser.execute(wire.subarray(at, at + 4000));
  assert.equal(kept.length, payloads.length);
  payloads.forEach((payload, i) => assert.ok(Buffer.from(kept[i] as Uint8Array).equals(payload), `payload ${i} intact`));
});
