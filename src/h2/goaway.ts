// Ending a connection gracefully (RFC 9113 §6.8): the GOAWAY we send, the two-step shutdown whose
// PING (§6.7) tells when the peer has seen the first GOAWAY, and the GOAWAY we receive.
import { ERROR_CODES } from './errors.js';
import { pingKey, type ConnectionCore } from './connection-core.js';
import { FrameType, MAX_STREAM_ID, type GoawayFrame } from './frames.js';

// The PING payload of a graceful shutdown: "shutdown".
const SHUTDOWN_PING = new Uint8Array([0x73, 0x68, 0x75, 0x74, 0x64, 0x6f, 0x77, 0x6e]);

/** sendGoaway sends GOAWAY with the last peer stream we process; new peer streams are then ignored. */
export function sendGoaway(core: ConnectionCore, errorCode: number = ERROR_CODES.NO_ERROR, debugData: Uint8Array = new Uint8Array(0)): void {
  core.sentGoaway = core.streams.lastProcessedStreamId;
  core.sendFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: core.sentGoaway, errorCode, debugData });
}

/** startShutdown sends a GOAWAY with 2^31-1 and a PING; the PING's ACK triggers the final GOAWAY. */
export function startShutdown(core: ConnectionCore): void {
  core.sendFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: MAX_STREAM_ID, errorCode: 0, debugData: new Uint8Array(0) });
  core.shutdownPing = pingKey(SHUTDOWN_PING);
  core.sendFrame({ type: FrameType.PING, streamId: 0, ack: false, data: SHUTDOWN_PING });
}

/** receiveShutdownPingAck sends the final GOAWAY if `key` answers the shutdown's PING; false otherwise. */
export function receiveShutdownPingAck(core: ConnectionCore, key: string): boolean {
  if (key !== core.shutdownPing) return false;
  core.shutdownPing = null;
  sendGoaway(core);
  return true;
}

/** receiveGoaway handles the peer's GOAWAY: our streams above its last-stream-id were not processed. */
export function receiveGoaway(core: ConnectionCore, frame: GoawayFrame): void {
  const { lastStreamId } = frame;
  core.receivedGoaway = lastStreamId;
  // They may be retried on another connection (RFC 9113 §6.8).
  for (const stream of core.streams.streams()) {
    if (core.streams.isLocal(stream.id) && stream.id > lastStreamId) {
      core.close(stream, 'reset-remote');
      core.callbacks.onStreamReset?.(stream.id, ERROR_CODES.REFUSED_STREAM, null);
    }
  }
  core.callbacks.onGoaway?.(lastStreamId, frame.errorCode, frame.debugData);
}
