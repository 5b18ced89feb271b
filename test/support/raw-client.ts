// The raw HTTP/1.x client of the socket tests: exact request bytes out over node:net to
// 127.0.0.1, and responses read back with courier's own ResponseParser. It is strict: a response
// the codec rejects (a framing bug: a wrong Content-Length, a broken chunk, stray bytes after a
// message) fails the test instead of being read leniently.
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { RequestParser, ResponseParser, WireError, type Fields, type ResponseHead } from '../../src/wire/index.js';

/** RawResponse is one response as the codec read it off the socket. */
export interface RawResponse {
  /** head is the parsed head (status, version, fields in order, framing). */
  readonly head: ResponseHead;
  readonly status: number;
  /** headers maps lowercased field names to values; repeated fields joined by ", ". */
  readonly headers: Record<string, string>;
  /** body is the content, de-chunked; empty for HEAD, 1xx, 204 and 304. */
  readonly body: Buffer;
  /** trailers of a chunked response, as fields (null when it had none). */
  readonly trailers: Fields | null;
  /** headText is the head exactly as received, without the blank line that ends it, for asserting on lines. */
  readonly headText: string;
}

/** Reading is a response being read: filled in as its body comes (and its head text once the head is cut out). */
type Reading = { -readonly [K in keyof RawResponse]: RawResponse[K] };

/** RawClientOptions tunes how long a wait may last. */
export interface RawClientOptions {
  /** timeoutMs bounds every wait (until, replyCount, closedByPeer). Default 30 s. */
  timeoutMs?: number;
}

/** DEFAULT_TIMEOUT_MS bounds a wait: generous, so that a loaded machine does not fail a test. */
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * RawClient is one raw connection. Requests are written as bytes; the methods of the requests
 * written are learnt by parsing them (courier's RequestParser), so HEAD responses are read
 * without a body; after bytes that do not parse as requests, responses count as answers to GET.
 */
export class RawClient {
  readonly socket: net.Socket;
  /** replies are the final responses (and 101) read so far, in order. */
  readonly replies: RawResponse[] = [];
  /** interim are the 1xx responses other than 101, in order. */
  readonly interim: RawResponse[] = [];
  /** raw is every byte received. */
  raw = Buffer.alloc(0);
  /** ended is true once the server sent FIN; closed once the socket closed. */
  ended = false;
  closed = false;
  /** error is the codec's rejection of what the server sent: a framing bug; every wait throws it. */
  error: Error | null = null;
  /** isCut is true when the connection ended inside a response (the server dropped it midway). */
  isCut = false;
  #timeoutMs: number;
  #parser: ResponseParser;
  #requests: RequestParser | null;
  #waiters: (() => void)[] = [];
  /** The response being read, made at its head and filled in as its body comes. */
  #current: Reading | null = null;
  #chunks: Buffer[] = [];
  /** A head or a whole message ended in the last execute() call (the parser pauses after each). */
  #sawHead: Reading | null = null;
  #sawEnd = false;
  /** Stream offsets: bytes received before the chunk being parsed, and where the message being read starts. */
  #received = 0;
  #messageStart = 0;

  constructor(socket: net.Socket, options: RawClientOptions = {}) {
    this.socket = socket;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#parser = new ResponseParser({
      onHead: (head) => {
        const reading: Reading = { head, status: head.statusCode, headers: fieldRecord(head.headers), body: Buffer.alloc(0), trailers: null, headText: '' };
        this.#current = reading;
        this.#chunks = [];
        this.#sawHead = reading;
        // Stop at the end of the head so that its exact bytes can be cut out of the stream.
        this.#parser.pause();
      },
      onBody: (chunk) => {
        this.#chunks.push(Buffer.from(chunk));
      },
      onComplete: (trailers) => {
        const reading = this.#current as Reading;
        this.#current = null;
        reading.body = Buffer.concat(this.#chunks);
        reading.trailers = trailers;
        this.#chunks = [];
        if (reading.status >= 200 || reading.status === 101) this.replies.push(reading);
        else this.interim.push(reading);
        this.#sawEnd = true;
        this.#parser.pause();
      },
    });
    this.#requests = new RequestParser({
      onHead: (head) => this.#parser.expectResponseTo(head.method),
    });
    socket.on('data', (chunk: Buffer) => {
      this.raw = Buffer.concat([this.raw, chunk]);
      this.#feed(chunk);
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('end', () => {
      this.ended = true;
      this.#finish();
      socket.end();
      this.#wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.#finish();
      this.#wake();
    });
  }

  // Parse a chunk, pausing after each head (to cut its exact text out of the stream) and after
  // each message (to know where the next one starts).
  #feed(chunk: Buffer): void {
    if (this.error !== null) return;
    const start = this.#received;
    this.#received += chunk.length;
    let at = 0;
    try {
      while (at < chunk.length && !this.#parser.isUpgraded) {
        this.#sawHead = null;
        this.#sawEnd = false;
        this.#parser.resume();
        at += this.#parser.execute(chunk.subarray(at));
        const head = this.#sawHead as Reading | null;
        if (head !== null) {
          // Blank lines before a status line are skipped by the codec, and the CRLF CRLF ends the head.
          const text = this.raw.subarray(this.#messageStart, start + at).toString('latin1');
          head.headText = text.replace(/^(?:\r\n)+/, '').replace(/\r\n\r\n$/, '');
        }
        if (this.#sawEnd) this.#messageStart = start + at;
        if (head === null && !this.#sawEnd) break; // nothing happened: all consumed
      }
    } catch (error) {
      this.error = annotate(error, this.raw);
    }
  }

  #finish(): void {
    if (this.error !== null || this.isCut) return;
    try {
      this.#parser.resume();
      this.#parser.finish();
      // finish() completes a body read until close; anything else unfinished throws.
    } catch (error) {
      if (WireError.is(error) && error.code === 'WIRE_INCOMPLETE_MESSAGE') this.isCut = true;
      else this.error = annotate(error, this.raw);
    }
  }

  /** write sends bytes as they are; the requests among them tell which responses have no body. */
  write(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    if (this.#requests !== null) {
      try {
        this.#requests.execute(bytes);
      } catch {
        // Not a request the codec takes: the server rejects it too; later answers count as GET.
        this.#requests = null;
      }
    }
    this.socket.write(bytes);
  }

  /** end half-closes: the server sees FIN after what was written. */
  end(data?: string | Uint8Array): void {
    if (data !== undefined) this.write(data);
    this.socket.end();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /**
   * until resolves once the predicate holds (checked after every read and at close). It throws
   * at once when what the server sent does not parse, and when the connection ends or the time
   * runs out first.
   */
  async until(predicate: () => boolean, what = 'the expected state'): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      if (this.error !== null) throw this.error;
      if (predicate()) return;
      if (this.closed || this.ended) throw new Error(`Connection closed before ${what}; ${this.#describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No ${what} within ${this.#timeoutMs} ms; ${this.#describe()}`);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
  }

  #describe(): string {
    return `got ${this.replies.length} replies${this.isCut ? ' and a cut one' : ''}: ${JSON.stringify(this.raw.toString('latin1').slice(0, 300))}`;
  }

  /** replyCount waits for n complete final responses and returns all read so far. */
  async replyCount(n: number): Promise<RawResponse[]> {
    await this.until(() => this.replies.length >= n, `${n} replies`);
    return this.replies;
  }

  /** closedByPeer waits for the server to end or close the connection (and everything before to parse). */
  async closedByPeer(): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    while (!this.ended && !this.closed) {
      if (this.error !== null) throw this.error;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Server did not close within ${this.#timeoutMs} ms; ${this.#describe()}`);
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        timer = setTimeout(resolve, left);
      });
      clearTimeout(timer);
    }
    if (this.error !== null) throw this.error;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** rawConnect opens a RawClient to 127.0.0.1:port. */
