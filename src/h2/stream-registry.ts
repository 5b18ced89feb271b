// The streams of one connection (RFC 9113 §5.1, §5.1.1): the open ones, a memory of recently
// closed ones and how they closed, the stream id counters of both sides, and what an unknown id
// means (idle above the last id used, closed below it).
import { H2Stream, type StreamState } from './stream.js';

/** ClosedHow says how a stream closed, which decides what late frames on it deserve (RFC 9113 §5.1 closed). */
export type ClosedHow = 'end' | 'reset-local' | 'reset-remote';

// How many closed streams are remembered; older ones answer as plainly closed.
const REMEMBERED_CLOSED = 256;

/** StreamRegistry keeps the streams of one connection as seen from one side. */
export class StreamRegistry {
  readonly #isClient: boolean;
  readonly #open = new Map<number, H2Stream>();
  // The remembered closed streams, a ring in the order they were first remembered: the oldest is
  // forgotten first. Writing one is the hot path (every stream); looking one up (a late frame on a
  // closed stream) scans the ring, which costs less than keeping a Map in step per stream.
  readonly #closedIds = new Int32Array(REMEMBERED_CLOSED); // 0: empty (stream 0 is never one)
  readonly #closedHows: ClosedHow[] = new Array<ClosedHow>(REMEMBERED_CLOSED).fill('end');
  #closedNext = 0;
  /** lastPeerStreamId is the highest stream id the peer used (RFC 9113 §5.1.1). */
  lastPeerStreamId = 0;
  /** lastProcessedStreamId is the highest peer stream handed to the application (GOAWAY, §6.8). */
  lastProcessedStreamId = 0;
  /** nextLocalStreamId is the id our next stream gets: odd for a client, even for a server. */
  nextLocalStreamId: number;
  /** localCount and peerCount count the open streams each side initiated (§5.1.2). */
  localCount = 0;
  peerCount = 0;

  constructor(isClient: boolean) {
    this.#isClient = isClient;
    this.nextLocalStreamId = isClient ? 1 : 2;
  }

  /** get returns an open stream (any state but idle and closed). */
  get(streamId: number): H2Stream | undefined {
    return this.#open.get(streamId);
  }

  /** isLocal tells whether we initiated (or would initiate) a stream id. */
  isLocal(streamId: number): boolean {
    return streamId % 2 === (this.#isClient ? 1 : 0);
  }

  /** state returns the §5.1 state of any stream id. */
  state(streamId: number): StreamState {
    const stream = this.#open.get(streamId);
    if (stream !== undefined) return stream.state;
    const next = this.isLocal(streamId) ? this.nextLocalStreamId : this.lastPeerStreamId + 1;
    return streamId < next ? 'closed' : 'idle';
  }

  /** closedHow says how a remembered closed stream closed. */
  closedHow(streamId: number): ClosedHow | undefined {
    // An id above the last one used is idle, and idle ids are never remembered: no lookup for a new stream.
    const next = this.isLocal(streamId) ? this.nextLocalStreamId : this.lastPeerStreamId + 1;
    if (streamId >= next || streamId === 0) return undefined;
    const at = this.#closedIds.indexOf(streamId);
    return at === -1 ? undefined : this.#closedHows[at];
  }

  /** add registers a stream that just left idle. */
  add(stream: H2Stream): void {
    this.#open.set(stream.id, stream);
    if (this.isLocal(stream.id)) this.localCount++;
    else this.peerCount++;
  }

  /** close moves a stream to closed and remembers how. */
  close(stream: H2Stream, how: ClosedHow): void {
    stream.state = 'closed';
    if (!this.#open.delete(stream.id)) return;
    if (this.isLocal(stream.id)) this.localCount--;
    else this.peerCount--;
    this.#store(stream.id, how); // an id that was open was never remembered before
  }

  /** remember records how a stream id closed, including ids that were refused before opening. */
  remember(streamId: number, how: ClosedHow): void {
    const at = streamId === 0 ? -1 : this.#closedIds.indexOf(streamId);
    if (at !== -1) this.#closedHows[at] = how; // known already: it keeps its place
    else this.#store(streamId, how);
  }

  #store(streamId: number, how: ClosedHow): void {
    const at = this.#closedNext;
    this.#closedIds[at] = streamId;
    this.#closedHows[at] = how;
    this.#closedNext = at + 1 === REMEMBERED_CLOSED ? 0 : at + 1;
  }

  /** streams lists the open streams. */
  streams(): H2Stream[] {
    return [...this.#open.values()];
  }
}
