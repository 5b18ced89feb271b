// RFC 9113 conformance, HTTP messages (§8.1–§8.3, §8.5): malformed requests sent over a real
// socket to a courier server. A malformed request is a stream error PROTOCOL_ERROR (§8.1.1): the
// stream is reset, the handler never runs, and the connection goes on serving. Header blocks are
// encoded by hand (literals, no indexing) so that names and values an encoder would refuse or fix
// reach the server as written. The table in docs/h2-conformance.md lists each case by name.
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { after, before } from 'node:test';
import { Flags, FrameType, serializeRawFrame, type FrameInit } from '../../src/h2/index.js';
import type { RawH2 } from '../server/h2-raw.js';
import { conformanceServer, literal, request, statusOf, suite, type Case, type Target } from './conformance-peer.js';

const T = FrameType;
const raw = serializeRawFrame;

let target: Target & { close(): Promise<void> };
before(async () => {
  target = await conformanceServer();
});
after(async () => {
  await target.close();
});

type Fields = [string, string][];

/** requestOn sends `fields` as the whole request on stream 1 (HEADERS with END_STREAM). */
function requestOn(fields: Fields): (c: RawH2) => (FrameInit | Uint8Array)[] {
  return () => [raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, literal(fields))];
}

/** malformed is a case whose request on stream 1 must be reset with PROTOCOL_ERROR, the connection kept. */
function malformed(section: string, name: string, fields: Fields): Case {
  return { section, name, send: requestOn(fields), expect: { reset: 1, code: 'PROTOCOL_ERROR', next: 3 } };
}

/** accepted is a case whose request on stream 1 must be served with 200. */
function accepted(section: string, name: string, fields: Fields): Case {
  return { section, name, send: requestOn(fields), expect: { ignored: true, next: 3 }, verify: (c) => assert.equal(statusOf(c, 1), '200') };
}

/** post sends a POST /echo head on stream 1 with `extra` fields, then `frames`. */
function post(extra: Fields, ...frames: Buffer[]): (c: RawH2) => (FrameInit | Uint8Array)[] {
  return () => [raw(T.HEADERS, Flags.END_HEADERS, 1, literal([...request('/echo', 'POST'), ...extra])), ...frames];
}

const data = (text: string, endStream: boolean): Buffer => raw(T.DATA, endStream ? Flags.END_STREAM : 0, 1, Buffer.from(text));
const trailers = (fields: Fields): Buffer => raw(T.HEADERS, Flags.END_HEADERS | Flags.END_STREAM, 1, literal(fields));
const RESET = { reset: 1, code: 'PROTOCOL_ERROR', next: 3 } as const;
const GET = request();

