// Property: no input makes the codec fail in an unplanned way. Random and mutated bytes give the
// HPACK decoder and the frame parser only H2Errors, and an H2Connection never throws: it answers
// with RST_STREAM or GOAWAY and, once it sent GOAWAY for an error, sends nothing more.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  CONNECTION_PREFACE,
  FrameParser,
  FrameType as T,
  H2Connection,
  H2Error,
  HpackDecoder,
  HpackEncoder,
  serializeFrame,
} from '../../src/h2/index.js';

test('random bytes give the HPACK decoder only H2Errors', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      try {
        new HpackDecoder().decode(bytes, 1);
      } catch (error) {
        assert.ok(H2Error.is(error), String(error));
      }
    }),
    { numRuns: 2000 },
  );
});

const encoder = new HpackEncoder();
const VALID = Buffer.concat([
  CONNECTION_PREFACE,
  serializeFrame({ type: T.SETTINGS, streamId: 0, ack: false, settings: [[4, 100000], [1, 1000]] }),
  serializeFrame({ type: T.HEADERS, streamId: 1, endStream: false, priority: null, headerBlock: encoder.encode([[':method', 'POST'], [':scheme', 'http'], [':authority', 'a'], [':path', '/x'], ['content-length', '5']]) }),
  serializeFrame({ type: T.DATA, streamId: 1, data: Buffer.from('hello'), endStream: true, padLength: 3 }),
  serializeFrame({ type: T.HEADERS, streamId: 3, endStream: true, priority: { streamDependency: 1, isExclusive: true, weight: 20 }, headerBlock: encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'a'], [':path', '/y'], ['cookie', 'a=b']]) }, 20),
  serializeFrame({ type: T.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 1000 }),
  serializeFrame({ type: T.PING, streamId: 0, ack: false, data: Buffer.alloc(8, 7) }),
  serializeFrame({ type: T.RST_STREAM, streamId: 3, errorCode: 8 }),
  serializeFrame({ type: T.GOAWAY, streamId: 0, lastStreamId: 0, errorCode: 0, debugData: Buffer.from('x') }),
]);

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
);

function mutate(input: Buffer, mutations: { kind: 'flip' | 'cut' | 'insert'; at: number; value?: number; bytes?: Uint8Array }[]): Buffer {
  let bytes = Buffer.from(input);
  for (const m of mutations) {
    // The preface is left alone (its own tests cover it), so mutations reach the frames.
    const at = CONNECTION_PREFACE.length + (m.at % Math.max(1, bytes.length - CONNECTION_PREFACE.length));
    if (m.kind === 'flip') bytes[at] = m.value ?? 0;
    else if (m.kind === 'cut') bytes = bytes.subarray(0, at);
    else bytes = Buffer.concat([bytes.subarray(0, at), m.bytes ?? new Uint8Array(0), bytes.subarray(at)]);
  }
  return bytes;
}

test('mutated client streams give the frame parser only H2Errors', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
      const parser = new FrameParser({ onFrame: () => {}, onStreamError: () => {} }, { expectPreface: true, expectSettings: true });
      try {
        parser.execute(mutate(VALID, mutations));
      } catch (error) {
        assert.ok(H2Error.is(error) && error.isConnectionError, String(error));
      }
    }),
    { numRuns: 1500 },
  );
});

test('an H2Connection never throws on mutated input, in any split, and falls silent after its GOAWAY', () => {
  fc.assert(
    fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 10 }), (mutations, cuts) => {
      const bytes = mutate(VALID, mutations);
      const sent: string[] = [];
      let errors = 0;
      const parser = new FrameParser({ onFrame: (f) => sent.push(f.type === T.GOAWAY ? `GOAWAY ${f.errorCode}` : String(f.type)) }, { maxFrameSize: 16777215 });
      const connection = new H2Connection(
        {
          onSend: (b) => parser.execute(b),
          onRequest: (id) => connection.sendHeaders(id, [[':status', '200']], true),
          onConnectionError: () => errors++,
        },
        { role: 'server' },
      );
      let at = 0;
      let i = 0;
      while (at < bytes.length) {
        const size = cuts[i++ % cuts.length] as number;
        connection.receive(bytes.subarray(at, at + size));
        at += size;
      }
      assert.ok(errors <= 1);
      if (errors === 1) {
        assert.equal(connection.isDead, true);
        assert.match(sent[sent.length - 1] ?? '', /^GOAWAY [1-9]/);
      }
    }),
    { numRuns: 1000 },
  );
});
