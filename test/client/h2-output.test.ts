// The HTTP/2 client's way out and way in: streams whose uploads wait on a full socket wait on
// one list (no listeners per stream, as the server's connection), every byte still leaves in
// order once the server reads again, and response chunks handed on without a copy stay intact.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { after, test } from 'node:test';
import { Agent, request } from '../../src/client/index.js';
import { FrameParser, FrameType, SettingId, serializeFrame } from '../../src/h2/index.js';
import { pattern, startH2Peer } from './h2-peer.js';

const OPTS = { timeout: 60_000 };
const STREAMS = 12;
const BODY = 1024 * 1024;

test(`${STREAMS} uploads blocked on one full socket add no listeners per stream, and every byte leaves once the server reads`, OPTS, async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
  };
  process.on('warning', onWarning);
  // A server that opens every window wide, then reads nothing until told to.
  let server: net.Socket | null = null;
  const listener = net.createServer((socket) => {
    server = socket;
    socket.pause();
    socket.write(
      Buffer.concat([
        serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: [[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31 - 1]] }),
        serializeFrame({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 2 ** 31 - 1 - 65535 }),
      ]),
    );
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as net.AddressInfo).port;
  const agent = new Agent({ httpVersion: '2' });
  try {
    const body = pattern(BODY);
    // First 32 MiB on one stream: more than the socket buffers of a reader that reads nothing.
    const first = pattern(32 * BODY);
    const requests = [request(`http://127.0.0.1:${port}/up/first`, { method: 'POST', body: first, agent }).catch((error: unknown) => error)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Then 12 uploads: each finds the socket full and waits for it to drain.
    for (let i = 0; i < STREAMS; i++) {
      requests.push(request(`http://127.0.0.1:${port}/up/${i}`, { method: 'POST', body, agent }).catch((error: unknown) => error));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.deepEqual(warnings, []);
    // Now read: every stream's bytes arrive, whole and in order.
    const received = new Map<number, Buffer[]>();
    let ended = 0;
    const parser = new FrameParser(
      {
        onFrame: (frame) => {
          if (frame.type !== FrameType.DATA) return;
          const parts = received.get(frame.streamId) ?? [];
          parts.push(Buffer.from(frame.data));
          received.set(frame.streamId, parts);
          if (frame.endStream) ended++;
        },
      },
      { expectPreface: true },
    );
    const socket = server as unknown as net.Socket;
    socket.on('data', (chunk: Buffer) => parser.execute(chunk));
    socket.resume();
    const deadline = Date.now() + 30_000;
    while (ended < STREAMS + 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(ended, STREAMS + 1, 'every upload ended');
    const sha = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
    const digests = [...received.values()].map((parts) => sha(Buffer.concat(parts))).sort();
    assert.deepEqual(digests, [sha(first), ...Array<string>(STREAMS).fill(sha(body))].sort());
    assert.deepEqual(warnings, []);
    agent.destroy();
    socket.destroy();
    await Promise.all(requests);
  } finally {
    process.off('warning', onWarning);
    agent.destroy();
    listener.close();
  }
});

for (const tls of [true, false]) {
  test(`response chunks kept uncopied stay intact: 3 MiB over ${tls ? 'TLS' : 'h2c'} from node:http2`, OPTS, async () => {
    const peer = await startH2Peer({ tls });
    const agent = new Agent(tls ? { ca: peer.ca } : { httpVersion: '2' });
    after(async () => {
      await agent.close();
      await peer.close();
    });
    const size = 3 * 1024 * 1024 + 5;
    const res = await request(`${peer.url}/bytes/${size}`, { agent });
    assert.equal(res.httpVersion, '2');
    const kept: Uint8Array[] = [];
    for await (const chunk of res.body) kept.push(chunk);
    assert.ok(Buffer.concat(kept).equals(pattern(size)));
  });
}
