import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CourierError } from '../../src/http/index.js';
import { H2ConnectionError, H2Error, H2StreamError } from '../../src/h2/index.js';
import {
  IncompleteMessageError,
  LimitExceededError,
  MalformedMessageError,
  UnsupportedMessageError,
  WireArgumentError,
  WireError,
  type WireErrorCode,
} from '../../src/wire/index.js';
import { parseError, type ParseReason } from '../../src/wire/errors.js';
import { ServerError } from '../../src/server/index.js';
import { StaticError } from '../../src/static/errors.js';
import { UsageError } from '../../src/cli/usage.js';
import {
  AbortError,
  AgentClosedError,
  BodyTimeoutError,
  BodyUsedError,
  ClientError,
  ConnectError,
  ConnectFailedError,
  ConnectRefusedError,
  ConnectTimeoutError,
  DecompressionError,
  DecompressionLimitError,
  DnsError,
  HeadersTimeoutError,
  InvalidArgumentError,
  InvalidResponseError,
  InvalidUrlError,
  PartialBodyError,
  ProtocolError,
  ProxyError,
  RedirectError,
  RedirectRefusedError,
  RequestTimeoutError,
  SocketClosedError,
  SocketError,
  SocketFailedError,
  TimeoutError,
  TlsError,
  TooManyInterimResponsesError,
  TooManyRedirectsError,
  UnsupportedProtocolError,
  withRetryable,
  type ClientErrorCode,
} from '../../src/client/errors.js';

type Class = { is(value: unknown): boolean; name: string };

// One error of every class the client throws, by its code. The type makes the table list every
// ClientErrorCode exactly once, each with an error whose class declares that code.
const clientErrors: { [K in ClientErrorCode]: ClientError & { code: K } } = {
  CLIENT_INVALID_ARGUMENT: new InvalidArgumentError('x'),
  CLIENT_INVALID_URL: new InvalidUrlError('x'),
  CLIENT_UNSUPPORTED_PROTOCOL: new UnsupportedProtocolError('x'),
  CLIENT_DNS: new DnsError('x'),
  CLIENT_CONNECT_REFUSED: new ConnectRefusedError('x'),
  CLIENT_CONNECT: new ConnectFailedError('x'),
  CLIENT_CONNECT_TIMEOUT: new ConnectTimeoutError('x'),
  CLIENT_TLS: new TlsError('x'),
  CLIENT_SOCKET: new SocketFailedError('x', false),
  CLIENT_SOCKET_CLOSED: new SocketClosedError('x', true),
  CLIENT_HEADERS_TIMEOUT: new HeadersTimeoutError('x'),
  CLIENT_BODY_TIMEOUT: new BodyTimeoutError('x'),
  CLIENT_TIMEOUT: new RequestTimeoutError('x'),
  CLIENT_ABORTED: new AbortError('x'),
  CLIENT_PROTOCOL: new InvalidResponseError('x'),
  CLIENT_PARTIAL_BODY: new PartialBodyError(1, 2, 'h:1'),
  CLIENT_TOO_MANY_INTERIM_RESPONSES: new TooManyInterimResponsesError('x'),
  CLIENT_DECOMPRESSION: new DecompressionError('x'),
  CLIENT_DECOMPRESSION_LIMIT: new DecompressionLimitError('x'),
  CLIENT_TOO_MANY_REDIRECTS: new TooManyRedirectsError('x'),
  CLIENT_REDIRECT: new RedirectRefusedError('x'),
  CLIENT_PROXY: new ProxyError('x'),
  CLIENT_BODY_USED: new BodyUsedError('x'),
  CLIENT_AGENT_CLOSED: new AgentClosedError('x'),
};

// The abstract classes that group client errors, and which codes each groups.
const families: { family: Class; codes: ClientErrorCode[] }[] = [
  { family: ClientError, codes: Object.keys(clientErrors) as ClientErrorCode[] },
  { family: ConnectError, codes: ['CLIENT_DNS', 'CLIENT_CONNECT_REFUSED', 'CLIENT_CONNECT'] },
  { family: TimeoutError, codes: ['CLIENT_CONNECT_TIMEOUT', 'CLIENT_HEADERS_TIMEOUT', 'CLIENT_BODY_TIMEOUT', 'CLIENT_TIMEOUT'] },
  { family: ProtocolError, codes: ['CLIENT_PROTOCOL', 'CLIENT_TOO_MANY_INTERIM_RESPONSES'] },
  { family: RedirectError, codes: ['CLIENT_TOO_MANY_REDIRECTS', 'CLIENT_REDIRECT'] },
  { family: SocketError, codes: ['CLIENT_SOCKET', 'CLIENT_SOCKET_CLOSED'] },
];

