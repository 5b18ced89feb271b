import { test } from 'node:test';
import { check, type Fixture } from './harness.js';

function res(status: string, headerLines = '', body = ''): string {
  return `HTTP/1.1 ${status}\r\n${headerLines}\r\n${body}`;
}

const accepts: Fixture[] = [
  { name: 'Content-Length body', input: res('200 OK', 'Content-Length: 5\r\n', 'hello'), expect: { messages: [{ statusCode: 200, reasonPhrase: 'OK', framing: 'length', body: 'hello', keepAlive: true }] } },
  { name: 'reason phrase with spaces', input: res('404 Not Found Here', 'Content-Length: 0\r\n'), expect: { messages: [{ statusCode: 404, reasonPhrase: 'Not Found Here' }] } },
  { name: 'empty reason phrase after SP', input: res('200 ', 'Content-Length: 0\r\n'), expect: { messages: [{ reasonPhrase: '' }] } },
  { name: 'no SP after status code', input: 'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n', expect: { messages: [{ statusCode: 200, reasonPhrase: '' }] } },
  { name: 'obs-text in reason phrase', input: res('200 D\xe9j\xe0', 'Content-Length: 0\r\n'), expect: { messages: [{ reasonPhrase: 'D\xe9j\xe0' }] } },
  { name: 'unregistered status 599', input: res('599 Custom', 'Content-Length: 0\r\n'), expect: { messages: [{ statusCode: 599 }] } },
  { name: 'chunked body with trailers', input: res('200 OK', 'Transfer-Encoding: chunked\r\n', '3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n'), expect: { messages: [{ framing: 'chunked', body: 'abc', trailers: [['X-T', '1']] }] } },
  { name: 'close-delimited body', input: res('200 OK', 'Content-Type: text/plain\r\n', 'all of this until close'), expect: { messages: [{ framing: 'close', keepAlive: false, body: 'all of this until close' }] } },
  { name: 'empty close-delimited body', input: res('200 OK'), expect: { messages: [{ framing: 'close', body: '' }] } },
  { name: 'HTTP/1.0 close-delimited', input: 'HTTP/1.0 200 OK\r\n\r\nbody', expect: { messages: [{ versionMinor: 0, framing: 'close', body: 'body' }] } },
  { name: 'HTTP/1.0 keep-alive with length', input: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx', expect: { messages: [{ keepAlive: true, body: 'x' }] } },
  { name: 'HTTP/1.0 without keep-alive closes', input: 'HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx', expect: { messages: [{ keepAlive: false }] } },
  { name: 'Connection: close', input: res('200 OK', 'Connection: close\r\nContent-Length: 0\r\n'), expect: { messages: [{ keepAlive: false }] } },
  { name: '204 has no body even with Content-Length', input: `${res('204 No Content', 'Content-Length: 5\r\n')}${res('200 OK', 'Content-Length: 1\r\n', 'x')}`, expect: { messages: [{ statusCode: 204, framing: 'none', body: '' }, { statusCode: 200, body: 'x' }] } },
  { name: '304 has no body', input: `${res('304 Not Modified', 'ETag: "a"\r\nContent-Length: 100\r\n')}`, expect: { messages: [{ statusCode: 304, framing: 'none' }] } },
  { name: 'response to HEAD has no body', input: `${res('200 OK', 'Content-Length: 1000\r\n')}${res('200 OK', 'Content-Length: 2\r\n', 'ok')}`, options: { methods: ['HEAD', 'GET'] }, expect: { messages: [{ contentLength: -1, framing: 'none', body: '' }, { body: 'ok' }] } },
  { name: 'response to HEAD with chunked has no body', input: res('200 OK', 'Transfer-Encoding: chunked\r\n'), options: { methods: ['HEAD'] }, expect: { messages: [{ framing: 'none' }] } },
  { name: '100 Continue then final response', input: `${res('100 Continue')}${res('200 OK', 'Content-Length: 2\r\n', 'ok')}`, expect: { messages: [{ statusCode: 100, framing: 'none' }, { statusCode: 200, body: 'ok' }] } },
  { name: '103 Early Hints with fields then 200', input: `${res('103 Early Hints', 'Link: </a.css>; rel=preload\r\n')}${res('200 OK', 'Content-Length: 0\r\n')}`, expect: { messages: [{ statusCode: 103, headers: [['Link', '</a.css>; rel=preload']] }, { statusCode: 200 }] } },
  { name: 'interim responses keep the HEAD method for the final one', input: `${res('100 Continue')}${res('200 OK', 'Content-Length: 9\r\n')}`, options: { methods: ['HEAD'] }, expect: { messages: [{ statusCode: 100 }, { statusCode: 200, framing: 'none' }] } },
  { name: '101 Switching Protocols stops the parser', input: `${res('101 Switching Protocols', 'Upgrade: websocket\r\nConnection: Upgrade\r\n')}\x81\x05hello`, expect: { messages: [{ statusCode: 101, isUpgrade: true, body: '' }] } },
  { name: '200 to CONNECT is a tunnel', input: `${res('200 Connection Established')}tunnel bytes`, options: { methods: ['CONNECT'] }, expect: { messages: [{ isUpgrade: true, body: '' }] } },
  { name: '407 to CONNECT has a body', input: res('407 Proxy Authentication Required', 'Content-Length: 4\r\n', 'deny'), options: { methods: ['CONNECT'] }, expect: { messages: [{ isUpgrade: false, body: 'deny' }] } },
  { name: 'identical duplicate Content-Length', input: res('200 OK', 'Content-Length: 2\r\nContent-Length: 2\r\n', 'ok'), expect: { messages: [{ body: 'ok' }] } },
  { name: 'pipelined responses', input: `${res('200 OK', 'Content-Length: 1\r\n', 'a')}${res('201 Created', 'Transfer-Encoding: chunked\r\n', '1\r\nb\r\n0\r\n\r\n')}${res('204 No Content')}`, expect: { messages: [{ body: 'a' }, { statusCode: 201, body: 'b' }, { statusCode: 204 }] } },
  { name: 'lenient bare LF when enabled', input: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', options: { lenientLineEndings: true }, expect: { messages: [{ statusCode: 200, body: 'ok' }] } },
  { name: 'lenient bare LF in chunked body when enabled', input: 'HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\r\n0\n\n', options: { lenientLineEndings: true }, expect: { messages: [{ body: 'ok' }] } },
];

const rejects: Fixture[] = [
  { name: 'bare LF by default', input: 'HTTP/1.1 200 OK\nContent-Length: 2\n\nok', expect: { error: 'WIRE_INVALID_LINE_ENDING' } },
  { name: 'HTTP/2 status line', input: 'HTTP/2 200 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_VERSION' } },
  { name: 'HTTP/1.2 version is unsupported', input: 'HTTP/1.2 200 OK\r\n\r\n', expect: { error: 'WIRE_UNSUPPORTED_VERSION', status: 505 } },
  { name: 'ICY protocol', input: 'ICY 200 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_VERSION' } },
  { name: 'two-digit status', input: 'HTTP/1.1 20 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'four-digit status', input: 'HTTP/1.1 2000 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'status below 100', input: 'HTTP/1.1 099 Low\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'letters in status', input: 'HTTP/1.1 2x0 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'missing status', input: 'HTTP/1.1\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'two spaces before status', input: 'HTTP/1.1  200 OK\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'NUL in reason phrase', input: 'HTTP/1.1 200 O\x00K\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'bare CR in reason phrase', input: 'HTTP/1.1 200 O\rK\r\n\r\n', expect: { error: 'WIRE_INVALID_STATUS' } },
  { name: 'NUL in header value', input: res('200 OK', 'X-A: a\x00\r\nContent-Length: 0\r\n'), expect: { error: 'WIRE_INVALID_HEADER_VALUE' } },
  { name: 'obs-fold', input: res('200 OK', 'X-A: a\r\n b\r\nContent-Length: 0\r\n'), expect: { error: 'WIRE_OBS_FOLD' } },
  { name: 'duplicate Content-Length with different values', input: res('200 OK', 'Content-Length: 2\r\nContent-Length: 3\r\n', 'abc'), expect: { error: 'WIRE_INVALID_CONTENT_LENGTH' } },
  { name: 'negative Content-Length', input: res('200 OK', 'Content-Length: -2\r\n'), expect: { error: 'WIRE_INVALID_CONTENT_LENGTH' } },
  { name: 'Content-Length with TE', input: res('200 OK', 'Content-Length: 2\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), expect: { error: 'WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH' } },
  { name: 'chunked twice', input: res('200 OK', 'Transfer-Encoding: chunked, chunked\r\n', '0\r\n\r\n'), expect: { error: 'WIRE_INVALID_TRANSFER_ENCODING' } },
  { name: 'TE in HTTP/1.0 response', input: 'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', expect: { error: 'WIRE_TRANSFER_ENCODING_IN_HTTP10' } },
  { name: 'bad chunk size', input: res('200 OK', 'Transfer-Encoding: chunked\r\n', 'zz\r\n'), expect: { error: 'WIRE_INVALID_CHUNK_SIZE' } },
  { name: 'chunk data without CRLF', input: res('200 OK', 'Transfer-Encoding: chunked\r\n', '2\r\nokX0\r\n\r\n'), expect: { error: 'WIRE_INVALID_CHUNK_DATA' } },
  { name: 'truncated Content-Length body', input: res('200 OK', 'Content-Length: 10\r\n', 'short'), expect: { error: 'WIRE_INCOMPLETE_MESSAGE' } },
  { name: 'truncated chunked body', input: res('200 OK', 'Transfer-Encoding: chunked\r\n', 'a\r\nshort'), expect: { error: 'WIRE_INCOMPLETE_MESSAGE' } },
  { name: 'truncated head', input: 'HTTP/1.1 200 OK\r\nContent-Le', expect: { error: 'WIRE_INCOMPLETE_MESSAGE' } },
  { name: 'head over the limit', input: res('200 OK', `X-Big: ${'x'.repeat(17000)}\r\n`), expect: { error: 'WIRE_HEAD_TOO_LARGE' } },
  { name: 'lenient mode still rejects bare CR', input: 'HTTP/1.1 200 OK\nX-A: a\rb\n\n', options: { lenientLineEndings: true }, expect: { error: 'WIRE_INVALID_HEADER_VALUE' } },
];

for (const fixture of accepts) {
  test(`response parser accepts: ${fixture.name}`, () => check('response', fixture));
}
for (const fixture of rejects) {
  test(`response parser rejects: ${fixture.name}`, () => check('response', fixture));
}
