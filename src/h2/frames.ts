// HTTP/2 frame types, flags and constants (RFC 9113 §4, §6), and the typed frames the parser
// emits and the serializer takes.
import { Buffer } from 'node:buffer';

/** FrameType holds the frame type numbers of RFC 9113 §6. */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

/** FrameTypeNumber is one of the ten frame types this codec knows. */
export type FrameTypeNumber = (typeof FrameType)[keyof typeof FrameType];

/** FRAME_TYPE_NAMES names each known frame type, for traces and messages. */
export const FRAME_TYPE_NAMES: readonly string[] = Object.keys(FrameType);

/** Flags holds the flag bits of RFC 9113 §6 (ACK and END_STREAM share 0x1 on different types). */
export const Flags = {
  END_STREAM: 0x1,
  ACK: 0x1,
  END_HEADERS: 0x4,
  PADDED: 0x8,
  PRIORITY: 0x20,
} as const;

/** FRAME_HEADER_LENGTH is the 9 octets before every frame payload (RFC 9113 §4.1). */
export const FRAME_HEADER_LENGTH = 9;

/** CONNECTION_PREFACE is the 24 octets a client sends first (RFC 9113 §3.4). */
export const CONNECTION_PREFACE: Buffer = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** MAX_STREAM_ID is 2^31-1: stream identifiers are 31 bits (RFC 9113 §4.1, §5.1.1). */
export const MAX_STREAM_ID = 0x7fffffff;

/** MAX_WINDOW_SIZE is 2^31-1, the largest flow-control window (RFC 9113 §6.9.1). */
export const MAX_WINDOW_SIZE = 0x7fffffff;

/** Priority is the deprecated priority signal of RFC 9113 §5.3.2 (PRIORITY frames, HEADERS with PRIORITY). */
export interface Priority {
  streamDependency: number;
  isExclusive: boolean;
  /** weight is 1..256 (the octet on the wire plus one). */
  weight: number;
}

interface FrameCommon {
  streamId: number;
  /** flags are the raw flag bits as received (computed from the fields when serializing). */
  flags: number;
  /** length is the payload length, padding included (what flow control counts, RFC 9113 §6.9.1). */
  length: number;
}

/** DataFrame carries body octets (RFC 9113 §6.1). `data` may view the parser's input: copy it to keep it. */
export interface DataFrame extends FrameCommon {
  type: typeof FrameType.DATA;
  data: Uint8Array;
  endStream: boolean;
  padLength: number;
}

/**
 * HeadersFrame opens a stream or carries trailers (RFC 9113 §6.2). The parser joins the CONTINUATION
 * frames that follow into `headerBlock` and counts them in `continuations`.
 */
export interface HeadersFrame extends FrameCommon {
  type: typeof FrameType.HEADERS;
  headerBlock: Uint8Array;
  endStream: boolean;
  priority: Priority | null;
  padLength: number;
  continuations: number;
}

/** PriorityFrame is the deprecated PRIORITY frame (RFC 9113 §6.3), parsed and otherwise ignored. */
export interface PriorityFrame extends FrameCommon {
  type: typeof FrameType.PRIORITY;
  priority: Priority;
}

/** RstStreamFrame ends a stream (RFC 9113 §6.4). */
export interface RstStreamFrame extends FrameCommon {
  type: typeof FrameType.RST_STREAM;
  errorCode: number;
}

/** SettingsFrame carries [identifier, value] pairs in order, unknown ones included (RFC 9113 §6.5). */
export interface SettingsFrame extends FrameCommon {
  type: typeof FrameType.SETTINGS;
  ack: boolean;
  settings: [id: number, value: number][];
}

/** PushPromiseFrame reserves a stream for a pushed response (RFC 9113 §6.6). */
export interface PushPromiseFrame extends FrameCommon {
  type: typeof FrameType.PUSH_PROMISE;
  promisedStreamId: number;
  headerBlock: Uint8Array;
  padLength: number;
  continuations: number;
}

/** PingFrame carries 8 opaque octets (RFC 9113 §6.7). */
export interface PingFrame extends FrameCommon {
  type: typeof FrameType.PING;
  ack: boolean;
  data: Uint8Array;
}

/** GoawayFrame starts the shutdown of a connection (RFC 9113 §6.8). */
export interface GoawayFrame extends FrameCommon {
  type: typeof FrameType.GOAWAY;
  lastStreamId: number;
  errorCode: number;
  debugData: Uint8Array;
}

/** WindowUpdateFrame opens a flow-control window (RFC 9113 §6.9). */
export interface WindowUpdateFrame extends FrameCommon {
  type: typeof FrameType.WINDOW_UPDATE;
  windowSizeIncrement: number;
}

/** ContinuationFrame continues a header block (RFC 9113 §6.10). The parser folds it into HEADERS/PUSH_PROMISE. */
export interface ContinuationFrame extends FrameCommon {
  type: typeof FrameType.CONTINUATION;
  headerBlock: Uint8Array;
  endHeaders: boolean;
}

/** Frame is any of the ten frame types of RFC 9113 §6. */
export type Frame =
  | DataFrame
  | HeadersFrame
  | PriorityFrame
  | RstStreamFrame
  | SettingsFrame
  | PushPromiseFrame
  | PingFrame
  | GoawayFrame
  | WindowUpdateFrame
  | ContinuationFrame;

type Init<F> = F extends unknown ? Omit<F, 'flags' | 'length' | 'continuations' | 'padLength'> & { padLength?: number } : never;

/** FrameInit is a frame to serialize: a Frame without the fields the serializer computes; padLength defaults to 0. */
export type FrameInit = Init<Frame>;
