// What the frames that concern the whole connection do on receipt: SETTINGS and their
// acknowledgement (RFC 9113 §6.5), PING (§6.7), WINDOW_UPDATE (§6.9), PUSH_PROMISE (refused,
// §6.6). GOAWAY is in goaway.ts; stream frames in receive-stream-frames.ts.
import { H2StreamError } from './errors.js';
import { connectionError, pingKey, type ConnectionCore } from './connection-core.js';
import { FrameType, type PingFrame, type SettingsFrame, type WindowUpdateFrame } from './frames.js';
import { receiveShutdownPingAck } from './goaway.js';
import { applySettings, SettingId } from './settings.js';

/** receiveSettings applies the peer's SETTINGS and acknowledges them, or takes the ACK of ours (RFC 9113 §6.5.3). */
export function receiveSettings(core: ConnectionCore, frame: SettingsFrame): void {
  if (frame.ack) {
    const acked = core.pendingSettings.shift();
    if (acked === undefined) throw connectionError('H2_UNSOLICITED_SETTINGS_ACK', 'SETTINGS ACK without SETTINGS to acknowledge (RFC 9113 §6.5.3)');
    const before = core.ackedLocal.initialWindowSize;
    core.ackedLocal = { ...core.ackedLocal, ...acked };
    if (acked.maxFrameSize !== undefined) core.parser.setMaxFrameSize(acked.maxFrameSize);
    if (acked.headerTableSize !== undefined) core.decoder.setMaxTableSize(acked.headerTableSize);
    const delta = core.ackedLocal.initialWindowSize - before;
    if (delta !== 0) for (const stream of core.streams.streams()) stream.receiveWindow.increase(delta);
    return;
  }
  const pairs = frame.settings;
  if (core.role === 'client' && pairs.some(([id, value]) => id === SettingId.ENABLE_PUSH && value === 1)) {
    throw connectionError('H2_BAD_SETTING_VALUE', 'SETTINGS_ENABLE_PUSH 1 from a server (RFC 9113 §6.5.2)');
  }
  const before = core.peer;
  core.peer = applySettings(before, pairs);
  if (core.peer.headerTableSize !== before.headerTableSize) core.encoder.setMaxTableSize(core.peer.headerTableSize);
  const delta = core.peer.initialWindowSize - before.initialWindowSize;
  if (delta !== 0) {
    // RFC 9113 §6.9.2: the change applies to every stream's send window, and may not overflow.
    for (const stream of core.streams.streams()) {
      if (!stream.sendWindow.increase(delta)) {
        throw connectionError('H2_FLOW_CONTROL_OVERFLOW', `SETTINGS_INITIAL_WINDOW_SIZE change overflows the window of stream ${stream.id} (RFC 9113 §6.9.2)`);
      }
    }
  }
  core.sendFrame({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
  core.callbacks.onSettings?.(core.peer);
  if (delta > 0) for (const stream of core.streams.streams()) if (stream.canSend) core.callbacks.onWindowOpen?.(stream.id);
}

/** receivePing answers a PING, or matches an ACK with the PING we sent (RFC 9113 §6.7). */
export function receivePing(core: ConnectionCore, frame: PingFrame): void {
  if (!frame.ack) {
    core.sendFrame({ type: FrameType.PING, streamId: 0, ack: true, data: frame.data });
    return;
  }
  const key = pingKey(frame.data);
  if (receiveShutdownPingAck(core, key)) return;
  const at = core.pings.indexOf(key);
  if (at === -1) return; // unsolicited: nothing to answer (RFC 9113 §6.7)
  core.pings.splice(at, 1);
  core.callbacks.onPingAck?.(frame.data);
}

/** receiveWindowUpdate opens a send window (RFC 9113 §6.9.1). */
export function receiveWindowUpdate(core: ConnectionCore, frame: WindowUpdateFrame): void {
  const { streamId, windowSizeIncrement: increment } = frame;
  if (streamId === 0) {
    if (!core.sendWindow.increase(increment)) {
      throw connectionError('H2_FLOW_CONTROL_OVERFLOW', `WINDOW_UPDATE of ${increment} takes the connection window above 2^31-1 (RFC 9113 §6.9.1)`);
    }
    core.callbacks.onWindowOpen?.(0);
    return;
  }
  const stream = core.streams.get(streamId);
  if (stream === undefined) {
    if (core.streamState(streamId) === 'idle') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `WINDOW_UPDATE on idle stream ${streamId} (RFC 9113 §5.1)`);
    return; // closed: may still arrive for a while (§5.1)
  }
  if (!stream.sendWindow.increase(increment)) {
    throw new H2StreamError('H2_FLOW_CONTROL_OVERFLOW', `WINDOW_UPDATE of ${increment} takes the window of stream ${streamId} above 2^31-1 (RFC 9113 §6.9.1)`, streamId);
  }
  if (stream.canSend) core.callbacks.onWindowOpen?.(streamId);
}

/** receivePushPromise refuses server push: off on our side, and a client cannot push (RFC 9113 §6.6, §8.4). */
export function receivePushPromise(): never {
  throw connectionError('H2_PUSH_REFUSED', 'PUSH_PROMISE received but push is disabled (RFC 9113 §6.6)');
}
