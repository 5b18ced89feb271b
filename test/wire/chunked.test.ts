import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { chunkPrefix, encodeChunk, lastChunk } from '../../src/wire/index.js';
import { run } from './harness.js';

test('encodeChunk frames bytes with a hex size line and CRLF', () => {
  assert.equal(encodeChunk('hello').toString('latin1'), '5\r\nhello\r\n');
  assert.equal(encodeChunk(Buffer.alloc(255, 0x61)).toString('latin1'), `ff\r\n${'a'.repeat(255)}\r\n`);
  assert.equal(encodeChunk('h\u00e9').toString('latin1'), '3\r\nh\xc3\xa9\r\n');
});

test('an empty chunk encodes to nothing, never to the last-chunk', () => {
  assert.equal(encodeChunk('').length, 0);
  assert.equal(encodeChunk(new Uint8Array(0)).length, 0);
});

test('chunkPrefix writes the chunk-size line in hex', () => {
  assert.equal(chunkPrefix(4096), '1000\r\n');
});

test('lastChunk writes trailers and the final CRLF', () => {
  assert.equal(lastChunk(), '0\r\n\r\n');
  assert.equal(lastChunk({ 'X-Checksum': 'abc' }), '0\r\nX-Checksum: abc\r\n\r\n');
});

test('what the encoder writes the parser reads back', () => {
  const body = Buffer.concat([encodeChunk('first '), encodeChunk(Buffer.alloc(70000, 0x7a)), Buffer.from(lastChunk({ 'X-T': '1' }))]);
  const head = Buffer.from('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n');
  const outcome = run('request', [Buffer.concat([head, body])]);
  assert.equal(outcome.error, null);
  assert.equal(outcome.messages[0]?.body, `first ${'z'.repeat(70000)}`);
  assert.deepEqual(outcome.messages[0]?.trailers, [['X-T', '1']]);
});
