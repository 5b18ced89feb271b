// `courier get --trace` over HTTP/2: every frame both ways, decoded, like `nghttp -v` — its type,
// stream, length and flags on one line, then what it carries (header list, settings, window
// increment, error code), indented.
import { Buffer } from 'node:buffer';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { H2ConnectionCallbacks } from '../h2/index.js';
import { FRAME_TYPE_NAMES, FrameType, errorCodeName, settingName, type Frame } from '../h2/index.js';
import { escapeLine } from './trace.js';

/** FrameObserver is the HTTP/2 connection's onFrame hook. */
export type FrameObserver = NonNullable<H2ConnectionCallbacks['onFrame']>;

const DETAIL = '      ';

/** formatFrame renders one frame: `> ` for sent, `< ` for received. */
export function formatFrame(direction: 'sent' | 'received', frame: Frame, headers: ReadonlyArray<readonly [string, string]> | null): string {
  const marker = direction === 'sent' ? '> ' : '< ';
  const name = FRAME_TYPE_NAMES[frame.type] ?? `UNKNOWN(0x${(frame.type as number).toString(16)})`;
  const flags = flagNames(frame);
  const lines = [`${name} frame <stream=${frame.streamId}, length=${frame.length}, flags=0x${frame.flags.toString(16).padStart(2, '0')}${flags === '' ? '' : ` ${flags}`}>`];
  for (const line of details(frame, headers)) lines.push(`${DETAIL}${line}`);
  return `${lines.map((line) => `${marker}${line}`).join('\n')}\n`;
}

/** frameTracer writes each frame to `write` (stderr for the CLI). */
export function frameTracer(write: (text: string) => void): FrameObserver {
  return (direction, frame, headers) => write(formatFrame(direction, frame, headers));
}

function flagNames(frame: Frame): string {
  const names: string[] = [];
  const f = frame.flags;
  switch (frame.type) {
    case FrameType.DATA:
      if (f & 0x1) names.push('END_STREAM');
      if (f & 0x8) names.push('PADDED');
      break;
    case FrameType.HEADERS:
      if (f & 0x1) names.push('END_STREAM');
      if (f & 0x4) names.push('END_HEADERS');
      if (f & 0x8) names.push('PADDED');
      if (f & 0x20) names.push('PRIORITY');
      break;
    case FrameType.SETTINGS:
    case FrameType.PING:
      if (f & 0x1) names.push('ACK');
      break;
    case FrameType.PUSH_PROMISE:
    case FrameType.CONTINUATION:
      if (f & 0x4) names.push('END_HEADERS');
      break;
  }
  return names.length === 0 ? '' : `(${names.join(' | ')})`;
}

function details(frame: Frame, headers: ReadonlyArray<readonly [string, string]> | null): string[] {
  switch (frame.type) {
    case FrameType.HEADERS:
      if (headers === null) return ['(header block that did not decode)'];
      return headers.map(([name, value]) => `${name}: ${value}`);
    case FrameType.DATA:
      return frame.padLength > 0 ? [`(${frame.data.length} octets of data, ${frame.padLength} of padding)`] : [];
    case FrameType.SETTINGS:
      if (frame.ack) return [];
      if (frame.settings.length === 0) return ['(no settings: all at their initial values)'];
      return frame.settings.map(([id, value]) => `${settingName(id)} = ${value}`);
    case FrameType.WINDOW_UPDATE:
      return [`window_size_increment=${frame.windowSizeIncrement}`];
    case FrameType.RST_STREAM:
      return [`error_code=${errorCodeName(frame.errorCode)}`];
    case FrameType.GOAWAY: {
      const lines = [`last_stream_id=${frame.lastStreamId}, error_code=${errorCodeName(frame.errorCode)}`];
      if (frame.debugData.length > 0) lines.push(`debug_data="${escapeLine(frame.debugData)}"`);
      return lines;
    }
    case FrameType.PING:
      return [`opaque_data=${Buffer.from(frame.data).toString('hex')}`];
    case FrameType.PRIORITY:
      return [`depends_on=${frame.priority.streamDependency}, weight=${frame.priority.weight}, exclusive=${frame.priority.isExclusive}`];
    case FrameType.PUSH_PROMISE:
      return [`promised_stream_id=${frame.promisedStreamId}`];
    default:
      return [];
  }
}

/**
 * speaksH2 tells whether a new connection will speak HTTP/2: ALPN chose h2, or a cleartext
 * socket when prior knowledge was asked. Its bytes are then traced as frames, not as text.
 */
export function speaksH2(socket: Socket, isPriorKnowledge: boolean): boolean {
  const alpn = (socket as Partial<TLSSocket>).alpnProtocol;
  return typeof alpn === 'string' ? alpn === 'h2' : isPriorKnowledge && (socket as Partial<TLSSocket>).encrypted !== true;
}
