// A sans-IO HTTP/2 connection (RFC 9113 §5, §6): bytes in through receive(), bytes out through
// onSend, and in between the stream states, stream id rules, concurrency limit, flow-control
// windows, SETTINGS acknowledgement, PING, GOAWAY and the header rules of §8. No sockets, no timers.
import { Buffer } from 'node:buffer';
import { ERROR_CODES, H2ConnectionError, H2Error, H2StreamError, type H2ErrorCode } from './errors.js';
import { FlowWindow } from './flow-control.js';
import { FrameParser } from './frame-parser.js';
import { serializeFrame, writeFrameHeader } from './frame-serializer.js';
import { CONNECTION_PREFACE, FRAME_HEADER_LENGTH, Flags, FrameType, MAX_STREAM_ID, MAX_WINDOW_SIZE, type Frame, type HeadersFrame } from './frames.js';
import { validateRequestHeaders, validateResponseHeaders, validateTrailers } from './header-validation.js';
import { HpackDecoder } from './hpack-decoder.js';
import { HpackEncoder, fieldPair, type HeaderFieldInit } from './hpack-encoder.js';
import { applySettings, DEFAULT_SETTINGS, MAX_MAX_FRAME_SIZE, SettingId, settingsPairs, type Settings } from './settings.js';
import { DEFAULT_LOCAL_SETTINGS, type H2ConnectionCallbacks, type H2ConnectionOptions } from './connection-options.js';
import { H2Stream, type StreamState } from './stream.js';
import { StreamRegistry, type ClosedHow } from './stream-registry.js';

/** H2Connection is one HTTP/2 connection of either role, without I/O. */
export class H2Connection {
  readonly #role: 'server' | 'client';
  readonly #callbacks: H2ConnectionCallbacks;
  readonly #parser: FrameParser;
  readonly #decoder: HpackDecoder;
  readonly #encoder = new HpackEncoder();
  readonly #isFlowControlManual: boolean;
  readonly #connectionWindowSize: number;
  #local: Settings;
  #pendingSettings: Partial<Settings>[] = [];
  #peer: Settings = { ...DEFAULT_SETTINGS };
  // Until our SETTINGS are acknowledged the peer counts on the defaults (RFC 9113 §6.5.3).
  #ackedLocal: Settings = { ...DEFAULT_SETTINGS };
  readonly #streams: StreamRegistry;
  readonly #sendWindow = new FlowWindow(DEFAULT_SETTINGS.initialWindowSize);
  readonly #receiveWindow = new FlowWindow(DEFAULT_SETTINGS.initialWindowSize);
  #unacknowledged = 0;
  #pings: string[] = [];
  #shutdownPing: string | null = null;
  #sentGoaway = -1;
  #receivedGoaway = -1;
  #isDead = false;
  #isStarted = false;
  // Octets received while receive() runs (a callback answered synchronously): parsed after it.
  #inbox: Uint8Array[] | null = null;
  // With onFrame: what we send, parsed back, and the header lists of the HEADERS we sent, in order.
  #traceParser: FrameParser | null = null;
  #outbox: Uint8Array[] | null = null;
  readonly #sentHeaderLists: [string, string][][] = [];

