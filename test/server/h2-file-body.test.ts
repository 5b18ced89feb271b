// File bodies over HTTP/2 sent as DATA frames laid out in place in pooled blocks
// (src/server/h2-file-body.ts): every byte arrives in order whatever the peer's windows and frame
// size, frames are as big as the peer allows, the pool's blocks are reused, and a file that shrinks
// or a client that cancels ends the stream, not the connection.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Flags, FrameType, SettingId, type Frame } from '../../src/h2/index.js';
import { fileBlocks } from '../../src/server/block-pool.js';
import { staticFiles } from '../../src/static/handler.js';
import { start } from './harness.js';
import { fetchH2, pattern, sha256 } from './h2-peers.js';
import { rawH2 } from './h2-raw.js';

const OPTS = { timeout: 60_000 };
const dir = mkdtempSync(join(tmpdir(), 'courier-h2-file-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BIG = pattern(5 * 1024 * 1024 + 12345); // several blocks, the last one short
writeFileSync(join(dir, 'big.bin'), BIG);

function connect(port: number, settings: http2.Settings): Promise<http2.ClientHttp2Session> {
  const session = http2.connect(`http://127.0.0.1:${port}`, { settings });
  return new Promise((resolve, reject) => {
    session.once('connect', () => resolve(session));
    session.once('error', reject);
  });
}

const PEERS: [string, http2.Settings][] = [
  ['windows of 2^31-1', { initialWindowSize: 2 ** 31 - 1 }],
  ['the default 65,535-octet window', {}],
  ['a 1,000-octet stream window (less than one frame)', { initialWindowSize: 1000 }],
  ['65,536-octet frames', { initialWindowSize: 2 ** 31 - 1, maxFrameSize: 65536 }],
  ['1 MiB frames (capped to 64 KiB by the server)', { initialWindowSize: 2 ** 31 - 1, maxFrameSize: 1 << 20 }],
];

for (const [name, settings] of PEERS) {
  test(`a 5 MiB file over HTTP/2 arrives byte-exact to a node:http2 client with ${name}`, OPTS, async () => {
    const server = await start(staticFiles(dir));
    const session = await connect(server.port, settings);
    try {
      const whole = await fetchH2(session, { ':path': '/big.bin' });
      assert.equal(whole.status, 200);
      assert.equal(whole.body.length, BIG.length);
      assert.equal(sha256(whole.body), sha256(BIG));
      const range = await fetchH2(session, { ':path': '/big.bin', range: 'bytes=1000-3000999' });
      assert.equal(range.status, 206);
      assert.equal(sha256(range.body), sha256(BIG.subarray(1000, 3001000)));
    } finally {
      session.close();
    }
    assert.deepEqual(server.errors, []);
  });
}

test('the DATA frames of a file are full 16,384-octet frames, END_STREAM only on the last', OPTS, async () => {
  const server = await start(staticFiles(dir));
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31 - 1]]);
  c.write({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 2 ** 31 - 1 - 65535 });
  c.write(c.headers(1, '/big.bin', true));
  const isData = (f: Frame): f is Extract<Frame, { type: typeof FrameType.DATA }> => f.type === FrameType.DATA && f.streamId === 1;
  await c.until((frames) => frames.some((f) => isData(f) && (f.flags & Flags.END_STREAM) !== 0), 30_000);
  const data = c.frames.filter(isData);
  const sizes = data.map((f) => f.data.length);
  assert.equal(sizes.reduce((a, b) => a + b, 0), BIG.length);
  assert.ok(sizes.slice(0, -1).every((size) => size === 16384), 'every frame but the last is full');
  assert.equal(data.filter((f) => (f.flags & Flags.END_STREAM) !== 0).length, 1);
  assert.notEqual(((data[data.length - 1] as Frame).flags & Flags.END_STREAM), 0, 'the last frame ends the stream');
  assert.equal(sha256(Buffer.concat(data.map((f) => f.data))), sha256(BIG));
  c.socket.destroy();
});

