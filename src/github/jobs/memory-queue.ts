/**
 * The in-process queue (no Redis): one job per pull request at a time, bounded concurrency,
 * retries with backoff, a deadline per attempt. Nothing survives the process: on shutdown the
 * jobs that did not finish are abandoned as cancelled, so their check runs are completed with a
 * way to rescan instead of being left pending.
 */
import {
  DEFAULT_RETRY_POLICY,
  jobIdOf,
  retryDelayMs,
  type AbandonReason,
  type EnqueueOutcome,
  type QueueStats,
  type ReadinessCheck,
  type RetryPolicy,
  type ScanQueue,
  type WorkerHooks,
} from './queue.js';
import {
  DeadlineError,
  ShutdownError,
  SupersededError,
  type JobRun,
  type ScanJob,
} from './types.js';

interface Entry {
  job: ScanJob;
  id: string;
  /** Resolves once the job's `queued` check run exists (or could not be created). */
  accepted: Promise<void>;
  checkRunId: number | undefined;
  attempt: number;
  /** Not before this time (a retry's backoff). */
  notBefore: number;
  enqueuedAt: number;
}

interface Running {
  entry: Entry;
  controller: AbortController;
  done: Promise<void>;
}

export interface MemoryQueueOptions {
  /** Jobs running at once across all pull requests (at least 1). */
  concurrency: number;
  retry?: Partial<RetryPolicy>;
  now?: () => number;
}

