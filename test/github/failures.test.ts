import { describe, expect, it } from 'vitest';

import {
  externalIdFor,
  parseExternalId,
  pullNumberFromExternalId,
  triggerKind,
} from '../../src/github/checks.js';
import { isTransient, mayHaveBeenProcessed, retryAfterMs } from '../../src/github/failures.js';
import { DeadlineError, ShutdownError, TransientError } from '../../src/github/jobs/types.js';

/** The shape of Octokit's RequestError: a status, the request, the response's headers. */
interface RequestErrorLike extends Error {
  status: number;
  request: { method: string; url: string };
  response?: { headers: Record<string, string> };
}

function requestError(message: string, status: number): RequestErrorLike {
  return Object.assign(new Error(message), {
    name: 'HttpError',
    status,
    request: { method: 'GET', url: 'https://api.github.com/x' },
  });
}

function answered(
  status: number,
  headers: Record<string, string> = {},
  message = 'x',
): RequestErrorLike {
  return Object.assign(requestError(message, status), { response: { headers } });
}

/** How Octokit reports a connection that broke: status 500, the socket error as a cause. */
function broken(code: string): RequestErrorLike {
  const error = requestError('fetch failed', 500);
  error.cause = Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('other side closed'), { code }),
  });
  return error;
}

describe('isTransient', () => {
  it.each([
    ['a 500', answered(500), true],
    ['a 502', answered(502), true],
    ['a 503', answered(503), true],
    ['a 429', answered(429), true],
    ['a secondary rate limit', answered(403, { 'retry-after': '30' }), true],
    ['an exhausted rate limit', answered(403, { 'x-ratelimit-remaining': '0' }), true],
    ['a 403 saying rate limit', answered(403, {}, 'API rate limit exceeded'), true],
    ['a reset connection', broken('ECONNRESET'), true],
    ['a socket error without status', Object.assign(new Error('x'), { code: 'ETIMEDOUT' }), true],
    ['a timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' }), true],
    ['a TransientError', new TransientError('later'), true],
    ['a DeadlineError', new DeadlineError(1000), true],
    ['a 403 without a limit', answered(403), false],
    ['a 404', answered(404), false],
    ['a 422', answered(422), false],
    ['a ShutdownError', new ShutdownError(), false],
    ['a bug', new TypeError('undefined is not a function'), false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isTransient(error)).toBe(expected);
  });

  it('knows which failures GitHub may have carried out anyway', () => {
    expect(mayHaveBeenProcessed(answered(502))).toBe(true);
    expect(mayHaveBeenProcessed(broken('ECONNRESET'))).toBe(true);
    expect(mayHaveBeenProcessed(answered(429))).toBe(false);
    expect(mayHaveBeenProcessed(answered(422))).toBe(false);
  });

  it('reads how long GitHub asked to wait', () => {
    expect(retryAfterMs(answered(403, { 'retry-after': '2' }))).toBe(2000);
    expect(
      retryAfterMs(
        answered(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1000' }),
        990_000,
      ),
      // Until the reset, plus the second GitHub advises.
    ).toBe(11_000);
    expect(retryAfterMs(new TransientError('x', 5))).toBe(5);
    expect(retryAfterMs(answered(502))).toBeUndefined();
  });
});

describe('external ids', () => {
  it('name the pull request and the kind of trigger', () => {
    expect(externalIdFor(7, 'pull_request.synchronize')).toBe('pull:7:pull_request');
    expect(externalIdFor(7, 'pull_request.ready_for_review')).toBe('pull:7:pull_request');
    expect(externalIdFor(7, 'check_run.rerequested')).toBe('pull:7:check_run');
    expect(externalIdFor(7, 'command')).toBe('pull:7:command');
    expect(triggerKind('')).toBe('scan');
  });

  it('are read back, the older `pull:<number>` included', () => {
    expect(parseExternalId('pull:7:check_suite')).toEqual({
      pullNumber: 7,
      triggerKind: 'check_suite',
    });
    expect(parseExternalId('pull:12')).toEqual({ pullNumber: 12 });
    expect(pullNumberFromExternalId('pull:12')).toBe(12);
    expect(pullNumberFromExternalId('pull:3:command')).toBe(3);
    expect(pullNumberFromExternalId('pull:x')).toBeUndefined();
    expect(pullNumberFromExternalId(null)).toBeUndefined();
  });
});
