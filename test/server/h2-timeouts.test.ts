// The HTTP/1 timeouts on HTTP/2 streams and connections, over raw frames on 127.0.0.1: a header
// block left unfinished (headersTimeout), a request body that stalls (bodyTimeout) or trickles too
// long (requestTimeout), an idle connection (keepAliveTimeout), a client that opens no window
// (sendTimeout), a client that resets its stream mid-body, and close() under several connections
// (shutdownTimeout). Timeouts are small and waits generous: nothing here measures time.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { Flags, FrameType, SettingId, serializeRawFrame, type Frame } from '../../src/h2/index.js';
import type { ServerRequest, ServerResponse } from '../../src/server/index.js';
import { start } from './harness.js';
import { rawH2, type RawH2 } from './h2-raw.js';

const T = FrameType;
const OPTS = { timeout: 30_000 };

/** status returns the :status of the response HEADERS on a stream, or null. */
function status(c: RawH2, streamId: number): string | null {
  const head = c.frames.find((f) => f.type === T.HEADERS && f.streamId === streamId);
  return head === undefined ? null : (c.decode(head).find(([name]) => name === ':status')?.[1] ?? null);
}

/** bodyOf joins the DATA a stream received. */
function bodyOf(c: RawH2, streamId: number): string {
  return Buffer.concat(c.frames.flatMap((f) => (f.type === T.DATA && f.streamId === streamId ? [Buffer.from(f.data)] : []))).toString();
}

const ended = (streamId: number) => (frames: Frame[]): boolean =>
  frames.some((f) => f.streamId === streamId && (f.type === T.RST_STREAM || ((f.type === T.DATA || f.type === T.HEADERS) && f.endStream)));

/** reading reads a request's body and reports how it ended: the octets, or the error's code. */
async function reading(req: ServerRequest): Promise<{ octets: number; code: string | null }> {
  let octets = 0;
  try {
    for await (const chunk of req.body) octets += chunk.length;
    return { octets, code: null };
  } catch (error) {
    return { octets, code: (error as { code?: string }).code ?? 'no code' };
  }
}

test('headersTimeout: a HEADERS without END_HEADERS whose CONTINUATION never comes ends the connection with GOAWAY', OPTS, async () => {
  let calls = 0;
  const server = await start(() => ({ status: 200, body: String(++calls) }), { headersTimeout: 300, keepAliveTimeout: 0 });
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/done', true));
  await c.until(ended(1));
  const block = c.encoder.encode([[':method', 'GET'], [':scheme', 'http'], [':authority', 'x'], [':path', '/stuck']]);
  c.write(serializeRawFrame(T.HEADERS, Flags.END_STREAM, 3, block)); // no END_HEADERS
  await c.closed;
  // Stream 3 was never processed: the last stream named is 1, so the client may retry 3.
  assert.equal(c.goaway(), '1 NO_ERROR SERVER_HEADERS_TIMEOUT');
  assert.equal(calls, 1);
  await server.close();
});

