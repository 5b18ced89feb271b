// Generated request streams for fuzzing the server over real sockets: valid pipelined messages
// (lengths, chunked bodies with trailers, 100-continue, HEAD), then byte flips, insertions,
// deletions and truncation, written in pieces split at random points. Shared by the fuzz test in
// `npm test` and the larger `npm run fuzz` (bench/fuzz.mjs runs this file from dist/).
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import fc from 'fast-check';
import { ResponseParser } from '../../src/wire/index.js';
import { createServer, type Server, type ServerOptions } from '../../src/server/index.js';

/** Message is one valid request before mutation. */
export interface Message {
  method: string;
  path: string;
  fields: [string, string][];
  body: Uint8Array | null;
  isChunked: boolean;
  chunkCuts: number[];
  trailer: [string, string] | null;
  expectsContinue: boolean;
}

/** Mutation is one change to the serialized stream; positions are taken modulo its length. */
export type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number };

/** FuzzCase is one connection: messages, mutations, where the writes are split, and whether the client half-closes. */
export interface FuzzCase {
  messages: Message[];
  mutations: Mutation[];
  splits: number[];
  sendsFin: boolean;
}

const fieldName = fc.stringMatching(/^x-[a-z0-9-]{1,10}$/);
const fieldValue = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);

const message: fc.Arbitrary<Message> = fc
  .record({
    method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
    path: fc.constantFrom('/', '/async', '/skip', '/a/b?x=1', '/async/skip', '/%C3%BC', '/echo', '/async/echo'),
    fields: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 4 }),
    body: fc.option(fc.uint8Array({ minLength: 1, maxLength: 400 }), { nil: null }),
    isChunked: fc.boolean(),
    chunkCuts: fc.array(fc.nat({ max: 400 }), { maxLength: 4 }),
    trailer: fc.option(fc.tuple(fieldName, fieldValue), { nil: null }),
    expectsContinue: fc.boolean(),
  })
  .map((m) => {
    const hasBody = m.method === 'POST' || m.method === 'PUT' || m.method === 'DELETE';
    if (!hasBody) return { ...m, body: null, expectsContinue: false };
    // A body the handler leaves unread is skipped only when short and not chunked, and a client
    // still waiting for 100 Continue makes the server close: both end a valid pipeline early.
    if (m.path.includes('skip')) return { ...m, isChunked: false, expectsContinue: false };
    return m;
  });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

/**
 * fuzzCase generates one connection's stream; about a third of them stay valid. Mutated streams
 * have no HEAD request: the client could not tell where the answer to one ends.
 */
