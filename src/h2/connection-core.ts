// The state one H2Connection shares among the files that handle its frames (connection.ts, the
// receive-*.ts files, goaway.ts), and the primitives they all use: sending a frame, answering a
// stream or connection error, giving flow-control credit back, moving a stream toward closed.
// Internal to src/h2: the public surface is H2Connection.
import { H2ArgumentError, H2ConnectionError, H2StreamError, type H2ErrorReason } from './errors.js';
import { FlowWindow } from './flow-control.js';
import type { FrameParser } from './frame-parser.js';
import { serializeFrame } from './frame-serializer.js';
import { FrameType, type Frame, type FrameInit } from './frames.js';
import type { HpackDecoder } from './hpack-decoder.js';
import { HpackEncoder } from './hpack-encoder.js';
import { DEFAULT_SETTINGS, settingsPairs, type Settings } from './settings.js';
import type { H2ConnectionCallbacks } from './connection-options.js';
import type { H2Stream, StreamState } from './stream.js';
import { StreamRegistry, type ClosedHow } from './stream-registry.js';
import { windowGrowth, type ReceiveWindows } from './window-growth.js';

/**
 * ConnectionCore is the shared state of one connection. Its fields are public to the files of
 * this folder that split the connection's work; nothing outside src/h2 sees it.
 */
export class ConnectionCore {
  readonly role: 'server' | 'client';
  readonly callbacks: H2ConnectionCallbacks;
  readonly isFlowControlManual: boolean;
  readonly connectionWindowSize: number;
  // How far receive windows may grow (window-growth.ts), and how far the connection's has.
  readonly maxStreamWindowSize: number;
  readonly maxConnectionWindowSize: number;
  connectionGrowth = 0;
  readonly streams: StreamRegistry;
  readonly encoder = new HpackEncoder();
  readonly sendWindow = new FlowWindow(DEFAULT_SETTINGS.initialWindowSize);
  readonly receiveWindow = new FlowWindow(DEFAULT_SETTINGS.initialWindowSize);
  // Set right after construction: they need callbacks that close over this core.
  parser!: FrameParser;
  decoder!: HpackDecoder;
  local: Settings;
  pendingSettings: Partial<Settings>[] = [];
  peer: Settings = { ...DEFAULT_SETTINGS };
  // Until our SETTINGS are acknowledged the peer counts on the defaults (RFC 9113 §6.5.3).
  ackedLocal: Settings = { ...DEFAULT_SETTINGS };
  unacknowledged = 0;
  pings: string[] = [];
  shutdownPing: string | null = null;
  sentGoaway = -1;
  receivedGoaway = -1;
  isDead = false;
  // With onFrame: what we send, parsed back, and the header lists of the HEADERS we sent, in order.
  traceParser: FrameParser | null = null;
  readonly sentHeaderLists: [string, string][][] = [];
  // While set, sends are collected here (one write for the preface).
  outbox: Uint8Array[] | null = null;

  constructor(role: 'server' | 'client', callbacks: H2ConnectionCallbacks, local: Settings, isFlowControlManual: boolean, windows: ReceiveWindows) {
    this.role = role;
    this.callbacks = callbacks;
    this.local = local;
    this.isFlowControlManual = isFlowControlManual;
    this.connectionWindowSize = windows.connection;
    this.maxStreamWindowSize = windows.maxStream;
    this.maxConnectionWindowSize = windows.maxConnection;
    this.streams = new StreamRegistry(role === 'client');
  }

  /** send hands octets to the transport (or the outbox), traced first when tracing. */
  send(bytes: Uint8Array): void {
    if (this.outbox !== null) {
      this.outbox.push(bytes);
      return;
    }
    if (this.traceParser !== null) {
      // Traced before it leaves, so a peer answering synchronously is traced after it.
      try {
        this.traceParser.execute(bytes);
      } catch {
        this.traceParser = null; // never let tracing break the connection
      }
    }
    this.callbacks.onSend(bytes);
  }

  /** sendFrame serializes and sends one frame. */
  sendFrame(frame: FrameInit): void {
    this.send(serializeFrame(frame));
  }

  /** sendSettings announces settings of ours; they wait for an ACK (RFC 9113 §6.5.3). */
  sendSettings(settings: Partial<Settings>): void {
    this.pendingSettings.push(settings);
    this.sendFrame({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: settingsPairs(settings) });
  }

  /** sendWindowUpdate opens the peer's window on a stream (0: the connection) by `increment`. */
  sendWindowUpdate(streamId: number, increment: number): void {
    this.sendFrame({ type: FrameType.WINDOW_UPDATE, streamId, windowSizeIncrement: increment });
  }

  /** streamState returns the §5.1 state of a stream id. */
  streamState(streamId: number): StreamState {
    return this.streams.state(streamId);
  }

