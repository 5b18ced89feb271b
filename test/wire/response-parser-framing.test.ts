// Issue 8, client item 9: empty lines before a status line are skipped (RFC 9112 §2.2; aiohttp
// sends one after 100 Continue), and a response whose Transfer-Encoding does not end in chunked is
// read until close (RFC 9112 §6.3 (4)) instead of being rejected. Each fixture is fed whole, byte
// by byte, at random cuts (check) and cut in two at every byte (below).
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { check, run, type Fixture } from './harness.js';

const accepts: Fixture[] = [
  { name: 'an empty line before the status line', input: '\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', expect: { messages: [{ statusCode: 200, body: 'ok' }] } },
  { name: 'three empty lines before the status line', input: '\r\n\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n', expect: { messages: [{ statusCode: 204 }] } },
  {
    name: 'an empty line after 100 Continue, as aiohttp sends it',
    input: 'HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    expect: { messages: [{ statusCode: 100, framing: 'none' }, { statusCode: 200, body: 'ok' }] },
  },
  {
    name: 'an empty line between pipelined responses',
    input: 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb',
    expect: { messages: [{ body: 'a' }, { body: 'b' }] },
  },
  { name: 'only empty lines, then the end: no message and no error', input: '\r\n\r\n', expect: { messages: [] } },
  { name: 'an empty line with a bare LF in lenient mode', input: '\nHTTP/1.1 200 OK\nContent-Length: 0\n\n', options: { lenientLineEndings: true }, expect: { messages: [{ statusCode: 200 }] } },
  {
    name: 'Transfer-Encoding gzip alone: read until close',
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b\x08\x00zzz',
    expect: { messages: [{ framing: 'close', keepAlive: false, contentLength: -1, body: '\x1f\x8b\x08\x00zzz' }] },
  },
  {
    name: 'Transfer-Encoding chunked then gzip: chunked is not final, read until close',
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
    expect: { messages: [{ framing: 'close', keepAlive: false, body: '3\r\nabc\r\n0\r\n\r\n' }] },
  },
  {
    name: 'Transfer-Encoding gzip then chunked: framed by chunked',
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n',
    expect: { messages: [{ framing: 'chunked', keepAlive: true, body: 'abc' }, { statusCode: 204 }] },
  },
  {
    name: 'Transfer-Encoding split over two fields, not ending in chunked',
    input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: x-custom\r\n\r\nraw',
    expect: { messages: [{ framing: 'close', body: 'raw' }] },
  },
];

const rejects: Fixture[] = [
  { name: 'an empty line ending in a bare LF', input: '\nHTTP/1.1 200 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_LINE_ENDING' } },
  { name: 'a line of spaces before the status line', input: ' \r\nHTTP/1.1 200 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_VERSION' } },
  { name: 'chunked twice, last', input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n', expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING' } },
  { name: 'chunked twice, not last', input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip, chunked\r\n\r\n0\r\n\r\n', expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING' } },
  { name: 'an empty coding in the list', input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, , chunked\r\n\r\n0\r\n\r\n', expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING' } },
  { name: 'Transfer-Encoding gzip with Content-Length', input: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabc', expect: { error: 'WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH' } },
  { name: 'Transfer-Encoding gzip in HTTP/1.0', input: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc', expect: { error: 'WIRE_TRANSFER_ENCODING_IN_HTTP10' } },
];

// Every cut in two pieces gives what the whole input gives.
function checkEveryCut(fixture: Fixture): void {
  const input = Buffer.from(fixture.input, 'latin1');
  const whole = run('response', [input], fixture.options);
  for (let cut = 1; cut < input.length; cut++) {
    const split = run('response', [input.subarray(0, cut), input.subarray(cut)], fixture.options);
    assert.deepEqual({ ...split, consumed: 0 }, { ...whole, consumed: 0 }, `${fixture.name}: cut at ${cut}`);
  }
}

for (const fixture of accepts) {
  test(`response parser accepts: ${fixture.name}`, () => {
    check('response', fixture);
    checkEveryCut(fixture);
  });
}
for (const fixture of rejects) {
  test(`response parser rejects: ${fixture.name}`, () => {
    check('response', fixture);
    checkEveryCut(fixture);
  });
}

test('request parser still rejects a Transfer-Encoding that does not end in chunked, and unknown codings with 501', () => {
  check('request', { name: 'chunked, gzip', input: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n', expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING', status: 400 } });
  check('request', { name: 'gzip, chunked', input: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', expect: { error: 'WIRE_UNSUPPORTED_TRANSFER_ENCODING', status: 501 } });
  check('request', { name: 'chunked, chunked', input: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n', expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING', status: 400 } });
});
