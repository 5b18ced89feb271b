import type { Readable } from 'node:stream';
import type { Fields, HeadersInit, HttpVersion } from '../http/index.js';

/**
 * ServerRequest is what a native handler receives: the parsed head, a lazy body and an abort
 * signal. No WHATWG object is built for it.
 */
export interface ServerRequest {
  readonly method: string;
  /** target is the request-target exactly as sent (latin1, one char per byte). */
  readonly target: string;
  /** path is target up to "?" (still percent-encoded); for absolute-form targets, the URL's path. */
  readonly path: string;
  /** query is what follows "?" without it, or "". */
  readonly query: string;
  /** httpVersion is the protocol version the request came in: "1.0", "1.1" or "2". */
  readonly httpVersion: HttpVersion;
  readonly headers: Fields;
  /** hasBody tells whether the request carries content (Content-Length > 0 or chunked). */
  readonly hasBody: boolean;
  /** body streams the request content with backpressure; empty when hasBody is false. */
  readonly body: AsyncIterable<Uint8Array>;
  /** signal aborts when the client disconnects before the response is written. */
  readonly signal: AbortSignal;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** isTls tells whether the request came over TLS. */
  readonly isTls: boolean;
}

/** FileRange asks the server to send bytes [start, end) of a file, read in big blocks. */
export interface FileRange {
  readonly kind: 'file';
  readonly path: string;
  readonly start: number;
  /** end is exclusive. */
  readonly end: number;
}

/**
 * ResponseBody is what a handler may answer with: text (UTF-8), bytes, a file range, a stream or
 * async iterable of bytes, or nothing.
 */
export type ResponseBody = string | Uint8Array | FileRange | Readable | AsyncIterable<Uint8Array> | null;

/**
 * ServerResponse is a native handler's answer. The engine adds Date, and Content-Length or
 * Transfer-Encoding (or close-delimits for HTTP/1.0) unless the handler set them; for HEAD it
 * sends the head only.
 */
export interface ServerResponse {
  readonly status: number;
  readonly headers?: HeadersInit;
  readonly body?: ResponseBody;
  /** trailers are sent after a chunked body. */
  readonly trailers?: HeadersInit;
}

/** Handler is the native handler signature. */
export type Handler = (req: ServerRequest) => ServerResponse | Promise<ServerResponse>;

/**
 * RequestRejection describes a request the codec refused before any handler saw it: what was
 * answered and why. ServerOptions.onRequestRejected hears it (the access log does).
 */
export interface RequestRejection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** status is what was answered: 400, 413, 431, 501, 505... */
  readonly status: number;
  /** code is the WireError's `reason`, the precise rule broken (e.g. WIRE_INVALID_LINE_ENDING), or on HTTP/2 the H2Error's `reason` (e.g. H2_MALFORMED_HEADERS). */
  readonly code: string;
  /** reason is what was wrong and where, as the response body says it. */
  readonly reason: string;
  /** bytes is the length of the response body sent (0 when an HTTP/2 stream was reset instead). */
  readonly bytes: number;
  readonly time: Date;
  /** streamId is, on HTTP/2, the stream the request came on. */
  readonly streamId?: number;
  /**
   * errorCode is, on HTTP/2, the RST_STREAM error code the stream was reset with instead of an
   * answer (e.g. PROTOCOL_ERROR for a malformed request, RFC 9113 §8.1.1); `status` is then what
   * HTTP/1 would have answered.
   */
  readonly errorCode?: string;
}