test('headersTimeout: a header block that trickles in CONTINUATION frames is bounded too', OPTS, async () => {
  const server = await start(() => ({ status: 200 }), { headersTimeout: 300, keepAliveTimeout: 0 });
  const c = await rawH2(server.port);
  c.write(serializeRawFrame(T.HEADERS, Flags.END_STREAM, 1, c.encoder.encode([[':method', 'GET'], [':scheme', 'http']])));
  let isClosed = false;
  void c.closed.then(() => (isClosed = true));
  // One small CONTINUATION every 50 ms keeps the socket busy but never ends the block.
  for (let i = 0; i < 400 && !isClosed; i++) {
    c.write(serializeRawFrame(T.CONTINUATION, 0, 1, Buffer.alloc(0)));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await c.closed;
  assert.equal(c.goaway(), '0 NO_ERROR SERVER_HEADERS_TIMEOUT');
  assert.equal(c.frames.filter((f) => f.type === T.HEADERS).length, 0);
  await server.close();
});

test('bodyTimeout: a request body that stalls gets 408 on its stream, req.body throws SERVER_BODY_TIMEOUT, and the connection goes on', OPTS, async () => {
  let seen = null as Promise<{ octets: number; code: string | null }> | null;
  const server = await start(
    async (req) => {
      if (req.path === '/ping') return { status: 200, body: 'pong' };
      seen = reading(req);
      await seen;
      return { status: 200, body: 'read it all' };
    },
    { bodyTimeout: 300, keepAliveTimeout: 0 },
  );
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/upload', false, 'POST'), { type: T.DATA, streamId: 1, data: Buffer.from('first part'), endStream: false });
  await c.until(ended(1));
  assert.equal(status(c, 1), '408');
  assert.match(bodyOf(c, 1), /Request Timeout/);
  assert.deepEqual(await seen, { octets: 10, code: 'SERVER_BODY_TIMEOUT' });
  // The client may stop sending: the complete answer is followed by RST_STREAM NO_ERROR (RFC 9113 §8.1).
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
  assert.deepEqual(c.resets(), ['1 NO_ERROR']);
  c.write(c.headers(3, '/ping', true));
  await c.until(ended(3));
  assert.equal(bodyOf(c, 3), 'pong');
  assert.equal(c.goaway(), null);
  c.socket.destroy();
  await server.close();
});

test('bodyTimeout: an async handler that never reads a body the client never sends still answers 408', OPTS, async () => {
  let signalReason: unknown = null;
  const server = await start(
    (req) =>
      new Promise<ServerResponse>((resolve) => {
        req.signal.addEventListener('abort', () => {
          signalReason = req.signal.reason;
          setTimeout(() => resolve({ status: 200, body: 'too late' }), 10);
        });
      }),
    { bodyTimeout: 300, keepAliveTimeout: 0 },
  );
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/silent', false, 'POST')); // the body never comes
  await c.until(ended(1));
  assert.equal(status(c, 1), '408');
  assert.equal((signalReason as { code?: string } | null)?.code, 'SERVER_BODY_TIMEOUT');
  c.socket.destroy();
  await server.close();
});

test('bodyTimeout: a stall after the response began resets the stream with CANCEL', OPTS, async () => {
  let seen = null as Promise<{ octets: number; code: string | null }> | null;
  const server = await start(
    (req) => {
      seen = reading(req);
      // An answer that streams until the request body ends.
      async function* echo(): AsyncGenerator<Uint8Array> {
        yield Buffer.from('started ');
        await seen;
        yield Buffer.from('never');
      }
      return { status: 200, body: echo() };
    },
    { bodyTimeout: 300, keepAliveTimeout: 0 },
  );
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/echo', false, 'POST'), { type: T.DATA, streamId: 1, data: Buffer.from('abc'), endStream: false });
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
  assert.equal(status(c, 1), '200');
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  assert.deepEqual(await seen, { octets: 3, code: 'SERVER_BODY_TIMEOUT' });
  c.socket.destroy();
  await server.close();
});

test('bodyTimeout: a client held back by a closed window (the handler reads nothing yet) is not stalling', OPTS, async () => {
  let release = (): void => {};
  const server = await start(
    async (req) => {
      await new Promise<void>((resolve) => (release = resolve));
      const { octets, code } = await reading(req);
      return { status: 200, body: `${octets} ${code}` };
    },
    { bodyTimeout: 300, maxBodyBuffer: 65535, keepAliveTimeout: 0 },
  );
  const c = await rawH2(server.port);
  // The whole stream window, in four DATA frames: the client can send no more.
  const quarter = Buffer.alloc(16383, 0x61);
  c.write(c.headers(1, '/held', false, 'POST'), ...[0, 1, 2, 3].map(() => ({ type: T.DATA, streamId: 1, data: quarter, endStream: false }) as const),
    { type: T.DATA, streamId: 1, data: Buffer.alloc(3, 0x61), endStream: false });
  await new Promise((resolve) => setTimeout(resolve, 1200)); // four bodyTimeouts with the window shut
  assert.equal(c.frames.filter((f) => f.streamId === 1).length, 0);
  release();
  // Once read, the window reopens and the rest follows.
  await c.until((frames) => frames.some((f) => f.type === T.WINDOW_UPDATE && f.streamId === 1));
  c.write({ type: T.DATA, streamId: 1, data: Buffer.from('end'), endStream: true });
  await c.until(ended(1));
  assert.equal(bodyOf(c, 1), '65538 null');
  c.socket.destroy();
  await server.close();
});

test('requestTimeout: a body that trickles steadily past requestTimeout gets 408 and SERVER_REQUEST_TIMEOUT', OPTS, async () => {
  let seen = null as Promise<{ octets: number; code: string | null }> | null;
  const server = await start(
    async (req) => {
      seen = reading(req);
      await seen;
      return { status: 200 };
    },
    { requestTimeout: 400, bodyTimeout: 10_000, keepAliveTimeout: 0 },
  );
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/trickle', false, 'POST'));
  let sent = 0;
  while (!ended(1)(c.frames) && sent < 400) {
    c.write({ type: T.DATA, streamId: 1, data: Buffer.from('x'), endStream: false });
    sent++;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await c.until(ended(1));
  assert.equal(status(c, 1), '408');
  const result = await seen;
  assert.equal(result?.code, 'SERVER_REQUEST_TIMEOUT');
  c.socket.destroy();
  await server.close();
});

test('keepAliveTimeout: a connection that never opens a stream gets GOAWAY NO_ERROR with last stream 0, then is closed', OPTS, async () => {
  const server = await start(() => ({ status: 200 }), { keepAliveTimeout: 200 });
  const c = await rawH2(server.port);
  await c.closed;
  assert.equal(c.goaway(), '0 NO_ERROR');
  await server.close();
});

test('keepAliveTimeout does not close a connection while a stream is open, only after it ends', OPTS, async () => {
  let release = (): void => {};
  const server = await start(() => new Promise((resolve) => (release = () => resolve({ status: 200, body: 'late' }))), { keepAliveTimeout: 200 });
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/slow', true));
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.equal(c.goaway(), null);
  release();
  await c.closed;
  assert.equal(bodyOf(c, 1), 'late');
  assert.equal(c.goaway(), '1 NO_ERROR');
  await server.close();
});

test('sendTimeout: a window that stays shut after part of the response resets the stream with CANCEL; the handler\'s stream is destroyed', OPTS, async () => {
  let destroyed: Promise<void> | null = null;
  const server = await start(
    () => {
      async function* big(): AsyncGenerator<Uint8Array> {
        try {
          for (let i = 0; i < 100; i++) yield Buffer.alloc(16384, 0x62);
        } finally {
          destroyed = Promise.resolve();
        }
      }
      return { status: 200, body: big() };
    },
    { sendTimeout: 300 },
  );
  // The client's window takes 20 000 octets, then never grows.
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 20_000]]);
  c.write(c.headers(1, '/big', true));
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  assert.equal(bodyOf(c, 1).length, 20_000);
  await c.until(() => destroyed !== null);
  assert.equal(c.goaway(), null);
  c.socket.destroy();
  await server.close();
});

