/**
 * Background work for the App. Webhook handlers enqueue and return at once (GitHub gives up
 * after 10 s); scans run here, one per pull request at a time, with bounded concurrency.
 *
 * A newer head SHA supersedes older work for the same pull request: a queued job is dropped
 * (it has not touched GitHub yet) and a running one is told through its `AbortSignal`, so it
 * can complete its check run as superseded. Each job runs once: its {@link JobRun} is the first
 * and final attempt. Jobs never throw out of the queue.
 */
import type { JobRun } from './jobs/types.js';

/** Why a running job was aborted. */
export class SupersededError extends Error {
  override readonly name = 'SupersededError';
  /** The head SHA that replaced the job's. */
  readonly newerSha: string;

  constructor(newerSha: string) {
    super(`superseded by ${newerSha}`);
    this.newerSha = newerSha;
  }
}

export interface QueueJob {
  /** One job per key runs at a time; for scans `owner/repo#number`. */
  key: string;
  headSha: string;
  /** The webhook delivery that asked for the job; a redelivery of a waiting job is ignored. */
  deliveryId: string;
  /**
   * True when `headSha` is known to be the pull request's newest head (a push event): the job
   * then supersedes older work of its key. A re-run or command is not: it waits its turn and
   * never displaces a queued job for a different SHA.
   */
  supersedes: boolean;
  /** The work. `run.signal` aborts with a {@link SupersededError} when a newer head SHA arrives. */
  run: (run: JobRun) => Promise<void>;
  /** Called instead of `run` when the job is dropped before it started. */
  onDropped?: (newerSha: string) => void;
}

export type EnqueueOutcome =
  'queued' | 'replaced-queued' | 'superseded-running' | 'duplicate' | 'dropped-stale';

export interface QueueOptions {
  /** Jobs running at once across all pull requests (at least 1). */
  concurrency: number;
  /** Called when a job or task throws (they should not; this is the last line of defence). */
  onError?: (error: unknown, key: string) => void;
}

interface Running {
  job: QueueJob;
  controller: AbortController;
}

export class JobQueue {
  readonly concurrency: number;
  private readonly pending = new Map<string, QueueJob>();
  private readonly running = new Map<string, Running>();
  private readonly tasks = new Set<Promise<void>>();
  private idleWaiters: (() => void)[] = [];
  private readonly onError: (error: unknown, key: string) => void;

  constructor(options: QueueOptions) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency));
    this.onError = options.onError ?? (() => undefined);
  }

  /** Schedules a job; see {@link EnqueueOutcome} for what happened to older work of its key. */
  enqueue(job: QueueJob): EnqueueOutcome {
    const active = this.running.get(job.key);
    const waiting = this.pending.get(job.key);
    if (active?.job.deliveryId === job.deliveryId || waiting?.deliveryId === job.deliveryId) {
      return 'duplicate';
    }
    if (!job.supersedes && waiting?.supersedes === true && waiting.headSha !== job.headSha) {
      // A push for another SHA is already waiting and is the newest head we know of.
      job.onDropped?.(waiting.headSha);
      return 'dropped-stale';
    }
    let outcome: EnqueueOutcome = 'queued';
    if (job.supersedes && active !== undefined && active.job.headSha !== job.headSha) {
      active.controller.abort(new SupersededError(job.headSha));
      outcome = 'superseded-running';
    }
    if (waiting !== undefined) {
      waiting.onDropped?.(job.headSha);
      if (outcome === 'queued') outcome = 'replaced-queued';
    }
    // Map.set on an existing key keeps its place in line: the pull request is not sent back.
    this.pending.set(job.key, job);
    this.pump();
    return outcome;
  }

  /**
   * Runs a short task (a command reply, a merge-queue answer) in the background, outside the
   * per-pull-request limit. Its errors go to `onError`; {@link idle} waits for it.
   */
  track(key: string, task: () => Promise<void>): void {
    const promise = Promise.resolve()
      .then(task)
      .catch((error: unknown) => {
        this.onError(error, key);
      })
      .finally(() => {
        this.tasks.delete(promise);
        this.settle();
      });
    this.tasks.add(promise);
  }

  /** Jobs waiting and running. */
  get size(): { pending: number; running: number; tasks: number } {
    return { pending: this.pending.size, running: this.running.size, tasks: this.tasks.size };
  }

  /** Resolves when no job is waiting or running and no task is left (for tests and shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
    });
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.running.size === 0 && this.tasks.size === 0;
  }

  private pump(): void {
    for (const [key, job] of this.pending) {
      if (this.running.size >= this.concurrency) return;
      if (this.running.has(key)) continue;
      this.pending.delete(key);
      this.start(job);
    }
  }

  private start(job: QueueJob): void {
    const controller = new AbortController();
    this.running.set(job.key, { job, controller });
    void Promise.resolve()
      .then(() => job.run(singleAttempt(controller.signal)))
      .catch((error: unknown) => {
        this.onError(error, job.key);
      })
      .finally(() => {
        this.running.delete(job.key);
        this.pump();
        this.settle();
      });
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The one attempt the in-process queue gives a job; its check run is remembered in memory. */
function singleAttempt(signal: AbortSignal): JobRun {
  let checkRunId: number | undefined;
  return {
    signal,
    attempt: 1,
    finalAttempt: true,
    get checkRunId() {
      return checkRunId;
    },
    rememberCheckRun(id: number) {
      checkRunId = id;
      return Promise.resolve();
    },
  };
}
