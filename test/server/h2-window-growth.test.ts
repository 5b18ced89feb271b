// The HTTP/2 receive windows of a server: a stream's window starts at maxBodyBuffer and doubles
// toward maxBodyWindow only while its handler keeps up with the body; the connection's starts at
// four stream windows and grows toward twice maxBodyWindow the same way. A raw client on 127.0.0.1
// sends DATA exactly as the windows allow, so each test sees what the server let it send.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { FrameType, SettingId, type Frame } from '../../src/h2/index.js';
import type { ServerRequest } from '../../src/server/index.js';
import { start } from './harness.js';
import { rawH2, type RawH2 } from './h2-raw.js';

const T = FrameType;
const OPTS = { timeout: 60_000 };
const KIB = 1024;
const MIB = 1024 * 1024;
const FRAME = 16 * KIB;

/** Upload is what a client that sends as fast as the windows allow saw. */
interface Upload {
  /** sent counts the DATA octets sent on the stream. */
  sent: number;
  /** peakCredit is the most the stream window ever let the client send ahead. */
  peakCredit: number;
  /** peakConnectionCredit is the same for the connection window. */
  peakConnectionCredit: number;
  /** streamUpdates counts WINDOW_UPDATE frames on the stream. */
  streamUpdates: number;
}

/** ClientSide is what a raw client knows of its connection from one upload to the next. */
interface ClientSide {
  /** connection is the credit the connection window gives; seen counts the frames read so far. */
  connection: number;
  seen: number;
}
const sides = new WeakMap<RawH2, ClientSide>();

/**
 * upload sends `total` octets on each of `ids` (default: stream 1) as the windows allow, ending
 * each stream with its last frame. It stops early (without END_STREAM) once it has waited
 * `stallMs` for credit in vain. `sent` is over all the streams; peakCredit and streamUpdates too.
 * A later upload on the same connection goes on from the connection window it left.
 */
async function upload(c: RawH2, total: number, stallMs = 2_000, ids: number[] = [1]): Promise<Upload> {
  await c.until((frames) => frames.some((f) => f.type === T.SETTINGS && !f.ack));
  const settings = c.frames.find((f) => f.type === T.SETTINGS && !f.ack);
  const initial = settings?.type === T.SETTINGS ? (settings.settings.find(([id]) => id === SettingId.INITIAL_WINDOW_SIZE)?.[1] ?? 65535) : 65535;
  let side = sides.get(c);
  if (side === undefined) {
    side = { connection: 65535, seen: 0 };
    sides.set(c, side);
    c.write({ type: T.SETTINGS, streamId: 0, ack: true, settings: [] });
  }
  const at = side;
  c.write(...ids.map((id) => c.headers(id, '/up', false, 'POST')));
  const out: Upload = { sent: 0, peakCredit: initial, peakConnectionCredit: at.connection, streamUpdates: 0 };
  const credit = new Map(ids.map((id) => [id, initial]));
  const sent = new Map(ids.map((id) => [id, 0]));
  const take = (frames: Frame[]): boolean => {
    let isNew = false;
    for (; at.seen < frames.length; at.seen++) {
      const f = frames[at.seen]!;
      if (f.type !== T.WINDOW_UPDATE) continue;
      isNew = true;
      if (f.streamId === 0) at.connection += f.windowSizeIncrement;
      const before = credit.get(f.streamId);
      if (before !== undefined) {
        credit.set(f.streamId, before + f.windowSizeIncrement);
        out.peakCredit = Math.max(out.peakCredit, before + f.windowSizeIncrement);
        out.streamUpdates++;
      }
    }
    out.peakConnectionCredit = Math.max(out.peakConnectionCredit, at.connection);
    return isNew;
  };
  const block = Buffer.alloc(FRAME, 0x61);
  while (ids.some((id) => sent.get(id)! < total)) {
    take(c.frames);
    const frames = [];
    for (const id of ids) {
      const room = Math.min(credit.get(id)!, at.connection, total - sent.get(id)!);
      if (room <= 0) continue;
      for (let left = room; left > 0; ) {
        const size = Math.min(FRAME, left);
        sent.set(id, sent.get(id)! + size);
        left -= size;
        frames.push({ type: T.DATA, streamId: id, data: block.subarray(0, size), endStream: sent.get(id) === total } as const);
      }
      credit.set(id, credit.get(id)! - room);
      at.connection -= room;
      out.sent += room;
    }
    if (frames.length === 0) {
      // A reset, or a GOAWAY for an error, ends the upload; a graceful GOAWAY lets it go on.
      const isRefused = (): boolean => c.resets().length > 0 || c.socket.destroyed || !(c.goaway() ?? ' NO_ERROR').includes(' NO_ERROR');
      try {
        await c.until((got) => take(got) || isRefused(), stallMs);
      } catch {
        return out; // no credit came: the client stays blocked
      }
      if (isRefused()) return out;
      continue;
    }
    c.write(...frames);
    // Let the server read (and answer) before the next batch, as a socket's buffers would.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

/** answer waits for the response DATA on stream 1 and returns it as text. */
async function answer(c: RawH2): Promise<string> {
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === 1 && f.endStream));
  return Buffer.concat(c.frames.flatMap((f) => (f.type === T.DATA && f.streamId === 1 ? [f.data] : []))).toString();
}

