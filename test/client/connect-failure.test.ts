import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connectFailure } from '../../src/client/connect-failure.js';
import { ConnectError, ConnectFailedError, ConnectRefusedError, DnsError, TlsError } from '../../src/client/errors.js';

// The system errors a connect attempt can end in, as node:net and node:tls report them.
const failures: { errno: string; cls: { is(value: unknown): boolean; name: string }; code: string; message: string }[] = [
  { errno: 'ENOTFOUND', cls: DnsError, code: 'CLIENT_DNS', message: 'getaddrinfo ENOTFOUND api.example.test:443' },
  { errno: 'EAI_AGAIN', cls: DnsError, code: 'CLIENT_DNS', message: 'getaddrinfo EAI_AGAIN api.example.test:443' },
  { errno: 'ECONNREFUSED', cls: ConnectRefusedError, code: 'CLIENT_CONNECT_REFUSED', message: 'connect ECONNREFUSED api.example.test:443' },
  { errno: 'EHOSTUNREACH', cls: ConnectFailedError, code: 'CLIENT_CONNECT', message: 'connect EHOSTUNREACH api.example.test:443' },
  { errno: 'ECONNRESET', cls: ConnectFailedError, code: 'CLIENT_CONNECT', message: 'connect ECONNRESET api.example.test:443' },
  { errno: 'DEPTH_ZERO_SELF_SIGNED_CERT', cls: TlsError, code: 'CLIENT_TLS', message: 'tls DEPTH_ZERO_SELF_SIGNED_CERT api.example.test:443: self-signed certificate' },
];

for (const { errno, cls, code, message } of failures) {
  test(`connectFailure turns ${errno} into a ${cls.name} with code ${code}`, () => {
    const cause = Object.assign(new Error(errno === 'DEPTH_ZERO_SELF_SIGNED_CERT' ? 'self-signed certificate' : errno), { code: errno });
    const error = connectFailure(cause, 'api.example.test:443');
    assert.ok(cls.is(error), `${cls.name}.is(${error.name})`);
    assert.equal(ConnectError.is(error), cls !== TlsError, 'a TLS failure is not a ConnectError');
    assert.deepEqual([error.code, error.message, error.cause], [code, message, cause]);
  });
}
