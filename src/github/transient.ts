/**
 * Which GitHub failures are worth another attempt, and how long GitHub asked us to wait. Pure
 * functions over the errors Octokit throws (a `RequestError` with `status` and `response`, a
 * network error, a timeout), so the job queue and the Octokit plugin decide the same way.
 */
import { TransientError } from './jobs/types.js';

/** GitHub rate-limited a request and the wait is longer than the client is allowed to sleep. */
export class GitHubRateLimitError extends TransientError {
  readonly kind = 'rate-limit';
  constructor(
    /** `METHOD /route/{template}`. */
    readonly request: string,
    /** 403 or 429 (undefined for a GraphQL `RATE_LIMITED` answer). */
    readonly status: number | undefined,
    retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(
      `GitHub rate-limited ${request}; it can be tried again in ${secondsText(retryAfterMs)}`,
      retryAfterMs,
      options,
    );
  }
}

/** GitHub did not answer (headers and body) within the request timeout. */
export class GitHubTimeoutError extends TransientError {
  readonly kind = 'timeout';
  constructor(
    /** `METHOD /route/{template}`. */
    readonly request: string,
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`GitHub did not answer ${request} within ${secondsText(timeoutMs)}`, undefined, options);
  }
}

/** The error a request's own timer aborts its `fetch` with (wrapped by Octokit, then converted). */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${secondsText(timeoutMs)}`);
  }
}

/** How long to wait after a secondary rate limit GitHub gave no time for (its docs: a minute). */
export const SECONDARY_LIMIT_FALLBACK_MS = 60_000;

/** Socket and DNS failures worth another attempt (Node's and undici's codes). */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * True for failures another attempt may get past: a 5xx, 408 or 429, a rate limit (403 with
 * `retry-after`, an exhausted quota, a "secondary rate limit" message, a GraphQL
 * `RATE_LIMITED`), a reset, refused or timed-out connection, a request timeout. False for
 * other 4xx (a retry would get the same answer) and for a cancellation (`AbortError`).
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof TransientError) return true;
  if (nameOf(error) === 'AbortError') return false;
  if (isRateLimitError(error)) return true;
  const status = statusOf(error);
  if (status !== undefined && (status >= 500 || status === 408 || status === 429)) return true;
  return causes(error).some(isNetworkFailure);
}

/**
 * How long GitHub asked the client to wait before trying again, in milliseconds: `retry-after`
 * (seconds or an HTTP date), else `x-ratelimit-reset` when `x-ratelimit-remaining` is 0 (plus
 * a second, as GitHub advises), else what a {@link TransientError} carries.
 */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  const headers = headersOf(error);
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const fromHeader = parseRetryAfter(retryAfter, now);
    if (fromHeader !== undefined) return fromHeader;
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - now + 1000);
  }
  if (error instanceof TransientError) return error.retryAfterMs;
  return undefined;
}

/**
 * True when GitHub refused the request for a rate limit (so it was not processed, and a `POST`
 * may be sent again after waiting).
 */
export function isRateLimitError(error: unknown): boolean {
  if (error instanceof GitHubRateLimitError) return true;
  if (graphqlRateLimited(error)) return true;
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return false;
  const headers = headersOf(error);
  return (
    status === 429 ||
    headers['retry-after'] !== undefined ||
    headers['x-ratelimit-remaining'] === '0' ||
    /\brate limit/i.test(messageOf(error))
  );
}

/** The wait before retrying a rate-limited request: what GitHub said, else a minute. */
export function rateLimitWaitMs(error: unknown, now: number = Date.now()): number {
  return retryAfterMs(error, now) ?? SECONDARY_LIMIT_FALLBACK_MS;
}

/** True when a request's own timer stopped it (at any depth of `cause`). */
export function isRequestTimeout(error: unknown): boolean {
  return causes(error).some(
    (cause) => cause instanceof RequestTimeoutError || cause instanceof GitHubTimeoutError,
  );
}

/**
 * The error as a {@link TransientError} the queue can retry (with GitHub's `retry-after` when it
 * gave one), or undefined when another attempt would not help. The original is its `cause`.
 */
export function toTransientError(error: unknown): TransientError | undefined {
  if (error instanceof TransientError) return error;
  if (!isTransientError(error)) return undefined;
  const wait = isRateLimitError(error) ? rateLimitWaitMs(error) : retryAfterMs(error);
  return new TransientError(messageOf(error) || 'GitHub request failed', wait, { cause: error });
}

function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function graphqlRateLimited(error: unknown): boolean {
  const data = field(field(error, 'response'), 'data');
  const errors = field(data, 'errors');
  return (
    Array.isArray(errors) &&
    errors.some((entry: unknown) => field(entry, 'type') === 'RATE_LIMITED')
  );
}

/** A connection that was reset, refused or timed out, at any depth of the cause chain. */
export function isConnectionFailure(error: unknown): boolean {
  return causes(error).some(isNetworkFailure);
}

function isNetworkFailure(error: unknown): boolean {
  const code = field(error, 'code');
  if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
  const name = nameOf(error);
  if (name === 'RequestTimeoutError' || name === 'TimeoutError') return true;
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** The error and its causes, outermost first (at most 8, in case of a cycle). */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 8) {
    chain.push(current);
    current = field(current, 'cause');
  }
  return chain;
}

function headersOf(error: unknown): Record<string, string | undefined> {
  const headers = field(field(error, 'response'), 'headers');
  if (typeof headers !== 'object' || headers === null) return {};
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string' || typeof value === 'number') {
      result[key.toLowerCase()] = String(value);
    }
  }
  return result;
}

function statusOf(error: unknown): number | undefined {
  const status = field(error, 'status');
  return typeof status === 'number' ? status : undefined;
}

function nameOf(error: unknown): string | undefined {
  const name = field(error, 'name');
  return typeof name === 'string' ? name : undefined;
}

function messageOf(error: unknown): string {
  const message = field(error, 'message');
  return typeof message === 'string' ? message : '';
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}

function secondsText(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
