/**
 * The interface both job queues implement: in-process (the default) and BullMQ on Redis
 * (`REDIS_URL`). Webhook receivers enqueue; workers process. Whatever happens to a job, its
 * check run ends completed: by the processor, or by `onAbandoned` when no attempt is left.
 */
import type { JobRun, ScanJob } from './types.js';

/** What happened when a job was offered to the queue. */
export type EnqueueOutcome =
  /** Waiting for a worker. */
  | 'queued'
  /** The same delivery was already accepted for this key. */
  | 'duplicate';

/** Processes one attempt at a job; throwing asks for another attempt (while any is left). */
export type ScanProcessor = (job: ScanJob, run: JobRun) => Promise<void>;

/** Why a job ended without its processor completing the check run. */
export type AbandonReason =
  /** Every attempt failed; `error` is the last failure. */
  | { kind: 'exhausted'; error: unknown }
  /** The worker stopped before the job ran and nothing else will run it (in-process queue). */
  | { kind: 'cancelled' }
  /** A newer head of the same pull request made the job pointless. */
  | { kind: 'superseded'; newerSha: string };

export interface WorkerHooks {
  /**
   * Runs once when a job is accepted, before any attempt: creates the job's `queued` check run
   * so the pull request shows PyGuard at once. Resolves its id (undefined when it could not be
   * created; the processor then creates one). Must not throw.
   */
  accept: (job: ScanJob) => Promise<number | undefined>;
  process: ScanProcessor;
  /** Completes the job's check run when no processor will. Must not throw (errors are logged). */
  onAbandoned: (
    job: ScanJob,
    checkRunId: number | undefined,
    reason: AbandonReason,
  ) => Promise<void>;
  /** A failed attempt that will be retried after `delayMs`. */
  onRetry?: (job: ScanJob, attempt: number, delayMs: number, error: unknown) => void;
  /** Errors of the queue itself (never of a job's scan). */
  onError?: (error: unknown, context: string) => void;
}

export interface QueueStats {
  waiting: number;
  active: number;
  /** Waiting for a retry or for the pull request's running job to end. */
  delayed: number;
  failed: number;
  /** Age of the oldest job not yet started (ms), 0 when none waits. */
  oldestWaitingMs: number;
}

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface ScanQueue {
  readonly backend: 'memory' | 'redis';
  /** Accepts a job (durably, with Redis); its check run is created by the workers' `accept`. */
  enqueue(job: ScanJob): Promise<EnqueueOutcome>;
  /** Makes this process a worker of the queue. */
  startWorker(hooks: WorkerHooks): void;
  stats(): Promise<QueueStats>;
  readiness(): Promise<ReadinessCheck[]>;
  /**
   * Stops taking jobs, gives running ones until `deadlineMs` to finish, then stops them; jobs
   * not finished stay in Redis for another worker, or (in-process) are abandoned as cancelled.
   */
  close(deadlineMs: number): Promise<void>;
}

export interface RetryPolicy {
  /** Attempts per job, the first included (at least 1). */
  attempts: number;
  /** First retry delay; doubled per attempt, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time one attempt may take before it is stopped with a `DeadlineError`. */
  deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 2_000,
  maxDelayMs: 120_000,
  deadlineMs: 5 * 60_000,
};

/** Delay before attempt `attempt + 1`: what GitHub asked for, else exponential backoff. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, error: unknown): number {
  const asked = retryAfterOf(error);
  if (asked !== undefined) return Math.min(Math.max(asked, 0), policy.maxDelayMs);
  return Math.min(policy.baseDelayMs * 2 ** Math.max(attempt - 1, 0), policy.maxDelayMs);
}

function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterMs' in error)) return undefined;
  const value: unknown = error.retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A stable id for a job: one per pull request key, head and delivery. */
export function jobIdOf(job: ScanJob): string {
  return `${job.key}@${job.headSha}@${job.deliveryId}`.replace(/:/g, '_');
}
