// A raw HTTP/2 client for abuse tests: frames written with the codec's serializer over a real
// socket, and every frame the server sends parsed back, so a test sees the exact reaction.
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { CONNECTION_PREFACE, FRAME_TYPE_NAMES, FrameParser, FrameType, HpackDecoder, HpackEncoder, errorCodeName, serializeFrame, type Frame, type FrameInit, type HeaderFieldInit } from '../../src/h2/index.js';

/** RawH2 is one raw connection to the server and what came back on it. */
export interface RawH2 {
  socket: net.Socket;
  frames: Frame[];
  encoder: HpackEncoder;
  /** write sends frames (or raw bytes) in one socket write. */
  write(...frames: (FrameInit | Uint8Array)[]): void;
  /** headers builds a HEADERS frame for a request. */
  headers(streamId: number, path: string, endStream: boolean, method?: string, extra?: HeaderFieldInit[]): FrameInit;
  /** until waits (bounded) until `check` holds over the frames received, or the socket closed. */
  until(check: (frames: Frame[]) => boolean, ms?: number): Promise<void>;
  /** goaway returns the first GOAWAY received as "lastStreamId ERROR_NAME debug", or null. */
  goaway(): string | null;
  /** resets lists RST_STREAM frames received as "streamId ERROR_NAME". */
  resets(): string[];
  /** closed resolves when the server closed the connection. */
  closed: Promise<void>;
  /** decode decodes a HEADERS frame the server sent. */
  decode(frame: Frame): [string, string][];
}

/**
 * rawH2 connects to 127.0.0.1:port, sends the preface and `settings` (default none), and collects
 * frames. With `ca` it speaks TLS and offers only "h2" by ALPN.
 */
export async function rawH2(port: number, settings: [number, number][] = [], sendPreface = true, ca?: string): Promise<RawH2> {
  const socket = ca === undefined ? net.connect(port, '127.0.0.1') : tls.connect({ port, host: '127.0.0.1', ca, ALPNProtocols: ['h2'] });
  await new Promise<void>((resolve, reject) => {
    socket.once(ca === undefined ? 'connect' : 'secureConnect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  const decoder = new HpackDecoder();
  const lists = new WeakMap<Frame, [string, string][]>();
  const parser = new FrameParser(
    {
      onFrame: (frame) => {
        // Header lists are decoded as they come, to keep the HPACK table in step.
        if (frame.type === FrameType.HEADERS) lists.set(frame, decoder.decode(frame.headerBlock, frame.streamId).map((f) => [f.name, f.value]));
        frames.push(frame.type === FrameType.DATA ? { ...frame, data: Buffer.from(frame.data) } : frame);
        for (const wake of waiters) wake();
      },
    },
    { maxFrameSize: 16777215, maxHeaderBlockSize: Infinity, maxContinuations: Infinity },
  );
  let isClosed = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => {
    isClosed = true;
    for (const wake of waiters) wake();
    resolve();
  }));
  socket.on('data', (bytes: Buffer) => {
    try {
      parser.execute(bytes);
    } catch {
      socket.destroy();
    }
  });
  const encoder = new HpackEncoder();
  const write = (...items: (FrameInit | Uint8Array)[]): void => {
    socket.write(Buffer.concat(items.map((item) => (item instanceof Uint8Array ? item : serializeFrame(item, 16777215)))));
  };
  if (sendPreface) write(CONNECTION_PREFACE, { type: FrameType.SETTINGS, streamId: 0, ack: false, settings });
  return {
    socket,
    frames,
    encoder,
    write,
    headers: (streamId, path, endStream, method = 'GET', extra = []) => ({
      type: FrameType.HEADERS,
      streamId,
      headerBlock: encoder.encode([[':method', method], [':scheme', ca === undefined ? 'http' : 'https'], [':authority', `127.0.0.1:${port}`], [':path', path], ...extra]),
      endStream,
      priority: null,
    }),
    until: (check, ms = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`timed out; frames: ${frames.map((f) => FRAME_TYPE_NAMES[f.type] ?? f.type).join(' ')}`));
        }, ms);
        const wake = (): void => {
          if (!check(frames) && !isClosed) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        wake();
      }),
    goaway: () => {
      const g = frames.find((f) => f.type === FrameType.GOAWAY);
      return g === undefined || g.type !== FrameType.GOAWAY ? null : `${g.lastStreamId} ${errorCodeName(g.errorCode)} ${Buffer.from(g.debugData).toString()}`.trim();
    },
    resets: () => frames.flatMap((f) => (f.type === FrameType.RST_STREAM ? [`${f.streamId} ${errorCodeName(f.errorCode)}`] : [])),
    closed,
    decode: (frame) => lists.get(frame) ?? [],
  };
}
