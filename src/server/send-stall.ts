// A client that stops reading while a response waits to be written holds the response (and a
// stream or file behind it) forever. Both protocols' connections watch for it the same way: the
// periodic sweep asks whether the socket's write buffer has stayed full without a single drain for
// sendTimeout, and the connection then drops the socket.
import type { Socket } from 'node:net';

/** SendStall tells when a socket has needed a drain, with none coming, for too long. */
export class SendStall {
  #drains = 0;
  #seenDrains = -1;
  #since = 0;

  /** drained counts one 'drain' event of the socket. */
  drained(): void {
    this.#drains++;
  }

  /** isStalled is asked by the sweep at `now`: true once `socket` has waited for a drain for `limit` ms (0: never). */
  isStalled(socket: Socket, now: number, limit: number): boolean {
    if (limit === 0 || !socket.writableNeedDrain) {
      this.#seenDrains = -1;
      return false;
    }
    if (this.#seenDrains !== this.#drains) {
      this.#seenDrains = this.#drains;
      this.#since = now;
      return false;
    }
    return now - this.#since >= limit;
  }
}
