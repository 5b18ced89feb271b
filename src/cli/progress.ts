// The download progress bar of `courier get -o`: drawn on stderr, only when it is a terminal.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** formatBytes renders a byte count with a binary unit: `512 B`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  let unit = 0;
  let value = n;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** formatDuration renders seconds as `m:ss` or `h:mm:ss`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * formatProgress renders one line: bytes received (of total when known), percentage and bar,
 * rate and ETA. total is -1 when the size is unknown.
 */
export function formatProgress(received: number, total: number, elapsedMs: number, width = 80): string {
  const rate = elapsedMs > 0 ? (received * 1000) / elapsedMs : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (total <= 0) return `${formatBytes(received)}  ${rateText}`;
  const fraction = Math.min(1, received / total);
  const eta = rate > 0 ? (total - received) / rate : Infinity;
  const left = `${formatBytes(received)} / ${formatBytes(total)} ${String(Math.floor(fraction * 100)).padStart(3)}% `;
  const right = ` ${rateText}  ETA ${formatDuration(eta)}`;
  const barWidth = Math.max(10, width - left.length - right.length - 2);
  const filled = Math.round(barWidth * fraction);
  return `${left}[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${right}`;
}

/** ProgressBar redraws a progress line on a terminal stream at most every 100 ms. */
export class ProgressBar {
  readonly #stream: NodeJS.WriteStream;
  readonly #total: number;
  readonly #start = Date.now();
  #received = 0;
  #last = 0;

  constructor(stream: NodeJS.WriteStream, total: number, alreadyHave = 0) {
    this.#stream = stream;
    this.#total = total;
    this.#received = alreadyHave;
  }

  /** add counts more bytes and redraws if enough time has passed. */
  add(n: number): void {
    this.#received += n;
    const now = Date.now();
    if (now - this.#last >= 100) {
      this.#last = now;
      this.#draw();
    }
  }

  #draw(): void {
    const line = formatProgress(this.#received, this.#total, Date.now() - this.#start, this.#stream.columns ?? 80);
    this.#stream.write(`\r${line}\x1b[K`);
  }

  /** done draws the final state and moves to the next line. */
  done(): void {
    this.#draw();
    this.#stream.write('\n');
  }
}
