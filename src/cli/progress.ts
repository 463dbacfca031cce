/**
 * A one-line progress counter on stderr for long scans: shown only on a terminal, only once a
 * scan has run for a second, redrawn at most ten times a second, and erased before anything
 * else is written to stderr and when the scan ends.
 */

export interface ProgressOptions {
  /** False when stderr is not a terminal or `--quiet` was given: nothing is ever drawn. */
  enabled: boolean;
  write: (chunk: string) => void;
  /** Milliseconds from some fixed point. */
  now: () => number;
  /** How long a scan runs before the counter appears (default 1 s). */
  delayMs?: number;
  /** The shortest time between two redraws (default 100 ms). */
  intervalMs?: number;
}

/** Carriage return and "erase to the end of the line". */
const ERASE_LINE = '\r\u001b[K';

export class Progress {
  readonly #options: ProgressOptions;
  #startedAt = 0;
  #total = 0;
  #lastDrawAt: number | undefined;
  #shown = false;

  constructor(options: ProgressOptions) {
    this.#options = options;
  }

  /** The scan of `total` files starts now. */
  start(total: number): void {
    this.#startedAt = this.#options.now();
    this.#total = total;
    this.#lastDrawAt = undefined;
  }

  /** `done` of the files are scanned. */
  update(done: number): void {
    if (!this.#options.enabled) return;
    const now = this.#options.now();
    if (now - this.#startedAt < (this.#options.delayMs ?? 1000)) return;
    if (
      this.#lastDrawAt !== undefined &&
      now - this.#lastDrawAt < (this.#options.intervalMs ?? 100)
    )
      return;
    this.#lastDrawAt = now;
    this.#shown = true;
    this.#options.write(`${ERASE_LINE}pyguard: scanned ${done} of ${this.#total} files`);
  }

  /** Erases the counter, if it is on the screen; the next update draws it again. */
  clear(): void {
    if (!this.#shown) return;
    this.#shown = false;
    this.#lastDrawAt = undefined;
    this.#options.write(ERASE_LINE);
  }
}