test('close() while the last stream waits on a shut window: once sendTimeout resets it, the connection closes and close() resolves', OPTS, async () => {
  // No shutdownTimeout and no keepAliveTimeout: only the stream's end can let the connection go.
  const server = await start(() => ({ status: 200, body: Buffer.alloc(100_000, 0x63) }), { sendTimeout: 300, shutdownTimeout: 0, keepAliveTimeout: 0 });
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 20_000]]);
  c.write(c.headers(1, '/big', true));
  await c.until((frames) => frames.filter((f) => f.type === T.DATA && f.streamId === 1).length > 0);
  const closing = server.close();
  // The client answers the shutdown's PING at once, so the final GOAWAY goes out before the reset.
  await c.until((frames) => frames.some((f) => f.type === T.PING && !f.ack));
  const ping = c.frames.find((f) => f.type === T.PING && !f.ack);
  if (ping?.type === T.PING) c.write({ type: T.PING, streamId: 0, ack: true, data: Buffer.from(ping.data) });
  await c.until((frames) => frames.filter((f) => f.type === T.GOAWAY).length === 2);
  await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  await c.closed;
  await closing;
});

test('a client that resets its stream mid-body: req.body throws SERVER_CLIENT_ABORTED and req.signal aborts', OPTS, async () => {
  let result: Promise<{ octets: number; code: string | null; signal: string | null }> | null = null;
  const server = await start((req) => {
    result = reading(req).then((r) => ({ ...r, signal: req.signal.aborted ? ((req.signal.reason as { code?: string }).code ?? 'no code') : null }));
    return result.then(() => ({ status: 200 }));
  });
  const c = await rawH2(server.port);
  c.write(c.headers(1, '/upload', false, 'POST'), { type: T.DATA, streamId: 1, data: Buffer.from('half of it'), endStream: false });
  await c.until(() => result !== null);
  await new Promise((resolve) => setTimeout(resolve, 50));
  c.write({ type: T.RST_STREAM, streamId: 1, errorCode: 8 });
  assert.deepEqual(await result, { octets: 10, code: 'SERVER_CLIENT_ABORTED', signal: 'SERVER_CLIENT_ABORTED' });
  // The connection goes on.
  c.write(c.headers(3, '/after', true));
  await c.until(ended(3));
  assert.equal(status(c, 3), '200');
  assert.equal(server.errors.length, 0);
  c.socket.destroy();
  await server.close();
});

