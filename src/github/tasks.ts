/**
 * Short background tasks of the webhook side (a command's reply, the merge queue's answer):
 * started after the webhook is answered, outside the scan queue, and awaited at shutdown.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();
  private waiters: (() => void)[] = [];

  constructor(private readonly onError: (error: unknown, key: string) => void) {}

  /** Runs `task` in the background; what it throws goes to `onError`. */
  track(key: string, task: () => Promise<void>): void {
    const promise: Promise<void> = Promise.resolve()
      .then(task)
      .catch((error: unknown) => {
        this.onError(error, key);
      })
      .finally(() => {
        this.running.delete(promise);
        if (this.running.size === 0) this.wake();
      });
    this.running.add(promise);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when no task is running. */
  idle(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
