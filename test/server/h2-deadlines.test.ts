// streamExpiry and connectionExpiry: which HTTP/2 deadline passed at a given time, in what order
// they are checked, and the error code each one ends its stream or connection with.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SERVER_LIMITS } from '../../src/server/options.js';
import { GOAWAY_PING_MS, connectionExpiry, streamExpiry, type ConnectionClocks, type StreamClocks } from '../../src/server/h2-deadlines.js';

const LIMITS = { ...DEFAULT_SERVER_LIMITS, handlerTimeout: 500, sendTimeout: 400, requestTimeout: 3_000, bodyTimeout: 1_000, headersTimeout: 200, keepAliveTimeout: 700 };
const OFF = { ...LIMITS, handlerTimeout: 0, sendTimeout: 0, requestTimeout: 0, bodyTimeout: 0, headersTimeout: 0, keepAliveTimeout: 0 };

// A stream opened at 10 000 whose body is still arriving, unanswered, with no deadline set yet.
const OPEN: StreamClocks = { response: null, handlerDeadline: 0, stalledSince: 0, openedAt: 10_000, bodyActivity: 10_000, requestBody: { isComplete: false }, isAborted: false };
const ANSWERED = { status: 200 };

const streamCases: { name: string; req: Partial<StreamClocks>; now: number; limits?: typeof LIMITS; expect: [string, string] | null }[] = [
  { name: 'nothing passed yet', req: {}, now: 10_999, expect: null },
  { name: 'the handler deadline, at the instant it passes', req: { handlerDeadline: 10_500 }, now: 10_500, expect: ['handler', 'SERVER_HANDLER_TIMEOUT'] },
  { name: 'the handler deadline before any other', req: { handlerDeadline: 10_500, stalledSince: 1, bodyActivity: 0 }, now: 20_000, expect: ['handler', 'SERVER_HANDLER_TIMEOUT'] },
  { name: 'no handler deadline once a response is known', req: { handlerDeadline: 10_500, response: ANSWERED, requestBody: null }, now: 20_000, expect: null },
  { name: 'a response waiting on a closed window for sendTimeout', req: { response: ANSWERED, stalledSince: 10_100, requestBody: null }, now: 10_500, expect: ['send', 'SERVER_SEND_TIMEOUT'] },
  { name: 'a response waiting just under sendTimeout', req: { response: ANSWERED, stalledSince: 10_100, requestBody: null }, now: 10_499, expect: null },
  { name: 'sendTimeout 0 never cancels a response', req: { response: ANSWERED, stalledSince: 1, requestBody: null }, now: 99_999, limits: OFF, expect: null },
  { name: 'a body paused for bodyTimeout', req: { bodyActivity: 10_200 }, now: 11_200, expect: ['body', 'SERVER_BODY_TIMEOUT'] },
  { name: 'a body still moving but the whole request over requestTimeout', req: { bodyActivity: 12_999 }, now: 13_000, expect: ['body', 'SERVER_REQUEST_TIMEOUT'] },
  { name: 'requestTimeout before bodyTimeout', req: { bodyActivity: 0 }, now: 13_000, expect: ['body', 'SERVER_REQUEST_TIMEOUT'] },
  { name: 'a body paused while a response is sent: still a body deadline', req: { response: ANSWERED, bodyActivity: 10_000 }, now: 11_000, expect: ['body', 'SERVER_BODY_TIMEOUT'] },
  { name: 'no body deadline once the body is complete', req: { requestBody: { isComplete: true } }, now: 99_999, expect: null },
  { name: 'no body deadline without a body', req: { requestBody: null }, now: 99_999, expect: null },
  { name: 'no body deadline once the request is aborted', req: { isAborted: true }, now: 99_999, expect: null },
  { name: 'every timeout 0: nothing ever passes', req: { handlerDeadline: 0, bodyActivity: 0 }, now: 99_999, limits: OFF, expect: null },
];

for (const c of streamCases) {
  test(`streamExpiry: ${c.name}`, () => {
    const expiry = streamExpiry({ ...OPEN, ...c.req }, c.limits ?? LIMITS, c.now);
    assert.deepEqual(expiry === null ? null : [expiry.kind, expiry.error.code], c.expect);
  });
}

test('streamExpiry names the limit that passed in its message', () => {
  assert.equal(streamExpiry({ ...OPEN, bodyActivity: 0 }, LIMITS, 11_000)?.error.message, 'Request body stalled for 1000 ms');
  assert.equal(streamExpiry({ ...OPEN, handlerDeadline: 1 }, LIMITS, 11_000)?.error.message, 'Handler did not answer within 500 ms');
});

// A connection with no stream since 10 000, no header block in progress, not shutting down.
const IDLE: ConnectionClocks = { pingSentAt: 0, headerBlockSince: 0, streamCount: 0, idleSince: 10_000 };

const connectionCases: { name: string; clocks: Partial<ConnectionClocks>; now: number; limits?: typeof LIMITS; expect: [string, string | null] | null }[] = [
  { name: 'idle just under keepAliveTimeout', clocks: {}, now: 10_699, expect: null },
  { name: 'idle for keepAliveTimeout', clocks: {}, now: 10_700, expect: ['idle', null] },
  { name: 'never idle while a stream is open', clocks: { streamCount: 1 }, now: 99_999, expect: null },
  { name: 'keepAliveTimeout 0 keeps an idle connection', clocks: {}, now: 99_999, limits: OFF, expect: null },
  { name: 'a header block unfinished for headersTimeout', clocks: { headerBlockSince: 10_500 }, now: 10_700, expect: ['headers', 'SERVER_HEADERS_TIMEOUT'] },
  { name: 'a header block in progress is not idleness', clocks: { headerBlockSince: 10_650 }, now: 10_700, expect: null },
  { name: 'headersTimeout 0 waits for a header block forever', clocks: { headerBlockSince: 1 }, now: 99_999, limits: OFF, expect: null },
  { name: 'the shutdown PING unanswered for GOAWAY_PING_MS', clocks: { pingSentAt: 10_000, streamCount: 2 }, now: 10_000 + GOAWAY_PING_MS, expect: ['shutdown', null] },
  { name: 'the shutdown PING before a header block deadline', clocks: { pingSentAt: 1, headerBlockSince: 1 }, now: 99_999, expect: ['shutdown', null] },
  { name: 'while the PING may still return, the other deadlines apply', clocks: { pingSentAt: 10_500, headerBlockSince: 10_000 }, now: 10_600, expect: ['headers', 'SERVER_HEADERS_TIMEOUT'] },
];

for (const c of connectionCases) {
  test(`connectionExpiry: ${c.name}`, () => {
    const expiry = connectionExpiry({ ...IDLE, ...c.clocks }, c.limits ?? LIMITS, c.now);
    assert.deepEqual(expiry === null ? null : [expiry.kind, expiry.kind === 'headers' ? expiry.error.code : null], c.expect);
  });
}