const CASES: Case[] = [
  // §8.1 HTTP message framing
  {
    section: '§8.1',
    name: 'a second HEADERS without END_STREAM (neither trailers nor a body) is malformed',
    send: () => [raw(T.HEADERS, Flags.END_HEADERS, 1, literal(request('/hold', 'POST'))), raw(T.HEADERS, Flags.END_HEADERS, 1, literal([['x-more', '1']]))],
    expect: RESET,
  },
  {
    section: '§8.1',
    name: 'trailers carrying a pseudo-header are malformed',
    send: post([], data('ab', false), trailers([[':path', '/x']])),
    expect: RESET,
  },
  {
    section: '§8.1',
    name: 'trailers after the body are accepted',
    send: post([], data('ab', false), trailers([['x-checksum', '1']])),
    expect: { ignored: true, next: 3 },
    verify: (c) => assert.equal(statusOf(c, 1), '200'),
  },
  {
    section: '§8.1',
    name: 'a complete response before the whole request ends the stream with RST_STREAM NO_ERROR, and the rest of the body is dropped',
    setup: async (c) => {
      c.write(raw(T.HEADERS, Flags.END_HEADERS, 1, literal(request('/', 'POST'))));
      await c.until((frames) => frames.some((f) => f.type === T.RST_STREAM && f.streamId === 1));
    },
    send: () => [data('more', false), data('end', true)],
    expect: { reset: 1, code: 'NO_ERROR', next: 3 },
    verify: (c) => assert.equal(statusOf(c, 1), '200'),
  },
  // §8.1.1 Malformed messages: content-length against the DATA frames
  {
    section: '§8.1.1',
    name: 'DATA longer than content-length is malformed',
    send: post([['content-length', '2']], data('abc', true)),
    expect: RESET,
  },
  {
    section: '§8.1.1',
    name: 'END_STREAM before content-length octets arrived is malformed',
    send: post([['content-length', '5']], data('abc', true)),
    expect: RESET,
  },
  {
    section: '§8.1.1',
    name: 'trailers before content-length octets arrived are malformed',
    send: post([['content-length', '5']], data('abc', false), trailers([['x-checksum', '1']])),
    expect: RESET,
  },
  malformed('§8.1.1', 'HEADERS with END_STREAM and a content-length above 0 is malformed', [...request('/echo', 'POST'), ['content-length', '3']]),
  {
    section: '§8.1.1',
    name: 'DATA matching content-length is accepted',
    send: post([['content-length', '3']], data('a', false), data('bc', true)),
    expect: { ignored: true, next: 3 },
    verify: (c) => assert.equal(statusOf(c, 1), '200'),
  },
  malformed('§8.1.1', 'a content-length that is not a number is malformed', [...request('/echo', 'POST'), ['content-length', '3x']]),
  malformed('§8.1.1', 'two different content-length values are malformed', [...request('/echo', 'POST'), ['content-length', '3'], ['content-length', '4']]),
  // §8.2.1 Field validity
  malformed('§8.2.1', 'a field name with uppercase is malformed', [...GET, ['X-Upper', '1']]),
  malformed('§8.2.1', 'a field name with a space is malformed', [...GET, ['x upper', '1']]),
  malformed('§8.2.1', 'a field name with a colon after its first octet is malformed', [...GET, ['x:colon', '1']]),
  malformed('§8.2.1', 'an empty field name is malformed', [...GET, ['', '1']]),
  malformed('§8.2.1', 'a field value with NUL is malformed', [...GET, ['x-value', 'a\u0000b']]),
  malformed('§8.2.1', 'a field value with CR is malformed', [...GET, ['x-value', 'a\rb']]),
  malformed('§8.2.1', 'a field value with LF is malformed', [...GET, ['x-value', 'a\nb']]),
  malformed('§8.2.1', 'a field value starting with a space is malformed', [...GET, ['x-value', ' a']]),
  malformed('§8.2.1', 'a field value ending with a tab is malformed', [...GET, ['x-value', 'a\t']]),
  malformed('§8.2.1', 'a pseudo-header value with LF is malformed', [[':method', 'GET'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '/a\nb']]),
  accepted('§8.2.1', 'a field value with octets above 0x7f (obs-text) is accepted', [...GET, ['x-value', 'caf\u00e9']]),
  accepted('§8.2.1', 'a field value with inner spaces and tabs is accepted', [...GET, ['x-value', 'a b\tc']]),
  // §8.2.2 Connection-specific header fields
  malformed('§8.2.2', 'connection is malformed', [...GET, ['connection', 'keep-alive']]),
  malformed('§8.2.2', 'keep-alive is malformed', [...GET, ['keep-alive', 'timeout=5']]),
  malformed('§8.2.2', 'proxy-connection is malformed', [...GET, ['proxy-connection', 'keep-alive']]),
  malformed('§8.2.2', 'transfer-encoding is malformed', [...request('/echo', 'POST'), ['transfer-encoding', 'chunked']]),
  malformed('§8.2.2', 'upgrade is malformed', [...GET, ['upgrade', 'h2c']]),
  malformed('§8.2.2', 'te other than "trailers" is malformed', [...GET, ['te', 'gzip']]),
  accepted('§8.2.2', 'te: trailers is accepted', [...GET, ['te', 'trailers']]),
  // §8.3 HTTP control data (pseudo-header fields)
  malformed('§8.3', 'a pseudo-header after a regular field is malformed', [[':method', 'GET'], [':scheme', 'http'], ['x-early', '1'], [':path', '/']]),
  malformed('§8.3', 'an unknown pseudo-header is malformed', [...GET, [':foo', 'bar']]),
  malformed('§8.3', 'the response pseudo-header :status in a request is malformed', [[':status', '200'], ...GET]),
  malformed('§8.3', 'a repeated :path is malformed', [...GET, [':path', '/again']]),
  malformed('§8.3', 'a repeated :method is malformed', [[':method', 'GET'], ...GET]),
  // §8.3.1 Request pseudo-header fields
  malformed('§8.3.1', 'a request without :method is malformed', [[':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '/']]),
  malformed('§8.3.1', 'a request without :scheme is malformed', [[':method', 'GET'], [':authority', '127.0.0.1'], [':path', '/']]),
  malformed('§8.3.1', 'a request without :path is malformed', [[':method', 'GET'], [':scheme', 'http'], [':authority', '127.0.0.1']]),
  malformed('§8.3.1', 'an empty :path is malformed', [[':method', 'GET'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '']]),
  malformed('§8.3.1', 'a :path that is neither "/..." nor "*" is malformed', [[':method', 'GET'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', 'index.html']]),
  accepted('§8.3.1', 'OPTIONS with :path "*" is accepted', [[':method', 'OPTIONS'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '*']]),
  accepted('§8.3.1', 'a request without :authority is accepted', [[':method', 'GET'], [':scheme', 'http'], [':path', '/']]),
  accepted('§8.3.1', 'a host field equal to :authority but for case is accepted', [[':method', 'GET'], [':scheme', 'http'], [':authority', 'localhost'], [':path', '/'], ['host', 'LocalHost']]),
  malformed('§8.3.1', 'a host field that differs from :authority is malformed', [...GET, ['host', 'example.com']]),
  // §8.5 The CONNECT method; RFC 8441 §4 extended CONNECT
  malformed('§8.5', 'CONNECT with :scheme and :path is malformed', [[':method', 'CONNECT'], [':scheme', 'http'], [':authority', '127.0.0.1:1'], [':path', '/']]),
  malformed('§8.5', 'CONNECT without :authority is malformed', [[':method', 'CONNECT']]),
  malformed('RFC 8441 §4', ':protocol without SETTINGS_ENABLE_CONNECT_PROTOCOL is malformed', [[':method', 'CONNECT'], [':protocol', 'websocket'], [':scheme', 'http'], [':authority', '127.0.0.1'], [':path', '/']]),
];

suite(CASES, () => target);
