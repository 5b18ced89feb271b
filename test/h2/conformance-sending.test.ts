// RFC 9113 conformance of what a courier server sends (§3.4, §4.2, §6.9, §8.2; RFC 7541 §4.2):
// the client's windows, frame size and header table size are obeyed, and the response fields are
// what HTTP/2 allows. "No more than" is proved with a PING round trip: the server handles frames
// in order, so once the PING ACK is back, anything the window allowed has been sent.
// The table in docs/h2-conformance.md lists each test by name.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before, test } from 'node:test';
import { FrameType, SettingId, serializeRawFrame } from '../../src/h2/index.js';
import type { RawH2 } from '../server/h2-raw.js';
import { WAIT_MS, complete, conformanceServer, get, ready, u32, type Target } from './conformance-peer.js';

const T = FrameType;
const raw = serializeRawFrame;
const OPTS = { timeout: 4 * WAIT_MS };

let target: Target & { close(): Promise<void> };
before(async () => {
  target = await conformanceServer();
});
after(async () => {
  await target.close();
});

/** received counts the DATA octets (padding included) the server sent on `streamId`, or on all streams. */
function received(c: RawH2, streamId?: number): number {
  return c.frames.reduce((sum, f) => sum + (f.type === T.DATA && (streamId === undefined || f.streamId === streamId) ? f.length : 0), 0);
}

let pings = 0;

/** barrier sends a PING and waits for its ACK: everything the server meant to send before it is in. */
async function barrier(c: RawH2): Promise<void> {
  const data = Buffer.alloc(8);
  data.writeUInt32BE(++pings, 4);
  c.write(raw(T.PING, 0, 0, data));
  await c.until((frames) => frames.some((f) => f.type === T.PING && f.ack && Buffer.from(f.data).equals(data)), WAIT_MS);
}

test('§3.4 the server preface is a SETTINGS frame, first', OPTS, async () => {
  const c = await ready(target);
  assert.ok(c.frames[0]?.type === T.SETTINGS && !c.frames[0].ack);
  c.socket.destroy();
});

test('§6.9.1 the server sends no more DATA than the stream window the client gave, and the rest after WINDOW_UPDATE', OPTS, async () => {
  const c = await ready(target, [[SettingId.INITIAL_WINDOW_SIZE, 100]]);
  c.write(get(c, 1, '/big?1000'));
  await c.until(() => received(c, 1) >= 100, WAIT_MS);
  await barrier(c);
  assert.equal(received(c, 1), 100);
  c.write(raw(T.WINDOW_UPDATE, 0, 1, u32(900)));
  await complete(c, 1);
  assert.equal(received(c, 1), 1000);
  c.socket.destroy();
});

test('§6.9.1 the server sends no more DATA than the connection window over all streams, and the rest after WINDOW_UPDATE', OPTS, async () => {
  const c = await ready(target, [[SettingId.INITIAL_WINDOW_SIZE, 1_000_000]]);
  c.write(get(c, 1, '/big?50000'), get(c, 3, '/big?50000'));
  await c.until(() => received(c) >= 65535, WAIT_MS);
  await barrier(c);
  assert.equal(received(c), 65535);
  c.write(raw(T.WINDOW_UPDATE, 0, 0, u32(100000 - 65535)));
  await complete(c, 1);
  await complete(c, 3);
  assert.equal(received(c), 100000);
  c.socket.destroy();
});

test('§6.9.2 a lower SETTINGS_INITIAL_WINDOW_SIZE makes an open stream window negative, and DATA waits until WINDOW_UPDATE lifts it above zero', OPTS, async () => {
  const c = await ready(target, [[SettingId.INITIAL_WINDOW_SIZE, 1000]]);
  c.write(get(c, 1, '/big?5000'));
  await c.until(() => received(c, 1) >= 1000, WAIT_MS);
  // The window is 0; the new initial size takes 1000 more: -1000. Another 1000 only brings it to 0.
  c.write(raw(T.SETTINGS, 0, 0, Buffer.concat([Buffer.from([0, SettingId.INITIAL_WINDOW_SIZE]), u32(0)])), raw(T.WINDOW_UPDATE, 0, 1, u32(1000)));
  await barrier(c);
  assert.equal(received(c, 1), 1000);
  c.write(raw(T.WINDOW_UPDATE, 0, 1, u32(4000)));
  await complete(c, 1);
  assert.equal(received(c, 1), 5000);
  c.socket.destroy();
});

test('§6.5 settings are applied in order: of two SETTINGS_INITIAL_WINDOW_SIZE values in one frame, the second holds', OPTS, async () => {
  const c = await ready(target, [[SettingId.INITIAL_WINDOW_SIZE, 100], [SettingId.INITIAL_WINDOW_SIZE, 1000]]);
  c.write(get(c, 1, '/big?1000'));
  await complete(c, 1);
  assert.equal(received(c, 1), 1000);
  c.socket.destroy();
});

test('§4.2 DATA frames stay within the client\'s SETTINGS_MAX_FRAME_SIZE', OPTS, async () => {
  for (const maxFrameSize of [16384, 20000]) {
    const c = await ready(target, [[SettingId.INITIAL_WINDOW_SIZE, 1_000_000], [SettingId.MAX_FRAME_SIZE, maxFrameSize]]);
    c.write(raw(T.WINDOW_UPDATE, 0, 0, u32(1_000_000)), get(c, 1, '/big?100000'));
    await complete(c, 1);
    const sizes = c.frames.flatMap((f) => (f.type === T.DATA ? [f.length] : []));
    assert.equal(sizes.reduce((a, b) => a + b, 0), 100000);
    assert.ok(Math.max(...sizes) <= maxFrameSize, `largest DATA ${Math.max(...sizes)} > ${maxFrameSize}`);
    c.socket.destroy();
  }
});

test('§4.3 after SETTINGS_HEADER_TABLE_SIZE 0, the server\'s next field block starts with a table size update (RFC 7541 §4.2)', OPTS, async () => {
  const c = await ready(target);
  c.write(get(c, 1));
  await complete(c, 1);
  c.write(raw(T.SETTINGS, 0, 0, Buffer.concat([Buffer.from([0, SettingId.HEADER_TABLE_SIZE]), u32(0)])));
  await barrier(c);
  c.write(get(c, 3));
  await complete(c, 3);
  const block = c.frames.find((f) => f.type === T.HEADERS && f.streamId === 3);
  assert.ok(block?.type === T.HEADERS);
  // 001xxxxx: a dynamic table size update; 0x20 is "size 0".
  assert.equal(block.headerBlock[0], 0x20);
  assert.equal(c.decode(block).find(([name]) => name === ':status')?.[1], '200');
  c.socket.destroy();
});

test('§8.2 response fields go out lowercase and without connection-specific fields', OPTS, async () => {
  const c = await ready(target);
  c.write(get(c, 1, '/fields'));
  await complete(c, 1);
  const block = c.frames.find((f) => f.type === T.HEADERS && f.streamId === 1);
  assert.ok(block !== undefined);
  const names = c.decode(block).map(([name]) => name);
  assert.ok(names.includes('x-mixed-case'), names.join(' '));
  for (const name of names) assert.equal(name, name.toLowerCase());
  for (const name of ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te']) assert.ok(!names.includes(name), `${name} was sent`);
  assert.deepEqual(names.filter((n) => n.startsWith(':')), [':status']);
  assert.ok(names.indexOf(':status') === 0);
  c.socket.destroy();
});
