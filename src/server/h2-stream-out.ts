// One HTTP/2 response's way out, for the bodies h2-response.ts sends: HEADERS, and DATA paced by
// the stream and connection windows (RFC 9113 §5.2, §6.9) and by the socket's drain, as chunks or
// as blocks of frames laid out in place (h2-file-body.ts).
import { FRAME_HEADER_LENGTH, type H2Connection } from '../h2/index.js';
import type { BatchedOutput } from '../http/index.js';
import type { H2Request } from './h2-request.js';
import { gone, type StreamOut } from './h2-response.js';

/** StreamOutHost is what a response's way out needs of its connection. */
export interface StreamOutHost {
  readonly h2: H2Connection;
  readonly output: BatchedOutput;
  /** isClosing tells whether the connection stopped answering (closing or closed). */
  isClosing(): boolean;
}

/** H2StreamOut sends one response on its stream; a write rejects with SERVER_CLIENT_ABORTED once the stream or connection is gone. */
export class H2StreamOut implements StreamOut {
  readonly #host: StreamOutHost;
  readonly #req: H2Request;

  constructor(host: StreamOutHost, req: H2Request) {
    this.#host = host;
    this.#req = req;
  }

  /** sendHeaders sends the response head or trailers. */
  sendHeaders(fields: [string, string][], endStream: boolean): void {
    this.#host.h2.sendHeaders(this.#req.streamId, fields, endStream);
  }

  /** isOpen tells whether the stream and its connection can still carry the response. */
  isOpen(): boolean {
    return this.#req.isStreamOpen && !this.#host.isClosing();
  }

  /** frameSize is the DATA payload size the peer takes in one frame. */
  frameSize(): number {
    return this.#host.h2.dataFrameSize;
  }

  /** whenWritten calls back once everything sent so far has left the socket. */
  whenWritten(onWritten: () => void): void {
    this.#host.output.whenWritten(onWritten);
  }

  /** write sends a chunk as the windows allow, waiting for WINDOW_UPDATE for the rest, then for the socket. */
  async write(chunk: Uint8Array, endStream: boolean): Promise<void> {
    const req = this.#req;
    const { h2 } = this.#host;
    let offset = 0;
    for (;;) {
      if (!this.isOpen()) throw gone();
      const sent = h2.sendData(req.streamId, offset === 0 ? chunk : chunk.subarray(offset), endStream);
      offset += sent;
      if (offset >= chunk.length) break;
      if (sent > 0 || req.stalledSince === 0) req.stalledSince = Date.now();
      await new Promise<void>((resolve) => {
        req.wake = resolve;
      });
      req.wake = null;
    }
    req.stalledSince = 0;
    await this.#drain();
  }

  /**
   * writeFramed sends a block of frames laid out in place: whole frames as the windows allow, in
   * one piece; when not one more frame fits, that frame's payload goes through write().
   */
  async writeFramed(block: Uint8Array, frameSize: number, endStream: boolean): Promise<void> {
    const req = this.#req;
    const { h2 } = this.#host;
    let at = 0;
    while (at < block.length) {
      if (!this.isOpen()) throw gone();
      const rest = at === 0 ? block : block.subarray(at);
      const sent = h2.sendFramedData(req.streamId, rest, frameSize, endStream);
      if (sent > 0) {
        at += sent + FRAME_HEADER_LENGTH * Math.ceil(sent / frameSize);
        continue;
      }
      const size = Math.min(frameSize, rest.length - FRAME_HEADER_LENGTH);
      await this.write(rest.subarray(FRAME_HEADER_LENGTH, FRAME_HEADER_LENGTH + size), endStream && FRAME_HEADER_LENGTH + size === rest.length);
      at += FRAME_HEADER_LENGTH + size;
    }
    req.stalledSince = 0;
    await this.#drain();
  }

  // Waits for the socket to take what was queued; a socket that closed meanwhile ends the response.
  async #drain(): Promise<void> {
    const { output } = this.#host;
    if (!output.needsDrain || output.isClosed) return;
    await output.waitDrain();
    if (output.isClosed) throw gone();
  }
}
