// DATA frames that span reads are handed on piece by piece, as views of the input, not joined
// (frame-parser.ts onDataStart/onDataPiece, connection.ts): the same data, windows, END_STREAM and
// errors as a whole frame gives, whatever the split.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FrameParser, FrameType as T, H2Connection, serializeFrame, type Frame } from '../../src/h2/index.js';
import { POST, scripted } from './connection-harness.js';

function pieces(wire: Buffer, size: number): string[] {
  const log: string[] = [];
  const parser = new FrameParser({
    onFrame: (frame: Frame) => log.push(frame.type === T.DATA ? `frame ${frame.streamId} ${Buffer.from(frame.data).toString()}` : `frame type ${frame.type}`),
    onDataStart: (frame) => log.push(`start ${frame.streamId} ${frame.length}${frame.endStream ? ' end' : ''}`),
    onDataPiece: (piece, isLast) => log.push(`piece ${Buffer.from(piece).toString()}${isLast ? ' last' : ''}`),
  });
  for (let at = 0; at < wire.length; at += size) parser.execute(wire.subarray(at, at + size));
  return log;
}

test('the parser hands on a DATA frame that spans reads in pieces, and one inside a read whole', () => {
  const wire = Buffer.concat([
    serializeFrame({ type: T.DATA, streamId: 1, data: Buffer.from('abcdefghij'), endStream: false }),
    serializeFrame({ type: T.DATA, streamId: 1, data: Buffer.from('xy'), endStream: true }),
  ]);
  // Reads of 13 octets: the first frame (9 + 10) spans two reads; the second lies inside the second read... and the third.
  assert.deepEqual(pieces(wire, 13), ['start 1 10', 'piece abcd', 'piece efghij last', 'frame 1 xy']);
  // Byte by byte: every octet of every payload is its own piece.
  assert.deepEqual(pieces(wire, 1), ['start 1 10', ...'abcdefghi'.split('').map((c) => `piece ${c}`), 'piece j last', 'start 1 2 end', 'piece x', 'piece y last']);
  // Whole: frames come whole.
  assert.deepEqual(pieces(wire, wire.length), ['frame 1 abcdefghij', 'frame 1 xy']);
});

test('a padded DATA frame that spans reads still comes whole (its padding is found first)', () => {
  const wire = serializeFrame({ type: T.DATA, streamId: 3, data: Buffer.from('hello'), endStream: false, padLength: 4 });
  assert.deepEqual(pieces(wire, 3), ['frame 3 hello']);
});

test('a body fed in reads of 1,000 octets arrives whole and in order, with the same window updates as fed whole', () => {
  const body = Buffer.alloc(40_000);
  for (let i = 0; i < body.length; i++) body[i] = 97 + (i % 26);
  const frames = (s: ReturnType<typeof scripted>) => [
    s.headers(1, [...POST, ['content-length', String(body.length)]], false),
    s.data(1, body.subarray(0, 16384), false),
    s.data(1, body.subarray(16384, 32768), false),
    s.data(1, body.subarray(32768), true),
  ];
  const whole = scripted({ role: 'server' });
  whole.send(...frames(whole));
  const split = scripted({ role: 'server' });
  split.sendInReads(1000, ...frames(split));
  const updates = (s: ReturnType<typeof scripted>) => s.sent.flatMap((f) => (f.type === T.WINDOW_UPDATE ? [`${f.streamId}+${f.windowSizeIncrement}`] : []));
  assert.deepEqual(updates(split), updates(whole));
  assert.deepEqual(split.resets(), []);
  assert.equal(split.lastGoaway(), null);
  const pieceEvents = split.events.filter((e) => e.startsWith('data 1 '));
  assert.ok(pieceEvents.length > 3, `${pieceEvents.length} pieces`);
  assert.ok(pieceEvents[pieceEvents.length - 1]?.endsWith(' end'));
  assert.equal(pieceEvents.filter((e) => e.endsWith(' end')).length, 1, 'END_STREAM once, with the last piece');
});

