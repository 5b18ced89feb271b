import assert from 'node:assert/strict';
import { test } from 'node:test';
import { connect, type TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { serve } from '../../src/server/index.js';
import { selfSigned } from '../support/tls.js';
import { start, text } from './harness.js';


test('tls serves HTTPS through the same engine', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await start(async (req) => ({ status: 200, body: `${req.isTls} ${req.path} ${await text(req.body)}` }), { tls });
  assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+\/$/);
  const dispatcher = new Agent({ connect: { ca: tls.cert }, connections: 1 });
  try {
    for (let i = 0; i < 3; i++) {
      const res = await request(`${server.url}s${i}`, { dispatcher, method: 'POST', body: `b${i}` });
      assert.equal(await res.body.text(), `true /s${i} b${i}`);
    }
    assert.equal(server.connectionCount, 1);
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

test('serve({ tls }) answers a fetch handler over HTTPS', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await serve({ fetch: (req) => new Response(new URL(req.url).protocol), tls });
  const dispatcher = new Agent({ connect: { ca: tls.cert } });
  try {
    const res = await request(server.url, { dispatcher });
    assert.equal(await res.body.text(), 'https:');
  } finally {
    await dispatcher.close();
    await server.close();
  }
});

/** Handshake is what a client saw of one TLS connection. */
interface Handshake {
  readonly cipher: string;
  readonly isReused: boolean;
  /** session is the ticket received, or null (a resumed session may get none). */
  readonly session: Buffer | null;
}

// One request answered over a fresh TLS connection (so the handshake is complete on both sides
// before the socket closes), with the cipher, whether the session was resumed, and the ticket.
function exchange(port: number, ca: string, options: { ciphers?: string; session?: Buffer } = {}): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket: TLSSocket = connect({ port, host: '127.0.0.1', ca, servername: 'localhost', ...options });
    let session: Buffer | null = null;
    let cipher = '';
    let isReused = false;
    let answer = '';
    socket.on('session', (ticket: Buffer) => {
      session = ticket;
    });
    socket.once('secureConnect', () => {
      cipher = socket.getCipher().standardName;
      isReused = socket.isSessionReused();
      socket.write('GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
    });
    socket.once('close', () => {
      if (!answer.startsWith('HTTP/1.1 200')) reject(new Error(`unexpected answer ${JSON.stringify(answer.slice(0, 40))}`));
      else resolve({ cipher, isReused, session });
    });
    socket.once('error', reject);
  });
}

test("the client's cipher order wins: AES-128-GCM when offered first, AES-256-GCM when that is", { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await start(() => ({ status: 200, body: 'ok' }), { tls });
  try {
    for (const [offered, expected] of [
      ['TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'],
      ['TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384'],
    ] as const) {
      const { cipher } = await exchange(server.port, tls.cert, { ciphers: offered });
      assert.equal(cipher, expected);
    }
  } finally {
    await server.close();
  }
});

test('a TLS session ticket resumes the session on the next connection', { timeout: 30_000 }, async () => {
  const tls = selfSigned();
  const server = await start(() => ({ status: 200, body: 'ok' }), { tls });
  try {
    const first = await exchange(server.port, tls.cert);
    assert.equal(first.isReused, false);
    assert.ok(first.session !== null, 'the server sent a session ticket');
    const second = await exchange(server.port, tls.cert, { session: first.session });
    assert.equal(second.isReused, true);
  } finally {
    await server.close();
  }
});
