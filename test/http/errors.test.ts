import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CourierError } from '../../src/http/index.js';
import { H2ArgumentError, H2ConnectionError, H2Error, H2StreamError, H2_ERRORS, type H2ErrorCode, type H2ErrorReason } from '../../src/h2/index.js';
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
import {
  BodyConsumedError,
  BodyLengthMismatchError,
  ClientAbortedError,
  ConnectionClosedError,
  HandlerTimeoutError,
  InvalidHandlerResponseError,
  InvalidServerOptionError,
  NotListeningError,
  SendTimeoutError,
  ServerBodyTimeoutError,
  ServerError,
  ServerHeadersTimeoutError,
  ServerRequestTimeoutError,
  ServerTimeoutError,
  type ServerErrorCode,
} from '../../src/server/index.js';
import { InvalidStaticOptionError, InvalidStaticRootError, StaticError, type StaticErrorCode } from '../../src/static/errors.js';
import { UsageError } from '../../src/cli/usage.js';
import {
  BrowserAbortedError,
  BrowserArgumentError,
  BrowserBadResponseError,
  BrowserClosedError,
  BrowserConnectError,
  BrowserConnectRefusedError,
  BrowserConnectionLostError,
  BrowserDnsError,
  BrowserEmptyReplyError,
  BrowserError,
  BrowserEvaluateError,
  BrowserInvalidUrlError,
  BrowserLaunchError,
  BrowserNotFoundError,
  BrowserProxyError,
  BrowserTimeoutError,
  BrowserTlsError,
  BrowserTooManyRedirectsError,
  NavigationError,
  NavigationFailedError,
  ProtocolCallError,
  navigationFailure,
  type BrowserErrorCode,
} from '../../src/browser/errors.js';
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

// The other layers' families, checked the same way: each table lists every code of the layer
// once (its type says so), each with an error of the one class that carries that code.
type Layer = { root: Class; errors: Record<string, CourierError>; groups?: { family: Class; codes: string[] }[] };

function leavesOf(errors: Record<string, CourierError>): Class[] {
  return Object.values(errors).map((error) => error.constructor as unknown as Class);
}

const staticErrors: { [K in StaticErrorCode]: StaticError & { code: K } } = {
  STATIC_INVALID_ROOT: new InvalidStaticRootError('x'),
  STATIC_INVALID_OPTION: new InvalidStaticOptionError('x'),
};

const serverErrors: { [K in ServerErrorCode]: ServerError & { code: K } } = {
  SERVER_HANDLER_TIMEOUT: new HandlerTimeoutError('x'),
  SERVER_HEADERS_TIMEOUT: new ServerHeadersTimeoutError('x'),
  SERVER_BODY_TIMEOUT: new ServerBodyTimeoutError('x'),
  SERVER_REQUEST_TIMEOUT: new ServerRequestTimeoutError('x'),
  SERVER_SEND_TIMEOUT: new SendTimeoutError('x'),
  SERVER_CLIENT_ABORTED: new ClientAbortedError('x'),
  SERVER_CONNECTION_CLOSED: new ConnectionClosedError('x'),
  SERVER_INVALID_RESPONSE: new InvalidHandlerResponseError('x'),
  SERVER_BODY_LENGTH_MISMATCH: new BodyLengthMismatchError('x'),
  SERVER_BODY_CONSUMED: new BodyConsumedError('x'),
  SERVER_NOT_LISTENING: new NotListeningError('x'),
  SERVER_INVALID_OPTION: new InvalidServerOptionError('x'),
};

