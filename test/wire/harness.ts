// Runs raw fixtures through the parsers in several splits and reduces what comes out to plain
// data, so a table can say what each input must give and every split must give the same.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import {
  RequestParser,
  ResponseParser,
  WireError,
  type ParserOptions,
  type RequestHead,
  type ResponseHead,
} from '../../src/wire/index.js';

/** Message is one parsed message reduced to plain data. */
export interface Message {
  method?: string;
  target?: string;
  statusCode?: number;
  reasonPhrase?: string;
  versionMinor: number;
  headers: [string, string][];
  keepAlive: boolean;
  framing: string;
  contentLength: number;
  isUpgrade: boolean;
  /** body as latin1 text. */
  body: string;
  trailers: [string, string][] | null;
}

/** Outcome is everything a stream gave: the messages, then the error code if it was rejected. */
export interface Outcome {
  messages: Message[];
  error: string | null;
  status: number | null;
  consumed: number;
}

export type Kind = 'request' | 'response';

export interface RunOptions extends ParserOptions {
  /** methods are the request methods a response parser is told about, in order. */
  methods?: string[];
  /** end calls finish() after the last byte (default true). */
  end?: boolean;
}

function reduceHead(head: RequestHead | ResponseHead): Message {
  const common = {
    versionMinor: head.versionMinor,
    headers: [...head.headers],
    keepAlive: head.keepAlive,
    framing: head.framing,
    contentLength: head.contentLength,
    isUpgrade: head.isUpgrade,
    body: '',
    trailers: null,
  };
  if ('method' in head) return { method: head.method, target: head.target, ...common };
  return { statusCode: head.statusCode, reasonPhrase: head.reasonPhrase, ...common };
}

/** run feeds `pieces` to a fresh parser of the kind and returns the outcome. */
export function run(kind: Kind, pieces: Buffer[], options: RunOptions = {}): Outcome {
  const messages: Message[] = [];
  let current: Message | null = null;
  const callbacks = {
    onHead(head: RequestHead | ResponseHead): void {
      current = reduceHead(head);
      messages.push(current);
    },
    onBody(chunk: Buffer): void {
      assert.ok(current !== null, 'body before head');
      current.body += chunk.toString('latin1');
    },
    onComplete(trailers: { names: string[]; values: string[] } | null): void {
      assert.ok(current !== null, 'complete before head');
      if (trailers !== null) current.trailers = trailers.names.map((n, i) => [n, trailers.values[i] as string]);
      current = null;
    },
  };
  const { methods = [], end = true, ...parserOptions } = options;
  let parser: RequestParser | ResponseParser;
  if (kind === 'request') {
    const { lenientLineEndings: _, ...requestOptions } = parserOptions;
    parser = new RequestParser(callbacks, requestOptions);
  } else {
    const rp = new ResponseParser(callbacks, parserOptions);
    for (const m of methods) rp.expectResponseTo(m);
    parser = rp;
  }
  let consumed = 0;
  try {
    for (const piece of pieces) {
      const n = parser.execute(piece);
      consumed += n;
      if (n < piece.length) break; // upgraded: the rest is not HTTP
    }
    if (end) parser.finish();
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
    return { messages, error: error.reason, status: error.status, consumed };
  }
  return { messages, error: null, status: null, consumed };
}

/** splits returns the ways a fixture is fed: whole, byte by byte, and at random points. */
export function splits(input: Buffer, randomCount = 3, seed = 1): { name: string; pieces: Buffer[] }[] {
  const out = [{ name: 'whole', pieces: [input] }];
  const bytes: Buffer[] = [];
  for (let i = 0; i < input.length; i++) bytes.push(input.subarray(i, i + 1));
  out.push({ name: 'byte by byte', pieces: bytes });
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  for (let r = 0; r < randomCount && input.length > 1; r++) {
    const cuts = new Set<number>();
    const count = 1 + (next() % 4);
    for (let c = 0; c < count; c++) cuts.add(1 + (next() % (input.length - 1)));
    const sorted = [...cuts].sort((a, b) => a - b);
    const pieces: Buffer[] = [];
    let from = 0;
    for (const cut of sorted) {
      pieces.push(input.subarray(from, cut));
      from = cut;
    }
    pieces.push(input.subarray(from));
    out.push({ name: `split at ${sorted.join(',')}`, pieces });
  }
  return out;
}

/** Expect describes what a fixture must give: an error code, or messages (checked on the keys given). */
export interface Expect {
  error?: string;
  status?: number;
  messages?: Partial<Message>[];
}

/** Fixture is one row of a codec table. */
export interface Fixture {
  name: string;
  input: string;
  expect: Expect;
  options?: RunOptions;
}

/** check runs a fixture in every split and asserts each outcome matches the expectation and the whole run. */
export function check(kind: Kind, fixture: Fixture): void {
  const input = Buffer.from(fixture.input, 'latin1');
  const seen: Outcome[] = [];
  for (const { name, pieces } of splits(input)) {
    const outcome = run(kind, pieces, fixture.options);
    const where = `${fixture.name} (${name})`;
    const { expect } = fixture;
    if (expect.error !== undefined) {
      assert.equal(outcome.error, expect.error, `${where}: expected ${expect.error}`);
      if (expect.status !== undefined) assert.equal(outcome.status, expect.status, `${where}: status`);
    } else {
      assert.equal(outcome.error, null, `${where}: unexpected ${String(outcome.error)}`);
    }
    if (expect.messages !== undefined) {
      assert.equal(outcome.messages.length, expect.messages.length, `${where}: message count`);
      expect.messages.forEach((want, i) => {
        const got = outcome.messages[i] as Message;
        for (const key of Object.keys(want) as (keyof Message)[]) {
          assert.deepEqual(got[key], want[key], `${where}: message ${i} ${key}`);
        }
      });
    }
    const reference = seen[0];
    if (reference === undefined) seen.push(outcome);
    else assert.deepEqual({ ...outcome, consumed: 0 }, { ...reference, consumed: 0 }, `${where}: differs from the whole-buffer run`);
  }
}
