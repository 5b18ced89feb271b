// What the RFC 9113 conformance suites share: a courier server on 127.0.0.1 whose handler knows
// a few paths, a raw client that has finished the SETTINGS exchange, and the three reactions a
// violation can get — GOAWAY then close, RST_STREAM on one stream with the connection still
// serving, or nothing at all — each asserted exactly, with bounded waits.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FrameType, errorCodeName, type ErrorCodeName, type FrameInit, type HeaderFieldInit } from '../../src/h2/index.js';
import type { ServerOptions, ServerRequest } from '../../src/server/index.js';
import { start } from '../server/harness.js';
import { rawH2, type RawH2 } from '../server/h2-raw.js';

/** WAIT_MS bounds every wait for the server's reaction (generous: a loaded machine must not fail it). */
export const WAIT_MS = 10_000;

/** Expect is the reaction a case requires. */
export type Expect =
  /** a connection error: GOAWAY with `goaway`, last-stream-id `lastStreamId` when given, then the server closes. */
  | { goaway: ErrorCodeName; lastStreamId?: number }
  /** a stream error: RST_STREAM `code` on `reset`; then a request on stream `next` still gets 200. */
  | { reset: number; code: ErrorCodeName; next: number }
  /** nothing: no GOAWAY, no RST_STREAM, and a request on stream `next` gets 200. */
  | { ignored: true; next: number };

/** Case is one requirement of RFC 9113 broken on purpose. */
export interface Case {
  /** section of RFC 9113 (or RFC 7541) the requirement is in, like "§6.5". */
  section: string;
  /** name says what is sent, and is the test's name after the section. */
  name: string;
  /** fresh skips the handshake: the case starts on a bare socket and sends the preface itself. */
  fresh?: boolean;
  /** setup runs first on the ready connection (opens streams, waits for answers). */
  setup?: (c: RawH2) => Promise<void>;
  /** send builds the violation: frames or raw bytes, written in one socket write. */
  send: (c: RawH2) => (FrameInit | Uint8Array)[];
  expect: Expect;
  /** verify asserts more once the reaction is seen. */
  verify?: (c: RawH2) => void;
}

/** Server is the server a suite runs against, and how clients reach it. */
export interface Target {
  port: number;
  ca?: string;
}

/**
 * conformanceServer starts a courier server whose handler answers: `/` with 200 "ok", `/hold`
 * never (until the stream or connection goes away, so the stream stays open), `/echo` with the
 * number of request body octets it read, `/big?N` with N octets, `/fields` with fields HTTP/2
 * forbids in a response.
 */
export async function conformanceServer(options: ServerOptions = {}): Promise<Target & { close(): Promise<void> }> {
  const server = await start(handler, { maxBodyBuffer: 65535, ...options });
  return { port: server.port, close: () => server.close() };
}

async function handler(req: ServerRequest): Promise<{ status: number; headers?: [string, string][]; body?: string }> {
  if (req.path === '/hold') {
    await new Promise<void>((resolve) => req.signal.addEventListener('abort', () => resolve(), { once: true }));
    return { status: 200, body: 'late' };
  }
  if (req.path === '/echo') {
    let length = 0;
    for await (const chunk of req.body) length += chunk.length;
    return { status: 200, body: String(length) };
  }
  if (req.path === '/big') return { status: 200, body: 'x'.repeat(Number(req.query)) };
  if (req.path === '/fields') {
    // Fields HTTP/2 forbids or spells differently (RFC 9113 §8.2.1, §8.2.2): the server must fix or drop them.
    const headers: [string, string][] = [['X-Mixed-Case', 'a'], ['Connection', 'close'], ['Keep-Alive', 'timeout=5'], ['Proxy-Connection', 'close'], ['Upgrade', 'h2c'], ['TE', 'trailers']];
    return { status: 200, headers, body: 'ok' };
  }
  return { status: 200, body: 'ok' };
}

/**
 * ready connects, sends the preface and SETTINGS, acknowledges the server's SETTINGS and waits for
 * the acknowledgement of its own: the connection is then in its steady state.
 */
