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

/**
 * Log fields for an error: one line for a GitHub API error (request and status, never the
 * response body or headers), the message and stack for anything else (a bug).
 */
export function errorFields(error: unknown): { reason: string; stack?: string } {
  const reason = describeError(error);
  if (isRequestError(error) || !(error instanceof Error) || error.stack === undefined) {
    return { reason };
  }
  return { reason, stack: error.stack };
}

function isRequestError(error: unknown): error is { status: unknown; request: unknown } {
  return typeof error === 'object' && error !== null && 'status' in error && 'request' in error;
}

/** One line about an error: for a GitHub API error the request and status, never its body. */
export function describeError(error: unknown): string {
  if (isRequestError(error)) {
    const method = readString(error.request, 'method') ?? 'a request';
    const url = (readString(error.request, 'url') ?? '').replace(/^https?:\/\/[^/]+/, '');
    return `the GitHub API answered ${String(error.status)} to ${method} ${url.split('?')[0] ?? ''}`.trim();
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

function readString(value: unknown, key: string): string | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}
