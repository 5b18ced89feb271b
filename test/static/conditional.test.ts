import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Fields } from '../../src/wire/index.js';
import { checkPreconditions, ifRangeAllows, type Validators } from '../../src/static/conditional.js';
import { parseHttpDate } from '../../src/http/index.js';
import { fileETag, parseTagList } from '../../src/static/etag.js';

const MODIFIED = Date.UTC(2024, 0, 15, 10, 30, 0) + 250; // sub-second part must not matter
const v: Validators = { etag: '"abc"', lastModified: MODIFIED, lastModifiedText: new Date(MODIFIED).toUTCString() };
const SAME = 'Mon, 15 Jan 2024 10:30:00 GMT';
const EARLIER = 'Mon, 15 Jan 2024 10:29:59 GMT';
const LATER = 'Mon, 15 Jan 2024 10:30:01 GMT';

function fields(pairs: [string, string][]): Fields {
  const f = new Fields();
  for (const [n, value] of pairs) f.append(n, value);
  return f;
}

describe('parseHttpDate', () => {
  test('accepts the three formats of RFC 9110 §5.6.7', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), expected);
    assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Date.UTC(2026, 0, 1)), expected);
    assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), expected);
  });
  test('rejects what is not an HTTP-date', () => {
    for (const bad of ['', 'yesterday', '2024-01-15T10:30:00Z', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 25:00:00 GMT', 'sun, 06 nov 1994 08:49:37 gmt']) {
      assert.equal(parseHttpDate(bad), undefined, bad);
    }
  });
  test('a two-digit year more than 50 years ahead is in the past century', () => {
    assert.equal(new Date(parseHttpDate('Friday, 01-Jan-99 00:00:00 GMT', Date.UTC(2026, 0, 1)) as number).getUTCFullYear(), 1999);
    assert.equal(new Date(parseHttpDate('Saturday, 01-Jan-50 00:00:00 GMT', Date.UTC(2026, 0, 1)) as number).getUTCFullYear(), 2050);
  });
});

describe('entity tags', () => {
  test('fileETag is strong, changes with time and size, and names the coding', () => {
    assert.match(fileETag(1000.5, 10), /^"[0-9a-z]+-a"$/);
    assert.notEqual(fileETag(1000, 10), fileETag(1001, 10));
    assert.notEqual(fileETag(1000, 10), fileETag(1000, 11));
    assert.match(fileETag(1000, 10, 'br'), /-br"$/);
  });
  test('parseTagList reads lists, weak tags, * and commas inside quotes', () => {
    assert.deepEqual(parseTagList('*'), { isAny: true });
    assert.deepEqual(parseTagList(' "a" , W/"b",,"c,d"'), {
      isAny: false,
      tags: [
        { isWeak: false, opaque: '"a"' },
        { isWeak: true, opaque: '"b"' },
        { isWeak: false, opaque: '"c,d"' },
      ],
    });
  });
  test('parseTagList rejects malformed values', () => {
    for (const bad of ['abc', '"abc', '"a" "b"', '*, "a"', 'W/abc', '', '"a b"']) assert.equal(parseTagList(bad), null, bad);
  });
});

describe('checkPreconditions follows RFC 9110 §13.2.2', () => {
  const table: { name: string; method?: string; headers: [string, string][]; expect: unknown }[] = [
    { name: 'no conditions', headers: [], expect: 'proceed' },
    { name: 'If-None-Match matching', headers: [['If-None-Match', '"abc"']], expect: 304 },
    { name: 'If-None-Match matching weakly', headers: [['If-None-Match', 'W/"abc"']], expect: 304 },
    { name: 'If-None-Match in a list', headers: [['If-None-Match', '"x", "abc"']], expect: 304 },
    { name: 'If-None-Match split over two lines', headers: [['If-None-Match', '"x"'], ['if-none-match', '"abc"']], expect: 304 },
    { name: 'If-None-Match *', headers: [['If-None-Match', '*']], expect: 304 },
    { name: 'If-None-Match other tag', headers: [['If-None-Match', '"x"']], expect: 'proceed' },
    { name: 'If-None-Match malformed is ignored', headers: [['If-None-Match', 'abc']], expect: 'proceed' },
    { name: 'If-Modified-Since same second', headers: [['If-Modified-Since', SAME]], expect: 304 },
    { name: 'If-Modified-Since later', headers: [['If-Modified-Since', LATER]], expect: 304 },
    { name: 'If-Modified-Since earlier', headers: [['If-Modified-Since', EARLIER]], expect: 'proceed' },
    { name: 'If-Modified-Since invalid is ignored', headers: [['If-Modified-Since', 'garbage']], expect: 'proceed' },
    { name: 'If-Modified-Since twice is ignored', headers: [['If-Modified-Since', SAME], ['If-Modified-Since', SAME]], expect: 'proceed' },
    { name: 'If-None-Match wins over If-Modified-Since', headers: [['If-None-Match', '"x"'], ['If-Modified-Since', LATER]], expect: 'proceed' },
    { name: 'If-Modified-Since ignored for other methods', method: 'POST', headers: [['If-Modified-Since', LATER]], expect: 'proceed' },
    { name: 'If-None-Match match on other methods is 412', method: 'PUT', headers: [['If-None-Match', '*']], expect: 412 },
    { name: 'If-Match matching', headers: [['If-Match', '"abc"']], expect: 'proceed' },
    { name: 'If-Match *', headers: [['If-Match', '*']], expect: 'proceed' },
    { name: 'If-Match weak never matches', headers: [['If-Match', 'W/"abc"']], expect: 412 },
    { name: 'If-Match other', headers: [['If-Match', '"x"']], expect: 412 },
    { name: 'If-Match fails before If-None-Match is looked at', headers: [['If-Match', '"x"'], ['If-None-Match', '"abc"']], expect: 412 },
    { name: 'If-Match passes then If-None-Match gives 304', headers: [['If-Match', '"abc"'], ['If-None-Match', '"abc"']], expect: 304 },
    { name: 'If-Unmodified-Since earlier', headers: [['If-Unmodified-Since', EARLIER]], expect: 412 },
    { name: 'If-Unmodified-Since same', headers: [['If-Unmodified-Since', SAME]], expect: 'proceed' },
    { name: 'If-Unmodified-Since ignored with If-Match', headers: [['If-Match', '"abc"'], ['If-Unmodified-Since', EARLIER]], expect: 'proceed' },
    { name: 'If-Unmodified-Since invalid is ignored', headers: [['If-Unmodified-Since', 'nope']], expect: 'proceed' },
    { name: 'HEAD like GET', method: 'HEAD', headers: [['If-None-Match', '"abc"']], expect: 304 },
  ];
  for (const { name, method, headers, expect } of table) {
    test(name, () => assert.equal(checkPreconditions(method ?? 'GET', fields(headers), v), expect));
  }
});

describe('ifRangeAllows', () => {
  test('without If-Range the range is honoured', () => assert.equal(ifRangeAllows(undefined, v), true));
  test('a strong matching tag allows', () => assert.equal(ifRangeAllows('"abc"', v), true));
  test('a weak tag never allows', () => assert.equal(ifRangeAllows('W/"abc"', v), false));
  test('another tag does not allow', () => assert.equal(ifRangeAllows('"x"', v), false));
  test('the exact Last-Modified date allows', () => assert.equal(ifRangeAllows(SAME, v), true));
  test('another date does not allow', () => assert.equal(ifRangeAllows(LATER, v), false));
  test('garbage does not allow', () => assert.equal(ifRangeAllows('garbage', v), false));
});
