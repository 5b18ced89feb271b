// A request the codec rejects gets its reason: the 4xx/5xx body says what was wrong (the
// WireError's message and where), and the server tells onRequestRejected, which the access log
// uses. Before, the body was only the reason phrase ("Bad Request") and nothing was logged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createServer, type Server } from '../../src/server/index.js';
import type { RequestRejection } from '../../src/server/server.js';
import { rawExchange, rawRequest } from '../support/raw-client.js';

let server: Server;
const rejections: RequestRejection[] = [];

before(async () => {
  server = createServer(() => ({ status: 200, body: 'ok' }), { onRequestRejected: (r) => rejections.push(r) });
  await server.listen({ port: 0, hostname: '127.0.0.1' });
});
after(async () => {
  await server.close();
});

const cases = [
  { name: 'a bare LF after the request line', request: 'GET / HTTP/1.0\nHost: x\r\n\r\n', status: 400, code: 'WIRE_INVALID_LINE_ENDING', body: '400 Bad Request: Invalid line ending: bare LF (byte 14)\n' },
  { name: 'a bare LF after a header line', request: 'GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n', status: 400, code: 'WIRE_INVALID_LINE_ENDING', body: '400 Bad Request: Invalid line ending: bare LF (byte 23)\n' },
  { name: 'a space before the colon', request: 'GET / HTTP/1.1\r\nHost x\r\n\r\n', status: 400, code: 'WIRE_INVALID_HEADER_NAME', body: '400 Bad Request: Invalid header: whitespace between field name and colon (byte 20)\n' },
  { name: 'no Host in HTTP/1.1', request: 'GET / HTTP/1.1\r\n\r\n', status: 400, code: 'WIRE_MISSING_HOST', body: '400 Bad Request: Invalid request: missing Host field (byte 16)\n' },
  { name: 'HTTP/2.0 in a request line', request: 'GET / HTTP/2.0\r\n\r\n', status: 505, code: 'WIRE_UNSUPPORTED_VERSION', body: '505 HTTP Version Not Supported: Unsupported HTTP version "HTTP/2.0" (byte 6)\n' },
];

describe('a rejected request gets its reason', () => {
  for (const c of cases) {
    test(`${c.name}: ${c.status} with the reason in the body and to onRequestRejected`, async () => {
      const before = rejections.length;
      const res = await rawRequest(server.port, c.request);
      assert.equal(res.status, c.status);
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      assert.equal(res.headers.connection, 'close');
      assert.equal(res.body.toString(), c.body);
      assert.equal(Number(res.headers['content-length']), res.body.length);
      for (let i = 0; i < 100 && rejections.length === before; i++) await new Promise((r) => setTimeout(r, 20));
      const seen = rejections[before];
      assert.ok(seen !== undefined, 'onRequestRejected was not called');
      assert.equal(seen.status, c.status);
      assert.equal(seen.code, c.code);
      assert.equal(seen.remoteAddress, '127.0.0.1');
      assert.equal(seen.bytes, res.body.length);
      assert.equal(`${c.status} ${res.status === 505 ? 'HTTP Version Not Supported' : 'Bad Request'}: ${seen.reason}\n`, c.body);
    });
  }

  test('a request answered before the bad one is unaffected', async () => {
    const [res, rejected, ...more] = await rawExchange(server.port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost x\r\n\r\n');
    assert.equal(res?.status, 200);
    assert.match(res?.body.toString() ?? '', /^ok/);
    assert.equal(rejected?.status, 400);
    assert.equal(rejected?.headers.connection, 'close');
    assert.equal(more.length, 0);
  });
});
