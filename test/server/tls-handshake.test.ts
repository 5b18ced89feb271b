import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { test } from 'node:test';
import { connect } from 'node:tls';
import { createServer } from '../../src/server/index.js';
import { selfSigned } from '../support/tls.js';

// A TLS connection that never finishes its handshake never reaches the engine: these tests hold
// the server to its bounds for it all the same (Node's own handshake timeout is 120 s, and a
// client's end of stream mid-handshake on an allowHalfOpen server never closes the socket).

/** within resolves to what `promise` gives, or fails after `ms` (a bound, not a timing claim). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

test('close() resolves when a client left right after its side of the handshake', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await createServer(() => ({ status: 200, body: 'ok' }), { tls, shutdownTimeout: 300 }).listen({ port: 0 });
  const socket = connect({ port: server.port, host: '127.0.0.1', ca: tls.cert, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await within(server.close(), 10_000, 'close()');
});

/** silentHandshakeIsClosed starts a TLS server with `options`, connects over TCP, says nothing, and waits (bounded) for the server to close. */
async function silentHandshakeIsClosed(options: Parameters<typeof createServer>[1]): Promise<void> {
  const server = await createServer(() => ({ status: 200, body: 'ok' }), options).listen({ port: 0 });
  try {
    const socket = connectTcp({ port: server.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    await once(socket, 'connect');
    await within(once(socket, 'close'), 10_000, 'the server closing a silent handshake');
  } finally {
    await server.close();
  }
}

test('a TCP client that never starts the TLS handshake is closed after headersTimeout', { timeout: 30_000 }, async () => {
  await silentHandshakeIsClosed({ tls: selfSigned(), headersTimeout: 300 });
});

test('an explicit tls.handshakeTimeout is kept', { timeout: 30_000 }, async () => {
  const tls = { ...selfSigned(), handshakeTimeout: 200 }; // passed on to tls.createServer
  await silentHandshakeIsClosed({ tls, headersTimeout: 60_000 });
});

test('a TLS request still works after a handshake was abandoned', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await createServer(() => ({ status: 200, body: 'ok' }), { tls, shutdownTimeout: 300 }).listen({ port: 0 });
  const gone = connect({ port: server.port, host: '127.0.0.1', ca: tls.cert, rejectUnauthorized: false });
  await once(gone, 'secureConnect');
  gone.destroy();
  const socket = connect({ port: server.port, host: '127.0.0.1', ca: tls.cert, servername: 'localhost', ALPNProtocols: ['http/1.1'] });
  await once(socket, 'secureConnect');
  socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await within(once(socket, 'end'), 10_000, 'the answer');
  assert.match(Buffer.concat(chunks).toString('latin1'), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nok$/);
  await within(server.close(), 10_000, 'close()');
});
