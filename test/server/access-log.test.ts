import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clfTime, escapeLogText, formatCombined, formatJson, type AccessRecord } from '../../src/server/access-log.js';

const record: AccessRecord = {
  remoteAddress: '127.0.0.1',
  method: 'GET',
  target: '/index.html',
  httpVersion: '1.1',
  status: 200,
  bytes: 1234,
  referer: undefined,
  userAgent: 'curl/8.0',
  time: new Date(Date.UTC(2000, 9, 10, 13, 55, 36)),
  durationMs: 1.5,
};

test('a combined log line looks like nginx and Apache write it', () => {
  assert.equal(clfTime(record.time), '10/Oct/2000:13:55:36 +0000');
  assert.equal(formatCombined(record), '127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 1234 "-" "curl/8.0"');
});

test('control characters, quotes and high bytes in the request line are escaped', () => {
  const line = formatCombined({ ...record, target: '/a\r\n127.0.0.1 - - "GET /forged"\x1b[2J\xff', userAgent: 'x"y\\z\x00' });
  assert.equal(line.includes('\n'), false);
  assert.equal(line.includes('\r'), false);
  assert.equal(line.includes('\x1b'), false);
  assert.match(line, /"GET \/a\\x0d\\x0a127\.0\.0\.1 - - \\"GET \/forged\\"\\x1b\[2J\\xff HTTP\/1\.1"/);
  assert.match(line, /"x\\"y\\\\z\\x00"$/);
});

test('escapeLogText leaves plain text alone', () => {
  assert.equal(escapeLogText('/a/b?c=d'), '/a/b?c=d');
});

test('a JSON log line is one line of valid JSON with C1 controls escaped', () => {
  const line = formatJson({ ...record, target: '/x\n\x9b2J\x7f', bytes: undefined });
  assert.equal(line.includes('\n'), false);
  assert.equal(/[\x7f-\x9f]/.test(line), false);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed.target, '/x\n\x9b2J\x7f');
  assert.equal(parsed.bytes, null);
  assert.equal(parsed.status, 200);
});
