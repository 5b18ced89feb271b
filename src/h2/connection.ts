// A sans-IO HTTP/2 connection (RFC 9113 §5, §6): bytes in through receive(), bytes out through
// onSend, and in between the stream states, stream id rules, concurrency limit, flow-control
// windows, SETTINGS acknowledgement, PING, GOAWAY and the header rules of §8. No sockets, no timers.
// This file is the public face and the sending of heads; DATA goes out through send-data.ts; what
// received frames do is in receive-stream-frames.ts (a DATA frame arriving in pieces:
// receive-data-pieces.ts), receive-connection-frames.ts and goaway.ts, over the shared
// ConnectionCore of connection-core.ts.
import { Buffer } from 'node:buffer';
import { ERROR_CODES, H2ConnectionError } from './errors.js';
import { ConnectionCore, invalid, pingKey } from './connection-core.js';
import { FrameParser } from './frame-parser.js';
import { serializeFrame, writeFrameHeader } from './frame-serializer.js';
import { CONNECTION_PREFACE, FRAME_HEADER_LENGTH, Flags, FrameType, MAX_STREAM_ID, type Frame } from './frames.js';
import { receiveGoaway, sendGoaway, startShutdown } from './goaway.js';
import { HpackDecoder } from './hpack-decoder.js';
import { fieldPair, type HeaderFieldInit } from './hpack-encoder.js';
import { receivePing, receivePushPromise, receiveSettings, receiveWindowUpdate } from './receive-connection-frames.js';
import { DataPieces } from './receive-data-pieces.js';
import { receiveData, receiveHeaders, receiveRstStream } from './receive-stream-frames.js';
import { sendData, sendFramedData } from './send-data.js';
import { DEFAULT_SETTINGS, MAX_MAX_FRAME_SIZE, type Settings } from './settings.js';
import { DEFAULT_LOCAL_SETTINGS, type H2ConnectionCallbacks, type H2ConnectionOptions } from './connection-options.js';
import { H2Stream, type StreamState } from './stream.js';
import { receiveWindows } from './window-growth.js';

/** H2Connection is one HTTP/2 connection of either role, without I/O. */
export class H2Connection {
  readonly #core: ConnectionCore;
  #isStarted = false;
  // Where header blocks are encoded before being copied into their frame.
  #scratch = Buffer.allocUnsafe(256);
  // Octets received while receive() runs (a callback answered synchronously): parsed after it.
  #inbox: Uint8Array[] | null = null;

  constructor(callbacks: H2ConnectionCallbacks, options: H2ConnectionOptions) {
    const core = new ConnectionCore(
      options.role,
      callbacks,
      { ...DEFAULT_LOCAL_SETTINGS, ...options.settings },
      options.isFlowControlManual ?? false,
      receiveWindows(options),
    );
    this.#core = core;
    const pieces = new DataPieces(core);
    core.decoder = new HpackDecoder({ maxTableSize: core.local.headerTableSize, maxHeaderListSize: core.local.maxHeaderListSize });
    core.parser = new FrameParser(
      {
        onFrame: (frame) => {
          if (!core.admit(frame)) return;
          try {
            receiveFrame(core, frame);
          } catch (error) {
            core.failed(error);
          }
        },
        onStreamError: (error) => core.streamError(error),
        onDataStart: (frame) => pieces.start(frame),
        onDataPiece: (piece, isLast) => pieces.piece(piece, isLast),
      },
      {
        expectPreface: core.role === 'server',
        expectSettings: true,
        maxFrameSize: DEFAULT_SETTINGS.maxFrameSize,
        ...(options.maxHeaderBlockSize === undefined ? {} : { maxHeaderBlockSize: options.maxHeaderBlockSize }),
        ...(options.maxContinuations === undefined ? {} : { maxContinuations: options.maxContinuations }),
      },
    );
    if (callbacks.onFrame !== undefined) {
      const onFrame = callbacks.onFrame;
      core.traceParser = new FrameParser(
        { onFrame: (frame) => onFrame('sent', frame, frame.type === FrameType.HEADERS ? (core.sentHeaderLists.shift() ?? null) : null), onStreamError: () => {} },
        { expectPreface: core.role === 'client', maxFrameSize: MAX_MAX_FRAME_SIZE, maxHeaderBlockSize: Infinity, maxContinuations: Infinity },
      );
    }
  }

  /** peerSettings are the peer's settings as last received. */
  get peerSettings(): Readonly<Settings> {
    return this.#core.peer;
  }

  /** localSettings are ours as last announced (acknowledged or not). */
  get localSettings(): Readonly<Settings> {
    return this.#core.local;
  }