const browserErrors: { [K in BrowserErrorCode]: BrowserError & { code: K } } = {
  BROWSER_INVALID_ARGUMENT: new BrowserArgumentError('x'),
  BROWSER_NOT_FOUND: new BrowserNotFoundError('x'),
  BROWSER_LAUNCH: new BrowserLaunchError('x'),
  BROWSER_CLOSED: new BrowserClosedError('x'),
  BROWSER_PROTOCOL: new ProtocolCallError('Page.navigate', 'x'),
  BROWSER_TIMEOUT: new BrowserTimeoutError('x'),
  BROWSER_ABORTED: new BrowserAbortedError('x'),
  BROWSER_EVALUATE: new BrowserEvaluateError('x'),
  BROWSER_INVALID_URL: new BrowserInvalidUrlError('x'),
  BROWSER_DNS: new BrowserDnsError('x'),
  BROWSER_CONNECT_REFUSED: new BrowserConnectRefusedError('x'),
  BROWSER_CONNECT: new BrowserConnectError('x'),
  BROWSER_TLS: new BrowserTlsError('x'),
  BROWSER_PROXY: new BrowserProxyError('x'),
  BROWSER_BAD_RESPONSE: new BrowserBadResponseError('x'),
  BROWSER_EMPTY_REPLY: new BrowserEmptyReplyError('x'),
  BROWSER_CONNECTION_LOST: new BrowserConnectionLostError('x'),
  BROWSER_TOO_MANY_REDIRECTS: new BrowserTooManyRedirectsError('x'),
  BROWSER_NAVIGATION: new NavigationFailedError('x'),
};

const navigationCodes: BrowserErrorCode[] = [
  'BROWSER_DNS',
  'BROWSER_CONNECT_REFUSED',
  'BROWSER_CONNECT',
  'BROWSER_TLS',
  'BROWSER_PROXY',
  'BROWSER_BAD_RESPONSE',
  'BROWSER_EMPTY_REPLY',
  'BROWSER_CONNECTION_LOST',
  'BROWSER_TOO_MANY_REDIRECTS',
  'BROWSER_NAVIGATION',
];

test('a failed navigation is the class of its net error, with netError kept', () => {
  const cases: [string, BrowserErrorCode][] = [
    ['net::ERR_INVALID_URL', 'BROWSER_INVALID_URL'],
    ['net::ERR_NAME_NOT_RESOLVED', 'BROWSER_DNS'],
    ['net::ERR_CONNECTION_REFUSED', 'BROWSER_CONNECT_REFUSED'],
    ['net::ERR_ADDRESS_UNREACHABLE', 'BROWSER_CONNECT'],
    ['net::ERR_CERT_AUTHORITY_INVALID', 'BROWSER_TLS'],
    ['net::ERR_PROXY_CONNECTION_FAILED', 'BROWSER_PROXY'],
    ['net::ERR_INVALID_HTTP_RESPONSE', 'BROWSER_BAD_RESPONSE'],
    ['net::ERR_EMPTY_RESPONSE', 'BROWSER_EMPTY_REPLY'],
    ['net::ERR_CONNECTION_RESET', 'BROWSER_CONNECTION_LOST'],
    ['net::ERR_TOO_MANY_REDIRECTS', 'BROWSER_TOO_MANY_REDIRECTS'],
    ['net::ERR_ABORTED', 'BROWSER_NAVIGATION'],
    ['net::ERR_TIMED_OUT', 'BROWSER_TIMEOUT'],
  ];
  for (const [netError, code] of cases) {
    const error = navigationFailure(netError, 'http://h/');
    assert.deepEqual([error.code, error.constructor, error.netError], [code, browserErrors[code].constructor, netError], netError);
    assert.equal(NavigationError.is(error), code !== 'BROWSER_TIMEOUT' && code !== 'BROWSER_INVALID_URL', netError);
  }
});

// One error of every H2Error kind, by its code (the type lists every H2ErrorCode once).
const h2Errors: { [K in H2ErrorCode]: H2Error & { code: K } } = {
  H2_CONNECTION_ERROR: new H2ConnectionError('H2_BAD_PREFACE', 'x'),
  H2_STREAM_ERROR: new H2StreamError('H2_STREAM_CLOSED', 'x', 1),
  H2_INVALID_ARGUMENT: new H2ArgumentError('x'),
};