  constructor(callbacks: H2ConnectionCallbacks, options: H2ConnectionOptions) {
    this.#role = options.role;
    this.#callbacks = callbacks;
    this.#isFlowControlManual = options.isFlowControlManual ?? false;
    this.#connectionWindowSize = Math.min(options.connectionWindowSize ?? DEFAULT_SETTINGS.initialWindowSize, MAX_WINDOW_SIZE);
    this.#local = { ...DEFAULT_LOCAL_SETTINGS, ...options.settings };
    this.#streams = new StreamRegistry(this.#role === 'client');
    this.#decoder = new HpackDecoder({ maxTableSize: this.#local.headerTableSize, maxHeaderListSize: this.#local.maxHeaderListSize });
    this.#parser = new FrameParser(
      {
        onFrame: (frame) => {
          if (this.#isDead) return; // the rest of a read after a connection error
          this.#callbacks.onFrameReceived?.(frame);
          if (this.#isDead) return;
          if (frame.type !== FrameType.HEADERS) this.#callbacks.onFrame?.('received', frame, null);
          try {
            this.#onFrame(frame);
          } catch (error) {
            // A stream error ends one stream; parsing goes on (RFC 9113 §5.4.2).
            if (error instanceof H2StreamError) this.#streamError(error);
            else throw error;
          }
        },
        onStreamError: (error) => this.#streamError(error),
      },
      {
        expectPreface: this.#role === 'server',
        expectSettings: true,
        maxFrameSize: DEFAULT_SETTINGS.maxFrameSize,
        ...(options.maxHeaderBlockSize === undefined ? {} : { maxHeaderBlockSize: options.maxHeaderBlockSize }),
        ...(options.maxContinuations === undefined ? {} : { maxContinuations: options.maxContinuations }),
      },
    );
    if (callbacks.onFrame !== undefined) {
      const onFrame = callbacks.onFrame;
      this.#traceParser = new FrameParser(
        { onFrame: (frame) => onFrame('sent', frame, frame.type === FrameType.HEADERS ? (this.#sentHeaderLists.shift() ?? null) : null), onStreamError: () => {} },
        { expectPreface: this.#role === 'client', maxFrameSize: MAX_MAX_FRAME_SIZE, maxHeaderBlockSize: Infinity, maxContinuations: Infinity },
      );
    }
  }

  /** peerSettings are the peer's settings as last received. */
  get peerSettings(): Readonly<Settings> {
    return this.#peer;
  }

  /** localSettings are ours as last announced (acknowledged or not). */
  get localSettings(): Readonly<Settings> {
    return this.#local;
  }

  /** isDead tells that we ended the connection with a connection error (GOAWAY sent); it then ignores input. */
  get isDead(): boolean {
    return this.#isDead;
  }

  /** sentGoawayStreamId is the last-stream-id of the GOAWAY that bounds what we process (-1 until one is sent; a shutdown's first GOAWAY does not count). */
  get sentGoawayStreamId(): number {
    return this.#sentGoaway;
  }

  /** connectionSendWindow is what the connection window still allows us to send. */
  get connectionSendWindow(): number {
    return this.#sendWindow.size;
  }

  /** streamState returns the §5.1 state of a stream ('idle' for unknown ids above the last one used). */
  streamState(streamId: number): StreamState {
    return this.#streams.state(streamId);
  }

  /** sendWindow returns how many DATA octets may be sent on a stream now (the smaller of its window and the connection's). */
  sendWindow(streamId: number): number {
    const stream = this.#streams.get(streamId);
    return stream === undefined || !stream.canSend ? 0 : Math.max(0, Math.min(stream.sendWindow.size, this.#sendWindow.size));
  }

  /** canOpenStream tells whether request() may open a stream now (peer's concurrency limit, GOAWAY, ids left). */
  get canOpenStream(): boolean {
    return !this.#isDead && this.#receivedGoaway === -1 && this.#streams.localCount < this.#peer.maxConcurrentStreams && this.#streams.nextLocalStreamId <= MAX_STREAM_ID;
  }

  /**
   * start sends what opens the connection: the client preface (client) and our SETTINGS (RFC 9113
   * §3.4). It happens by itself before anything else is sent; calling it twice does nothing.
   */
  start(): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    // One write for the whole preface: a peer answering synchronously must not get in between.
    this.#outbox = [];
    if (this.#role === 'client') this.#send(CONNECTION_PREFACE);
    // Only what differs from the protocol's initial values needs saying (RFC 9113 §6.5.2).
    const changed: Partial<Settings> = {};
    for (const key of Object.keys(this.#local) as (keyof Settings)[]) {
      if (this.#local[key] !== DEFAULT_SETTINGS[key]) (changed as Record<string, unknown>)[key] = this.#local[key];
    }
    this.#sendSettings(changed);
    const raise = this.#connectionWindowSize - DEFAULT_SETTINGS.initialWindowSize;
    if (raise > 0) {
      this.#receiveWindow.increase(raise);
      this.#sendWindowUpdate(0, raise);
    }
    const preface = Buffer.concat(this.#outbox);
    this.#outbox = null;
    this.#send(preface);
  }

  /** receive feeds octets from the transport. Peer errors are answered (RST_STREAM, GOAWAY) and reported, not thrown. */
  receive(bytes: Uint8Array): void {
    if (this.#isDead) return;
    if (this.#inbox !== null) {
      this.#inbox.push(bytes);
      return;
    }
    this.#inbox = [];
    try {
      this.start();
      let next: Uint8Array | undefined = bytes;
      while (next !== undefined && !this.#isDead) {
        this.#parser.execute(next);
        next = this.#inbox.shift();
      }
    } catch (error) {
      if (error instanceof H2ConnectionError) this.#connectionError(error);
      else throw error;
    } finally {
      this.#inbox = null;
    }
  }

  /** request (client) opens a stream with a request header list and returns its id. */
  request(fields: Iterable<HeaderFieldInit>, endStream: boolean, isHead = false): number {
    if (this.#role !== 'client') invalid('request() is for clients');
    if (!this.canOpenStream) invalid('no stream can be opened now (peer limit, GOAWAY or closed connection)');
    this.start();
    const id = this.#streams.nextLocalStreamId;
    this.#streams.nextLocalStreamId += 2;
    const stream = new H2Stream(id, this.#peer.initialWindowSize, this.#ackedLocal.initialWindowSize);
    stream.isHeadResponse = isHead;
    this.#streams.add(stream);
    stream.open(true, endStream);
    this.#sendHeaderBlock(id, fields, endStream);
    return id;
  }

  /** sendHeaders sends a response head (server), informational head or trailers on an open stream. */
  sendHeaders(streamId: number, fields: Iterable<HeaderFieldInit>, endStream: boolean): void {
    const stream = this.#sendable(streamId);
    this.#sendHeaderBlock(streamId, fields, endStream);
    if (endStream) this.#endLocal(stream);
  }

  /**
   * sendData sends as much of `data` as the flow-control windows allow, in frames no larger than
   * the peer's SETTINGS_MAX_FRAME_SIZE, and returns how many octets went out; wait for
   * onWindowOpen to send the rest. END_STREAM goes with the last octet (or an empty frame).
   */
  sendData(streamId: number, data: Uint8Array, endStream: boolean): number {
    const stream = this.#sendable(streamId);
    let sent = 0;
    while (sent < data.length && stream.canSend) {
      const size = Math.min(data.length - sent, stream.sendWindow.size, this.#sendWindow.size, this.#peer.maxFrameSize);
      if (size <= 0) break;
      const isLast = endStream && sent + size === data.length;
      const header = new Uint8Array(FRAME_HEADER_LENGTH);
      writeFrameHeader(header, 0, size, FrameType.DATA, isLast ? Flags.END_STREAM : 0, streamId);
      this.#send(header);
      this.#send(data.subarray(sent, sent + size));
      stream.sendWindow.consume(size);
      this.#sendWindow.consume(size);
      sent += size;
    }
    if (data.length === 0 && endStream) {
      this.#send(serializeFrame({ type: FrameType.DATA, streamId, data: new Uint8Array(0), endStream: true }));
    }
    if (endStream && sent === data.length) this.#endLocal(stream);
    return sent;
  }

  /** consume returns received octets to the peer's windows once the application took them (manual flow control). */
  consume(streamId: number, octets: number): void {
    this.#unacknowledged += octets;
    if (this.#unacknowledged >= this.#connectionWindowSize / 2) {
      this.#sendWindowUpdate(0, this.#unacknowledged);
      this.#receiveWindow.increase(this.#unacknowledged);
      this.#unacknowledged = 0;
    }
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !stream.canReceive) return;
    stream.unacknowledged += octets;
    if (stream.unacknowledged >= this.#ackedLocal.initialWindowSize / 2) {
      this.#sendWindowUpdate(streamId, stream.unacknowledged);
      stream.receiveWindow.increase(stream.unacknowledged);
      stream.unacknowledged = 0;
    }
  }

  /** resetStream ends a stream with RST_STREAM (RFC 9113 §6.4). */
  resetStream(streamId: number, errorCode: number = ERROR_CODES.CANCEL): void {
    const stream = this.#streams.get(streamId);
    if (stream === undefined) return;
    this.#send(serializeFrame({ type: FrameType.RST_STREAM, streamId, errorCode }));
    this.#close(stream, 'reset-local');
  }

  /**
   * terminate ends the connection with a connection error of the caller's (a limit it enforces):
   * GOAWAY with the error's code, then input is ignored and onConnectionError is told.
   */
  terminate(error: H2ConnectionError): void {
    if (this.#isDead) return;
    this.start();
    this.#connectionError(error);
  }

  /** ping sends a PING with 8 octets of data; onPingAck gets them back (RFC 9113 §6.7). */
  ping(data: Uint8Array = new Uint8Array(8)): void {
    this.#pings.push(pingKey(data));
    this.#send(serializeFrame({ type: FrameType.PING, streamId: 0, ack: false, data }));
  }

  /** updateSettings announces new settings of ours; they apply once the peer acknowledges them. */
  updateSettings(settings: Partial<Settings>): void {
    this.#local = { ...this.#local, ...settings };
    // Our own limit on what we decode needs no acknowledgement (it is advisory for the peer, §6.5.2).
    if (settings.maxHeaderListSize !== undefined) this.#decoder.setMaxHeaderListSize(settings.maxHeaderListSize);
    this.#sendSettings(settings);
  }

  /** goaway sends GOAWAY with the last peer stream we process; new peer streams are then ignored (RFC 9113 §6.8). */
  goaway(errorCode: number = ERROR_CODES.NO_ERROR, debugData: Uint8Array = new Uint8Array(0)): void {
    this.#sentGoaway = this.#streams.lastProcessedStreamId;
    this.#send(serializeFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: this.#sentGoaway, errorCode, debugData }));
  }

  /**
   * shutdown starts a graceful shutdown (RFC 9113 §6.8): a GOAWAY with 2^31-1 and a PING; when the
   * PING comes back, a second GOAWAY names the last stream that will be processed.
   */
  shutdown(): void {
    this.#send(serializeFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: MAX_STREAM_ID, errorCode: 0, debugData: new Uint8Array(0) }));
    const data = new Uint8Array([0x73, 0x68, 0x75, 0x74, 0x64, 0x6f, 0x77, 0x6e]); // "shutdown"
    this.#shutdownPing = pingKey(data);
    this.#send(serializeFrame({ type: FrameType.PING, streamId: 0, ack: false, data }));
  }

  #onFrame(frame: Frame): void {
    switch (frame.type) {
      case FrameType.DATA:
        this.#onData(frame.streamId, frame.data, frame.length, frame.endStream);
        return;
      case FrameType.HEADERS:
        this.#onHeaders(frame);
        return;
      case FrameType.PRIORITY:
        return; // deprecated (RFC 9113 §5.3.2): parsed, checked, ignored
      case FrameType.RST_STREAM: {
        const stream = this.#streams.get(frame.streamId);
        if (stream !== undefined) {
          this.#close(stream, 'reset-remote');
          this.#callbacks.onStreamReset?.(frame.streamId, frame.errorCode, null);
        } else if (this.streamState(frame.streamId) === 'idle') {
          throw connectionError('H2_FRAME_ON_IDLE_STREAM', `RST_STREAM on idle stream ${frame.streamId} (RFC 9113 §6.4)`);
        }
        return;
      }
      case FrameType.SETTINGS:
        this.#onSettings(frame.ack, frame.settings);
        return;
      case FrameType.PUSH_PROMISE:
        // RFC 9113 §6.6, §8.4: push is off on our side, and a client cannot push.
        throw connectionError('H2_PUSH_REFUSED', 'PUSH_PROMISE received but push is disabled (RFC 9113 §6.6)');
      case FrameType.PING:
        if (!frame.ack) {
          this.#send(serializeFrame({ type: FrameType.PING, streamId: 0, ack: true, data: frame.data }));
          return;
        }
        this.#onPingAck(frame.data);
        return;
      case FrameType.GOAWAY:
        this.#onGoaway(frame.lastStreamId, frame.errorCode, frame.debugData);
        return;
      case FrameType.WINDOW_UPDATE:
        this.#onWindowUpdate(frame.streamId, frame.windowSizeIncrement);
        return;
      case FrameType.CONTINUATION:
        return; // folded into HEADERS by the parser
    }
  }

  #onData(streamId: number, data: Uint8Array, length: number, endStream: boolean): void {
    // RFC 9113 §6.9.1: the whole payload counts, padding included, on the connection first.
    if (!this.#receiveWindow.consume(length)) {
      throw connectionError('H2_FLOW_CONTROL_VIOLATION', `DATA of ${length} octets exceeds the connection window (RFC 9113 §6.9.1)`);
    }
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !stream.canReceive) {
      this.consume(0, length); // nobody will read these octets
      const state = this.streamState(streamId);
      if (state === 'idle') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `DATA on idle stream ${streamId} (RFC 9113 §5.1)`);
      if (this.#streams.closedHow(streamId) === 'reset-local') return; // in flight when we reset it (§5.1 closed)
      throw new H2StreamError('H2_STREAM_CLOSED', `DATA on stream ${streamId} in state ${state} (RFC 9113 §6.1)`, streamId);
    }
    if (!stream.receiveWindow.consume(length)) {
      this.consume(0, length);
      throw new H2StreamError('H2_FLOW_CONTROL_VIOLATION', `DATA of ${length} octets exceeds the window of stream ${streamId} (RFC 9113 §6.9.1)`, streamId);
    }
    stream.receivedLength += data.length;
    const expected = stream.isHeadResponse ? -1 : stream.expectedLength;
    if (expected !== -1 && (stream.receivedLength > expected || (endStream && stream.receivedLength !== expected))) {
      this.consume(streamId, length);
      throw new H2StreamError('H2_CONTENT_LENGTH_MISMATCH', `Stream ${streamId} carried ${stream.receivedLength}+ octets of DATA for a content-length of ${expected} (RFC 9113 §8.1.1)`, streamId);
    }
    if (endStream) this.#endRemote(stream);
    this.#callbacks.onData?.(streamId, data, endStream);
    // Padding is nobody's to read; the data is returned now unless the application does it.
    this.consume(streamId, this.#isFlowControlManual ? length - data.length : length);
  }

  #onHeaders(frame: HeadersFrame): void {
    const { streamId, endStream } = frame;
    // Decode first, whatever happens to the stream: the HPACK tables must stay in step (RFC 9113 §4.3).
    let fields;
    let listError: H2Error | null = null;
    try {
      fields = this.#decoder.decode(frame.headerBlock, streamId);
    } catch (error) {
      this.#callbacks.onFrame?.('received', frame, null);
      if (error instanceof H2StreamError) listError = error;
      else throw error;
    }
    if (fields !== undefined) this.#callbacks.onFrame?.('received', frame, fields.map((f) => [f.name, f.value]));
    const stream = this.#streams.get(streamId);
    if (stream === undefined) {
      this.#onNewStream(frame, fields, listError);
      return;
    }
    if (listError !== null) throw listError;
    if (!stream.canReceive) throw new H2StreamError('H2_STREAM_CLOSED', `HEADERS on stream ${streamId} in state ${stream.state} (RFC 9113 §5.1)`, streamId);
    if (this.#role === 'client' && !stream.hasReceivedHead) {
      const head = validateResponseHeaders(fields ?? [], streamId);
      const isInformational = head.status < 200;
      if (isInformational && endStream) throw malformed(streamId, 'a 1xx response ends the stream (RFC 9113 §8.1)');
      if (!isInformational) {
        stream.hasReceivedHead = true;
        stream.expectedLength = head.status === 204 || head.status === 304 ? -1 : head.contentLength;
        if (endStream) this.#checkEmptyBody(stream);
      }
      if (endStream) this.#endRemote(stream);
      this.#callbacks.onResponse?.(streamId, head, endStream);
      return;
    }
    // Trailers (RFC 9113 §8.1): one HEADERS, with END_STREAM, no pseudo-headers.
    if (!endStream) throw malformed(streamId, 'a second HEADERS without END_STREAM (RFC 9113 §8.1)');
    const trailers = validateTrailers(fields ?? [], streamId);
    this.#checkEmptyBody(stream, true);
    this.#endRemote(stream);
    this.#callbacks.onTrailers?.(streamId, trailers);
  }

  #onNewStream(frame: HeadersFrame, fields: { name: string; value: string }[] | undefined, listError: H2Error | null): void {
    const { streamId, endStream } = frame;
    const closed = this.#streams.closedHow(streamId);
    if (closed !== undefined) {
      if (closed === 'reset-local') return;
      throw new H2StreamError('H2_STREAM_CLOSED', `HEADERS on closed stream ${streamId} (RFC 9113 §5.1)`, streamId);
    }
    if (this.#role === 'client') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `HEADERS on stream ${streamId}, which this client did not open (RFC 9113 §5.1.1)`);
    if (streamId % 2 === 0) throw connectionError('H2_STREAM_ID_WRONG_PARITY', `HEADERS opens even stream ${streamId}: client streams are odd (RFC 9113 §5.1.1)`);
    if (streamId <= this.#streams.lastPeerStreamId) {
      throw connectionError('H2_STREAM_ID_NOT_INCREASING', `HEADERS opens stream ${streamId} after stream ${this.#streams.lastPeerStreamId} (RFC 9113 §5.1.1)`);
    }
    this.#streams.lastPeerStreamId = streamId;
    if (this.#sentGoaway !== -1 && streamId > this.#sentGoaway) return; // §6.8: after GOAWAY, new streams are ignored
    if (listError !== null) throw listError;
    if (frame.priority !== null && frame.priority.streamDependency === streamId) {
      throw new H2StreamError('H2_SELF_DEPENDENCY', `HEADERS makes stream ${streamId} depend on itself (RFC 9113 §5.3.1)`, streamId);
    }
    if (this.#streams.peerCount >= this.#local.maxConcurrentStreams) {
      throw new H2StreamError('H2_TOO_MANY_STREAMS', `Stream ${streamId} refused: ${this.#local.maxConcurrentStreams} streams are open (RFC 9113 §5.1.2)`, streamId);
    }
    const head = validateRequestHeaders(fields ?? [], streamId, this.#local.enableConnectProtocol);
    const stream = new H2Stream(streamId, this.#peer.initialWindowSize, this.#ackedLocal.initialWindowSize);
    stream.hasReceivedHead = true;
    stream.expectedLength = head.contentLength;
    this.#streams.add(stream);
    this.#streams.lastProcessedStreamId = streamId;
    stream.open(false, false);
    if (endStream) {
      this.#checkEmptyBody(stream);
      this.#endRemote(stream);
    }
    this.#callbacks.onRequest?.(streamId, head, endStream);
  }

  // The input ends: a declared content-length must have been met (RFC 9113 §8.1.1).
  #checkEmptyBody(stream: H2Stream, isTrailers = false): void {
    const expected = stream.isHeadResponse ? -1 : stream.expectedLength;
    if (expected !== -1 && stream.receivedLength !== expected) {
      throw new H2StreamError(
        'H2_CONTENT_LENGTH_MISMATCH',
        `Stream ${stream.id} ended ${isTrailers ? 'with trailers ' : ''}after ${stream.receivedLength} octets of a content-length of ${expected} (RFC 9113 §8.1.1)`,
        stream.id,
      );
    }
  }

  #onSettings(isAck: boolean, pairs: [number, number][]): void {
    if (isAck) {
      const acked = this.#pendingSettings.shift();
      if (acked === undefined) throw connectionError('H2_UNSOLICITED_SETTINGS_ACK', 'SETTINGS ACK without SETTINGS to acknowledge (RFC 9113 §6.5.3)');
      const before = this.#ackedLocal.initialWindowSize;
      this.#ackedLocal = { ...this.#ackedLocal, ...acked };
      if (acked.maxFrameSize !== undefined) this.#parser.setMaxFrameSize(acked.maxFrameSize);
      if (acked.headerTableSize !== undefined) this.#decoder.setMaxTableSize(acked.headerTableSize);
      const delta = this.#ackedLocal.initialWindowSize - before;
      if (delta !== 0) for (const stream of this.#streams.streams()) stream.receiveWindow.increase(delta);
      return;
    }
    if (this.#role === 'client' && pairs.some(([id, value]) => id === SettingId.ENABLE_PUSH && value === 1)) {
      throw connectionError('H2_BAD_SETTING_VALUE', 'SETTINGS_ENABLE_PUSH 1 from a server (RFC 9113 §6.5.2)');
    }
    const before = this.#peer;
    this.#peer = applySettings(before, pairs);
    if (this.#peer.headerTableSize !== before.headerTableSize) this.#encoder.setMaxTableSize(this.#peer.headerTableSize);
    const delta = this.#peer.initialWindowSize - before.initialWindowSize;
    if (delta !== 0) {
      // RFC 9113 §6.9.2: the change applies to every stream's send window, and may not overflow.
      for (const stream of this.#streams.streams()) {
        if (!stream.sendWindow.increase(delta)) {
          throw connectionError('H2_FLOW_CONTROL_OVERFLOW', `SETTINGS_INITIAL_WINDOW_SIZE change overflows the window of stream ${stream.id} (RFC 9113 §6.9.2)`);
        }
      }
    }
    this.#send(serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] }));
    this.#callbacks.onSettings?.(this.#peer);
    if (delta > 0) for (const stream of this.#streams.streams()) if (stream.canSend) this.#callbacks.onWindowOpen?.(stream.id);
  }

  #onPingAck(data: Uint8Array): void {
    const key = pingKey(data);
    if (key === this.#shutdownPing) {
      this.#shutdownPing = null;
      this.goaway();
      return;
    }
    const at = this.#pings.indexOf(key);
    if (at === -1) return; // unsolicited: nothing to answer (RFC 9113 §6.7)
    this.#pings.splice(at, 1);
    this.#callbacks.onPingAck?.(data);
  }

  #onGoaway(lastStreamId: number, errorCode: number, debugData: Uint8Array): void {
    this.#receivedGoaway = lastStreamId;
    // Our streams above lastStreamId were not processed and may be retried (RFC 9113 §6.8).
    for (const stream of this.#streams.streams()) {
      if (this.#streams.isLocal(stream.id) && stream.id > lastStreamId) {
        this.#close(stream, 'reset-remote');
        this.#callbacks.onStreamReset?.(stream.id, ERROR_CODES.REFUSED_STREAM, null);
      }
    }
    this.#callbacks.onGoaway?.(lastStreamId, errorCode, debugData);
  }

  #onWindowUpdate(streamId: number, increment: number): void {
    if (streamId === 0) {
      if (!this.#sendWindow.increase(increment)) {
        throw connectionError('H2_FLOW_CONTROL_OVERFLOW', `WINDOW_UPDATE of ${increment} takes the connection window above 2^31-1 (RFC 9113 §6.9.1)`);
      }
      this.#callbacks.onWindowOpen?.(0);
      return;
    }
    const stream = this.#streams.get(streamId);
    if (stream === undefined) {
      if (this.streamState(streamId) === 'idle') throw connectionError('H2_FRAME_ON_IDLE_STREAM', `WINDOW_UPDATE on idle stream ${streamId} (RFC 9113 §5.1)`);
      return; // closed: may still arrive for a while (§5.1)
    }
    if (!stream.sendWindow.increase(increment)) {
      throw new H2StreamError('H2_FLOW_CONTROL_OVERFLOW', `WINDOW_UPDATE of ${increment} takes the window of stream ${streamId} above 2^31-1 (RFC 9113 §6.9.1)`, streamId);
    }
    if (stream.canSend) this.#callbacks.onWindowOpen?.(streamId);
  }

  #sendable(streamId: number): H2Stream {
    if (this.#isDead) invalid('the connection ended with a connection error');
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !stream.canSend) invalid(`stream ${streamId} cannot send (state ${this.streamState(streamId)})`);
    return stream;
  }

  #sendHeaderBlock(streamId: number, fields: Iterable<HeaderFieldInit>, endStream: boolean): void {
    if (this.#traceParser !== null) {
      const list = [...fields];
      this.#sentHeaderLists.push(list.map(fieldPair));
      fields = list;
    }
    const headerBlock = this.#encoder.encode(fields);
    this.#send(serializeFrame({ type: FrameType.HEADERS, streamId, headerBlock, endStream, priority: null }, this.#peer.maxFrameSize));
  }

  #sendSettings(settings: Partial<Settings>): void {
    this.#pendingSettings.push(settings);
    this.#send(serializeFrame({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: settingsPairs(settings) }));
  }

  #sendWindowUpdate(streamId: number, increment: number): void {
    this.#send(serializeFrame({ type: FrameType.WINDOW_UPDATE, streamId, windowSizeIncrement: increment }));
  }

  #endLocal(stream: H2Stream): void {
    stream.endLocal();
    if (stream.state === 'closed') this.#close(stream, 'end');
  }

  #endRemote(stream: H2Stream): void {
    stream.endRemote();
    if (stream.state === 'closed') this.#close(stream, 'end');
  }

  #close(stream: H2Stream, how: ClosedHow): void {
    this.#streams.close(stream, how);
  }

  #streamError(error: H2StreamError): void {
    // RFC 9113 §5.1, §6.4: an idle stream takes no RST_STREAM, and a frame other than HEADERS or
    // PRIORITY on it is a connection error; a bad PRIORITY on it can only end the connection too.
    if (this.#streams.state(error.streamId) === 'idle') {
      const code = error.code === 'H2_ZERO_WINDOW_INCREMENT' ? 'H2_FRAME_ON_IDLE_STREAM' : error.code;
      throw new H2ConnectionError(code, `${error.message}, on idle stream ${error.streamId} (RFC 9113 §5.1)`);
    }
    this.#send(serializeFrame({ type: FrameType.RST_STREAM, streamId: error.streamId, errorCode: error.errorCode }));
    const stream = this.#streams.get(error.streamId);
    if (stream !== undefined) this.#close(stream, 'reset-local');
    else if (this.#streams.closedHow(error.streamId) === undefined) this.#streams.remember(error.streamId, 'reset-local');
    this.#callbacks.onStreamReset?.(error.streamId, error.errorCode, error);
  }

  #connectionError(error: H2ConnectionError): void {
    this.#isDead = true;
    const debugData = new TextEncoder().encode(error.code);
    this.#send(serializeFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: this.#streams.lastProcessedStreamId, errorCode: error.errorCode, debugData }));
    this.#callbacks.onConnectionError?.(error);
  }

  #send(bytes: Uint8Array): void {
    if (this.#outbox !== null) {
      this.#outbox.push(bytes);
      return;
    }
    if (this.#traceParser !== null) {
      // Traced before it leaves, so a peer answering synchronously is traced after it.
      try {
        this.#traceParser.execute(bytes);
      } catch {
        this.#traceParser = null; // never let tracing break the connection
      }
    }
    this.#callbacks.onSend(bytes);
  }
}

function connectionError(code: H2ErrorCode, message: string): H2ConnectionError {
  return new H2ConnectionError(code, message);
}

function malformed(streamId: number, detail: string): H2StreamError {
  return new H2StreamError('H2_MALFORMED_HEADERS', `Malformed header list on stream ${streamId}: ${detail}`, streamId);
}

function invalid(detail: string): never {
  throw new H2Error('H2_INVALID_ARGUMENT', `Invalid call: ${detail}`);
}

function pingKey(data: Uint8Array): string {
  let key = '';
  for (let i = 0; i < data.length; i++) key += String.fromCharCode(data[i] as number);
  return key;
}
