// Reused read buffers for big file bodies: a fresh 1 MiB allocation per block costs page faults
// and garbage collection on every block (nginx's sendfile has neither; a reused buffer is close).
import { Buffer } from 'node:buffer';

/** BLOCK_SIZE is the size of one pooled read buffer: 1 MiB, few reads and writes per download. */
export const BLOCK_SIZE = 1024 * 1024;

/** MAX_FREE_BYTES bounds the memory the free list keeps between downloads. */
const MAX_FREE_BYTES = 32 * BLOCK_SIZE;

/**
 * BlockPool hands out BLOCK_SIZE buffers and takes them back. A buffer must only be given back
 * once nothing refers to it any more: after the socket's write callback (the kernel, or TLS, has
 * copied it), never while it is queued on a socket. The free list is bounded in bytes; the
 * buffers in use are bounded by each sender's read-ahead.
 */
export class BlockPool {
  readonly #free: Buffer[] = [];
  readonly #maxFree: number;
  #allocated = 0;

  constructor(maxFreeBytes = MAX_FREE_BYTES) {
    this.#maxFree = Math.floor(maxFreeBytes / BLOCK_SIZE);
  }

  /** allocated counts the buffers this pool made (for tests: reuse keeps it low). */
  get allocated(): number {
    return this.#allocated;
  }

  /** freeBytes is how many bytes the free list holds now. */
  get freeBytes(): number {
    return this.#free.length * BLOCK_SIZE;
  }

  /** take returns a free buffer of BLOCK_SIZE bytes, or a new one. */
  take(): Buffer {
    const block = this.#free.pop();
    if (block !== undefined) return block;
    this.#allocated++;
    // Outside Node's small-buffer slab: each block is its own memory, freed or reused whole.
    return Buffer.allocUnsafeSlow(BLOCK_SIZE);
  }

  /** give returns a buffer that nothing refers to any more; beyond the bound it is left to GC. */
  give(block: Buffer): void {
    if (block.length === BLOCK_SIZE && this.#free.length < this.#maxFree) this.#free.push(block);
  }
}

/** fileBlocks is the pool every HTTP/1 file body in the process reads into. */
export const fileBlocks = new BlockPool();
