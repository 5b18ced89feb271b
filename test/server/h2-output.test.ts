// The way out of an HTTP/2 server connection under backpressure: many streams answering at once
// to a client that stops reading wait on the connection, not each on the socket's events, and
// every byte still arrives in order once the client reads again.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { test } from 'node:test';
import { FrameType, SettingId } from '../../src/h2/index.js';
import { start } from './harness.js';
import { rawH2 } from './h2-raw.js';

const OPTS = { timeout: 30_000 };
const STREAMS = 30;
const CHUNK = 16 * 1024;
const CHUNKS = 64; // 1 MiB a stream: far more than the socket buffers while the client reads nothing

test('30 streams blocked on one full socket add no listeners per stream, and all their bytes arrive once the client reads', OPTS, async () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
  };
  process.on('warning', onWarning);
  let pulled = 0;
  let started = 0;
  const server = await start(() => {
    started++;
    return {
      status: 200,
      body: (async function* () {
        for (let i = 0; i < CHUNKS; i++) {
          pulled++;
          yield Buffer.alloc(CHUNK, i);
        }
      })(),
    };
  });
  // Windows as big as allowed: only the socket holds the server back.
  const c = await rawH2(server.port, [[SettingId.INITIAL_WINDOW_SIZE, 2 ** 31 - 1]]);
  c.write({ type: FrameType.WINDOW_UPDATE, streamId: 0, windowSizeIncrement: 2 ** 31 - 1 - 65535 });
  c.socket.pause();
  const requests = [];
  for (let i = 0; i < STREAMS; i++) requests.push(c.headers(1 + 2 * i, '/', true));
  c.write(...requests);
  // Wait (bounded) until every handler ran and the bodies stopped being pulled: all streams wait.
  const deadline = Date.now() + 20_000;
  let last = -1;
  while (Date.now() < deadline && (started < STREAMS || pulled !== last)) {
    last = pulled;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  assert.equal(started, STREAMS);
  assert.ok(pulled < STREAMS * CHUNKS, 'the socket never filled: the test proves nothing');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(warnings.map((w) => w.message), []);
  // The client reads again: every stream completes with its bytes in order.
  c.socket.resume();
  const ended = (): number => c.frames.filter((f) => (f.type === FrameType.DATA || f.type === FrameType.HEADERS) && f.endStream).length;
  await c.until(() => ended() === STREAMS);
  for (let i = 0; i < STREAMS; i++) {
    const id = 1 + 2 * i;
    const body = Buffer.concat(c.frames.flatMap((f) => (f.type === FrameType.DATA && f.streamId === id ? [f.data] : [])));
    assert.equal(body.length, CHUNK * CHUNKS, `stream ${id}`);
    for (let k = 0; k < CHUNKS; k++) assert.equal(body[k * CHUNK], k, `stream ${id} chunk ${k}`);
  }
  process.off('warning', onWarning);
  c.socket.destroy();
  await server.close();
});