async function countBody(req: ServerRequest): Promise<string> {
  let bytes = 0;
  for await (const chunk of req.body) bytes += chunk.length;
  return String(bytes);
}

test('a stream window grows from maxBodyBuffer to maxBodyWindow while the handler keeps up, in few WINDOW_UPDATEs', OPTS, async () => {
  const server = await start(async (req) => ({ status: 200, body: await countBody(req) }));
  const c = await rawH2(server.port);
  const total = 32 * MIB;
  const sent = await upload(c, total);
  assert.equal(await answer(c), String(total));
  assert.equal(sent.sent, total);
  // Defaults: 256 KiB to start, 4 MiB at most; the connection 1 MiB to start, 8 MiB at most.
  // The credit a client holds peaks as an update arrives: the last doubling, 2 to 4 MiB, gives back
  // at least 1 MiB and adds 2 MiB.
  assert.ok(sent.peakCredit >= 3 * MIB && sent.peakCredit <= 4 * MIB, `stream credit ${sent.peakCredit}`);
  assert.ok(sent.peakConnectionCredit > 4 * MIB && sent.peakConnectionCredit <= 8 * MIB, `connection credit ${sent.peakConnectionCredit}`);
  // A window fixed at 256 KiB needs one update each 128 KiB: 256 for 32 MiB.
  assert.ok(sent.streamUpdates <= 40, `${sent.streamUpdates} stream WINDOW_UPDATEs`);
  c.socket.destroy();
  await server.close();
});

test('a handler that never reads holds no more than maxBodyBuffer of the body: the window never grows', OPTS, async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = await start(async () => {
    await released;
    return { status: 204 };
  });
  const c = await rawH2(server.port);
  const sent = await upload(c, 8 * MIB, 500);
  assert.equal(sent.sent, 256 * KIB);
  assert.equal(sent.peakCredit, 256 * KIB);
  assert.equal(sent.streamUpdates, 0);
  release();
  c.socket.destroy();
  await server.close();
});

test('a handler slower than its client keeps the window at maxBodyBuffer', OPTS, async () => {
  const server = await start(async (req) => {
    let bytes = 0;
    for await (const chunk of req.body) {
      bytes += chunk.length;
      await sleep(2);
    }
    return { status: 200, body: String(bytes) };
  });
  const c = await rawH2(server.port);
  const total = 2 * MIB;
  const sent = await upload(c, total);
  assert.equal(await answer(c), String(total));
  assert.equal(sent.peakCredit, 256 * KIB);
  c.socket.destroy();
  await server.close();
});

/**
 * stopping is a handler that reads each request body as fast as it comes until it took `octets`
 * of it, then stops reading until release(); taken() counts what all its requests read.
 */
function stopping(octets: number): { handler: (req: ServerRequest) => Promise<{ status: number; body: string }>; taken(): number; release(): void } {
  let taken = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler = async (req: ServerRequest): Promise<{ status: number; body: string }> => {
    let mine = 0;
    for await (const chunk of req.body) {
      taken += chunk.length;
      mine += chunk.length;
      if (mine >= octets) await released;
    }
    return { status: 200, body: String(mine) };
  };
  return { handler, taken: () => taken, release };
}

