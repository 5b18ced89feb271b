// A connection under test with a scripted peer: frames go in as bytes, what the connection sends
// is parsed back into frames, and every callback is logged as one line.
import { Buffer } from 'node:buffer';
import {
  CONNECTION_PREFACE,
  FrameParser,
  FrameType,
  H2Connection,
  HpackDecoder,
  HpackEncoder,
  errorCodeName,
  serializeFrame,
  type Frame,
  type FrameInit,
  type H2ConnectionOptions,
  type HeaderFieldInit,
} from '../../src/h2/index.js';

/** Scripted is a connection plus what it sent and what it reported. */
export interface Scripted {
  connection: H2Connection;
  /** sent lists the frames the connection wrote, in order. */
  sent: Frame[];
  /** events lists callbacks as lines: "request 1 GET / end", "data 1 hello", "reset 3 REFUSED_STREAM H2_TOO_MANY_STREAMS", "goaway-sent H2_...". */
  events: string[];
  /** send feeds frames as the peer would write them. */
  send(...frames: FrameInit[]): void;
  /** sendInReads feeds frames in reads of `size` octets, as a socket may deliver them (DATA then arrives in pieces). */
  sendInReads(size: number, ...frames: FrameInit[]): void;
  /** headers builds a HEADERS frame with the peer's HPACK encoder. */
  headers(streamId: number, fields: HeaderFieldInit[], endStream: boolean): FrameInit;
  /** data builds a DATA frame. */
  data(streamId: number, text: string | Buffer, endStream: boolean): FrameInit;
  /** decoder decodes the header blocks the connection sent. */
  decoder: HpackDecoder;
  /** lastGoaway returns the last GOAWAY sent as "lastStreamId ERROR_NAME", or null. */
  lastGoaway(): string | null;
  /** resets lists the RST_STREAM frames sent as "streamId ERROR_NAME". */
  resets(): string[];
}

export const GET: [string, string][] = [[':method', 'GET'], [':scheme', 'https'], [':authority', 'a.example'], [':path', '/']];
export const POST: [string, string][] = [[':method', 'POST'], [':scheme', 'https'], [':authority', 'a.example'], [':path', '/up']];

/** scripted makes a connection of `role`, started, with the peer's preface and SETTINGS already fed unless `handshake` is false. */
export function scripted(options: H2ConnectionOptions, handshake = true): Scripted {
  const sent: Frame[] = [];
  const events: string[] = [];
  const parser = new FrameParser({ onFrame: (frame) => sent.push(frame) }, { maxFrameSize: 16777215, expectPreface: options.role === 'client' });
  const connection = new H2Connection(
    {
      onSend: (bytes) => parser.execute(bytes),
      onRequest: (id, head, end) => events.push(`request ${id} ${head.method} ${head.path}${end ? ' end' : ''}`),
      onResponse: (id, head, end) => events.push(`response ${id} ${head.status}${end ? ' end' : ''}`),
      onTrailers: (id, fields) => events.push(`trailers ${id} ${fields.map(([n, v]) => `${n}=${v}`).join(',')}`),
      onData: (id, data, end) => events.push(`data ${id} ${Buffer.from(data).toString('latin1').slice(0, 20)}${end ? ' end' : ''}`),
      onStreamReset: (id, code, error) => events.push(`reset ${id} ${errorCodeName(code)} ${error?.reason ?? 'by-peer'}`),
      onWindowOpen: (id) => events.push(`window ${id}`),
      onPingAck: (data) => events.push(`ping-ack ${Buffer.from(data).toString('hex')}`),
      onGoaway: (last, code) => events.push(`goaway-received ${last} ${errorCodeName(code)}`),
      onConnectionError: (error) => events.push(`goaway-sent ${error.reason}`),
    },
    options,
  );
  connection.start();
  const encoder = new HpackEncoder();
  const send = (...frames: FrameInit[]): void => {
    connection.receive(Buffer.concat(frames.map((frame) => serializeFrame(frame, 16777215))));
  };
  const sendInReads = (size: number, ...frames: FrameInit[]): void => {
    const bytes = Buffer.concat(frames.map((frame) => serializeFrame(frame, 16777215)));
    for (let at = 0; at < bytes.length; at += size) connection.receive(bytes.subarray(at, at + size));
  };
  if (handshake) {
    if (options.role === 'server') connection.receive(CONNECTION_PREFACE);
    send({ type: FrameType.SETTINGS, streamId: 0, ack: false, settings: [] }, { type: FrameType.SETTINGS, streamId: 0, ack: true, settings: [] });
  }
  return {
    connection,
    sent,
    events,
    send,
    sendInReads,
    decoder: new HpackDecoder(),
    headers: (streamId, fields, endStream) => ({ type: FrameType.HEADERS, streamId, headerBlock: encoder.encode(fields), endStream, priority: null }),
    data: (streamId, text, endStream) => ({ type: FrameType.DATA, streamId, data: Buffer.from(text), endStream }),
    lastGoaway: () => {
      const goaways = sent.filter((f) => f.type === FrameType.GOAWAY);
      const last = goaways[goaways.length - 1];
      return last === undefined ? null : `${last.lastStreamId} ${errorCodeName(last.errorCode)}`;
    },
    resets: () => sent.flatMap((f) => (f.type === FrameType.RST_STREAM ? [`${f.streamId} ${errorCodeName(f.errorCode)}`] : [])),
  };
}