test('close() with several HTTP/2 connections and streams in flight: GOAWAY names each last stream, the streams finish, close() resolves', OPTS, async () => {
  const releases: (() => void)[] = [];
  const server = await start((req) => new Promise((resolve) => releases.push(() => resolve({ status: 200, body: req.path }))), { shutdownTimeout: 10_000 });
  const clients = await Promise.all([0, 1, 2, 3].map(() => rawH2(server.port)));
  clients.forEach((c, i) => c.write(...Array.from({ length: i + 1 }, (_, s) => c.headers(1 + 2 * s, `/c${i}/s${s}`, true))));
  await new Promise<void>((resolve) => {
    const check = (): void => (releases.length === 10 ? resolve() : void setTimeout(check, 10));
    check();
  });
  let isClosed = false;
  const closing = server.close().then(() => (isClosed = true));
  // Each client acknowledges the shutdown's PING and gets the final GOAWAY naming its last stream.
  for (const [i, c] of clients.entries()) {
    await c.until((frames) => frames.some((f) => f.type === T.PING && !f.ack));
    const ping = c.frames.find((f) => f.type === T.PING && !f.ack);
    assert.ok(ping?.type === T.PING);
    c.write({ type: T.PING, streamId: 0, ack: true, data: Buffer.from(ping.data) });
    await c.until((frames) => frames.filter((f) => f.type === T.GOAWAY).length === 2);
    const last = c.frames.filter((f) => f.type === T.GOAWAY)[1];
    assert.equal(last?.type === T.GOAWAY ? `${last.lastStreamId} ${last.errorCode}` : '', `${1 + 2 * i} 0`);
  }
  assert.equal(isClosed, false);
  for (const release of releases) release();
  await closing;
  for (const [i, c] of clients.entries()) {
    await c.closed;
    for (let s = 0; s <= i; s++) assert.equal(bodyOf(c, 1 + 2 * s), `/c${i}/s${s}`);
  }
});

test('close() is bounded by shutdownTimeout: streams whose handlers never answer are cut, and close() resolves', OPTS, async () => {
  const server = await start(() => new Promise<ServerResponse>(() => {}), { shutdownTimeout: 500, keepAliveTimeout: 0 });
  const clients = await Promise.all([0, 1, 2].map(() => rawH2(server.port)));
  for (const c of clients) c.write(c.headers(1, '/forever', true), c.headers(3, '/forever', true));
  await new Promise((resolve) => setTimeout(resolve, 200));
  await server.close();
  await Promise.all(clients.map((c) => c.closed));
  for (const c of clients) assert.ok(c.frames.some((f) => f.type === T.GOAWAY), 'a GOAWAY before the cut');
});
