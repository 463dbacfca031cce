/**
 * What a scan job is, whichever queue carries it: plain data (it crosses process boundaries and
 * sits in Redis), and the run-time handle a processor gets for one attempt.
 */

/** One scan of one pull request head. Serialisable: no functions, no clients. */
export interface ScanJob {
  /** One job per key runs at a time: `owner/repo#number`. */
  key: string;
  installationId: number;
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
  /** What asked for the scan: `pull_request.synchronize`, `command`, `check_run.rerequested`… */
  trigger: string;
  /** The webhook delivery that asked for it; a redelivery of a waiting job is ignored. */
  deliveryId: string;
  /**
   * True when `headSha` is known to be the pull request's newest head (a push event): the job
   * then supersedes older work of its key. A re-run or a command waits its turn instead.
   */
  supersedes: boolean;
  /** When the job was accepted (ms since the epoch). */
  acceptedAt: number;
}

/** One attempt at a job, as its processor sees it. */
export interface JobRun {
  /**
   * Aborts when the job must stop: a newer head arrived (`SupersededError`), the job's deadline
   * passed (`DeadlineError`) or the worker is shutting down (`ShutdownError`).
   */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
  /** No retry follows this attempt: a failure must complete the check run now. */
  finalAttempt: boolean;
  /** The check run created for this job when it was accepted (`queued`), once known. */
  checkRunId?: number | undefined;
  /** Records the job's check run, so a retry or another worker reuses it. */
  rememberCheckRun(checkRunId: number): Promise<void>;
}

/** A job's deadline passed; the job stops and is retried or completed with `on_error`. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly deadlineMs: number) {
    super(`the scan did not finish within ${Math.round(deadlineMs / 1000)} s`);
  }
}

/** The worker is stopping; the job goes back to the queue (Redis) or is completed for a rescan. */
export class ShutdownError extends Error {
  override readonly name = 'ShutdownError';
  constructor() {
    super('the PyGuard worker was stopped while scanning');
  }
}

/**
 * A failure worth another attempt: a 5xx, a reset or timed-out connection, a rate limit. The
 * queue waits `retryAfterMs` (when GitHub said) or backs off before trying again.
 */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A newer head of the same pull request arrived; the job stops and its check says so. */
export class SupersededError extends Error {
  override readonly name = 'SupersededError';
  constructor(readonly newerSha: string) {
    super(`superseded by ${newerSha}`);
  }
}
