// The messages bench:parser and parser-ab.mjs feed the parsers: one place, so both measure the same bytes.
import { Buffer } from 'node:buffer';

// (a) a ~500-byte browser GET with 10 headers
export const browserGet = Buffer.from(
  'GET /assets/app/main.js?v=20261123 HTTP/1.1\r\n' +
    'Host: www.example.com\r\n' +
    'User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36\r\n' +
    'Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n' +
    'Accept-Language: en-US,en;q=0.9\r\n' +
    'Accept-Encoding: gzip, deflate, br, zstd\r\n' +
    'Connection: keep-alive\r\n' +
    'Referer: https://www.example.com/\r\n' +
    'Cookie: session=8f2b1c9a7d; theme=dark\r\n' +
    'Sec-Fetch-Mode: no-cors\r\n' +
    'Cache-Control: no-cache\r\n\r\n',
  'latin1',
);

// (b) a POST with a 1 KiB JSON body
const json = JSON.stringify({ items: Array.from({ length: 24 }, (_, i) => ({ id: i, name: `item-${i}`, ok: true })) }).slice(0, 1024);
export const jsonPost = Buffer.concat([
  Buffer.from(
    'POST /api/items HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(json)}\r\nAccept: application/json\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n`,
    'latin1',
  ),
  Buffer.from(json),
]);

// (c) a 64 KiB chunked response, in 16 chunks of 4 KiB
const chunk = Buffer.alloc(4096, 0x61);
export const chunkedResponse = Buffer.concat([
  Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nDate: Mon, 23 Nov 2026 10:00:00 GMT\r\n\r\n', 'latin1'),
  ...Array.from({ length: 16 }, () => Buffer.concat([Buffer.from('1000\r\n'), chunk, Buffer.from('\r\n')])),
  Buffer.from('0\r\n\r\n'),
]);

/** cases are [name, parser kind, one message]; each is measured alone and pipelined ×16. */
export const cases = [
  ['(a) browser GET, 10 headers', 'request', browserGet],
  ['(b) POST, 1 KiB JSON body', 'request', jsonPost],
  ['(c) 64 KiB chunked response', 'response', chunkedResponse],
];
