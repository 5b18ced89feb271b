import type { Buffer } from 'node:buffer';
import { SP, TARGET, TOKEN, latin1 } from './chars.js';
import { isHost } from './framing.js';
import { requestFraming } from './body-framing.js';
import type { ParserCallbacks, ParserOptions, RequestHead } from './head.js';
import { MessageParser } from './message-parser.js';

// Common methods come back as constants, so the hot path allocates no string for them.
function methodString(buf: Buffer, start: number, end: number): string {
  const n = end - start;
  const b0 = buf[start];
  if (n === 3 && b0 === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return 'GET';
  if (n === 4 && b0 === 0x50 && buf[start + 1] === 0x4f && buf[start + 2] === 0x53 && buf[start + 3] === 0x54) return 'POST';
  if (n === 4 && b0 === 0x48 && buf[start + 1] === 0x45 && buf[start + 2] === 0x41 && buf[start + 3] === 0x44) return 'HEAD';
  return latin1(buf, start, end);
}

/**
 * RequestParser parses a stream of HTTP/1.0 and HTTP/1.1 requests, as a server receives them.
 * Pipelined requests come out in order; onHead, onBody and onComplete fire for each.
 */
export class RequestParser extends MessageParser<RequestHead> {
  #method = '';
  #target = '';
  #versionMinor: 0 | 1 = 1;

  constructor(callbacks: ParserCallbacks<RequestHead>, options: Omit<ParserOptions, 'lenientLineEndings'> = {}) {
    super(callbacks, options);
  }

  protected skipsEmptyLines(): boolean {
    return true;
  }

  // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
  protected startLine(buf: Buffer, start: number, end: number, partial: boolean): void {
    let i = start;
    while (i < end && TOKEN[buf[i] as number] === 1) i++;
    if (i === end) {
      if (partial) return;
      if (i === start) this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: empty', i);
      this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: missing request-target', i);
    }
    if (buf[i] !== SP || i === start) this.fail('WIRE_INVALID_METHOD', 'Invalid method: not a token', i);
    const methodEnd = i;
    const targetStart = ++i;
    while (i < end && TARGET[buf[i] as number] === 1) i++;
    if (i - targetStart > this.limits.maxTargetLength) {
      this.fail('WIRE_TARGET_TOO_LONG', `Request-target too long: over ${this.limits.maxTargetLength} bytes`, i, 414);
    }
    if (i === end) {
      if (partial) return;
      this.fail('WIRE_INVALID_START_LINE', 'Invalid request line: missing HTTP version', i);
    }
    if (buf[i] !== SP) this.fail('WIRE_INVALID_TARGET', 'Invalid request-target: forbidden character', i);
    if (i === targetStart) this.fail('WIRE_INVALID_TARGET', 'Invalid request-target: empty', i);
    const targetEnd = i;
    const versionMinor = this.version(buf, i + 1, end, partial);
    if (versionMinor === -1 || partial) return;
    const method = methodString(buf, start, methodEnd);
    const target = targetEnd - targetStart === 1 && buf[targetStart] === 0x2f ? '/' : latin1(buf, targetStart, targetEnd);
    this.#checkTargetForm(method, target, targetStart);
    this.#method = method;
    this.#target = target;
    this.#versionMinor = versionMinor;
  }

  #checkTargetForm(method: string, target: string, at: number): void {
    const fail = (message: string): never => this.fail('WIRE_INVALID_TARGET', message, at);
    if (method === 'CONNECT') {
      // authority-form: uri-host ":" port (RFC 9112 §3.2.3)
      const colon = target.lastIndexOf(':');
      if (colon <= 0 || colon === target.length - 1 || !isHost(target) || !/^[0-9]+$/.test(target.slice(colon + 1))) {
        fail(`Invalid request-target "${target}": CONNECT needs host:port`);
      }
      return;
    }
    if (target.charCodeAt(0) === 0x2f) return; // origin-form
    if (target === '*') {
      if (method !== 'OPTIONS') fail('Invalid request-target "*": only OPTIONS may use asterisk-form');
      return;
    }
    // absolute-form (RFC 9112 §3.2.2) names an http or https URI, whose authority must have a
    // host (RFC 9110 §4.2.1, §4.2.2) and no userinfo (§4.2.4); any other scheme is not ours.
    const slashes = /^https?:\/\//i.test(target) ? target.indexOf('//') + 2 : -1;
    if (slashes === -1) fail(`Invalid request-target "${target.slice(0, 64)}": absolute-form needs an http or https URI`);
    let end = slashes;
    while (end < target.length && target.charCodeAt(end) !== 0x2f && target.charCodeAt(end) !== 0x3f) end++;
    const authority = target.slice(slashes, end);
    if (authority === '' || authority.charCodeAt(0) === 0x3a || !isHost(authority)) {
      fail(`Invalid request-target "${target.slice(0, 64)}": no valid host in the URI`);
    }
  }

  protected buildHead(): RequestHead {
    const versionMinor = this.#versionMinor;
    const facts = this.facts;
    if (facts.hostCount > 1) this.headFail('WIRE_DUPLICATE_HOST', 'Invalid request: more than one Host field');
    // RFC 9112 §3.2: a server MUST respond 400 to an HTTP/1.1 request that lacks Host.
    if (facts.hostCount === 0 && versionMinor === 1) this.headFail('WIRE_MISSING_HOST', 'Invalid request: missing Host field');
    if (!facts.isHostValid) this.headFail('WIRE_INVALID_HOST', 'Invalid Host: not a host[:port]');
    const framing = requestFraming(facts, this.#method, versionMinor, this.headFailFn);
    return {
      method: this.#method,
      target: this.#target,
      versionMinor,
      headers: this.takeFields(),
      keepAlive: facts.keepAlive(versionMinor),
      framing,
      contentLength: framing === 'length' ? facts.contentLength : -1,
      isUpgrade: this.#method === 'CONNECT',
    };
  }
}
