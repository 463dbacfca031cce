import { describe, expect, it } from 'vitest';

import { TransientError } from '../../src/github/jobs/types.js';
import {
  GitHubRateLimitError,
  GitHubTimeoutError,
  RequestTimeoutError,
  isRateLimitError,
  isRequestTimeout,
  isTransientError,
  retryAfterMs,
  toTransientError,
} from '../../src/github/transient.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

/** The shape of Octokit's RequestError. */
function answered(status: number, headers: Record<string, string> = {}, message = 'x'): Error {
  return Object.assign(new Error(message), {
    status,
    request: { method: 'GET', url: '/x', headers: {} },
    response: { status, url: '/x', headers, data: { message } },
  });
}

function networkFailure(code: string): Error {
  // What @octokit/request throws when fetch fails: status 500, the socket error as the cause.
  const cause = Object.assign(new Error('other side closed'), { code });
  return Object.assign(
    new Error('fetch failed', { cause: new TypeError('fetch failed', { cause }) }),
    {
      status: 500,
      request: {},
    },
  );
}

describe('isTransientError', () => {
  it('is true for 5xx, 408, 429, rate limits, resets and timeouts', () => {
    expect(isTransientError(answered(500))).toBe(true);
    expect(isTransientError(answered(502))).toBe(true);
    expect(isTransientError(answered(408))).toBe(true);
    expect(isTransientError(answered(429))).toBe(true);
    expect(isTransientError(answered(403, { 'retry-after': '2' }))).toBe(true);
    expect(isTransientError(answered(403, { 'x-ratelimit-remaining': '0' }))).toBe(true);
    expect(isTransientError(answered(403, {}, 'You have exceeded a secondary rate limit'))).toBe(
      true,
    );
    expect(isTransientError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError(new TypeError('fetch failed'))).toBe(true);
    expect(isTransientError(new GitHubTimeoutError('GET /x', 1000))).toBe(true);
    expect(isTransientError(new Error('wrapped', { cause: new RequestTimeoutError(10) }))).toBe(
      true,
    );
    expect(isTransientError(new TransientError('queue said so'))).toBe(true);
  });

  it('is false for other 4xx, cancellations and bugs', () => {
    expect(isTransientError(answered(403, {}, 'Resource not accessible by integration'))).toBe(
      false,
    );
    expect(isTransientError(answered(404))).toBe(false);
    expect(isTransientError(answered(422))).toBe(false);
    expect(
      isTransientError(Object.assign(new Error('aborted'), { name: 'AbortError', status: 500 })),
    ).toBe(false);
    expect(isTransientError(new TypeError('undefined is not a function'))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
  });

  it('sees a reset through the causes Octokit wraps it in', () => {
    const error = networkFailure('ECONNRESET');
    expect(isTransientError(Object.assign(error, { status: undefined }))).toBe(true);
  });
});

describe('retryAfterMs', () => {
  it('reads retry-after in seconds or as a date', () => {
    expect(retryAfterMs(answered(429, { 'retry-after': '7' }), NOW)).toBe(7000);
    expect(
      retryAfterMs(answered(429, { 'retry-after': 'Wed, 01 May 2024 12:01:00 GMT' }), NOW),
    ).toBe(60_000);
    expect(
      retryAfterMs(answered(429, { 'retry-after': 'Wed, 01 May 2024 11:00:00 GMT' }), NOW),
    ).toBe(0);
  });

  it('waits for the reset of an exhausted quota, plus a second', () => {
    const reset = String(NOW / 1000 + 30);
    expect(
      retryAfterMs(
        answered(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
        NOW,
      ),
    ).toBe(31_000);
    expect(
      retryAfterMs(
        answered(403, { 'x-ratelimit-remaining': '12', 'x-ratelimit-reset': reset }),
        NOW,
      ),
    ).toBeUndefined();
  });

  it('is undefined without a hint, and what a TransientError carries otherwise', () => {
    expect(retryAfterMs(answered(502), NOW)).toBeUndefined();
    expect(retryAfterMs(new Error('x'), NOW)).toBeUndefined();
    expect(retryAfterMs(new GitHubRateLimitError('POST /x', 403, 90_000), NOW)).toBe(90_000);
  });
});

describe('toTransientError', () => {
  it('wraps a transient failure with the wait GitHub asked for', () => {
    const cause = answered(403, { 'retry-after': '5' }, 'You have exceeded a secondary rate limit');
    const error = toTransientError(cause);
    expect(error).toBeInstanceOf(TransientError);
    expect(error?.retryAfterMs).toBe(5000);
    expect(error?.cause).toBe(cause);
  });

  it('gives a rate limit without a hint a minute, and a 502 no wait of its own', () => {
    expect(toTransientError(answered(429))?.retryAfterMs).toBe(60_000);
    expect(toTransientError(answered(502))?.retryAfterMs).toBeUndefined();
  });

  it('returns TransientErrors as they are, and nothing for permanent failures', () => {
    const timeout = new GitHubTimeoutError('GET /x', 30_000);
    expect(toTransientError(timeout)).toBe(timeout);
    expect(toTransientError(answered(422))).toBeUndefined();
  });
});

describe('rate limits and timeouts', () => {
  it('tells a rate limit from a permission refusal', () => {
    expect(isRateLimitError(answered(403, { 'retry-after': '1' }))).toBe(true);
    expect(isRateLimitError(answered(403))).toBe(false);
    const graphql = Object.assign(new Error('GraphQL Rate Limit Exceeded'), {
      response: { headers: {}, data: { errors: [{ type: 'RATE_LIMITED' }] } },
    });
    expect(isRateLimitError(graphql)).toBe(true);
  });

  it('finds a request timeout among the causes', () => {
    expect(isRequestTimeout(new Error('x', { cause: new RequestTimeoutError(5) }))).toBe(true);
    expect(isRequestTimeout(answered(504))).toBe(false);
  });
});
