// The DevTools protocol over --remote-debugging-pipe: JSON messages, each ended by a NUL byte,
// written to the browser's file descriptor 3 and read from its descriptor 4. One connection
// carries the browser's own commands and, in flatten mode, every attached target's (`sessionId`).
import type { Readable, Writable } from 'node:stream';
import { BrowserClosedError, BrowserError, ProtocolCallError } from './errors.js';

/** EventHandler receives the params of one DevTools event. */
export type EventHandler = (params: Record<string, unknown>) => void;

interface Pending {
  method: string;
  resolve: (result: Record<string, unknown>) => void;
  reject: (error: Error) => void;
}

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message?: string; data?: string };
  sessionId?: string;
}

/**
 * Connection speaks the DevTools protocol over a pair of pipes. Commands resolve with their
 * `result` or reject with a ProtocolCallError; events go to the Session they belong to.
 */
export class Connection {
  readonly #writer: Writable;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  readonly #sessions = new Map<string, Session>();
  #partial: Buffer[] = [];
  #closed: BrowserError | null = null;
  /** browser is the session of the browser target itself (no sessionId). */
  readonly browser: Session;

  constructor(writer: Writable, reader: Readable) {
    this.#writer = writer;
    this.browser = new Session(this, '');
    this.#sessions.set('', this.browser);
    reader.on('data', (chunk: Buffer) => this.#onData(chunk));
    reader.on('error', () => this.close(new BrowserClosedError('The browser closed its DevTools pipe')));
    reader.on('end', () => this.close(new BrowserClosedError('The browser closed its DevTools pipe')));
    writer.on('error', () => this.close(new BrowserClosedError('The browser closed its DevTools pipe')));
  }

  /** isClosed tells whether the pipe is gone; every later command fails at once. */
  get isClosed(): boolean {
    return this.#closed !== null;
  }

  /** send issues one command, on a target's session when `sessionId` is given. */
  send(method: string, params: Record<string, unknown> = {}, sessionId = ''): Promise<Record<string, unknown>> {
    if (this.#closed !== null) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    const message: Message = sessionId === '' ? { id, method, params } : { id, method, params, sessionId };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { method, resolve, reject });
      this.#writer.write(`${JSON.stringify(message)}\0`);
    });
  }

  /** session returns the Session for an attached target, creating it on first use. */
  session(sessionId: string): Session {
    let session = this.#sessions.get(sessionId);
    if (session === undefined) {
      session = new Session(this, sessionId);
      this.#sessions.set(sessionId, session);
    }
    return session;
  }

  /** forget drops a detached session so its handlers can be collected. */
  forget(sessionId: string): void {
    if (sessionId !== '') this.#sessions.delete(sessionId);
  }

  /** close fails every command still waiting and refuses new ones. */
  close(reason: BrowserError): void {
    if (this.#closed !== null) return;
    this.#closed = reason;
    for (const pending of this.#pending.values()) pending.reject(reason);
    this.#pending.clear();
    for (const session of this.#sessions.values()) session.dispatch('courier.closed', {});
    this.#writer.destroy();
  }

  #onData(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      this.#partial.push(chunk.subarray(start, end));
      const text = Buffer.concat(this.#partial).toString('utf8');
      this.#partial = [];
      start = end + 1;
      this.#onMessage(text);
    }
    if (start < chunk.length) this.#partial.push(chunk.subarray(start));
  }

  #onMessage(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch {
      this.close(new ProtocolCallError(undefined, 'The browser sent a DevTools message that is not JSON'));
      return;
    }
    if (typeof message.id === 'number') {
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      if (message.error !== undefined) {
        const detail = message.error.data === undefined ? '' : ` (${message.error.data})`;
        pending.reject(new ProtocolCallError(pending.method, `${message.error.message ?? 'unknown error'}${detail}`));
      } else {
        pending.resolve(message.result ?? {});
      }
      return;
    }
    if (typeof message.method === 'string') this.#sessions.get(message.sessionId ?? '')?.dispatch(message.method, message.params ?? {});
  }
}

/**
 * Session is one target's view of the connection (the browser's own when `id` is empty): commands
 * go out with its sessionId, and its events come back to the handlers registered with `on`.
 */
export class Session {
  readonly #connection: Connection;
  readonly id: string;
  readonly #handlers = new Map<string, Set<EventHandler>>();

  constructor(connection: Connection, id: string) {
    this.#connection = connection;
    this.id = id;
  }

  /** send issues one command on this session. */
  send(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return this.#connection.send(method, params, this.id);
  }

  /** on registers a handler for an event (`Network.responseReceived`) and returns its remover. */
  on(method: string, handler: EventHandler): () => void {
    let set = this.#handlers.get(method);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(method, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** dispatch hands one event to its handlers. */
  dispatch(method: string, params: Record<string, unknown>): void {
    const set = this.#handlers.get(method);
    if (set === undefined) return;
    for (const handler of [...set]) handler(params);
  }
}