test('an H2Error of either scope keeps its reason and the RFC 9113 §7 error code the reason names', () => {
  for (const reason of Object.keys(H2_ERRORS) as H2ErrorReason[]) {
    for (const error of [new H2ConnectionError(reason, 'x'), new H2StreamError(reason, 'x', 3)]) {
      assert.deepEqual([error.reason, error.errorName], [reason, H2_ERRORS[reason]], reason);
      assert.equal(error.isConnectionError, error.code === 'H2_CONNECTION_ERROR');
    }
  }
  assert.deepEqual([h2Errors.H2_INVALID_ARGUMENT.reason, h2Errors.H2_INVALID_ARGUMENT.errorName], ['H2_INVALID_ARGUMENT', 'INTERNAL_ERROR']);
});

const layers: Layer[] = [
  { root: H2Error, errors: h2Errors },
  { root: StaticError, errors: staticErrors },
  { root: BrowserError, errors: browserErrors, groups: [{ family: NavigationError, codes: navigationCodes }] },
  {
    root: ServerError,
    errors: serverErrors,
    groups: [{ family: ServerTimeoutError, codes: ['SERVER_HANDLER_TIMEOUT', 'SERVER_HEADERS_TIMEOUT', 'SERVER_BODY_TIMEOUT', 'SERVER_REQUEST_TIMEOUT', 'SERVER_SEND_TIMEOUT'] }],
  },
];

for (const { root, errors, groups } of layers) {
  test(`every ${root.name} class has one fixed code, and X.is() is true only for X and its groups`, () => {
    const leaves = leavesOf(errors);
    assert.equal(new Set(leaves).size, leaves.length, 'no class is used for two codes');
    for (const [code, error] of Object.entries(errors)) {
      assert.equal(error.code, code);
      assert.equal(error.name, error.constructor.name, `${code}: name is the class name`);
      assert.equal(root.is(error), true, `${root.name}.is(${error.name})`);
      for (const cls of leaves) assert.equal(cls.is(error), error.constructor === (cls as unknown), `${cls.name}.is(${error.name})`);
      for (const { family, codes } of groups ?? []) assert.equal(family.is(error), codes.includes(code), `${family.name}.is(${error.name})`);
    }
  });
}

const samples: { name: string; error: CourierError; classes: Class[] }[] = [
  { name: 'MalformedMessageError', error: new MalformedMessageError('WIRE_INVALID_METHOD', 'x'), classes: [WireError, MalformedMessageError] },
  { name: 'InvalidHandlerResponseError', error: serverErrors.SERVER_INVALID_RESPONSE, classes: [ServerError, InvalidHandlerResponseError] },
  { name: 'HandlerTimeoutError', error: serverErrors.SERVER_HANDLER_TIMEOUT, classes: [ServerError, ServerTimeoutError, HandlerTimeoutError] },
  { name: 'InvalidStaticRootError', error: new InvalidStaticRootError('x'), classes: [StaticError, InvalidStaticRootError] },
  { name: 'UsageError', error: new UsageError('x'), classes: [UsageError] },
  { name: 'BrowserDnsError', error: browserErrors.BROWSER_DNS, classes: [BrowserError, NavigationError, BrowserDnsError] },
  { name: 'DnsError', error: clientErrors.CLIENT_DNS, classes: [ClientError, ConnectError, DnsError] },
  { name: 'HeadersTimeoutError', error: clientErrors.CLIENT_HEADERS_TIMEOUT, classes: [ClientError, TimeoutError, HeadersTimeoutError] },
];

const allClasses = [...new Set([...samples.flatMap((s) => s.classes), ...leafClasses, ...wireClasses, ...families.map((f) => f.family), ...layers.flatMap((l) => [l.root, ...leavesOf(l.errors), ...(l.groups ?? []).map((g) => g.family)])])];

test('across every family, X.is(e) agrees with instanceof: no two classes share a brand', () => {
  const everyError: CourierError[] = [...Object.values(clientErrors), ...Object.values(wireErrors), ...layers.flatMap((l) => Object.values(l.errors)), new UsageError('x')];
  for (const error of everyError) {
    for (const cls of allClasses) assert.equal(cls.is(error), error instanceof (cls as unknown as abstract new () => unknown), `${cls.name}.is(${error.name})`);
  }
});

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