test('a handler that keeps up, then stops reading, holds at most maxBodyWindow of the body', OPTS, async () => {
  const stop = stopping(6 * MIB);
  const server = await start(stop.handler);
  const c = await rawH2(server.port);
  const total = 32 * MIB;
  const sent = await upload(c, total, 500);
  const unread = sent.sent - stop.taken();
  assert.ok(sent.sent < total, 'the client was stopped');
  assert.ok(unread <= 4 * MIB, `${unread} octets unread`);
  assert.ok(unread > 256 * KIB, `${unread} octets unread: the window had grown`);
  stop.release();
  c.socket.destroy();
  await server.close();
});

test('maxBodyWindow no larger than maxBodyBuffer keeps the window fixed', OPTS, async () => {
  const server = await start(async (req) => ({ status: 200, body: await countBody(req) }), { maxBodyBuffer: 128 * KIB, maxBodyWindow: 0 });
  const c = await rawH2(server.port);
  const total = 4 * MIB;
  const sent = await upload(c, total);
  assert.equal(await answer(c), String(total));
  assert.equal(sent.peakCredit, 128 * KIB);
  assert.equal(sent.peakConnectionCredit, 512 * KIB);
  c.socket.destroy();
  await server.close();
});

test('four streams whose handlers keep up, then stop reading, hold at most twice maxBodyWindow in all: the connection window bounds them', OPTS, async () => {
  const stop = stopping(3 * MIB);
  const server = await start(stop.handler);
  const c = await rawH2(server.port);
  const sent = await upload(c, 32 * MIB, 500, [1, 3, 5, 7]);
  // Four grown stream windows would let 16 MiB wait unread; the connection's lets 8 MiB at most.
  assert.ok(sent.sent - stop.taken() <= 8 * MIB, `${sent.sent - stop.taken()} octets unread`);
  assert.ok(sent.peakCredit > 256 * KIB, 'the stream windows had grown');
  stop.release();
  c.socket.destroy();
  await server.close();
});

test('close() during four fast uploads: every upload finishes whole and close() resolves', OPTS, async () => {
  let received = 0;
  const server = await start(async (req) => {
    let bytes = 0;
    for await (const chunk of req.body) {
      bytes += chunk.length;
      received += chunk.length;
    }
    return { status: 200, body: String(bytes) };
  });
  const c = await rawH2(server.port);
  const total = 8 * MIB;
  const uploading = upload(c, total, 5_000, [1, 3, 5, 7]);
  await c.until(() => received >= 4 * MIB);
  const closing = server.close();
  const sent = await uploading;
  assert.equal(sent.sent, 4 * total);
  for (const id of [1, 3, 5, 7]) {
    await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === id && f.endStream));
    const text = Buffer.concat(c.frames.flatMap((f) => (f.type === T.DATA && f.streamId === id ? [f.data] : []))).toString();
    assert.equal(text, String(total), `stream ${id}`);
  }
  assert.ok(c.goaway() !== null, 'the shutdown said GOAWAY');
  await closing;
  c.socket.destroy();
});

test('a client that resets uploads their handlers stopped reading gets the unread octets back: the next upload on the connection goes through', OPTS, async () => {
  const stop = stopping(3 * MIB);
  const server = await start(stop.handler);
  const c = await rawH2(server.port);
  // Four streams left unread fill the connection window: nothing more can be sent.
  const first = await upload(c, 32 * MIB, 500, [1, 3, 5, 7]);
  assert.ok(first.sent - stop.taken() > 4 * MIB, `${first.sent - stop.taken()} octets unread`);
  // Resetting them gives the connection window back, as their handlers will never read it.
  c.write(...[1, 3, 5, 7].map((id) => ({ type: T.RST_STREAM, streamId: id, errorCode: 8 }) as const));
  const second = await upload(c, 2 * MIB, 5_000, [9]);
  assert.equal(second.sent, 2 * MIB);
  await c.until((frames) => frames.some((f) => f.type === T.DATA && f.streamId === 9 && f.endStream));
  const text = Buffer.concat(c.frames.flatMap((f) => (f.type === T.DATA && f.streamId === 9 ? [f.data] : []))).toString();
  assert.equal(text, String(2 * MIB));
  assert.equal(c.goaway(), null);
  stop.release();
  c.socket.destroy();
  await server.close();
});
