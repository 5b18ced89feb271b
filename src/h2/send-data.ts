// Sending DATA (RFC 9113 §6.1) under the stream and connection windows (§5.2, §6.9): a body in
// frames no larger than the peer's SETTINGS_MAX_FRAME_SIZE, or a block the caller laid out as
// whole frames in place, so that it leaves without a copy. Internal to src/h2: H2Connection
// checks that the stream may send and calls these.
import { invalid, type ConnectionCore } from './connection-core.js';
import { writeFrameHeader } from './frame-serializer.js';
import { FRAME_HEADER_LENGTH, Flags, FrameType } from './frames.js';
import type { H2Stream } from './stream.js';

const EMPTY = new Uint8Array(0);

/**
 * sendData sends as much of `data` as the windows allow, in frames no larger than the peer's
 * SETTINGS_MAX_FRAME_SIZE, and returns how many octets went out. END_STREAM goes with the last
 * octet (or an empty frame).
 */
export function sendData(core: ConnectionCore, stream: H2Stream, data: Uint8Array, endStream: boolean): number {
  const streamId = stream.id;
  const frameSize = core.peer.maxFrameSize;
  // One buffer holds the headers of every frame this call can send.
  const sendable = Math.min(data.length, stream.sendWindow.size, core.sendWindow.size);
  const headers = sendable > 0 ? new Uint8Array(FRAME_HEADER_LENGTH * Math.ceil(sendable / frameSize)) : EMPTY;
  let at = 0;
  let sent = 0;
  while (sent < data.length && stream.canSend) {
    const size = Math.min(data.length - sent, stream.sendWindow.size, core.sendWindow.size, frameSize);
    if (size <= 0) break;
    const isLast = endStream && sent + size === data.length;
    writeFrameHeader(headers, at, size, FrameType.DATA, isLast ? Flags.END_STREAM : 0, streamId);
    core.send(headers.subarray(at, at + FRAME_HEADER_LENGTH));
    at += FRAME_HEADER_LENGTH;
    core.send(data.subarray(sent, sent + size));
    stream.sendWindow.consume(size);
    core.sendWindow.consume(size);
    sent += size;
  }
  if (data.length === 0 && endStream) {
    core.sendFrame({ type: FrameType.DATA, streamId, data: EMPTY, endStream: true });
  }
  if (endStream && sent === data.length) core.endLocal(stream);
  return sent;
}

/**
 * sendFramedData sends the longest run of whole frames of `block` (a 9-octet gap for each header,
 * filled in here, then up to `frameSize` payload octets) that the windows allow, as one piece,
 * and returns the payload octets sent: 0 when not even the first frame fits.
 */
export function sendFramedData(core: ConnectionCore, stream: H2Stream, block: Uint8Array, frameSize: number, endStream: boolean): number {
  if (frameSize > core.peer.maxFrameSize) return 0;
  const window = Math.min(stream.sendWindow.size, core.sendWindow.size);
  let at = 0;
  let sent = 0;
  while (at < block.length) {
    const size = Math.min(frameSize, block.length - at - FRAME_HEADER_LENGTH);
    if (size <= 0) invalid(`a framed DATA block must be whole frames of ${frameSize} octets after a ${FRAME_HEADER_LENGTH}-octet gap`);
    if (sent + size > window) break;
    const isLast = endStream && at + FRAME_HEADER_LENGTH + size === block.length;
    writeFrameHeader(block, at, size, FrameType.DATA, isLast ? Flags.END_STREAM : 0, stream.id);
    at += FRAME_HEADER_LENGTH + size;
    sent += size;
  }
  if (sent === 0) return 0;
  core.send(at === block.length ? block : block.subarray(0, at));
  stream.sendWindow.consume(sent);
  core.sendWindow.consume(sent);
  if (endStream && at === block.length) core.endLocal(stream);
  return sent;
}
