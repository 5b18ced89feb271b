import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Fields,
  WireArgumentError,
  serializeFields,
  serializeRequestHead,
  serializeResponseHead,
} from '../../src/wire/index.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof WireArgumentError, 'expected a WireArgumentError');
    return error.code;
  }
  return 'no error';
}

test('request head is serialized byte-exact', () => {
  const head = serializeRequestHead({ method: 'GET', target: '/a?b=1', headers: { Host: 'example.com', Accept: '*/*' } });
  assert.equal(head, 'GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n');
});

test('HTTP/1.0 request line', () => {
  assert.equal(serializeRequestHead({ method: 'HEAD', target: '/', versionMinor: 0 }), 'HEAD / HTTP/1.0\r\n\r\n');
});

test('response head uses the standard reason phrase by default', () => {
  assert.equal(
    serializeResponseHead({ statusCode: 404, headers: [['Content-Length', 0]] }),
    'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
  );
  assert.equal(serializeResponseHead({ statusCode: 299 }), 'HTTP/1.1 299 \r\n\r\n');
  assert.equal(serializeResponseHead({ statusCode: 200, reasonPhrase: 'Fine', versionMinor: 0 }), 'HTTP/1.0 200 Fine\r\n\r\n');
});

test('record values that are arrays write one line each, in order; undefined is skipped', () => {
  assert.equal(serializeFields({ 'Set-Cookie': ['a=1', 'b=2'], 'X-None': undefined, 'X-N': 5 }), 'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-N: 5\r\n');
});

test('Fields and pair lists serialize in order with original case', () => {
  const fields = new Fields(['X-B', 'x-a'], ['2', '1']);
  assert.equal(serializeFields(fields), 'X-B: 2\r\nx-a: 1\r\n');
  assert.equal(serializeFields([['A', '1'], ['A', '2']]), 'A: 1\r\nA: 2\r\n');
});

const injections: { name: string; run: () => unknown }[] = [
  { name: 'CRLF in a header value', run: () => serializeFields({ 'X-A': 'a\r\nInjected: 1' }) },
  { name: 'bare LF in a header value', run: () => serializeFields({ 'X-A': 'a\nb' }) },
  { name: 'bare CR in a header value', run: () => serializeFields({ 'X-A': 'a\rb' }) },
  { name: 'NUL in a header value', run: () => serializeFields({ 'X-A': 'a\0b' }) },
  { name: 'char beyond latin1 in a header value', run: () => serializeFields({ 'X-A': 'snow\u2603' }) },
  { name: 'leading space in a header value', run: () => serializeFields({ 'X-A': ' a' }) },
  { name: 'colon in a header name', run: () => serializeFields({ 'X-A: b': 'c' }) },
  { name: 'space in a header name', run: () => serializeFields({ 'X A': 'c' }) },
  { name: 'CRLF in a header name', run: () => serializeFields({ 'X\r\nA': 'c' }) },
  { name: 'empty header name', run: () => serializeFields({ '': 'c' }) },
  { name: 'space in a method', run: () => serializeRequestHead({ method: 'GET /x', target: '/' }) },
  { name: 'empty method', run: () => serializeRequestHead({ method: '', target: '/' }) },
  { name: 'space in a target', run: () => serializeRequestHead({ method: 'GET', target: '/a b' }) },
  { name: 'CRLF in a target', run: () => serializeRequestHead({ method: 'GET', target: '/a\r\nHost: evil' }) },
  { name: 'empty target', run: () => serializeRequestHead({ method: 'GET', target: '' }) },
  { name: 'CRLF in a reason phrase', run: () => serializeResponseHead({ statusCode: 200, reasonPhrase: 'OK\r\nX: 1' }) },
  { name: 'status code 99', run: () => serializeResponseHead({ statusCode: 99 }) },
  { name: 'status code 1000', run: () => serializeResponseHead({ statusCode: 1000 }) },
  { name: 'fractional status code', run: () => serializeResponseHead({ statusCode: 200.5 }) },
];

for (const { name, run } of injections) {
  test(`serializer rejects ${name} with WIRE_INVALID_ARGUMENT`, () => {
    assert.equal(code(run), 'WIRE_INVALID_ARGUMENT');
  });
}
