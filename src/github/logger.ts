/**
 * Per-job logging: a pino child logger carrying who and what the job is about, and a count of
 * the GitHub API requests the job made. Only identifiers and numbers are logged, never
 * tokens, keys, file contents or comment bodies.
 */
import type { Logger, ProbotOctokit } from 'probot';

export interface JobLogFields {
  deliveryId: string;
  /** `owner/repo`. */
  repo: string;
  pullNumber: number;
  headSha: string;
  /** What asked for the scan: `pull_request.synchronize`, `command`, `check_run.rerequested`… */
  trigger: string;
}

/** A child logger for one job. */
export function jobLogger(base: Logger, fields: JobLogFields): Logger {
  return base.child({
    deliveryId: fields.deliveryId,
    repo: fields.repo,
    pr: fields.pullNumber,
    headSha: fields.headSha,
    trigger: fields.trigger,
  });
}

export interface RequestCounter {
  /** Requests sent since the counter started (retries included). */
  readonly count: number;
  /** Stops counting. */
  stop(): void;
}

/** Counts the requests an Octokit instance sends until `stop()` is called. */
export function countRequests(octokit: ProbotOctokit): RequestCounter {
  let count = 0;
  const hook = (): void => {
    count++;
  };
  octokit.hook.before('request', hook);
  return {
    get count() {
      return count;
    },
    stop() {
      octokit.hook.remove('request', hook);
    },
  };
}

/** Milliseconds since `start` (a `performance.now()` value), rounded. */
export function elapsedMs(start: number): number {
  return Math.round(performance.now() - start);
}