  /** isDead tells that we ended the connection with a connection error (GOAWAY sent); it then ignores input. */
  get isDead(): boolean {
    return this.#core.isDead;
  }

  /** sentGoawayStreamId is the last-stream-id of the GOAWAY that bounds what we process (-1 until one is sent; a shutdown's first GOAWAY does not count). */
  get sentGoawayStreamId(): number {
    return this.#core.sentGoaway;
  }

  /** connectionSendWindow is what the connection window still allows us to send. */
  get connectionSendWindow(): number {
    return this.#core.sendWindow.size;
  }

  /** streamState returns the §5.1 state of a stream ('idle' for unknown ids above the last one used). */
  streamState(streamId: number): StreamState {
    return this.#core.streamState(streamId);
  }

  /** sendWindow returns how many DATA octets may be sent on a stream now (the smaller of its window and the connection's). */
  sendWindow(streamId: number): number {
    const stream = this.#core.streams.get(streamId);
    return stream === undefined || !stream.canSend ? 0 : Math.max(0, Math.min(stream.sendWindow.size, this.#core.sendWindow.size));
  }

  /**
   * receiveWindow returns how many DATA octets the peer may still send on a stream now (the smaller
   * of its window and the connection's; 0 for a stream that cannot receive). At 0 the peer is held
   * back by us, not slow.
   */
  receiveWindow(streamId: number): number {
    const stream = this.#core.streams.get(streamId);
    return stream === undefined || !stream.canReceive ? 0 : Math.max(0, Math.min(stream.receiveWindow.size, this.#core.receiveWindow.size));
  }

  /** isInHeaderBlock tells whether a header block has begun and awaits its CONTINUATION frames (RFC 9113 §6.10). */
  get isInHeaderBlock(): boolean {
    return this.#core.parser.isInHeaderBlock;
  }

  /** canOpenStream tells whether request() may open a stream now (peer's concurrency limit, GOAWAY, ids left). */
  get canOpenStream(): boolean {
    const core = this.#core;
    return !core.isDead && core.receivedGoaway === -1 && core.streams.localCount < core.peer.maxConcurrentStreams && core.streams.nextLocalStreamId <= MAX_STREAM_ID;
  }

  /**
   * start sends what opens the connection: the client preface (client) and our SETTINGS (RFC 9113
   * §3.4). It happens by itself before anything else is sent; calling it twice does nothing.
   */
  start(): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    const core = this.#core;
    // One write for the whole preface: a peer answering synchronously must not get in between.
    core.outbox = [];
    if (core.role === 'client') core.send(CONNECTION_PREFACE);
    // Only what differs from the protocol's initial values needs saying (RFC 9113 §6.5.2).
    const changed: Partial<Settings> = {};
    for (const key of Object.keys(core.local) as (keyof Settings)[]) {
      if (core.local[key] !== DEFAULT_SETTINGS[key]) (changed as Record<string, unknown>)[key] = core.local[key];
    }
    core.sendSettings(changed);
    const raise = core.connectionWindowSize - DEFAULT_SETTINGS.initialWindowSize;
    if (raise > 0) {
      core.receiveWindow.increase(raise);
      core.sendWindowUpdate(0, raise);
    }
    const preface = Buffer.concat(core.outbox);
    core.outbox = null;
    core.send(preface);
  }

  /** receive feeds octets from the transport. Peer errors are answered (RST_STREAM, GOAWAY) and reported, not thrown. */
  receive(bytes: Uint8Array): void {
    const core = this.#core;
    if (core.isDead) return;
    if (this.#inbox !== null) {
      this.#inbox.push(bytes);
      return;
    }
    this.#inbox = [];
    try {
      this.start();
      let next: Uint8Array | undefined = bytes;
      while (next !== undefined && !core.isDead) {
        core.parser.execute(next);
        next = this.#inbox.shift();
      }
    } catch (error) {
      if (error instanceof H2ConnectionError) core.connectionError(error);
      else throw error;
    } finally {
      this.#inbox = null;
    }
  }

  /** request (client) opens a stream with a request header list and returns its id. */
  request(fields: Iterable<HeaderFieldInit>, endStream: boolean, isHead = false): number {
    const core = this.#core;
    if (core.role !== 'client') invalid('request() is for clients');
    if (!this.canOpenStream) invalid('no stream can be opened now (peer limit, GOAWAY or closed connection)');
    this.start();
    const id = core.streams.nextLocalStreamId;
    core.streams.nextLocalStreamId += 2;
    const stream = new H2Stream(id, core.peer.initialWindowSize, core.ackedLocal.initialWindowSize);
    stream.isHeadResponse = isHead;
    core.streams.add(stream);
    stream.open(true, endStream);
    this.#sendHeaderBlock(id, fields, endStream);
    return id;
  }

  /** sendHeaders sends a response head (server), informational head or trailers on an open stream. */
  sendHeaders(streamId: number, fields: Iterable<HeaderFieldInit>, endStream: boolean): void {
    const stream = this.#sendable(streamId);
    this.#sendHeaderBlock(streamId, fields, endStream);
    if (endStream) this.#core.endLocal(stream);
  }

  /**
   * respond sends a whole response (or request-less answer) on an open stream: HEADERS, then `body`
   * as one DATA frame with END_STREAM, written as one buffer. It returns false, having sent
   * nothing, when the body does not fit the flow-control windows and one frame, or is empty; the
   * caller then uses sendHeaders and sendData.
   */
  respond(streamId: number, fields: Iterable<HeaderFieldInit>, body: Uint8Array | string): boolean {
    const core = this.#core;
    const stream = this.#sendable(streamId);
    const length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length;
    if (length === 0 || length > stream.sendWindow.size || length > core.sendWindow.size || length > core.peer.maxFrameSize) return false;
    const frame = this.#headerFrame(streamId, fields, false, FRAME_HEADER_LENGTH + length);
    if (frame === null) {
      // The head took CONTINUATION frames and went alone; the body fits one DATA frame.
      this.sendData(streamId, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, true);
      return true;
    }
    // The DATA frame fills the room left after the HEADERS frame.
    const at = writeFrameHeader(frame, frame.length - FRAME_HEADER_LENGTH - length, length, FrameType.DATA, Flags.END_STREAM, streamId);
    // As many octets as characters: all ASCII, written one octet per character (faster than utf8).
    if (typeof body === 'string') frame.write(body, at, length, length === body.length ? 'latin1' : 'utf8');
    else frame.set(body, at);
    stream.sendWindow.consume(length);
    core.sendWindow.consume(length);
    core.send(frame);
    core.endLocal(stream);
    return true;
  }

  /**
   * sendData sends as much of `data` as the flow-control windows allow, in frames no larger than
   * the peer's SETTINGS_MAX_FRAME_SIZE, and returns how many octets went out; wait for
   * onWindowOpen to send the rest. END_STREAM goes with the last octet (or an empty frame).
   */
  sendData(streamId: number, data: Uint8Array, endStream: boolean): number {
    return sendData(this.#core, this.#sendable(streamId), data, endStream);
  }

  /** dataFrameSize is the largest DATA payload the peer takes in one frame (its SETTINGS_MAX_FRAME_SIZE). */
  get dataFrameSize(): number {
    return this.#core.peer.maxFrameSize;
  }

  /**
   * sendFramedData sends DATA laid out in place by the caller, so that the octets leave in one piece
   * without a copy: `block` is a run of frames, each a 9-octet gap for the header this method fills
   * in, then `frameSize` payload octets (the last frame may be shorter). It sends the longest run of
   * whole frames that the windows allow and that fit the peer's frame size, as one subarray, and
   * returns the payload octets sent: 0 when not even the first frame fits (send its payload with
   * sendData then). END_STREAM goes on the block's last frame when `endStream` is set.
   */
  sendFramedData(streamId: number, block: Uint8Array, frameSize: number, endStream: boolean): number {
    return sendFramedData(this.#core, this.#sendable(streamId), block, frameSize, endStream);
  }

  /** consume returns received octets to the peer's windows once the application took them (manual flow control). */
  consume(streamId: number, octets: number): void {
    this.#core.consume(streamId, octets);
  }

  /** resetStream ends a stream with RST_STREAM (RFC 9113 §6.4). */
  resetStream(streamId: number, errorCode: number = ERROR_CODES.CANCEL): void {
    const core = this.#core;
    const stream = core.streams.get(streamId);
    if (stream === undefined) return;
    core.sendFrame({ type: FrameType.RST_STREAM, streamId, errorCode });
    core.close(stream, 'reset-local');
  }

  /**
   * terminate ends the connection with a connection error of the caller's (a limit it enforces):
   * GOAWAY with the error's code, then input is ignored and onConnectionError is told.
   */
  terminate(error: H2ConnectionError): void {
    if (this.#core.isDead) return;
    this.start();
    this.#core.connectionError(error);
  }

  /** ping sends a PING with 8 octets of data; onPingAck gets them back (RFC 9113 §6.7). */
  ping(data: Uint8Array = new Uint8Array(8)): void {
    this.#core.pings.push(pingKey(data));
    this.#core.sendFrame({ type: FrameType.PING, streamId: 0, ack: false, data });
  }

  /** updateSettings announces new settings of ours; they apply once the peer acknowledges them. */
  updateSettings(settings: Partial<Settings>): void {
    const core = this.#core;
    core.local = { ...core.local, ...settings };
    // Our own limit on what we decode needs no acknowledgement (it is advisory for the peer, §6.5.2).
    if (settings.maxHeaderListSize !== undefined) core.decoder.setMaxHeaderListSize(settings.maxHeaderListSize);
    core.sendSettings(settings);
  }

  /** goaway sends GOAWAY with the last peer stream we process; new peer streams are then ignored (RFC 9113 §6.8). */
  goaway(errorCode: number = ERROR_CODES.NO_ERROR, debugData: Uint8Array = new Uint8Array(0)): void {
    sendGoaway(this.#core, errorCode, debugData);
  }

  /**
   * shutdown starts a graceful shutdown (RFC 9113 §6.8): a GOAWAY with 2^31-1 and a PING; when the
   * PING comes back, a second GOAWAY names the last stream that will be processed.
   */
  shutdown(): void {
    startShutdown(this.#core);
  }

  #sendable(streamId: number): H2Stream {
    if (this.#core.isDead) invalid('the connection ended with a connection error');
    const stream = this.#core.streams.get(streamId);
    if (stream === undefined || !stream.canSend) invalid(`stream ${streamId} cannot send (state ${this.streamState(streamId)})`);
    return stream;
  }

  // The header block is encoded into the connection's scratch buffer and copied into a frame
  // sized exactly; a block too big for one frame goes out as HEADERS + CONTINUATION (§4.3).
  // `extra` octets are left free at the end for the caller (a DATA frame that goes with it).
  #headerFrame(streamId: number, fields: Iterable<HeaderFieldInit>, endStream: boolean, extra: number): Buffer | null {
    const core = this.#core;
    const list = Array.isArray(fields) ? (fields as readonly HeaderFieldInit[]) : [...fields];
    if (core.traceParser !== null) core.sentHeaderLists.push(list.map(fieldPair));
    const bound = core.encoder.encodedBound(list);
    if (this.#scratch.length < bound) this.#scratch = Buffer.allocUnsafe(Math.max(bound, this.#scratch.length * 2));
    const scratch = this.#scratch;
    const length = core.encoder.encodeInto(list, scratch, 0);
    if (length > core.peer.maxFrameSize) {
      const headerBlock = Buffer.from(scratch.subarray(0, length));
      core.send(serializeFrame({ type: FrameType.HEADERS, streamId, headerBlock, endStream, priority: null }, core.peer.maxFrameSize));
      return null;
    }
    const frame = Buffer.allocUnsafe(FRAME_HEADER_LENGTH + length + extra);
    let at = writeFrameHeader(frame, 0, length, FrameType.HEADERS, Flags.END_HEADERS | (endStream ? Flags.END_STREAM : 0), streamId);
    // A loop: copying a few dozen octets this way makes no view of the scratch buffer.
    for (let i = 0; i < length; i++) frame[at++] = scratch[i] as number;
    return frame;
  }

  #sendHeaderBlock(streamId: number, fields: Iterable<HeaderFieldInit>, endStream: boolean): void {
    const frame = this.#headerFrame(streamId, fields, endStream, 0);
    if (frame !== null) this.#core.send(frame);
  }
}

// One received frame, to the file that handles its type.
function receiveFrame(core: ConnectionCore, frame: Frame): void {
  switch (frame.type) {
    case FrameType.DATA:
      receiveData(core, frame);
      return;
    case FrameType.HEADERS:
      receiveHeaders(core, frame);
      return;
    case FrameType.PRIORITY:
      return; // deprecated (RFC 9113 §5.3.2): parsed, checked, ignored
    case FrameType.RST_STREAM:
      receiveRstStream(core, frame);
      return;
    case FrameType.SETTINGS:
      receiveSettings(core, frame);
      return;
    case FrameType.PUSH_PROMISE:
      receivePushPromise();
      return;
    case FrameType.PING:
      receivePing(core, frame);
      return;
    case FrameType.GOAWAY:
      receiveGoaway(core, frame);
      return;
    case FrameType.WINDOW_UPDATE:
      receiveWindowUpdate(core, frame);
      return;
    case FrameType.CONTINUATION:
      return; // folded into HEADERS by the parser
  }
}
