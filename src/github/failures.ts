/**
 * What a scan job makes of a failed request: worth another attempt, and whether a failed write
 * may still have been carried out by GitHub (so it must be looked up before it is sent again).
 * Built on the request-level classification in transient.ts.
 */
import { statusOf } from './fetch.js';
import { DeadlineError } from './jobs/types.js';
import { isConnectionFailure, isRateLimitError, isTransientError } from './transient.js';

export { retryAfterMs } from './transient.js';

/**
 * True for a failure worth another attempt: a 5xx, a reset, refused or timed-out connection, a
 * rate limit, a `TransientError` or a job's {@link DeadlineError}.
 */
export function isTransient(error: unknown): boolean {
  return error instanceof DeadlineError || isTransientError(error);
}

/**
 * True when a failed request may have been carried out all the same: the connection broke or
 * timed out, or GitHub answered 5xx. A write that failed so must be looked up before it is
 * sent again. (Octokit reports a broken connection as status 500.) A rate-limited request was
 * refused, not processed.
 */
export function mayHaveBeenProcessed(error: unknown): boolean {
  if (isRateLimitError(error)) return false;
  const status = statusOf(error);
  return (status !== undefined && status >= 500) || isConnectionFailure(error);
}
