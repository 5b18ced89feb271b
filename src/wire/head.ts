import type { Fields } from '../http/index.js';

/** ParserLimits bounds what one message may make the parser hold. */
export interface ParserLimits {
  /** maxHeadSize caps start line plus header (and trailer) lines, in bytes. Default 16 KiB. */
  maxHeadSize: number;
  /** maxHeaderCount caps header plus trailer field lines. Default 100. */
  maxHeaderCount: number;
  /** maxTargetLength caps the request-target, in bytes. Default 8 KiB. */
  maxTargetLength: number;
  /** maxChunkExtensionSize caps the extensions of one chunk-size line, in bytes. Default 1 KiB. */
  maxChunkExtensionSize: number;
}

/** DEFAULT_LIMITS are the limits a parser uses for every option left out. */
export const DEFAULT_LIMITS: Readonly<ParserLimits> = Object.freeze({
  maxHeadSize: 16 * 1024,
  maxHeaderCount: 100,
  maxTargetLength: 8 * 1024,
  maxChunkExtensionSize: 1024,
});

/**
 * BodyFraming says how the body of a message is delimited (RFC 9112 §6.3): not at all, by
 * Content-Length, by chunked transfer coding, or by the connection closing (responses only).
 */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

/** HeadCommon holds what request and response heads share. */
export interface HeadCommon {
  /** versionMinor is 0 for HTTP/1.0 and 1 for HTTP/1.1. */
  versionMinor: 0 | 1;
  headers: Fields;
  /** keepAlive tells whether the connection persists after this message (RFC 9112 §9.3). */
  keepAlive: boolean;
  framing: BodyFraming;
  /** contentLength is the body length when framing is 'length', else -1. */
  contentLength: number;
  /** isUpgrade is true for CONNECT requests, 101 responses and 2xx answers to CONNECT: the parser stops after the head. */
  isUpgrade: boolean;
}

/** RequestHead is a parsed request line and header section. */
export interface RequestHead extends HeadCommon {
  method: string;
  /** target is the request-target as sent, one char per byte (latin1). */
  target: string;
}

/** ResponseHead is a parsed status line and header section. */
export interface ResponseHead extends HeadCommon {
  statusCode: number;
  reasonPhrase: string;
}

/** ParserCallbacks receive what the parser finds, in stream order. */
export interface ParserCallbacks<H> {
  onHead(head: H): void;
  /** onBody receives body bytes; the slice may view the caller's input buffer, so copy to keep it. */
  onBody?(chunk: Buffer): void;
  /** onComplete ends a message; trailers is null when the message had none. */
  onComplete?(trailers: Fields | null): void;
}

/** ParserOptions are limits plus, for responses, documented leniencies. */
export interface ParserOptions extends Partial<ParserLimits> {
  /** lenientLineEndings accepts a bare LF as a line ending. Responses only; off by default. */
  lenientLineEndings?: boolean;
}
