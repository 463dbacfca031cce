/**
 * Which failures are worth another attempt, and whether a failed write may still have been
 * carried out by GitHub (so it must be looked up before it is sent again).
 */
import { DeadlineError, TransientError } from './jobs/types.js';
import { statusOf } from './fetch.js';

/** Network error codes of a connection that failed or timed out (Node and undici). */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** How deep a chain of `cause`s is searched for a network error code. */
const MAX_CAUSE_DEPTH = 5;

/** The error and its causes, outermost first. */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < MAX_CAUSE_DEPTH) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return chain;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** A connection that was reset, refused or timed out, at any depth of the cause chain. */
function isNetworkFailure(error: unknown): boolean {
  return causeChain(error).some((item) => {
    const code = field(item, 'code');
    const name = field(item, 'name');
    return (typeof code === 'string' && TRANSIENT_CODES.has(code)) || name === 'TimeoutError';
  });
}

/** A response header of an Octokit request error, lower-case name. */
function headerOf(error: unknown, name: string): string | undefined {
  const value = field(field(field(error, 'response'), 'headers'), name);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** A primary or secondary rate limit (403 or 429 that says so). */
function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403) return false;
  if (headerOf(error, 'retry-after') !== undefined) return true;
  if (headerOf(error, 'x-ratelimit-remaining') === '0') return true;
  const message = field(error, 'message');
  return typeof message === 'string' && /rate limit/i.test(message);
}

/**
 * True for a failure worth another attempt: a 5xx, a reset, refused or timed-out connection, a
 * rate limit, a {@link TransientError} or a {@link DeadlineError}.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientError || error instanceof DeadlineError) return true;
  const status = statusOf(error);
  if (status !== undefined && (status >= 500 || status === 408)) return true;
  return isRateLimited(error) || isNetworkFailure(error);
}

/**
 * True when a failed request may have been carried out all the same: the connection broke or
 * timed out, or GitHub answered 5xx. A write that failed so must be looked up before it is
 * sent again. (Octokit reports a broken connection as status 500.)
 */
export function mayHaveBeenProcessed(error: unknown): boolean {
  const status = statusOf(error);
  return (status !== undefined && status >= 500) || isNetworkFailure(error);
}

/** How long GitHub asked to wait (`retry-after`, or until `x-ratelimit-reset`), if it did. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (error instanceof TransientError) return error.retryAfterMs;
  const retryAfter = Number(headerOf(error, 'retry-after'));
  if (
    Number.isFinite(retryAfter) &&
    retryAfter >= 0 &&
    headerOf(error, 'retry-after') !== undefined
  ) {
    return retryAfter * 1000;
  }
  const reset = Number(headerOf(error, 'x-ratelimit-reset'));
  if (headerOf(error, 'x-ratelimit-remaining') === '0' && Number.isFinite(reset)) {
    return Math.max(0, reset * 1000 - now);
  }
  return undefined;
}