export class MemoryQueue implements ScanQueue {
  readonly backend = 'memory';
  readonly concurrency: number;
  private readonly policy: RetryPolicy;
  private readonly now: () => number;
  /** Jobs not running, in arrival order (a key keeps its place when its job is replaced). */
  private readonly waiting = new Map<string, Entry>();
  private readonly running = new Map<string, Running>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private wake: { due: number; timer: NodeJS.Timeout } | undefined;
  private readonly tasks = new Set<Promise<void>>();
  private hooks: WorkerHooks | undefined;
  private closing = false;
  private failed = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: MemoryQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.now = options.now ?? Date.now;
  }

  startWorker(hooks: WorkerHooks): void {
    this.hooks = hooks;
    this.pump();
  }

  enqueue(job: ScanJob): Promise<EnqueueOutcome> {
    return Promise.resolve(this.offer(job));
  }

  private offer(job: ScanJob): EnqueueOutcome {
    const hooks = this.requireHooks();
    if (this.closing) {
      this.track(hooks.onAbandoned(job, undefined, { kind: 'cancelled' }));
      return 'queued';
    }
    const active = this.running.get(job.key);
    const queued = this.waiting.get(job.key);
    if (
      active?.entry.job.deliveryId === job.deliveryId ||
      queued?.job.deliveryId === job.deliveryId
    ) {
      return 'duplicate';
    }
    const entry = this.accept(job, hooks);
    if (!job.supersedes && queued?.job.supersedes === true && queued.job.headSha !== job.headSha) {
      // A push of another head is already waiting: it is the newest head we know of.
      this.abandonAfterAccept(entry, { kind: 'superseded', newerSha: queued.job.headSha });
      return 'queued';
    }
    if (job.supersedes && active !== undefined && active.entry.job.headSha !== job.headSha) {
      active.controller.abort(new SupersededError(job.headSha));
    }
    if (queued !== undefined) {
      this.abandonAfterAccept(queued, { kind: 'superseded', newerSha: job.headSha });
    }
    // Map.set on an existing key keeps its place in line: the pull request is not sent back.
    this.waiting.set(job.key, entry);
    this.pump();
    return 'queued';
  }

  private accept(job: ScanJob, hooks: WorkerHooks): Entry {
    const entry: Entry = {
      job,
      id: jobIdOf(job),
      accepted: Promise.resolve(),
      checkRunId: undefined,
      attempt: 1,
      notBefore: 0,
      enqueuedAt: this.now(),
    };
    entry.accepted = hooks.accept(job).then(
      (id) => {
        entry.checkRunId ??= id;
      },
      (error: unknown) => {
        hooks.onError?.(error, 'accept');
      },
    );
    this.track(entry.accepted);
    return entry;
  }

  private abandonAfterAccept(entry: Entry, reason: AbandonReason): void {
    const hooks = this.requireHooks();
    this.track(entry.accepted.then(() => hooks.onAbandoned(entry.job, entry.checkRunId, reason)));
  }

  stats(): Promise<QueueStats> {
    const now = this.now();
    let waiting = 0;
    let delayed = 0;
    let oldest = 0;
    for (const entry of this.waiting.values()) {
      if (entry.notBefore > now || this.running.has(entry.job.key)) delayed++;
      else waiting++;
      oldest = Math.max(oldest, now - entry.enqueuedAt);
    }
    return Promise.resolve({
      waiting,
      active: this.running.size,
      delayed,
      failed: this.failed,
      oldestWaitingMs: oldest,
    });
  }

  readiness(): Promise<ReadinessCheck[]> {
    return Promise.resolve([
      { name: 'queue', ok: !this.closing, ...(this.closing ? { detail: 'shutting down' } : {}) },
    ]);
  }

  /** Resolves when nothing waits, runs or is being accepted or abandoned (tests, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Jobs waiting and running, and background tasks (acceptance, abandonment). */
  get size(): { pending: number; running: number; tasks: number } {
    return { pending: this.waiting.size, running: this.running.size, tasks: this.tasks.size };
  }

  async close(deadlineMs: number): Promise<void> {
    if (this.closing) return this.idle();
    this.closing = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.wake = undefined;
    const hooks = this.hooks;
    const waiting = [...this.waiting.values()];
    this.waiting.clear();
    for (const entry of waiting) {
      if (hooks !== undefined) this.abandonAfterAccept(entry, { kind: 'cancelled' });
    }
    const finished = Promise.all([...this.running.values()].map((run) => run.done));
    const timeout = new Promise<'timeout'>((resolve) => {
      const timer = setTimeout(() => {
        resolve('timeout');
      }, deadlineMs);
      timer.unref();
    });
    if ((await Promise.race([finished, timeout])) === 'timeout') {
      for (const run of this.running.values()) run.controller.abort(new ShutdownError());
    }
    await this.idle();
  }

  private requireHooks(): WorkerHooks {
    if (this.hooks === undefined)
      throw new Error('the queue has no worker: call startWorker first');
    return this.hooks;
  }

  private track(promise: Promise<unknown>): void {
    const task = promise
      .catch((error: unknown) => this.hooks?.onError?.(error, 'background task'))
      .then(() => undefined)
      .finally(() => {
        this.tasks.delete(task);
        this.settle();
      });
    this.tasks.add(task);
  }

  private pump(): void {
    if (this.hooks === undefined || this.closing) return;
    const now = this.now();
    let nextDue = Infinity;
    for (const [key, entry] of this.waiting) {
      if (this.running.size >= this.concurrency) return;
      if (this.running.has(key)) continue;
      if (entry.notBefore > now) {
        nextDue = Math.min(nextDue, entry.notBefore);
        continue;
      }
      this.waiting.delete(key);
      this.start(entry, this.hooks);
    }
    if (nextDue !== Infinity) this.wakeAt(nextDue);
  }

  /**
   * Pumps again once a backoff ends. Timers may fire a little before the wall clock says the
   * backoff is over, so each wake-up re-arms for whatever is still not due.
   */
  private wakeAt(due: number): void {
    if (this.wake !== undefined && this.wake.due <= due) return;
    if (this.wake !== undefined) {
      clearTimeout(this.wake.timer);
      this.timers.delete(this.wake.timer);
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.wake = undefined;
        this.pump();
      },
      Math.max(1, due - this.now()),
    );
    this.timers.add(timer);
    this.wake = { due, timer };
  }

  private start(entry: Entry, hooks: WorkerHooks): void {
    const controller = new AbortController();
    const deadline = setTimeout(() => {
      controller.abort(new DeadlineError(this.policy.deadlineMs));
    }, this.policy.deadlineMs);
    deadline.unref();
    const done = entry.accepted
      .then(() => hooks.process(entry.job, this.runFor(entry, controller.signal)))
      .then(
        () => undefined,
        (error: unknown) => {
          this.afterFailure(entry, error, controller.signal, hooks);
        },
      )
      .finally(() => {
        clearTimeout(deadline);
        this.running.delete(entry.job.key);
        this.pump();
        this.settle();
      });
    this.running.set(entry.job.key, { entry, controller, done });
  }

  private runFor(entry: Entry, signal: AbortSignal): JobRun {
    return {
      signal,
      attempt: entry.attempt,
      finalAttempt: entry.attempt >= this.policy.attempts || this.closing,
      checkRunId: entry.checkRunId,
      rememberCheckRun: (checkRunId) => {
        entry.checkRunId = checkRunId;
        return Promise.resolve();
      },
    };
  }

  /** A failed attempt: retried after a backoff while attempts are left, else abandoned. */
  private afterFailure(
    entry: Entry,
    error: unknown,
    signal: AbortSignal,
    hooks: WorkerHooks,
  ): void {
    const reason: unknown = signal.aborted ? signal.reason : undefined;
    if (reason instanceof SupersededError || error instanceof SupersededError) return;
    const newer = this.waiting.get(entry.job.key);
    const replaced =
      newer !== undefined && newer.job.supersedes && newer.job.headSha !== entry.job.headSha;
    if (entry.attempt >= this.policy.attempts || this.closing || replaced) {
      this.failed++;
      const abandon: AbandonReason = replaced
        ? { kind: 'superseded', newerSha: newer.job.headSha }
        : this.closing
          ? { kind: 'cancelled' }
          : { kind: 'exhausted', error };
      this.track(hooks.onAbandoned(entry.job, entry.checkRunId, abandon));
      return;
    }
    const delay = retryDelayMs(this.policy, entry.attempt, error);
    hooks.onRetry?.(entry.job, entry.attempt, delay, error);
    const retry: Entry = { ...entry, attempt: entry.attempt + 1, notBefore: this.now() + delay };
    if (newer === undefined) this.waiting.set(entry.job.key, retry);
    else this.track(hooks.onAbandoned(entry.job, entry.checkRunId, { kind: 'cancelled' }));
    this.wakeAt(retry.notBefore);
  }

  private isIdle(): boolean {
    return this.waiting.size === 0 && this.running.size === 0 && this.tasks.size === 0;
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