export const fuzzCase: fc.Arbitrary<FuzzCase> = fc
  .record({
    messages: fc.array(message, { minLength: 1, maxLength: 4 }),
    mutations: fc.oneof(
      { weight: 1, arbitrary: fc.constant([] as Mutation[]) },
      { weight: 2, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
    ),
    splits: fc.array(fc.nat(), { maxLength: 6 }),
    sendsFin: fc.boolean(),
  })
  .map((c) => (c.mutations.length === 0 ? c : { ...c, messages: c.messages.map((m) => (m.method === 'HEAD' ? { ...m, method: 'GET' } : m)) }));

/** serialize writes a message as a client would. */
export function serialize(m: Message): Buffer {
  let head = `${m.method} ${m.path} HTTP/1.1\r\nHost: fuzz\r\n`;
  for (const [name, value] of m.fields) head += `${name}: ${value}\r\n`;
  if (m.expectsContinue) head += 'Expect: 100-continue\r\n';
  if (m.body === null) return Buffer.from(`${head}\r\n`, 'latin1');
  if (!m.isChunked) return Buffer.concat([Buffer.from(`${head}Content-Length: ${m.body.length}\r\n\r\n`, 'latin1'), m.body]);
  const parts: Buffer[] = [Buffer.from(`${head}Transfer-Encoding: chunked\r\n\r\n`, 'latin1')];
  const cuts = [...new Set(m.chunkCuts.map((c) => c % (m.body as Uint8Array).length))].sort((a, b) => a - b);
  let from = 0;
  for (const to of [...cuts, m.body.length]) {
    if (to <= from) continue;
    parts.push(Buffer.from(`${(to - from).toString(16)}\r\n`), Buffer.from(m.body.subarray(from, to)), Buffer.from('\r\n'));
    from = to;
  }
  parts.push(Buffer.from(m.trailer === null ? '0\r\n\r\n' : `0\r\n${m.trailer[0]}: ${m.trailer[1]}\r\n\r\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** streamOf serializes the messages and applies the mutations. */
export function streamOf(c: FuzzCase): Buffer {
  let bytes = Buffer.concat(c.messages.map(serialize));
  for (const m of c.mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'flip') {
      bytes = Buffer.from(bytes);
      if (bytes.length > 0) bytes[at] = m.byte;
    } else if (m.kind === 'insert') {
      bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
    } else if (m.kind === 'delete') {
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    } else {
      bytes = bytes.subarray(0, at);
    }
  }
  return bytes;
}

/** FUZZ_LIMITS are short timeouts and small buffers, so every path is reached and every case ends soon. */
export const FUZZ_LIMITS: ServerOptions = {
  headersTimeout: 400,
  bodyTimeout: 400,
  keepAliveTimeout: 300,
  requestTimeout: 1500,
  handlerTimeout: 2000,
  sendTimeout: 2000,
  shutdownTimeout: 2000,
  maxBodyBuffer: 256,
  maxPipelinedRequests: 3,
  maxHeadSize: 2048,
};

/**
 * startFuzzServer runs an app that reads bodies (except on /skip), sometimes answering later, and
 * on /echo streams the body back while reading it; errors it reports land in `errors`.
 */
export async function startFuzzServer(options: ServerOptions = {}): Promise<{ server: Server; errors: unknown[] }> {
  const errors: unknown[] = [];
  const server = createServer(
    async (req) => {
      if (req.path.endsWith('/echo')) {
        if (req.path.startsWith('/async')) await new Promise((resolve) => setImmediate(resolve));
        const echo = async function* (): AsyncGenerator<Uint8Array> {
          let n = 0;
          for await (const chunk of req.body) {
            n += chunk.length;
            yield chunk;
          }
          yield Buffer.from(`|received ${n}`);
        };
        return { status: 200, body: echo() };
      }
      let received = 0;
      if (!req.path.includes('skip')) for await (const chunk of req.body) received += chunk.length;
      if (req.path.startsWith('/async')) await new Promise((resolve) => setImmediate(resolve));
      return { status: 200, headers: { 'x-received': String(received) }, body: `${req.method} ${received}\n` };
    },
    { ...FUZZ_LIMITS, ...options, onError: (error) => errors.push(error) },
  );
  await server.listen({ port: 0, hostname: '127.0.0.1' });
  return { server, errors };
}

/** Outcome is what a client saw: whether the server ended the connection in time, how, and its bytes. */
export interface Outcome {
  isEnded: boolean;
  /** how is 'end' (FIN), 'close', an error code (e.g. 'ECONNRESET'), or 'timeout'. */
  how: string;
  /** isConnected tells whether the TCP connection was established at all. */
  isConnected: boolean;
  bytes: Buffer;
}

/** runCase opens a connection, writes the stream in its pieces, and waits for the server to end it (FIN, reset or close) for at most boundMs. */
export function runCase(port: number, c: FuzzCase, boundMs: number): Promise<Outcome> {
  const bytes = streamOf(c);
  const cuts = [...new Set(c.splits.map((s) => (bytes.length === 0 ? 0 : s % bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const to of [...cuts, bytes.length]) {
    if (to > from) pieces.push(bytes.subarray(from, to));
    from = Math.max(from, to);
  }
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    let isDone = false;
    let isConnected = false;
    const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = (isEnded: boolean, how: string): void => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ isEnded, how, isConnected, bytes: Buffer.concat(received) });
    };
    const timer = setTimeout(() => finish(false, 'timeout'), boundMs);
    socket.setNoDelay(true);
    socket.on('error', (error: NodeJS.ErrnoException) => finish(true, error.code ?? 'error'));
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish(true, 'end'));
    socket.on('close', () => finish(true, 'close'));
    socket.on('connect', () => {
      isConnected = true;
      const writeNext = (i: number): void => {
        if (isDone || socket.destroyed) return;
        if (i === pieces.length) {
          if (c.sendsFin) socket.end();
          return;
        }
        socket.write(pieces[i] as Buffer, () => setImmediate(() => writeNext(i + 1)));
      };
      writeNext(0);
    });
  });
}

/** Reply is a final response as the client parsed it. */
export interface Reply {
  status: number;
  received: string | undefined;
  body: Buffer[];
}

/**
 * checkOutcome returns what is wrong with an outcome, or null. Every connection must end in
 * time, and what the server sent must parse as responses; a stream left valid must get one 200
 * per request, each having read the whole body (or none on /skip).
 */
export function checkOutcome(c: FuzzCase, outcome: Outcome): string | null {
  if (!outcome.isEnded) return 'the server neither answered and closed nor closed in time';
  if (!outcome.isConnected) return `could not connect (${outcome.how})`;
  const isValid = c.mutations.length === 0;
  const replies: Reply[] = [];
  let current: Reply | null = null;
  const parser = new ResponseParser({
    onHead: (head) => {
      current = head.statusCode >= 200 ? { status: head.statusCode, received: head.headers.get('x-received'), body: [] } : null;
    },
    onBody: (chunk) => {
      if (current !== null && isValid) (current as Reply).body.push(Buffer.from(chunk));
    },
    onComplete: () => {
      if (current !== null) replies.push(current);
      current = null;
    },
  });
  try {
    if (isValid) for (const m of c.messages) parser.expectResponseTo(m.method);
    parser.execute(outcome.bytes);
  } catch (error) {
    return `the server sent bytes that are not a response: ${(error as Error).message}`;
  }
  if (!isValid) return null;
  if (replies.length !== c.messages.length) return `${c.messages.length} valid requests got ${replies.length} answers (then ${outcome.how})`;
  for (const [i, m] of c.messages.entries()) {
    const reply = replies[i] as Reply;
    const expected = m.path.includes('skip') || m.body === null ? 0 : m.body.length;
    if (m.path.endsWith('/echo')) {
      const echoed = m.method === 'HEAD' ? Buffer.alloc(0) : Buffer.concat([m.body ?? Buffer.alloc(0), Buffer.from(`|received ${expected}`)]);
      if (reply.status !== 200 || !Buffer.concat(reply.body).equals(echoed)) return `request ${i} (${m.method} ${m.path}) got ${reply.status} and a wrong echo`;
      continue;
    }
    if (reply.status !== 200 || reply.received !== String(expected)) {
      return `request ${i} (${m.method} ${m.path}) got ${reply.status} having read ${reply.received} of ${expected} bytes`;
    }
  }
  return null;
}

/** requestCount is how many requests a case carries before mutation. */
export function requestCount(c: FuzzCase): number {
  return c.messages.length;
}
