// Imports the package as a user does: by its name, through package.json "exports" (Node resolves
// a package's own name from inside it), so a missing or wrong export fails here.
import assert from 'node:assert/strict';
import { test } from 'node:test';

// A variable specifier keeps the compiler from resolving the name against the sources.
const load = (specifier: string): Promise<Record<string, unknown>> => import(specifier) as Promise<Record<string, unknown>>;

test("import('courier') gives the server, client, static and error API", async () => {
  const courier = await load('courier');
  for (const name of ['createServer', 'serve', 'staticFiles', 'withAccessLog', 'request', 'fetch', 'Agent', 'Pool', 'getGlobalAgent', 'CourierError', 'ClientError', 'ServerError', 'WireError', 'Fields']) {
    assert.ok(name in courier, `courier exports ${name}`);
  }
  const { CourierError, TimeoutError, RequestTimeoutError, ConnectError } = courier as {
    CourierError: { is(v: unknown): boolean };
    TimeoutError: { is(v: unknown): boolean };
    RequestTimeoutError: new (message: string) => Error & { code: string };
    ConnectError: { is(v: unknown): boolean };
  };
  const timeout = new RequestTimeoutError('x');
  assert.equal(timeout.code, 'CLIENT_TIMEOUT');
  assert.equal(CourierError.is(timeout), true);
  assert.equal(TimeoutError.is(timeout), true);
  assert.equal(ConnectError.is(timeout), false);
});

test("import('courier/wire') gives the HTTP/1.x codec", async () => {
  const wire = await load('courier/wire');
  for (const name of ['RequestParser', 'ResponseParser', 'serializeRequestHead', 'serializeResponseHead', 'encodeChunk', 'Fields', 'WireError']) {
    assert.ok(name in wire, `courier/wire exports ${name}`);
  }
  const serialize = wire['serializeResponseHead'] as (init: { statusCode: number }) => string;
  assert.equal(serialize({ statusCode: 204 }), 'HTTP/1.1 204 No Content\r\n\r\n');
});

test("import('courier/h2') gives the HTTP/2 codec", async () => {
  const h2 = await load('courier/h2');
  for (const name of ['H2Error', 'ERROR_CODES']) assert.ok(name in h2, `courier/h2 exports ${name}`);
});

test('a path that package.json does not export is refused', async () => {
  await assert.rejects(load('courier/dist/src/client/pool.js'), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
});
