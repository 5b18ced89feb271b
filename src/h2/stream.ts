// The stream life cycle of RFC 9113 §5.1, without the reserved states: courier never enables
// server push, so a PUSH_PROMISE is refused before any stream is reserved.
import { FlowWindow } from './flow-control.js';

/** StreamState is a state of RFC 9113 §5.1 (reserved states never occur here). */
export type StreamState = 'idle' | 'open' | 'half-closed (local)' | 'half-closed (remote)' | 'closed';

/** H2Stream is the bookkeeping of one stream: state, windows, header and body progress. */
export class H2Stream {
  readonly id: number;
  state: StreamState = 'idle';
  readonly sendWindow: FlowWindow;
  readonly receiveWindow: FlowWindow;
  /** unacknowledged counts received octets consumed but not yet returned by WINDOW_UPDATE. */
  unacknowledged = 0;
  /** receiveGrowth is how far the receive window has grown past the initial window (see window-growth.ts). */
  receiveGrowth = 0;
  /** hasReceivedHead is set once a request or final response head has arrived. */
  hasReceivedHead = false;
  /** expectedLength is the received Content-Length, or -1; receivedLength counts DATA octets (padding excluded). */
  expectedLength = -1;
  receivedLength = 0;
  /** isHeadResponse is set by a client for a response to HEAD, whose Content-Length describes no body (RFC 9110 §8.6). */
  isHeadResponse = false;

  constructor(id: number, sendWindow: number, receiveWindow: number) {
    this.id = id;
    this.sendWindow = new FlowWindow(sendWindow);
    this.receiveWindow = new FlowWindow(receiveWindow);
  }

  /** canReceive tells whether the peer may still send DATA or HEADERS (open or half-closed (local)). */
  get canReceive(): boolean {
    return this.state === 'open' || this.state === 'half-closed (local)';
  }

  /** canSend tells whether we may still send DATA or HEADERS (open or half-closed (remote)). */
  get canSend(): boolean {
    return this.state === 'open' || this.state === 'half-closed (remote)';
  }

  /** open moves an idle stream to open, or straight to half-closed when the opening HEADERS ended it. */
  open(isLocal: boolean, endStream: boolean): void {
    if (!endStream) this.state = 'open';
    else this.state = isLocal ? 'half-closed (local)' : 'half-closed (remote)';
  }

  /** endLocal records that we sent END_STREAM. */
  endLocal(): void {
    this.state = this.state === 'half-closed (remote)' ? 'closed' : 'half-closed (local)';
  }

  /** endRemote records that the peer sent END_STREAM. */
  endRemote(): void {
    this.state = this.state === 'half-closed (local)' ? 'closed' : 'half-closed (remote)';
  }
}