test('content-length exceeded in the middle of a frame: RST_STREAM PROTOCOL_ERROR, the rest dropped, the credit given back', () => {
  const s = scripted({ role: 'server' });
  s.sendInReads(700, s.headers(1, [...POST, ['content-length', '10']], false), s.data(1, 'x'.repeat(16000), false));
  assert.deepEqual(s.resets(), ['1 PROTOCOL_ERROR']);
  const delivered = s.events.filter((e) => e.startsWith('data 1 ')).length;
  // Another stream can use the whole connection window again: 60,000 octets (of 65,535).
  s.sendInReads(700, s.headers(3, POST, false), s.data(3, 'y'.repeat(16000), false), s.data(3, 'y'.repeat(16000), false), s.data(3, 'y'.repeat(16000), false), s.data(3, 'y'.repeat(12000), true));
  assert.equal(s.lastGoaway(), null);
  assert.equal(s.events.filter((e) => e.startsWith('data 1 ')).length, delivered, 'nothing more of stream 1');
  assert.ok(s.events.some((e) => e.startsWith('data 3 ') && e.endsWith(' end')));
});

test('a split DATA frame beyond the stream window: RST_STREAM FLOW_CONTROL_ERROR before any piece is delivered', () => {
  const s = scripted({ role: 'server', settings: { initialWindowSize: 1000 }, isFlowControlManual: true });
  s.sendInReads(300, s.headers(1, POST, false), s.data(1, 'z'.repeat(1500), false));
  assert.deepEqual(s.resets(), ['1 FLOW_CONTROL_ERROR']);
  assert.deepEqual(s.events.filter((e) => e.startsWith('data 1 ')), []);
});

test('a stream reset by the application in the middle of a frame drops the rest and returns its credit to the connection', () => {
  const sent: Frame[] = [];
  const delivered = new Map<number, number>();
  const parser = new FrameParser({ onFrame: (frame) => sent.push(frame) }, { maxFrameSize: 16777215 });
  // Manual flow control: only the dropped rest of stream 1 can give credit back (a WINDOW_UPDATE
  // once 10,000 octets, half of connectionWindowSize, are owed).
  const connection: H2Connection = new H2Connection(
    {
      onSend: (bytes) => parser.execute(bytes),
      onData: (id, data) => {
        delivered.set(id, (delivered.get(id) ?? 0) + data.length);
        if (id === 1 && connection.streamState(1) !== 'closed') connection.resetStream(1); // answered; stops reading
      },
    },
    { role: 'server', isFlowControlManual: true, connectionWindowSize: 20_000 },
  );
  const peer = scripted({ role: 'client' }); // its HPACK encoder and frame builders
  const feed = (...frames: Parameters<typeof serializeFrame>[0][]) => {
    const bytes = Buffer.concat(frames.map((f) => serializeFrame(f)));
    for (let at = 0; at < bytes.length; at += 500) connection.receive(bytes.subarray(at, at + 500));
  };
  connection.receive(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
  feed({ type: T.SETTINGS, streamId: 0, ack: false, settings: [] }, peer.headers(1, POST, false), peer.data(1, 'a'.repeat(16000), false));
  const first = delivered.get(1) ?? 0;
  assert.ok(first > 0 && first < 500, `one piece of stream 1 was delivered (${first} octets)`);
  assert.ok(sent.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
  const credit = sent.flatMap((f) => (f.type === T.WINDOW_UPDATE && f.streamId === 0 ? [f.windowSizeIncrement] : []));
  assert.deepEqual(credit, [16000 - first], 'the undelivered rest of the frame went back to the connection');
  // 64,000 octets on stream 3 fit the 65,535-octet connection window only with that credit.
  feed(peer.headers(3, POST, false), peer.data(3, 'b'.repeat(16000), false), peer.data(3, 'b'.repeat(16000), false), peer.data(3, 'b'.repeat(16000), false), peer.data(3, 'b'.repeat(16000), true));
  assert.equal(delivered.get(3), 64000);
  assert.ok(!sent.some((f) => f.type === T.GOAWAY), 'no FLOW_CONTROL_ERROR');
});
