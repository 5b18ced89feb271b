import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { Fields, MalformedMessageError, RequestParser, ResponseParser, WireError, hasToken, type RequestHead } from '../../src/wire/index.js';

const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';

test('execute returns the bytes consumed before an upgrade; the rest is left to the caller', () => {
  const heads: RequestHead[] = [];
  const parser = new RequestParser({ onHead: (h) => heads.push(h) });
  const head = 'CONNECT a.com:443 HTTP/1.1\r\nHost: a.com:443\r\n\r\n';
  const input = Buffer.from(`${head}\x16\x03\x01`, 'latin1');
  assert.equal(parser.execute(input), head.length);
  assert.equal(parser.isUpgraded, true);
  assert.equal(parser.execute(Buffer.from('more')), 0);
  assert.equal(heads.length, 1);
});

test('pause stops after the current message and resume continues with the rest', () => {
  const targets: string[] = [];
  const parser = new RequestParser({
    onHead: (h) => targets.push(h.target),
    onComplete: () => parser.pause(),
  });
  const input = Buffer.from(`${GET}${GET.replace('/', '/2')}`, 'latin1');
  const first = parser.execute(input);
  assert.equal(first, GET.length);
  assert.deepEqual(targets, ['/']);
  parser.resume();
  assert.equal(parser.execute(input.subarray(first)), input.length - first);
  assert.deepEqual(targets, ['/', '/2']);
});

test('a failed parser throws the same error again', () => {
  const parser = new RequestParser({ onHead() {} });
  const first = assert.throws(() => parser.execute(Buffer.from('BAD( / HTTP/1.1\r\n')));
  void first;
  let again: unknown;
  try {
    parser.execute(Buffer.from(GET));
  } catch (error) {
    again = error;
  }
  assert.ok(again instanceof MalformedMessageError);
  assert.equal(again.code, 'WIRE_MALFORMED_MESSAGE');
  assert.equal(again.reason, 'WIRE_INVALID_METHOD');
});

test('errors carry code, reason, status and the stream offset of the offending byte', () => {
  const parser = new RequestParser({ onHead() {} });
  parser.execute(Buffer.from(GET));
  try {
    parser.execute(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nX-A: a\x00b\r\n\r\n', 'latin1'));
    assert.fail('expected a rejection');
  } catch (error) {
    assert.ok(WireError.is(error));
    assert.ok(MalformedMessageError.is(error));
    assert.equal(error.code, 'WIRE_MALFORMED_MESSAGE');
    assert.equal(error.reason, 'WIRE_INVALID_HEADER_VALUE');
    assert.equal(error.status, 400);
    assert.equal(error.offset, GET.length + 'GET / HTTP/1.1\r\nHost: a\r\nX-A: a'.length);
    assert.match(error.message, /^Invalid header value "X-A": contains NUL$/);
  }
});

test('finish on an idle parser is a clean end', () => {
  const parser = new RequestParser({ onHead() {} });
  parser.execute(Buffer.from(GET));
  parser.finish();
  assert.equal(parser.isIdle, true);
});

test('body slices view the input buffer without copying', () => {
  const input = Buffer.from('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello', 'latin1');
  const slices: Buffer[] = [];
  new RequestParser({ onHead() {}, onBody: (b) => slices.push(b) }).execute(input);
  assert.equal(slices.length, 1);
  assert.equal(slices[0]?.buffer, input.buffer);
  assert.equal(slices[0]?.toString(), 'hello');
});

test('a plain Uint8Array is accepted as input', () => {
  const heads: RequestHead[] = [];
  const parser = new RequestParser({ onHead: (h) => heads.push(h) });
  parser.execute(new TextEncoder().encode(GET));
  assert.equal(heads[0]?.method, 'GET');
});

test('the response parser frames each response by the method queued for it', () => {
  const bodies: string[] = [];
  let body = '';
  const parser = new ResponseParser({
    onHead() {
      body = '';
    },
    onBody: (b) => {
      body += b.toString();
    },
    onComplete: () => bodies.push(body),
  });
  parser.expectResponseTo('get');
  parser.expectResponseTo('head');
  parser.expectResponseTo('GET');
  parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na' + 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n' + 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nc'));
  assert.deepEqual(bodies, ['a', '', 'c']);
});

test('Fields look up names case-insensitively and keep wire order', () => {
  const fields = new Fields(['Content-Type', 'X-A', 'x-a'], ['text/plain', '1', '2']);
  assert.equal(fields.get('content-type'), 'text/plain');
  assert.equal(fields.get('CONTENT-TYPE'), 'text/plain');
  assert.deepEqual(fields.getAll('X-a'), ['1', '2']);
  assert.equal(fields.has('missing'), false);
  assert.equal(fields.get('missing'), undefined);
  fields.append('Late', 'yes');
  assert.equal(fields.get('late'), 'yes');
  assert.deepEqual({ ...fields.toObject() }, { 'content-type': 'text/plain', 'x-a': '1, 2', late: 'yes' });
  assert.deepEqual([...fields].map(([n]) => n), ['Content-Type', 'X-A', 'x-a', 'Late']);
});

test('hasToken finds a token in a comma list, ignoring case and OWS', () => {
  assert.equal(hasToken('keep-alive, Upgrade', 'upgrade'), true);
  assert.equal(hasToken(' close ', 'close'), true);
  assert.equal(hasToken('closed', 'close'), false);
  assert.equal(hasToken('', 'close'), false);
  assert.equal(hasToken('a,,close', 'close'), true);
});

test('parsed header fields answer lookups before and after they are decoded', () => {
  const heads: RequestHead[] = [];
  const parser = new RequestParser({ onHead: (h) => heads.push(h) });
  const input = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nX-Multi: 1\r\nAccept: */*\r\nx-multi:  2 \r\n\r\n', 'latin1');
  parser.execute(input);
  input.fill(0x21); // the caller reuses its buffer: the head must not change
  const fields = heads[0]?.headers;
  assert.ok(fields !== undefined);
  assert.equal(fields.size, 4);
  assert.equal(fields.get('ACCEPT'), '*/*');
  assert.equal(fields.has('x-MULTI'), true);
  assert.equal(fields.has('x-mult'), false);
  assert.deepEqual(fields.getAll('X-Multi'), ['1', '2']);
  assert.deepEqual(fields.names, ['Host', 'X-Multi', 'Accept', 'x-multi']);
  assert.deepEqual(fields.values, ['a', '1', '*/*', '2']);
  assert.deepEqual(fields.getAll('x-multi'), ['1', '2']);
});

test('a head split across input buffers survives the caller reusing them', () => {
  const heads: RequestHead[] = [];
  const parser = new RequestParser({ onHead: (h) => heads.push(h) });
  const first = Buffer.from('GET / HTTP/1.1\r\nHost: a\r\nX-One: 1\r\n', 'latin1');
  parser.execute(first);
  first.fill(0x21);
  const second = Buffer.from('X-Two: 2\r\n\r\n', 'latin1');
  parser.execute(second);
  second.fill(0x21);
  assert.deepEqual([...(heads[0]?.headers ?? [])], [['Host', 'a'], ['X-One', '1'], ['X-Two', '2']]);
});

test('a stray CRLF after a request and then the end of the stream is a clean end', () => {
  const heads: RequestHead[] = [];
  const parser = new RequestParser({ onHead: (h) => heads.push(h) });
  parser.execute(Buffer.from(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok\r\n`, 'latin1'));
  assert.equal(parser.isIdle, true);
  parser.finish();
  assert.equal(heads.length, 1);
});