test('ten downloads reuse the pool: a handful of blocks are made, not one per block sent', OPTS, async () => {
  const server = await start(staticFiles(dir));
  const session = await connect(server.port, { initialWindowSize: 2 ** 31 - 1 });
  const before = fileBlocks.allocated;
  try {
    for (let i = 0; i < 10; i++) {
      const got = await fetchH2(session, { ':path': '/big.bin' });
      assert.equal(got.body.length, BIG.length);
    }
  } finally {
    session.close();
  }
  // 50 MiB went out in about 50 blocks; the read-ahead holds 2 and the socket at most a few more.
  assert.ok(fileBlocks.allocated - before <= 6, `made ${fileBlocks.allocated - before} blocks`);
});

test('a client that cancels downloads mid-way leaves the connection serving, and the pool bounded', OPTS, async () => {
  const server = await start(staticFiles(dir));
  const session = await connect(server.port, { initialWindowSize: 2 ** 31 - 1 });
  const before = fileBlocks.allocated;
  try {
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const stream = session.request({ ':path': '/big.bin' });
        stream.once('data', () => stream.close(http2.constants.NGHTTP2_CANCEL));
        stream.on('error', () => {});
        stream.once('close', () => resolve());
      });
    }
    const got = await fetchH2(session, { ':path': '/big.bin' });
    assert.equal(sha256(got.body), sha256(BIG));
  } finally {
    session.close();
  }
  assert.ok(fileBlocks.allocated - before <= 16, `made ${fileBlocks.allocated - before} blocks`);
});

test('a file that shrinks while it is sent ends its stream with RST_STREAM, never a short 200, and the connection goes on', OPTS, async () => {
  const path = join(dir, 'shrinking.bin');
  const size = 8 * 1024 * 1024;
  writeFileSync(path, pattern(size));
  const server = await start((req) => (req.path === '/hello' ? { status: 200, body: 'hello' } : { status: 200, body: { kind: 'file', path, start: 0, end: size } }));
  // The default 65,535-octet window holds the server back after the first frames: the file is cut meanwhile.
  const session = await connect(server.port, {});
  try {
    const outcome = await new Promise<{ received: number; code: number | null }>((resolve) => {
      const stream = session.request({ ':path': '/shrinking.bin' });
      let received = 0;
      let isCut = false;
      stream.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (!isCut) {
          isCut = true;
          truncateSync(path, 1024 * 1024);
        }
      });
      stream.on('error', () => {});
      stream.on('close', () => resolve({ received, code: stream.rstCode ?? null }));
    });
    assert.ok(outcome.received < size, `received ${outcome.received} of ${size}`);
    assert.equal(outcome.code, http2.constants.NGHTTP2_INTERNAL_ERROR);
    const hello = await fetchH2(session, { ':path': '/hello' });
    assert.equal(hello.body.toString(), 'hello');
  } finally {
    session.close();
  }
  assert.ok(server.errors.some((e) => (e as { code?: string }).code === 'SERVER_BODY_LENGTH_MISMATCH'), 'the mismatch is reported');
});

test('a client that opens no window for a file (zero-window stall) gets its stream reset after sendTimeout; the connection goes on', OPTS, async () => {
  const server = await start(staticFiles(dir), { sendTimeout: 300 });
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 0]]);
  c.write(c.headers(1, '/big.bin', true));
  await c.until((frames) => frames.some((f) => f.type === FrameType.RST_STREAM), 20_000);
  assert.deepEqual(c.resets(), ['1 CANCEL']);
  c.write({ type: FrameType.PING, streamId: 0, ack: false, data: Buffer.from('stillok!') });
  await c.until((frames) => frames.some((f) => f.type === FrameType.PING && f.ack && Buffer.from(f.data).toString() === 'stillok!'), 20_000);
  assert.equal(c.goaway(), null);
  c.socket.destroy();
});

test('close() while four file downloads are under way lets each finish byte-exact, then resolves', OPTS, async () => {
  const server = await start(staticFiles(dir));
  const session = await connect(server.port, { initialWindowSize: 2 ** 31 - 1 });
  try {
    const downloads = [0, 1, 2, 3].map(() => fetchH2(session, { ':path': '/big.bin' }));
    // Wait until every stream has its head, then close the server under them.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close();
    const got = await Promise.all(downloads);
    for (const one of got) assert.equal(sha256(one.body), sha256(BIG));
    await closed;
  } finally {
    session.close();
  }
});