const leafClasses = Object.values(clientErrors).map((error) => error.constructor as unknown as Class);

test('every client error class has one fixed code, and every code one class', () => {
  for (const [code, error] of Object.entries(clientErrors)) {
    assert.equal(error.code, code);
    assert.equal(error.name, error.constructor.name, `${code}: name is the class name`);
  }
  assert.equal(new Set(leafClasses).size, leafClasses.length, 'no class is used for two codes');
});

test('X.is() is true only for an error of class X, never for another client class', () => {
  for (const error of Object.values(clientErrors)) {
    for (const cls of leafClasses) {
      assert.equal(cls.is(error), error.constructor === (cls as unknown), `${cls.name}.is(${error.name})`);
    }
  }
});

test('a family class is() true exactly for the codes it groups', () => {
  for (const { family, codes } of families) {
    for (const error of Object.values(clientErrors)) {
      assert.equal(family.is(error), codes.includes(error.code), `${family.name}.is(${error.name})`);
    }
  }
});

test('withRetryable keeps the socket error class, message and cause', () => {
  const cause = new Error('reset');
  for (const error of [new SocketFailedError('read ECONNRESET h:1', false, { cause }), new SocketClosedError('closed', false, { cause })]) {
    const again = withRetryable(error, true);
    assert.equal(again.constructor, error.constructor);
    assert.deepEqual([again.code, again.message, again.cause, again.isRetryable], [error.code, error.message, cause, true]);
  }
});

// One error of every WireError kind, by its code (the type lists every WireErrorCode once).
const wireErrors: { [K in WireErrorCode]: WireError & { code: K } } = {
  WIRE_MALFORMED_MESSAGE: new MalformedMessageError('WIRE_INVALID_CONTENT_LENGTH', 'x', 400, 7),
  WIRE_LIMIT_EXCEEDED: new LimitExceededError('WIRE_HEAD_TOO_LARGE', 'x', 431, 7),
  WIRE_UNSUPPORTED_MESSAGE: new UnsupportedMessageError('WIRE_UNSUPPORTED_VERSION', 'x', 505, 7),
  WIRE_INCOMPLETE_MESSAGE: new IncompleteMessageError('x', 7),
  WIRE_INVALID_ARGUMENT: new WireArgumentError('x'),
};
const wireClasses = Object.values(wireErrors).map((error) => error.constructor as unknown as Class);

// The kind of every reason a parser rejects a stream for; the type makes the table complete.
const kindOfReason: { [R in ParseReason]: WireErrorCode } = {
  WIRE_INVALID_METHOD: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_TARGET: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_VERSION: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_START_LINE: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_STATUS: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_LINE_ENDING: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_HEADER_NAME: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_HEADER_VALUE: 'WIRE_MALFORMED_MESSAGE',
  WIRE_OBS_FOLD: 'WIRE_MALFORMED_MESSAGE',
  WIRE_MISSING_HOST: 'WIRE_MALFORMED_MESSAGE',
  WIRE_DUPLICATE_HOST: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_HOST: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_CONTENT_LENGTH: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_TRANSFER_ENCODING: 'WIRE_MALFORMED_MESSAGE',
  WIRE_TRANSFER_ENCODING_WITH_CONTENT_LENGTH: 'WIRE_MALFORMED_MESSAGE',
  WIRE_TRANSFER_ENCODING_IN_HTTP10: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_CHUNK_SIZE: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_CHUNK_EXTENSION: 'WIRE_MALFORMED_MESSAGE',
  WIRE_INVALID_CHUNK_DATA: 'WIRE_MALFORMED_MESSAGE',
  WIRE_HEAD_TOO_LARGE: 'WIRE_LIMIT_EXCEEDED',
  WIRE_TOO_MANY_HEADERS: 'WIRE_LIMIT_EXCEEDED',
  WIRE_TARGET_TOO_LONG: 'WIRE_LIMIT_EXCEEDED',
  WIRE_CHUNK_EXTENSION_TOO_LARGE: 'WIRE_LIMIT_EXCEEDED',
  WIRE_CONTENT_LENGTH_TOO_LARGE: 'WIRE_LIMIT_EXCEEDED',
  WIRE_CHUNK_SIZE_TOO_LARGE: 'WIRE_LIMIT_EXCEEDED',
  WIRE_UNSUPPORTED_VERSION: 'WIRE_UNSUPPORTED_MESSAGE',
  WIRE_UNSUPPORTED_TRANSFER_ENCODING: 'WIRE_UNSUPPORTED_MESSAGE',
  WIRE_INCOMPLETE_MESSAGE: 'WIRE_INCOMPLETE_MESSAGE',
};

