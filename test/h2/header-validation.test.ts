// RFC 9113 §8.2–§8.3: what makes a request, response or trailer list malformed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { H2Error, validateRequestHeaders, validateResponseHeaders, validateTrailers } from '../../src/h2/index.js';

const list = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const GET: [string, string][] = [[':method', 'GET'], [':scheme', 'https'], [':authority', 'a.example'], [':path', '/']];

function outcome(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    assert.ok(H2Error.is(error));
    assert.equal(error.streamId, 7);
    assert.equal(error.errorName, 'PROTOCOL_ERROR');
    return error.reason;
  }
}

test('a valid request gives its pseudo-headers apart and its fields in order', () => {
  const head = validateRequestHeaders(list(...GET, ['accept', '*/*'], ['content-length', '5'], ['te', 'trailers']), 7);
  assert.deepEqual(head, {
    method: 'GET',
    scheme: 'https',
    authority: 'a.example',
    path: '/',
    protocol: null,
    fields: [['accept', '*/*'], ['content-length', '5'], ['te', 'trailers']],
    contentLength: 5,
  });
});

const REQUESTS: [string, [string, string][], string, boolean?][] = [
  ['CONNECT with :authority only', [[':method', 'CONNECT'], [':authority', 'a:443']], 'ok'],
  ['extended CONNECT when allowed', [[':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'https'], [':path', '/ws'], [':authority', 'a']], 'ok', true],
  ['extended CONNECT when not allowed', [[':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'https'], [':path', '/ws']], 'H2_MALFORMED_HEADERS'],
  ['CONNECT with :path', [[':method', 'CONNECT'], [':authority', 'a:443'], [':path', '/']], 'H2_MALFORMED_HEADERS'],
  ['no :method', GET.slice(1), 'H2_MALFORMED_HEADERS'],
  ['no :path', GET.slice(0, 3), 'H2_MALFORMED_HEADERS'],
  ['no :scheme', [GET[0] as [string, string], ...GET.slice(2)], 'H2_MALFORMED_HEADERS'],
  ['an empty :path', [...GET.slice(0, 3), [':path', '']], 'H2_MALFORMED_HEADERS'],
  [':method twice', [...GET, [':method', 'GET']], 'H2_MALFORMED_HEADERS'],
  ['a pseudo-header after a regular field', [...GET.slice(0, 3), ['accept', '*/*'], [':path', '/']], 'H2_MALFORMED_HEADERS'],
  ['an unknown pseudo-header', [...GET, [':foo', 'x']], 'H2_MALFORMED_HEADERS'],
  [':status in a request', [...GET, [':status', '200']], 'H2_MALFORMED_HEADERS'],
  ['an uppercase field name', [...GET, ['Accept', '*/*']], 'H2_MALFORMED_HEADERS'],
  ['a space in a field name', [...GET, ['x a', '1']], 'H2_MALFORMED_HEADERS'],
  ['a colon inside a field name', [...GET, ['x:a', '1']], 'H2_MALFORMED_HEADERS'],
  ['a CR in a value', [...GET, ['x-a', 'a\rb']], 'H2_MALFORMED_HEADERS'],
  ['a NUL in a value', [...GET, ['x-a', 'a\0b']], 'H2_MALFORMED_HEADERS'],
  ['a value with a leading space', [...GET, ['x-a', ' a']], 'H2_MALFORMED_HEADERS'],
  ['a value with a trailing tab', [...GET, ['x-a', 'a\t']], 'H2_MALFORMED_HEADERS'],
  ['a value with inner spaces', [...GET, ['x-a', 'a  b']], 'ok'],
  ['a value with a control character', [...GET, ['x-a', 'a\x01b']], 'H2_MALFORMED_HEADERS'],
  ['a value with DEL', [...GET, ['x-a', 'a\x7fb']], 'H2_MALFORMED_HEADERS'],
  ['a value with obs-text', [...GET, ['x-a', 'caf\xe9']], 'ok'],
  ['a name that is not a token', [...GET, ['x(a)', '1']], 'H2_MALFORMED_HEADERS'],
  ['a name with a byte above 0x7f', [...GET, ['x-\xe9', '1']], 'H2_MALFORMED_HEADERS'],
  ['connection', [...GET, ['connection', 'keep-alive']], 'H2_MALFORMED_HEADERS'],
  ['keep-alive', [...GET, ['keep-alive', 'timeout=5']], 'H2_MALFORMED_HEADERS'],
  ['proxy-connection', [...GET, ['proxy-connection', 'close']], 'H2_MALFORMED_HEADERS'],
  ['transfer-encoding', [...GET, ['transfer-encoding', 'chunked']], 'H2_MALFORMED_HEADERS'],
  ['upgrade', [...GET, ['upgrade', 'h2c']], 'H2_MALFORMED_HEADERS'],
  ['te: gzip', [...GET, ['te', 'gzip']], 'H2_MALFORMED_HEADERS'],
  ['content-length not a number', [...GET, ['content-length', '1e3']], 'H2_MALFORMED_HEADERS'],
  ['two different content-lengths', [...GET, ['content-length', '1'], ['content-length', '2']], 'H2_MALFORMED_HEADERS'],
  ['two equal content-lengths', [...GET, ['content-length', '2'], ['content-length', '2']], 'ok'],
  ['a :path not starting with /', [...GET.slice(0, 3), [':path', 'index.html']], 'H2_MALFORMED_HEADERS'],
  ['an absolute URI as :path', [...GET.slice(0, 3), [':path', 'https://a.example/']], 'H2_MALFORMED_HEADERS'],
  ['OPTIONS *', [[':method', 'OPTIONS'], [':scheme', 'https'], [':authority', 'a'], [':path', '*']], 'ok'],
  ['GET *', [[':method', 'GET'], [':scheme', 'https'], [':authority', 'a'], [':path', '*']], 'H2_MALFORMED_HEADERS'],
  ['a host equal to :authority, in other case', [...GET, ['host', 'A.Example']], 'ok'],
  ['a host different from :authority', [...GET, ['host', 'b.example']], 'H2_MALFORMED_HEADERS'],
  ['host without :authority', [[':method', 'GET'], [':scheme', 'https'], [':path', '/'], ['host', 'b.example']], 'ok'],
];

for (const [name, pairs, expected, allowExtendedConnect] of REQUESTS) {
  test(`request with ${name}: ${expected}`, () => {
    assert.equal(outcome(() => validateRequestHeaders(list(...pairs), 7, allowExtendedConnect === true)), expected);
  });
}

test('responses need exactly one three-digit :status and no request pseudo-headers', () => {
  assert.deepEqual(validateResponseHeaders(list([':status', '200'], ['content-length', '0']), 7), { status: 200, fields: [['content-length', '0']], contentLength: 0 });
  const table: [[string, string][], string][] = [
    [[[':status', '103']], 'ok'],
    [[[':status', '101']], 'H2_MALFORMED_HEADERS'],
    [[], 'H2_MALFORMED_HEADERS'],
    [[[':status', '2000']], 'H2_MALFORMED_HEADERS'],
    [[[':status', 'abc']], 'H2_MALFORMED_HEADERS'],
    [[[':status', '200'], [':status', '200']], 'H2_MALFORMED_HEADERS'],
    [[[':status', '200'], [':path', '/']], 'H2_MALFORMED_HEADERS'],
    [[['server', 'x'], [':status', '200']], 'H2_MALFORMED_HEADERS'],
    [[[':status', '200'], ['connection', 'close']], 'H2_MALFORMED_HEADERS'],
  ];
  for (const [pairs, expected] of table) assert.equal(outcome(() => validateResponseHeaders(list(...pairs), 7)), expected, JSON.stringify(pairs));
});

test('trailers carry no pseudo-headers', () => {
  assert.deepEqual(validateTrailers(list(['x-checksum', 'abc']), 7), [['x-checksum', 'abc']]);
  assert.equal(outcome(() => validateTrailers(list([':status', '200']), 7)), 'H2_MALFORMED_HEADERS');
  assert.equal(outcome(() => validateTrailers(list(['X-A', '1']), 7)), 'H2_MALFORMED_HEADERS');
});
