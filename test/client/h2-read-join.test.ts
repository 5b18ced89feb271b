// The HTTP/2 client hands a response body on as the server's DATA arrive, without a copy; the DATA
// of one stream that share a socket read are joined into one chunk (as the server does for request
// bodies), so a reader gets about one chunk per read, as over HTTP/1.1. A raw server on 127.0.0.1
// writes each response as many DATA frames in one write, two streams in runs, some frames padded.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { FrameParser, FrameType, HpackEncoder, SettingId, serializeFrame, type FrameInit } from '../../src/h2/index.js';
import { pattern } from './h2-peer.js';

const OPTS = { timeout: 30_000 };
const SIZES = [1, 9, 700, 16384, 4000, 10];

/**
 * rawServer listens on 127.0.0.1 as a bare HTTP/2 server: it sends its SETTINGS, acknowledges the
 * client's, and writes what `answer` returns for each request HEADERS (nothing for null).
 */
async function rawServer(answer: (streamId: number, encoder: HpackEncoder) => Buffer | null): Promise<{ port: number; close(): void }> {
  const listener = net.createServer((socket) => {
    const encoder = new HpackEncoder();
    socket.write(serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.MAX_CONCURRENT_STREAMS, 10]] }));
    const parser = new FrameParser(
      {
        onFrame: (frame) => {
          if (frame.type === FrameType.SETTINGS && !frame.ack) socket.write(serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] }));
          if (frame.type !== FrameType.HEADERS) return;
          const bytes = answer(frame.streamId, encoder);
          if (bytes !== null) socket.write(bytes);
        },
      },
      { expectPreface: true },
    );
    socket.on('data', (chunk: Buffer) => parser.execute(chunk));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return { port: (listener.address() as net.AddressInfo).port, close: () => listener.close() };
}

/** readAll reads a body chunk by chunk, keeping each chunk as handed over; a failure is returned, not thrown. */
async function readAll(body: AsyncIterable<Uint8Array>): Promise<{ kept: Uint8Array[]; error: unknown }> {
  const kept: Uint8Array[] = [];
  try {
    for await (const chunk of body) kept.push(chunk);
    return { kept, error: null };
  } catch (error) {
    return { kept, error };
  }
}

test('response DATA of two streams, in runs and padded at times, in one write: each body intact, pieces of a read joined', OPTS, async () => {
  const bodies = new Map<string, Buffer>([['/a', pattern(60_000)], ['/b', Buffer.from(pattern(60_001)).reverse()]]);
  const frames: FrameInit[] = [];
  const ids = new Map<string, number>(); // path -> stream id
  const server = await rawServer((streamId, encoder) => {
    // Paths come in the order the client sent them: the first stream is /a (see below).
    ids.set(ids.size === 0 ? '/a' : '/b', streamId);
    if (ids.size < 2) return null;
    const heads: FrameInit[] = [...ids.values()].map((id) => ({ type: FrameType.HEADERS, streamId: id, headerBlock: encoder.encode([[':status', '200']]), endStream: false, priority: null }));
    const at = new Map([['/a', 0], ['/b', 0]]);
    // Sizes from 1 octet to 16,384, four frames of a stream then four of the other, every fifth
    // frame padded (unless full). Only frames next to each other in a read can be joined.
    for (let i = 0; [...at].some(([path, n]) => n < (bodies.get(path) as Buffer).length); i++) {
      const path = Math.floor(i / 4) % 2 === 0 ? '/a' : '/b';
      const body = bodies.get(path) as Buffer;
      const from = at.get(path) as number;
      if (from >= body.length) continue;
      const size = Math.min(SIZES[i % SIZES.length] as number, body.length - from);
      at.set(path, from + size);
      const data: FrameInit = { type: FrameType.DATA, streamId: ids.get(path) as number, data: body.subarray(from, from + size), endStream: from + size === body.length };
      frames.push(i % 5 === 4 && size < 16384 ? { ...data, padLength: 3 } : data);
    }
    return Buffer.concat([...heads, ...frames].map((f) => serializeFrame(f)));
  });
  const agent = new Agent({ httpVersion: '2' });
  try {
    const first = request(`http://127.0.0.1:${server.port}/a`, { agent });
    await new Promise((resolve) => setTimeout(resolve, 50)); // /a opens the first stream
    const responses = await Promise.all([first, request(`http://127.0.0.1:${server.port}/b`, { agent })]);
    const reads = await Promise.all(responses.map((res) => readAll(res.body)));
    for (const [i, path] of ['/a', '/b'].entries()) {
      const { kept, error } = reads[i] as { kept: Uint8Array[]; error: unknown };
      assert.equal(error, null);
      assert.ok(Buffer.concat(kept).equals(bodies.get(path) as Buffer), `${path} intact`);
      const sent = frames.filter((f) => f.type === FrameType.DATA && f.streamId === ids.get(path)).length;
      // Without joining, a reader gets at least one chunk per frame.
      assert.ok(kept.length < sent, `${path}: ${kept.length} chunks for ${sent} frames`);
    }
  } finally {
    await agent.close();
    server.close();
  }
});

test('DATA then RST_STREAM in one read: the reader gets every byte that came, then the error', OPTS, async () => {
  const body = pattern(30_000);
  const server = await rawServer((id, encoder) => {
    const parts: FrameInit[] = [
      { type: FrameType.HEADERS, streamId: id, headerBlock: encoder.encode([[':status', '200']]), endStream: false, priority: null },
      { type: FrameType.DATA, streamId: id, data: body.subarray(0, 10_000), endStream: false },
      { type: FrameType.DATA, streamId: id, data: body.subarray(10_000, 20_000), endStream: false },
      { type: FrameType.DATA, streamId: id, data: body.subarray(20_000), endStream: false },
      { type: FrameType.RST_STREAM, streamId: id, errorCode: 2 },
    ];
    return Buffer.concat(parts.map((f) => serializeFrame(f)));
  });
  const agent = new Agent({ httpVersion: '2' });
  try {
    const res = await request(`http://127.0.0.1:${server.port}/`, { agent });
    const { kept, error } = await readAll(res.body);
    assert.ok(Buffer.concat(kept).equals(body), `${Buffer.concat(kept).length} of ${body.length} octets before the error`);
    assert.ok(error instanceof Error, 'the reset is an error after the bytes');
  } finally {
    await agent.close();
    server.close();
  }
});