export function rawConnect(port: number, options: RawClientOptions = {}): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.off('error', reject);
      resolve(new RawClient(socket, options));
    });
    socket.once('error', reject);
  });
}

/**
 * rawExchange sends the bytes (end them with a request that says Connection: close, or expect
 * the server to close) and reads every response until the server closes. It throws when what
 * came back does not parse, or ends inside a response, or the server does not close in time.
 */
export async function rawExchange(port: number, request: string | Uint8Array, options: RawClientOptions = {}): Promise<RawResponse[]> {
  const client = await rawConnect(port, options);
  try {
    client.write(request);
    await client.closedByPeer();
    // After FIN the socket may still be closing; what was received is all there is.
    if (client.isCut) throw new Error(`The connection ended inside a response; ${JSON.stringify(client.raw.toString('latin1').slice(0, 300))}`);
    return client.replies;
  } finally {
    client.destroy();
  }
}

/** rawRequest is rawExchange for one request: exactly one final response must come back. */
export async function rawRequest(port: number, request: string | Uint8Array, options: RawClientOptions = {}): Promise<RawResponse> {
  const replies = await rawExchange(port, request, options);
  if (replies.length !== 1) {
    throw new Error(`Expected one response, got ${replies.length}: ${replies.map((r) => r.status).join(', ')}`);
  }
  return replies[0] as RawResponse;
}

/** fieldRecord maps lowercased names to values, repeated fields joined by ", ". */
function fieldRecord(fields: Fields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of fields) {
    const key = name.toLowerCase();
    out[key] = out[key] === undefined ? value : `${out[key]}, ${value}`;
  }
  return out;
}

// A codec rejection names the offset; the bytes around it make the failure readable.
function annotate(error: unknown, raw: Buffer): Error {
  if (!WireError.is(error)) return error instanceof Error ? error : new Error(String(error));
  const at = error.offset;
  const around = at >= 0 ? raw.subarray(Math.max(0, at - 40), at + 40).toString('latin1') : raw.toString('latin1').slice(0, 200);
  return new Error(`Response rejected by the codec (${error.reason}): ${error.message}, near ${JSON.stringify(around)}`, { cause: error });
}
