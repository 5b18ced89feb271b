// What an H2Connection is told (options) and tells (callbacks): the contract the server and the
// client integrations build on.
import type { H2ConnectionError, H2Error } from './errors.js';
import type { Frame } from './frames.js';
import type { RequestHead, ResponseHead } from './header-validation.js';
import { DEFAULT_SETTINGS, type Settings } from './settings.js';

/** H2ConnectionCallbacks receive what happens on the connection. Only onSend is required. */
export interface H2ConnectionCallbacks {
  /** onSend receives octets to write to the transport, in order. They may view a caller's buffer until written. */
  onSend(bytes: Uint8Array): void;
  /** onRequest (server) receives a validated request head on a new stream. */
  onRequest?(streamId: number, head: RequestHead, endStream: boolean): void;
  /** onResponse (client) receives a validated response head, 1xx included. */
  onResponse?(streamId: number, head: ResponseHead, endStream: boolean): void;
  /** onTrailers receives a trailer section; the stream's input ends with it. */
  onTrailers?(streamId: number, fields: [string, string][]): void;
  /** onData receives body octets (a view: copy to keep). Give them back with consume() if flow control is manual. */
  onData?(streamId: number, data: Uint8Array, endStream: boolean): void;
  /** onStreamReset tells that a stream ended abnormally: by the peer's RST_STREAM, by our stream error, or refused by GOAWAY. */
  onStreamReset?(streamId: number, errorCode: number, error: H2Error | null): void;
  /** onWindowOpen tells that more may be sent on a stream (0: on the connection). */
  onWindowOpen?(streamId: number): void;
  /** onSettings receives the peer's settings after each SETTINGS frame. */
  onSettings?(settings: Readonly<Settings>): void;
  /** onPingAck receives the answer to one of our PINGs. */
  onPingAck?(data: Uint8Array): void;
  /** onGoaway receives the peer's GOAWAY. */
  onGoaway?(lastStreamId: number, errorCode: number, debugData: Uint8Array): void;
  /** onConnectionError tells that we sent GOAWAY for `error`; close the transport once the octets are written. */
  onConnectionError?(error: H2ConnectionError): void;
  /**
   * onFrame sees every frame both ways, for traces: received frames as parsed (HEADERS once whole,
   * with its decoded header list, or null if it did not decode), sent frames as parsed back from
   * what onSend got (HEADERS with the list that was encoded). Views: copy to keep. Having it costs
   * a second parse of everything sent.
   */
  onFrame?(direction: 'received' | 'sent', frame: Frame, headers: [name: string, value: string][] | null): void;
  /**
   * onFrameReceived sees each received frame before it is acted on (HEADERS once whole, not yet
   * decoded), at no extra cost: for a server's flood limits. A view: copy to keep.
   */
  onFrameReceived?(frame: Frame): void;
}

/** H2ConnectionOptions configure a connection; all but role are optional. */
export interface H2ConnectionOptions {
  role: 'server' | 'client';
  /** settings are ours, announced at start(). Defaults: push off, 100 concurrent streams, 64 KiB header lists. */
  settings?: Partial<Settings>;
  /** isFlowControlManual leaves returning received octets to consume(); by default they are returned on delivery. */
  isFlowControlManual?: boolean;
  /**
   * connectionWindowSize is the connection receive window we keep, announced by a WINDOW_UPDATE at
   * start (the protocol starts it at 65535, RFC 9113 §6.9.2). Default 65535.
   */
  connectionWindowSize?: number;
  /**
   * maxStreamWindowSize and maxConnectionWindowSize let receive windows grow past
   * SETTINGS_INITIAL_WINDOW_SIZE and connectionWindowSize while the application keeps up: when
   * credit is given back and at most a quarter of the window waits unread, the window doubles, up
   * to these (see window-growth.ts). Default: no growth.
   */
  maxStreamWindowSize?: number;
  maxConnectionWindowSize?: number;
  /** maxHeaderBlockSize and maxContinuations cap header blocks (see FrameParserOptions). */
  maxHeaderBlockSize?: number;
  maxContinuations?: number;
}

/** DEFAULT_LOCAL_SETTINGS are the settings a connection announces unless told otherwise. */
export const DEFAULT_LOCAL_SETTINGS: Readonly<Settings> = Object.freeze({
  ...DEFAULT_SETTINGS,
  enablePush: false,
  maxConcurrentStreams: 100,
  maxHeaderListSize: 65536,
});
