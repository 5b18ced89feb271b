// What the frames that belong to one stream do on receipt (RFC 9113 §5.1, §6.1, §6.2, §6.4, §8.1):
// DATA under flow control and content-length, HEADERS that open a stream or carry a response head
// or trailers, RST_STREAM. The connection-level frames are in receive-connection-frames.ts.
import { H2Error, H2StreamError } from './errors.js';
import { connectionError, malformed, type ConnectionCore } from './connection-core.js';
import type { DataFrame, HeadersFrame, RstStreamFrame } from './frames.js';
import { validateRequestHeaders, validateResponseHeaders, validateTrailers } from './header-validation.js';
import { H2Stream } from './stream.js';

/** receiveData handles a whole DATA frame (RFC 9113 §6.1). */
export function receiveData(core: ConnectionCore, frame: DataFrame): void {
  const stream = startData(core, frame, frame.data.length);
  if (stream !== null) receiveDataPiece(core, stream, frame, frame.data, 0, true);
}

/**
 * startData checks a DATA frame against the windows and the stream's state, before its payload
 * (RFC 9113 §6.1, §6.9.1), and returns the stream that takes the payload, or null when it is
 * dropped (a stream we reset). It throws the stream or connection error the frame is. Of the
 * frame's `length`, `dataLength` octets are data; the rest is padding.
 */
export function startData(core: ConnectionCore, frame: DataFrame, dataLength: number): H2Stream | null {
  const { streamId, length } = frame;
  // RFC 9113 §6.9.1: the whole payload counts, padding included, on the connection first.
  if (!core.receiveWindow.consume(length)) {
    throw connectionError('H2_FLOW_CONTROL_VIOLATION', `DATA of ${length} octets exceeds the connection window (RFC 9113 §6.9.1)`);
  }
  const stream = core.streams.get(streamId);
  if (stream === undefined || !stream.canReceive) {
    core.consume(0, length); // nobody will read these octets
    const state = core.streamState(streamId);
    if (state === 'idle') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `DATA on idle stream ${streamId} (RFC 9113 §5.1)`);
    if (core.streams.closedHow(streamId) === 'reset-local') return null; // in flight when we reset it (§5.1 closed)
    throw new H2StreamError('H2_STREAM_CLOSED', `DATA on stream ${streamId} in state ${state} (RFC 9113 §6.1)`, streamId);
  }
  if (!stream.receiveWindow.consume(length)) {
    core.consume(0, length);
    throw new H2StreamError('H2_FLOW_CONTROL_VIOLATION', `DATA of ${length} octets exceeds the window of stream ${streamId} (RFC 9113 §6.9.1)`, streamId);
  }
  // Padding is nobody's to read: returned now.
  if (length > dataLength) core.consume(streamId, length - dataLength);
  return stream;
}

/**
 * receiveDataPiece delivers `piece` of a DATA frame's payload (all of it, or the next piece of
 * one handed on in pieces) under the stream's content-length (RFC 9113 §8.1.1); END_STREAM takes
 * effect with the last piece. `rest` is the frame's octets still to come after this piece (credit
 * to return if the stream fails). The data is returned to the windows now unless the application does it.
 */
export function receiveDataPiece(core: ConnectionCore, stream: H2Stream, frame: DataFrame, piece: Uint8Array, rest: number, isLast: boolean): void {
  const streamId = stream.id;
  const endStream = isLast && frame.endStream;
  stream.receivedLength += piece.length;
  const expected = stream.isHeadResponse ? -1 : stream.expectedLength;
  if (expected !== -1 && (stream.receivedLength > expected || (endStream && stream.receivedLength !== expected))) {
    core.consume(streamId, piece.length + rest);
    throw new H2StreamError('H2_CONTENT_LENGTH_MISMATCH', `Stream ${streamId} carried ${stream.receivedLength}+ octets of DATA for a content-length of ${expected} (RFC 9113 §8.1.1)`, streamId);
  }
  if (endStream) core.endRemote(stream);
  core.callbacks.onData?.(streamId, piece, endStream);
  if (!core.isFlowControlManual && piece.length > 0) core.consume(streamId, piece.length);
}

