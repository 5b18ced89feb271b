// Server error codes that reach a handler only when a connection ends badly, each reached over a
// real socket on 127.0.0.1: SERVER_CONNECTION_CLOSED (the server ends the connection under a
// running handler) and SERVER_SEND_TIMEOUT (an HTTP/2 client that opens no window for a response).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameType, SettingId, serializeRawFrame } from '../../src/h2/index.js';
import { ConnectionClosedError, SendTimeoutError, ServerError, ServerTimeoutError, type ServerRequest } from '../../src/server/index.js';
import { start } from './harness.js';
import { rawH2 } from './h2-raw.js';

const T = FrameType;
const OPTS = { timeout: 30_000 };

/** aborted resolves with the reason `req.signal` aborts with. */
function aborted(req: ServerRequest): Promise<unknown> {
  return new Promise((resolve) => {
    if (req.signal.aborted) resolve(req.signal.reason);
    else req.signal.addEventListener('abort', () => resolve(req.signal.reason), { once: true });
  });
}

test('HTTP/2: a connection error while a handler runs aborts its signal with ConnectionClosedError (SERVER_CONNECTION_CLOSED)', OPTS, async () => {
  let reason: Promise<unknown> | null = null;
  const server = await start((req) => {
    reason = aborted(req);
    return reason.then(() => ({ status: 200 }));
  });
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/slow', true));
  await c.until(() => reason !== null);
  // PING on a stream is a connection error (RFC 9113 §6.7): the server sends GOAWAY and closes.
  c.write(serializeRawFrame(T.PING, 0, 1, Buffer.alloc(8)));
  const error = await reason;
  assert.ok(ConnectionClosedError.is(error), `a ConnectionClosedError, got ${String(error)}`);
  assert.equal((error as ServerError).code, 'SERVER_CONNECTION_CLOSED');
  assert.equal(ServerTimeoutError.is(error), false);
  await c.closed;
  assert.match(c.goaway() ?? '', /PROTOCOL_ERROR/);
  await server.close();
});

test('HTTP/2: a response the client opens no window for aborts the handler\'s signal with SendTimeoutError (SERVER_SEND_TIMEOUT)', OPTS, async () => {
  let reason: Promise<unknown> | null = null;
  const server = await start(
    (req) => {
      reason = aborted(req);
      return { status: 200, body: Buffer.alloc(100_000, 1) };
    },
    { sendTimeout: 300 },
  );
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 0]]);
  c.write(c.headers(1, '/big', true));
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM));
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  assert.notEqual(reason, null);
  const error = await reason;
  assert.ok(SendTimeoutError.is(error), `a SendTimeoutError, got ${String(error)}`);
  assert.equal((error as ServerError).code, 'SERVER_SEND_TIMEOUT');
  assert.ok(ServerTimeoutError.is(error));
  c.socket.destroy();
  await server.close();
});