export async function ready(target: Target, settings: [number, number][] = []): Promise<RawH2> {
  const c = await rawH2(target.port, settings, true, target.ca);
  await c.until((frames) => frames.some((f) => f.type === FrameType.SETTINGS && !f.ack), WAIT_MS);
  c.write({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
  await c.until((frames) => frames.some((f) => f.type === FrameType.SETTINGS && f.ack), WAIT_MS);
  assert.equal(c.goaway(), null, 'the handshake itself failed');
  return c;
}

/** get builds a GET request on `streamId` for `path`, ending the stream. */
export function get(c: RawH2, streamId: number, path = '/'): FrameInit {
  return c.headers(streamId, path, true);
}

/** statusOf returns the :status of the first HEADERS the server sent on `streamId`, or null. */
export function statusOf(c: RawH2, streamId: number): string | null {
  const frame = c.frames.find((f) => f.type === FrameType.HEADERS && f.streamId === streamId);
  if (frame === undefined) return null;
  return c.decode(frame).find(([name]) => name === ':status')?.[1] ?? null;
}

/** answered waits until the server sent HEADERS on `streamId` (or reset it, or went away). */
export async function answered(c: RawH2, streamId: number): Promise<void> {
  await c.until((frames) => frames.some((f) => (f.type === FrameType.HEADERS || f.type === FrameType.RST_STREAM) && f.streamId === streamId), WAIT_MS);
}

/** complete waits until the server ended stream `streamId` (DATA or HEADERS with END_STREAM, or RST_STREAM). */
export async function complete(c: RawH2, streamId: number): Promise<void> {
  await c.until(
    (frames) =>
      frames.some(
        (f) =>
          f.streamId === streamId &&
          (((f.type === FrameType.DATA || f.type === FrameType.HEADERS) && f.endStream) || f.type === FrameType.RST_STREAM),
      ),
    WAIT_MS,
  );
}

/** usable proves the connection still serves: a GET on `streamId` gets 200, and no GOAWAY came. */
export async function usable(c: RawH2, streamId: number): Promise<void> {
  c.write(get(c, streamId));
  await answered(c, streamId);
  assert.equal(c.goaway(), null, 'the connection ended');
  assert.equal(statusOf(c, streamId), '200', `stream ${streamId}: ${c.resets().join(', ')}`);
}

/** check asserts the reaction `expect` on a connection the violation was just written to. */
export async function check(c: RawH2, expect: Expect): Promise<void> {
  if ('goaway' in expect) {
    await c.until((frames) => frames.some((f) => f.type === FrameType.GOAWAY), WAIT_MS);
    const goaway = c.frames.find((f) => f.type === FrameType.GOAWAY);
    assert.ok(goaway?.type === FrameType.GOAWAY);
    assert.equal(errorCodeName(goaway.errorCode), expect.goaway, `GOAWAY ${c.goaway() ?? ''}`);
    if (expect.lastStreamId !== undefined) assert.equal(goaway.lastStreamId, expect.lastStreamId, 'last-stream-id');
    // RFC 9113 §5.4.1: after the GOAWAY of a connection error, the TCP connection is closed.
    await Promise.race([c.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the server did not close')), WAIT_MS).unref())]);
    return;
  }
  if ('reset' in expect) {
    await c.until((frames) => frames.some((f) => f.type === FrameType.RST_STREAM && f.streamId === expect.reset), WAIT_MS);
    await usable(c, expect.next);
    // Counted once the next answer is in: whatever the violation caused was sent before it (§5.4.2: one RST_STREAM).
    assert.deepEqual(c.resets().filter((r) => r.startsWith(`${expect.reset} `)), [`${expect.reset} ${expect.code}`]);
    return;
  }
  await usable(c, expect.next);
  assert.deepEqual(c.resets(), [], 'no stream was reset');
}

/** suite registers one test per case, each on a fresh connection to `target()`. */
export function suite(cases: readonly Case[], target: () => Target): void {
  for (const k of cases) {
    test(`${k.section} ${k.name}`, { timeout: 4 * WAIT_MS }, async () => {
      const c = k.fresh === true ? await rawH2(target().port, [], false, target().ca) : await ready(target());
      try {
        if (k.setup !== undefined) await k.setup(c);
        c.write(...k.send(c));
        await check(c, k.expect);
        k.verify?.(c);
      } finally {
        c.socket.destroy();
      }
    });
  }
}

/**
 * literal encodes a header block by hand — every field a literal without indexing, new name, no
 * Huffman (RFC 7541 §6.2.2) — so a test can send names and values an encoder would refuse or fix.
 */
export function literal(fields: readonly (readonly [string, string])[]): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from([0x00]), stringLiteral(name), stringLiteral(value));
  }
  return Buffer.concat(parts);
}

function stringLiteral(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  if (bytes.length >= 127) throw new Error('literal() keeps strings under 127 octets');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

/** request is the usual request header list, for tests that edit it before encoding with literal(). */
export function request(path = '/', method = 'GET'): [string, string][] {
  return [[':method', method], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', path]];
}

/** u32 is four octets, big-endian. */
export function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

export type { HeaderFieldInit, RawH2 };
