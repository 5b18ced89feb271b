import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CourierError } from '../../src/http/index.js';
import { H2ConnectionError, H2Error, H2StreamError } from '../../src/h2/index.js';
import { WireError } from '../../src/wire/index.js';
import { ServerError } from '../../src/server/index.js';
import { StaticError } from '../../src/static/errors.js';
import { UsageError } from '../../src/cli/usage.js';
import {
  AbortError,
  ClientError,
  ConnectError,
  PartialBodyError,
  ProtocolError,
  RedirectError,
  SocketError,
  TimeoutError,
  TlsError,
} from '../../src/client/errors.js';

const samples: { name: string; error: CourierError; classes: { is(value: unknown): boolean; name: string }[] }[] = [
  { name: 'WireError', error: new WireError('WIRE_INVALID_METHOD', 'x'), classes: [WireError] },
  { name: 'H2ConnectionError', error: new H2ConnectionError('H2_BAD_PREFACE', 'x'), classes: [H2Error, H2ConnectionError] },
  { name: 'H2StreamError', error: new H2StreamError('H2_STREAM_CLOSED', 'x', 1), classes: [H2Error, H2StreamError] },
  { name: 'ServerError', error: new ServerError('SERVER_INVALID_RESPONSE', 'x'), classes: [ServerError] },
  { name: 'StaticError', error: new StaticError('STATIC_BAD_PATH', 'x', 400), classes: [StaticError] },
  { name: 'UsageError', error: new UsageError('x'), classes: [UsageError] },
  { name: 'ClientError', error: new ClientError('CLIENT_INVALID_URL', 'x'), classes: [ClientError] },
  { name: 'ConnectError', error: new ConnectError('CLIENT_DNS', 'x'), classes: [ClientError, ConnectError] },
  { name: 'TlsError', error: new TlsError('x'), classes: [ClientError, TlsError] },
  { name: 'TimeoutError', error: new TimeoutError('CLIENT_CONNECT_TIMEOUT', 'x'), classes: [ClientError, TimeoutError] },
  { name: 'ProtocolError', error: new ProtocolError('x'), classes: [ClientError, ProtocolError] },
  { name: 'PartialBodyError', error: new PartialBodyError(1, 2, 'h:1'), classes: [ClientError, PartialBodyError] },
  { name: 'AbortError', error: new AbortError('x'), classes: [ClientError, AbortError] },
  { name: 'RedirectError', error: new RedirectError('CLIENT_REDIRECT', 'x'), classes: [ClientError, RedirectError] },
  { name: 'SocketError', error: new SocketError('CLIENT_SOCKET', 'x', false), classes: [ClientError, SocketError] },
];

const allClasses = [...new Set(samples.flatMap((s) => s.classes))];

for (const { name, error, classes } of samples) {
  test(`${name} is a CourierError and X.is() is true only for its own class and its parents`, () => {
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
  const foreign = Object.create({ [Symbol.for('courier.TimeoutError')]: true, [Symbol.for('courier.ClientError')]: true });
  assert.equal(TimeoutError.is(foreign), true);
  assert.equal(ClientError.is(foreign), true);
  assert.equal(ConnectError.is(foreign), false);
  assert.equal(TimeoutError.is(new Error('plain')), false);
  assert.equal(TimeoutError.is(null), false);
});