  /**
   * consume returns received octets to the peer's windows once the application took them, each
   * window's credit once half of it is pending, growing the windows while the application keeps up
   * (window-growth.ts). The connection's pending credit rides along with a stream's: one write.
   */
  consume(streamId: number, octets: number): void {
    this.unacknowledged += octets;
    const stream = this.streams.get(streamId);
    const isStreamOpen = stream !== undefined && stream.canReceive;
    if (isStreamOpen) stream.unacknowledged += octets;
    const streamTarget = isStreamOpen ? this.ackedLocal.initialWindowSize + stream.receiveGrowth : 0;
    const isStreamDue = isStreamOpen && stream.unacknowledged >= streamTarget / 2;
    const target = this.connectionWindowSize + this.connectionGrowth;
    if (this.unacknowledged >= target / 2 || (isStreamDue && this.unacknowledged > 0)) {
      const growth = windowGrowth(target, this.receiveWindow.size, this.unacknowledged, this.maxConnectionWindowSize);
      const increment = this.unacknowledged + growth;
      this.connectionGrowth += growth;
      this.sendWindowUpdate(0, increment);
      this.receiveWindow.increase(increment);
      this.unacknowledged = 0;
    }
    if (!isStreamDue) return;
    const growth = windowGrowth(streamTarget, stream.receiveWindow.size, stream.unacknowledged, this.maxStreamWindowSize);
    const increment = stream.unacknowledged + growth;
    stream.receiveGrowth += growth;
    this.sendWindowUpdate(streamId, increment);
    stream.receiveWindow.increase(increment);
    stream.unacknowledged = 0;
  }

  /** endLocal records that we sent END_STREAM. */
  endLocal(stream: H2Stream): void {
    stream.endLocal();
    if (stream.state === 'closed') this.close(stream, 'end');
  }

  /** endRemote records that the peer sent END_STREAM. */
  endRemote(stream: H2Stream): void {
    stream.endRemote();
    if (stream.state === 'closed') this.close(stream, 'end');
  }

  /** close moves a stream to closed and remembers how. */
  close(stream: H2Stream, how: ClosedHow): void {
    this.streams.close(stream, how);
  }

  /**
   * admit runs what every received frame passes before it is acted on (the onFrameReceived hook,
   * the trace; HEADERS are traced once decoded) and tells whether to act on it: false once a
   * connection error ended the connection (the rest of a read is ignored).
   */
  admit(frame: Frame): boolean {
    if (this.isDead) return false;
    this.callbacks.onFrameReceived?.(frame);
    if (this.isDead) return false;
    if (frame.type !== FrameType.HEADERS) this.callbacks.onFrame?.('received', frame, null);
    return true;
  }

  /** failed handles what acting on a received frame threw: a stream error ends one stream and parsing goes on (RFC 9113 §5.4.2); anything else is rethrown. */
  failed(error: unknown): void {
    if (error instanceof H2StreamError) this.streamError(error);
    else throw error;
  }

  /** streamError answers a stream error with RST_STREAM and reports it (RFC 9113 §5.4.2). */
  streamError(error: H2StreamError): void {
    // RFC 9113 §5.1, §6.4: an idle stream takes no RST_STREAM, and a frame other than HEADERS or
    // PRIORITY on it is a connection error; a bad PRIORITY on it can only end the connection too.
    if (this.streams.state(error.streamId) === 'idle') {
      const code = error.reason === 'H2_ZERO_WINDOW_INCREMENT' ? 'H2_FRAME_ON_IDLE_STREAM' : error.reason;
      throw new H2ConnectionError(code, `${error.message}, on idle stream ${error.streamId} (RFC 9113 §5.1)`);
    }
    this.sendFrame({ type: FrameType.RST_STREAM, streamId: error.streamId, errorCode: error.errorCode });
    const stream = this.streams.get(error.streamId);
    if (stream !== undefined) this.close(stream, 'reset-local');
    // Once reset, what still arrives on the stream is dropped: one RST_STREAM per stream (RFC 9113 §5.4.2).
    else this.streams.remember(error.streamId, 'reset-local');
    this.callbacks.onStreamReset?.(error.streamId, error.errorCode, error);
  }

  /** connectionError answers a connection error with GOAWAY and reports it; input is then ignored (RFC 9113 §5.4.1). */
  connectionError(error: H2ConnectionError): void {
    this.isDead = true;
    const debugData = new TextEncoder().encode(error.reason);
    this.sendFrame({ type: FrameType.GOAWAY, streamId: 0, lastStreamId: this.streams.lastProcessedStreamId, errorCode: error.errorCode, debugData });
    this.callbacks.onConnectionError?.(error);
  }
}

/** connectionError builds a connection error of one of our codes. */
export function connectionError(code: H2ErrorReason, message: string): H2ConnectionError {
  return new H2ConnectionError(code, message);
}

/** malformed builds the stream error of a malformed header list (RFC 9113 §8.1.1). */
export function malformed(streamId: number, detail: string): H2StreamError {
  return new H2StreamError('H2_MALFORMED_HEADERS', `Malformed header list on stream ${streamId}: ${detail}`, streamId);
}

/** invalid throws the error of an API call that the connection's state does not allow. */
export function invalid(detail: string): never {
  throw new H2ArgumentError(`Invalid call: ${detail}`);
}

/** pingKey makes a PING's 8 octets a string, to match an ACK with its PING. */
export function pingKey(data: Uint8Array): string {
  let key = '';
  for (let i = 0; i < data.length; i++) key += String.fromCharCode(data[i] as number);
  return key;
}
