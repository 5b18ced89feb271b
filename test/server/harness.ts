// Test harness for the server suites: a server on 127.0.0.1 port 0, raw sockets, and a reader
// that parses responses with the codec's ResponseParser.
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import { after } from 'node:test';
import { ResponseParser, type ResponseHead } from '../../src/wire/index.js';
import { createServer, type Server, type ServerOptions } from '../../src/server/index.js';
import type { Handler } from '../../src/server/types.js';

export interface Reply {
  head: ResponseHead;
  body: Buffer;
}

const servers = new Set<Server>();
const sockets = new Set<net.Socket>();

// A test that fails midway must not keep its file's process alive: close what is left.
after(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([...servers].map((s) => s.close()));
});

/**
 * start listens on 127.0.0.1:0; errors the server reports land in `errors`. Whatever a test
 * leaves open is closed after the file's tests (shutdownTimeout 2 s unless given).
 */
export async function start(handler: Handler, options: ServerOptions = {}): Promise<Server & { errors: unknown[] }> {
  const errors: unknown[] = [];
  const server = createServer(handler, { onError: (e) => errors.push(e), shutdownTimeout: 2000, ...options });
  await server.listen({ port: 0, hostname: '127.0.0.1' });
  servers.add(server);
  return Object.assign(server, { errors });
}

/** Client is a raw TCP connection that parses what the server answers. */
export class Client {
  readonly socket: net.Socket;
  readonly replies: Reply[] = [];
  closed = false;
  /** ended is true once the server sent FIN. */
  ended = false;
  raw = Buffer.alloc(0);
  #parser: ResponseParser;
  #waiters: (() => void)[] = [];
  #head: ResponseHead | null = null;
  #chunks: Buffer[] = [];

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.#parser = new ResponseParser({
      onHead: (head) => {
        this.#head = head;
        this.#chunks = [];
      },
      onBody: (chunk) => {
        this.#chunks.push(Buffer.from(chunk));
      },
      onComplete: () => {
        if (this.#head !== null && this.#head.statusCode >= 200) this.replies.push({ head: this.#head, body: Buffer.concat(this.#chunks) });
        this.#head = null;
        this.#wake();
      },
    });
    socket.on('data', (chunk: Buffer) => {
      this.raw = Buffer.concat([this.raw, chunk]);
      this.#parser.execute(chunk);
      this.#wake();
    });
    socket.on('error', () => {});
    socket.on('end', () => {
      this.ended = true;
      socket.end();
    });
    socket.on('close', () => {
      this.closed = true;
      try {
        this.#parser.finish();
      } catch {
        // an incomplete response shows as a missing reply
      }
      this.#wake();
    });
  }

  /** expect tells the parser the method of the next request (HEAD responses have no body). */
  expect(method: string): void {
    this.#parser.expectResponseTo(method);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** until resolves once the predicate holds (checked after every read and at close). */
  async until(predicate: () => boolean): Promise<void> {
    while (!predicate()) {
      if (this.closed || this.ended) {
        if (predicate()) return;
        throw new Error(`connection closed; got ${this.replies.length} replies: ${JSON.stringify(this.raw.toString('latin1').slice(0, 300))}`);
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** replyCount waits for n complete replies. */
  async replyCount(n: number): Promise<Reply[]> {
    await this.until(() => this.replies.length >= n);
    return this.replies;
  }

  /** closedByPeer waits for the server to close the connection. */
  async closedByPeer(): Promise<void> {
    await this.until(() => this.ended || this.closed);
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** connect opens a raw client connection to the server. */
export function connect(server: { readonly port: number }): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: server.port, host: '127.0.0.1', allowHalfOpen: true }, () => resolve(new Client(socket)));
    sockets.add(socket);
    socket.once('error', reject);
  });
}

/** get is a minimal GET request text. */
export function get(path = '/', extra = ''): string {
  return `GET ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}\r\n`;
}

/** text reads a whole async iterable of bytes as UTF-8. */
export async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}