/** receiveHeaders handles a whole header block: a new stream, a response head, or trailers (RFC 9113 §6.2, §8.1). */
export function receiveHeaders(core: ConnectionCore, frame: HeadersFrame): void {
  const { streamId, endStream } = frame;
  // Decode first, whatever happens to the stream: the HPACK tables must stay in step (RFC 9113 §4.3).
  let fields;
  let listError: H2Error | null = null;
  try {
    fields = core.decoder.decode(frame.headerBlock, streamId);
  } catch (error) {
    core.callbacks.onFrame?.('received', frame, null);
    if (error instanceof H2StreamError) listError = error;
    else throw error;
  }
  if (fields !== undefined) core.callbacks.onFrame?.('received', frame, fields.map((f) => [f.name, f.value]));
  const stream = core.streams.get(streamId);
  if (stream === undefined) {
    openPeerStream(core, frame, fields, listError);
    return;
  }
  if (listError !== null) throw listError;
  if (!stream.canReceive) throw new H2StreamError('H2_STREAM_CLOSED', `HEADERS on stream ${streamId} in state ${stream.state} (RFC 9113 §5.1)`, streamId);
  if (core.role === 'client' && !stream.hasReceivedHead) {
    const head = validateResponseHeaders(fields ?? [], streamId);
    const isInformational = head.status < 200;
    if (isInformational && endStream) throw malformed(streamId, 'a 1xx response ends the stream (RFC 9113 §8.1)');
    if (!isInformational) {
      stream.hasReceivedHead = true;
      stream.expectedLength = head.status === 204 || head.status === 304 ? -1 : head.contentLength;
      if (endStream) checkEmptyBody(stream);
    }
    if (endStream) core.endRemote(stream);
    core.callbacks.onResponse?.(streamId, head, endStream);
    return;
  }
  // Trailers (RFC 9113 §8.1): one HEADERS, with END_STREAM, no pseudo-headers.
  if (!endStream) throw malformed(streamId, 'a second HEADERS without END_STREAM (RFC 9113 §8.1)');
  const trailers = validateTrailers(fields ?? [], streamId);
  checkEmptyBody(stream, true);
  core.endRemote(stream);
  core.callbacks.onTrailers?.(streamId, trailers);
}

/** receiveRstStream handles RST_STREAM (RFC 9113 §6.4). */
export function receiveRstStream(core: ConnectionCore, frame: RstStreamFrame): void {
  const stream = core.streams.get(frame.streamId);
  if (stream !== undefined) {
    core.close(stream, 'reset-remote');
    core.callbacks.onStreamReset?.(frame.streamId, frame.errorCode, null);
  } else if (core.streamState(frame.streamId) === 'idle') {
    throw connectionError('H2_FRAME_ON_IDLE_STREAM', `RST_STREAM on idle stream ${frame.streamId} (RFC 9113 §6.4)`);
  }
}

// HEADERS on a stream we do not have open: a new request (server), or an error.
function openPeerStream(core: ConnectionCore, frame: HeadersFrame, fields: { name: string; value: string }[] | undefined, listError: H2Error | null): void {
  const { streamId, endStream } = frame;
  const streams = core.streams;
  const closed = streams.closedHow(streamId);
  if (closed !== undefined) {
    if (closed === 'reset-local') return;
    throw new H2StreamError('H2_STREAM_CLOSED', `HEADERS on closed stream ${streamId} (RFC 9113 §5.1)`, streamId);
  }
  if (core.role === 'client') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `HEADERS on stream ${streamId}, which this client did not open (RFC 9113 §5.1.1)`);
  if (streamId % 2 === 0) throw connectionError('H2_STREAM_ID_WRONG_PARITY', `HEADERS opens even stream ${streamId}: client streams are odd (RFC 9113 §5.1.1)`);
  if (streamId <= streams.lastPeerStreamId) {
    throw connectionError('H2_STREAM_ID_NOT_INCREASING', `HEADERS opens stream ${streamId} after stream ${streams.lastPeerStreamId} (RFC 9113 §5.1.1)`);
  }
  streams.lastPeerStreamId = streamId;
  if (core.sentGoaway !== -1 && streamId > core.sentGoaway) return; // §6.8: after GOAWAY, new streams are ignored
  if (listError !== null) throw listError;
  if (frame.priority !== null && frame.priority.streamDependency === streamId) {
    throw new H2StreamError('H2_SELF_DEPENDENCY', `HEADERS makes stream ${streamId} depend on itself (RFC 9113 §5.3.1)`, streamId);
  }
  if (streams.peerCount >= core.local.maxConcurrentStreams) {
    throw new H2StreamError('H2_TOO_MANY_STREAMS', `Stream ${streamId} refused: ${core.local.maxConcurrentStreams} streams are open (RFC 9113 §5.1.2)`, streamId);
  }
  const head = validateRequestHeaders(fields ?? [], streamId, core.local.enableConnectProtocol);
  const stream = new H2Stream(streamId, core.peer.initialWindowSize, core.ackedLocal.initialWindowSize);
  stream.hasReceivedHead = true;
  stream.expectedLength = head.contentLength;
  streams.add(stream);
  streams.lastProcessedStreamId = streamId;
  stream.open(false, false);
  if (endStream) {
    checkEmptyBody(stream);
    core.endRemote(stream);
  }
  core.callbacks.onRequest?.(streamId, head, endStream);
}

// The input ends: a declared content-length must have been met (RFC 9113 §8.1.1).
function checkEmptyBody(stream: H2Stream, isTrailers = false): void {
  const expected = stream.isHeadResponse ? -1 : stream.expectedLength;
  if (expected !== -1 && stream.receivedLength !== expected) {
    throw new H2StreamError(
      'H2_CONTENT_LENGTH_MISMATCH',
      `Stream ${stream.id} ended ${isTrailers ? 'with trailers ' : ''}after ${stream.receivedLength} octets of a content-length of ${expected} (RFC 9113 §8.1.1)`,
      stream.id,
    );
  }
}