test('every WireError kind has one fixed code and X.is() is true only for its own kind', () => {
  assert.equal(new Set(wireClasses).size, wireClasses.length, 'no class is used for two codes');
  for (const [code, error] of Object.entries(wireErrors)) {
    assert.equal(error.code, code);
    assert.equal(error.name, error.constructor.name);
    assert.equal(WireError.is(error), true);
    for (const cls of wireClasses) assert.equal(cls.is(error), error.constructor === (cls as unknown), `${cls.name}.is(${error.name})`);
  }
});

test('a parse error is of the kind its reason belongs to, and keeps reason, status and offset', () => {
  for (const [reason, code] of Object.entries(kindOfReason) as [ParseReason, WireErrorCode][]) {
    const error = parseError(reason, 'x', 413, 9);
    assert.deepEqual([error.code, error.reason, error.constructor], [code, reason, wireErrors[code].constructor], reason);
    assert.equal(error.offset, 9);
    if (code !== 'WIRE_INCOMPLETE_MESSAGE') assert.equal(error.status, 413);
  }
});

const samples: { name: string; error: CourierError; classes: Class[] }[] = [
  { name: 'MalformedMessageError', error: new MalformedMessageError('WIRE_INVALID_METHOD', 'x'), classes: [WireError, MalformedMessageError] },
  { name: 'H2ConnectionError', error: new H2ConnectionError('H2_BAD_PREFACE', 'x'), classes: [H2Error, H2ConnectionError] },
  { name: 'H2StreamError', error: new H2StreamError('H2_STREAM_CLOSED', 'x', 1), classes: [H2Error, H2StreamError] },
  { name: 'ServerError', error: new ServerError('SERVER_INVALID_RESPONSE', 'x'), classes: [ServerError] },
  { name: 'StaticError', error: new StaticError('STATIC_BAD_PATH', 'x', 400), classes: [StaticError] },
  { name: 'UsageError', error: new UsageError('x'), classes: [UsageError] },
  { name: 'DnsError', error: clientErrors.CLIENT_DNS, classes: [ClientError, ConnectError, DnsError] },
  { name: 'HeadersTimeoutError', error: clientErrors.CLIENT_HEADERS_TIMEOUT, classes: [ClientError, TimeoutError, HeadersTimeoutError] },
];

const allClasses = [...new Set([...samples.flatMap((s) => s.classes), ...leafClasses, ...wireClasses, ...families.map((f) => f.family)])];

for (const { name, error, classes } of samples) {
  test(`${name} is a CourierError and X.is() is true only for its own class and its families`, () => {
    assert.ok(error instanceof CourierError);
    assert.equal(CourierError.is(error), true);
    assert.equal(typeof error.code, 'string');
    for (const cls of allClasses) {
      assert.equal(cls.is(error), classes.includes(cls), `${cls.name}.is(${name})`);
    }
  });
}

test('X.is() tells a courier error from another copy of the package by its brand', () => {
  // A copy of the package has other classes but the same Symbol.for brands.
  const foreign = Object.create({
    [Symbol.for('courier.HeadersTimeoutError')]: true,
    [Symbol.for('courier.TimeoutError')]: true,
    [Symbol.for('courier.ClientError')]: true,
  });
  assert.equal(HeadersTimeoutError.is(foreign), true);
  assert.equal(TimeoutError.is(foreign), true);
  assert.equal(ClientError.is(foreign), true);
  assert.equal(BodyTimeoutError.is(foreign), false);
  assert.equal(ConnectError.is(foreign), false);
  assert.equal(TimeoutError.is(new Error('plain')), false);
  assert.equal(TimeoutError.is(null), false);
});
