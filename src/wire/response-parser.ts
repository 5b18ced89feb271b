import type { Buffer } from 'node:buffer';
import { FIELD_VALUE, SP, latin1 } from './chars.js';
import { isResponseUpgrade, responseFraming } from './body-framing.js';
import type { ParserCallbacks, ParserOptions, ResponseHead } from './head.js';
import { MessageParser } from './message-parser.js';

/**
 * ResponseParser parses a stream of HTTP/1.0 and HTTP/1.1 responses, as a client receives them.
 * Tell it each request's method with expectResponseTo() so HEAD and CONNECT answers frame right.
 */
export class ResponseParser extends MessageParser<ResponseHead> {
  #methods: string[] = [];
  #statusCode = 0;
  #reasonPhrase = '';
  #versionMinor: 0 | 1 = 1;

  constructor(callbacks: ParserCallbacks<ResponseHead>, options: ParserOptions = {}) {
    super(callbacks, options);
  }

  /** expectResponseTo queues the method of a request sent, in order; unqueued responses count as GET. */
  expectResponseTo(method: string): void {
    this.#methods.push(method.toUpperCase());
  }

  // RFC 9112 §2.2: empty lines before a start line are ignored, as servers do before a request
  // line; some servers send one after an interim response.
  protected skipsEmptyLines(): boolean {
    return true;
  }

  // status-line = HTTP-version SP status-code SP [ reason-phrase ] (RFC 9112 §4); a missing
  // final SP is tolerated because many servers omit it.
  protected startLine(buf: Buffer, start: number, end: number, partial: boolean): void {
    const n = end - start;
    const versionMinor = this.version(buf, start, start + Math.min(n, 8), partial && n < 8);
    if (versionMinor === -1) return;
    let i = start + 8;
    if (i >= end) {
      if (partial) return;
      this.fail('WIRE_INVALID_STATUS', 'Invalid status line: missing status code', i);
    }
    if (buf[i] !== SP) this.fail('WIRE_INVALID_VERSION', 'Invalid HTTP version', i);
    i++;
    let status = 0;
    for (let k = 0; k < 3; k++, i++) {
      if (i >= end) {
        if (partial) return;
        this.fail('WIRE_INVALID_STATUS', 'Invalid status code: expected three digits', i);
      }
      const d = (buf[i] as number) - 0x30;
      if (d < 0 || d > 9) this.fail('WIRE_INVALID_STATUS', 'Invalid status code: expected three digits', i);
      status = status * 10 + d;
    }
    if (status < 100) this.fail('WIRE_INVALID_STATUS', `Invalid status code "${status}"`, i - 3);
    let reason = '';
    if (i < end) {
      if (buf[i] !== SP) this.fail('WIRE_INVALID_STATUS', 'Invalid status line: expected SP after status code', i);
      for (let k = i + 1; k < end; k++) {
        if (FIELD_VALUE[buf[k] as number] !== 1) this.fail('WIRE_INVALID_STATUS', 'Invalid reason phrase: control character', k);
      }
      reason = latin1(buf, i + 1, end);
    }
    if (partial) return;
    this.#statusCode = status;
    this.#reasonPhrase = reason;
    this.#versionMinor = versionMinor;
  }

  protected buildHead(): ResponseHead {
    const status = this.#statusCode;
    const versionMinor = this.#versionMinor;
    const method = this.#methods[0] ?? 'GET';
    const facts = this.facts;
    const framing = responseFraming(facts, status, method, versionMinor, this.headFailFn);
    return {
      statusCode: status,
      reasonPhrase: this.#reasonPhrase,
      versionMinor,
      headers: this.takeFields(),
      keepAlive: framing !== 'close' && facts.keepAlive(versionMinor),
      framing,
      contentLength: framing === 'length' ? facts.contentLength : -1,
      isUpgrade: isResponseUpgrade(status, method),
    };
  }

  protected override messageDone(): void {
    // 1xx (other than 101) are interim: the final response to the same request follows.
    if (this.#statusCode >= 200 || this.#statusCode === 101) this.#methods.shift();
  }
}

