// Property tests: what the serializer writes the parser reads back identically, in any split, and
// no mutation of a valid message makes the parser throw anything but a WireError.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import fc from 'fast-check';
import { encodeChunk, lastChunk, serializeRequestHead, serializeResponseHead, WireError } from '../../src/wire/index.js';
import { run, type Kind } from './harness.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
// Field names that would change framing or Host rules are left to the fixture tables.
const FRAMING = new Set(['content-length', 'transfer-encoding', 'host', 'connection']);
const fieldName = token.filter((n) => !FRAMING.has(n.toLowerCase()));
const VALUE_CHARS = [...Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i)), '\t', '\xe9', '\xff'];
const fieldValue = fc
  .string({ unit: fc.constantFrom(...VALUE_CHARS), maxLength: 40 })
  .map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
const PATH_CHARS = 'abcXYZ019-._~!$&\'()*+,;=:@/%?';
const target = fc.string({ unit: fc.constantFrom(...PATH_CHARS), maxLength: 60 }).map((p) => `/${p}`);
const body = fc.uint8Array({ maxLength: 3000 });

interface Generated {
  bytes: Buffer;
  headers: [string, string][];
  body: Buffer;
  trailers: [string, string][] | null;
}

const message = fc.record({
  headers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 15 }),
  body,
  chunked: fc.boolean(),
  chunkSizes: fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }),
  trailers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }),
});

type MessageParts = typeof message extends fc.Arbitrary<infer T> ? T : never;

function encodeBody(parts: MessageParts, head: (headers: [string, string][]) => string): Generated {
  const bodyBytes = Buffer.from(parts.body);
  const headers: [string, string][] = [...parts.headers];
  if (!parts.chunked) {
    headers.push(['Content-Length', String(bodyBytes.length)]);
    return { bytes: Buffer.concat([Buffer.from(head(headers), 'latin1'), bodyBytes]), headers, body: bodyBytes, trailers: null };
  }
  headers.push(['Transfer-Encoding', 'chunked']);
  const pieces: Buffer[] = [Buffer.from(head(headers), 'latin1')];
  let at = 0;
  let k = 0;
  while (at < bodyBytes.length) {
    const size = parts.chunkSizes[k++ % parts.chunkSizes.length] as number;
    pieces.push(encodeChunk(bodyBytes.subarray(at, at + size)));
    at += size;
  }
  pieces.push(Buffer.from(lastChunk(parts.trailers), 'latin1'));
  return { bytes: Buffer.concat(pieces), headers, body: bodyBytes, trailers: parts.trailers.length > 0 ? parts.trailers : null };
}

const request = fc.record({ method: token, target, parts: message }).map(({ method, target: t, parts }) => ({
  method,
  target: t,
  ...encodeBody(parts, (headers) => serializeRequestHead({ method, target: t, headers: [['Host', 'example.com'], ...headers] })),
}));

const response = fc
  .record({ status: fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304), parts: message })
  .map(({ status, parts }) => ({ status, ...encodeBody(parts, (headers) => serializeResponseHead({ statusCode: status, headers })) }));

/** cut splits bytes at the given fractions. */
function cut(bytes: Buffer, fractions: number[]): Buffer[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

const fractions = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

test('serialized requests parse back identically in any split', () => {
  fc.assert(
    fc.property(fc.array(request, { minLength: 1, maxLength: 3 }), fractions, (requests, fr) => {
      const stream = Buffer.concat(requests.map((r) => r.bytes));
      const outcome = run('request', cut(stream, fr));
      assert.equal(outcome.error, null);
      assert.equal(outcome.messages.length, requests.length);
      requests.forEach((r, i) => {
        const got = outcome.messages[i];
        assert.ok(got !== undefined);
        assert.equal(got.method, r.method);
        assert.equal(got.target, r.target);
        assert.deepEqual(got.headers, [['Host', 'example.com'], ...r.headers]);
        assert.equal(got.body, r.body.toString('latin1'));
        assert.deepEqual(got.trailers, r.trailers);
      });
    }),
    { numRuns: 300 },
  );
});

test('serialized responses parse back identically in any split', () => {
  fc.assert(
    fc.property(response, fractions, (r, fr) => {
      const outcome = run('response', cut(r.bytes, fr));
      assert.equal(outcome.error, null);
      const got = outcome.messages[0];
      assert.ok(got !== undefined);
      assert.equal(got.statusCode, r.status);
      assert.deepEqual(got.headers, r.headers);
      assert.equal(got.body, r.body.toString('latin1'));
      assert.deepEqual(got.trailers, r.trailers);
    }),
    { numRuns: 300 },
  );
});

const mutation = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.constantFrom(0, 9, 10, 13, 32, 44, 58, 59, 0x7f, 0x80, 0xff, 0x30, 0x66) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.constant(0) }),
  fc.record({ op: fc.constant('repeat' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), byte: fc.integer({ min: 1, max: 40 }) }),
);

function mutate(bytes: Buffer, mutations: { op: string; at: number; byte: number }[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = Math.min(out.length, Math.floor(m.at * out.length));
    if (m.op === 'flip' && at < out.length) out[at] = m.byte;
    else if (m.op === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from([m.byte]), out.subarray(at)]);
    else if (m.op === 'delete') out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1)]);
    else if (m.op === 'repeat') out = Buffer.concat([out.subarray(0, at + m.byte), out.subarray(at)]);
  }
  return out;
}

function neverThrowsForeign(kind: Kind, bytes: Buffer, fr: number[]): void {
  try {
    run(kind, cut(bytes, fr));
  } catch (error) {
    assert.fail(`non-WireError thrown: ${String(error)}${error instanceof WireError ? '' : ''}`);
  }
}

test('mutated requests give messages or a WireError, nothing else', () => {
  fc.assert(
    fc.property(request, fc.array(mutation, { minLength: 1, maxLength: 4 }), fractions, (r, ms, fr) => {
      neverThrowsForeign('request', mutate(r.bytes, ms), fr);
    }),
    { numRuns: 1500 },
  );
});

test('mutated responses give messages or a WireError, nothing else', () => {
  fc.assert(
    fc.property(response, fc.array(mutation, { minLength: 1, maxLength: 4 }), fractions, (r, ms, fr) => {
      neverThrowsForeign('response', mutate(r.bytes, ms), fr);
    }),
    { numRuns: 1500 },
  );
});

test('random bytes give a WireError or nothing, never a crash', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, isRequest) => {
      neverThrowsForeign(isRequest ? 'request' : 'response', Buffer.from(bytes), []);
    }),
    { numRuns: 1000 },
  );
});
