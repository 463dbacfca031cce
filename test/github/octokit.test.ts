import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TransientError } from '../../src/github/jobs/types.js';
import { createMetrics } from '../../src/github/metrics.js';
import type { PyGuardMetrics } from '../../src/github/metrics.js';
import {
  createPyGuardOctokit,
  isGraphqlMutation,
  isSafeToRepeat,
  probotOctokitOptions,
  requestTimeoutFromEnv,
  routeOf,
} from '../../src/github/octokit.js';
import type { PyGuardOctokitOptions } from '../../src/github/octokit.js';
import {
  GitHubRateLimitError,
  GitHubTimeoutError,
  isTransientError,
  retryAfterMs,
} from '../../src/github/transient.js';
import {
  API,
  REPO_PATH,
  github,
  recordedRequests,
  requestLines,
  setUpNock,
  tearDownNock,
} from './harness.js';

const ref = { owner: 'Codertocat', repo: 'Hello-World' };
const CHECK = { ...ref, name: 'PyGuard', head_sha: 'abc' };

interface Client {
  octokit: InstanceType<ReturnType<typeof createPyGuardOctokit>>;
  sleeps: number[];
  metrics: PyGuardMetrics;
}

/** A token-authenticated client with throttling off and instant rate-limit waits. */
function client(options: PyGuardOctokitOptions = {}, baseUrl = API): Client {
  const sleeps: number[] = [];
  const metrics = createMetrics({ processMetrics: false });
  const Octokit = createPyGuardOctokit({
    throttle: false,
    retry: { baseDelayMs: 1 },
    metrics,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    ...options,
  });
  return { octokit: new Octokit({ auth: { token: 'ghs_test' }, baseUrl }), sleeps, metrics };
}

const SECONDARY = {
  message:
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
};

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('the request did not fail');
}

describe('with nock', () => {
  beforeEach(() => {
    setUpNock();
  });

  afterEach(() => {
    tearDownNock();
  });

  describe('rate limits', () => {
    it('waits out a secondary limit on a read and sends it again', async () => {
      const { octokit, sleeps } = client();
      github()
        .get(`${REPO_PATH}/pulls/2/files`)
        .reply(403, SECONDARY, { 'retry-after': '2' })
        .get(`${REPO_PATH}/pulls/2/files`)
        .reply(200, []);

      const { data } = await octokit.rest.pulls.listFiles({ ...ref, pull_number: 2 });

      expect(data).toEqual([]);
      expect(sleeps).toEqual([2000]);
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('sends a POST again after a 429, which GitHub did not process', async () => {
      const { octokit, sleeps } = client();
      github()
        .post(`${REPO_PATH}/check-runs`)
        .reply(429, SECONDARY, { 'retry-after': '1' })
        .post(`${REPO_PATH}/check-runs`)
        .reply(201, { id: 7 });

      const { data } = await octokit.rest.checks.create(CHECK);

      expect(data.id).toBe(7);
      expect(sleeps).toEqual([1000]);
    });

    it('waits for the reset of an exhausted quota', async () => {
      const { octokit, sleeps } = client();
      const reset = Math.floor(Date.now() / 1000) + 5;
      github()
        .get(`${REPO_PATH}/pulls/2`)
        .reply(
          403,
          { message: 'API rate limit exceeded' },
          { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) },
        )
        .get(`${REPO_PATH}/pulls/2`)
        .reply(200, { number: 2 });

      await octokit.rest.pulls.get({ ...ref, pull_number: 2 });

      expect(sleeps).toHaveLength(1);
      expect(sleeps[0]).toBeGreaterThan(3000);
      expect(sleeps[0]).toBeLessThanOrEqual(6000);
    });

    it('fails at once, carrying the wait, when GitHub asks for more than the cap', async () => {
      const { octokit, sleeps } = client({ rateLimit: { maxWaitMs: 60_000 } });
      github().post(`${REPO_PATH}/pulls/2/reviews`).reply(403, SECONDARY, { 'retry-after': '120' });

      const error = await failure(
        octokit.rest.pulls.createReview({ ...ref, pull_number: 2, event: 'COMMENT', body: 'x' }),
      );

      expect(error).toBeInstanceOf(GitHubRateLimitError);
      expect(error).toBeInstanceOf(TransientError);
      const limit = error as GitHubRateLimitError;
      expect(limit.retryAfterMs).toBe(120_000);
      expect(limit.status).toBe(403);
      expect(limit.request).toBe('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews');
      expect(limit.message).toContain('120 s');
      expect(sleeps).toEqual([]);
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('gives up after a bounded number of waits', async () => {
      const { octokit, sleeps } = client({ rateLimit: { retries: 2 } });
      github().get(`${REPO_PATH}/pulls/2`).times(3).reply(429, SECONDARY, { 'retry-after': '1' });

      const error = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 2 }));

      expect(error).toBeInstanceOf(GitHubRateLimitError);
      expect(sleeps).toEqual([1000, 1000]);
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('leaves a 403 that is not a rate limit alone', async () => {
      const { octokit, sleeps } = client();
      github()
        .get(`${REPO_PATH}/pulls/2`)
        .reply(403, { message: 'Resource not accessible by integration' });

      const error = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 2 }));

      expect(error).toMatchObject({ status: 403 });
      expect(isTransientError(error)).toBe(false);
      expect(sleeps).toEqual([]);
    });
  });

  describe('transport retries', () => {
    it('repeats a read after a 502', async () => {
      const { octokit } = client();
      const api = github();
      api.get(`${REPO_PATH}/pulls/2`).reply(502, 'Bad Gateway');
      api.get(`${REPO_PATH}/pulls/2`).reply(200, { number: 2 });

      const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: 2 });

      expect(data.number).toBe(2);
      expect(nock.pendingMocks()).toEqual([]);
    });

    it('repeats a PATCH, which sets a state, after a reset connection', async () => {
      const { octokit } = client();
      const api = github();
      api.patch(`${REPO_PATH}/check-runs/7`).replyWithError({ code: 'ECONNRESET' });
      api.patch(`${REPO_PATH}/check-runs/7`).reply(200, { id: 7 });

      await octokit.rest.checks.update({ ...ref, check_run_id: 7, status: 'completed' });

      expect(nock.pendingMocks()).toEqual([]);
    });

    it('never repeats a POST that creates something, after a 502 or a reset', async () => {
      const { octokit } = client();
      const api = github();
      api.post(`${REPO_PATH}/check-runs`).reply(502, 'Bad Gateway');
      api.post(`${REPO_PATH}/issues/2/comments`).replyWithError({ code: 'ECONNRESET' });
      // Left pending: a second attempt would take them.
      api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 8 });
      api.post(`${REPO_PATH}/issues/2/comments`).reply(201, { id: 9 });

      const created = await failure(octokit.rest.checks.create(CHECK));
      const commented = await failure(
        octokit.rest.issues.createComment({ ...ref, issue_number: 2, body: 'x' }),
      );

      expect(created).toMatchObject({ status: 502 });
      expect(isTransientError(created)).toBe(true);
      expect(isTransientError(commented)).toBe(true);
      expect(requestLines(recordedRequests())).toEqual([
        `POST ${REPO_PATH}/check-runs`,
        `POST ${REPO_PATH}/issues/2/comments`,
      ]);
      expect(nock.pendingMocks()).toHaveLength(2);
    });

    it('repeats a GraphQL query but not a mutation', async () => {
      const { octokit } = client();
      const api = github();
      api.post('/graphql').reply(502, 'Bad Gateway');
      api.post('/graphql').reply(200, { data: { viewer: { login: 'x' } } });
      api.post('/graphql').reply(502, 'Bad Gateway');
      api.post('/graphql').reply(200, { data: {} });

      await octokit.graphql('query { viewer { login } }');
      const mutation = await failure(
        octokit.graphql(
          'mutation($id: ID!) { resolveReviewThread(input: {threadId: $id}) { clientMutationId } }',
          {
            id: 'T1',
          },
        ),
      );

      expect(mutation).toMatchObject({ status: 502 });
      expect(nock.pendingMocks()).toHaveLength(1);
    });
  });

  describe('metrics', () => {
    it('counts each attempt by route template and status, with the quota left', async () => {
      const { octokit, metrics } = client();
      const api = github();
      api
        .post(`${REPO_PATH}/check-runs`)
        .reply(201, { id: 7 }, { 'x-ratelimit-remaining': '4999' });
      api.get(`${REPO_PATH}/pulls/2`).reply(502, 'Bad Gateway');
      api
        .get(`${REPO_PATH}/pulls/2`)
        .reply(200, { number: 2 }, { 'x-ratelimit-remaining': '4997' });

      await octokit.rest.checks.create(CHECK);
      await octokit.rest.pulls.get({ ...ref, pull_number: 2 });

      const text = await metrics.metricsText();
      expect(text).toContain(
        'pyguard_github_requests_total{method="POST",route="POST /repos/{owner}/{repo}/check-runs",status="201"} 1',
      );
      expect(text).toContain(
        'pyguard_github_requests_total{method="GET",route="GET /repos/{owner}/{repo}/pulls/{pull_number}",status="502"} 1',
      );
      expect(text).toContain(
        'pyguard_github_requests_total{method="GET",route="GET /repos/{owner}/{repo}/pulls/{pull_number}",status="200"} 1',
      );
      expect(text).toContain('pyguard_github_rate_limit_remaining{installation="app"} 4997');
    });
  });
});

describe('request timeout', () => {
  let server: Server;
  let baseUrl: string;
  let received: string[];
  let handler: (request: IncomingMessage, response: ServerResponse) => void;

  beforeEach(async () => {
    received = [];
    handler = () => {
      // Never answers.
    };
    server = createServer((request, response) => {
      received.push(`${request.method ?? '?'} ${request.url ?? '?'}`);
      handler(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a request that never answers with a recognisable, transient error', async () => {
    const { octokit, metrics } = client({ requestTimeoutMs: 100, retry: { retries: 0 } }, baseUrl);

    const error = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 2 }));

    expect(error).toBeInstanceOf(GitHubTimeoutError);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as GitHubTimeoutError).request).toBe(
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
    );
    expect((error as Error).message).toBe(
      'GitHub did not answer GET /repos/{owner}/{repo}/pulls/{pull_number} within 0.1 s',
    );
    expect(isTransientError(error)).toBe(true);
    expect(await metrics.metricsText()).toContain('status="timeout"} 1');
  });

  it('times out a body that stops half-way, instead of returning what arrived', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"number": ');
    };
    const { octokit } = client({ requestTimeoutMs: 100, retry: { retries: 0 } }, baseUrl);

    const error = await failure(octokit.rest.pulls.get({ ...ref, pull_number: 2 }));

    expect(error).toBeInstanceOf(GitHubTimeoutError);
  });

  it('retries a timed-out read, each attempt with its own timer, but not a created check run', async () => {
    const { octokit } = client(
      { requestTimeoutMs: 100, retry: { retries: 2, baseDelayMs: 1 } },
      baseUrl,
    );

    expect(await failure(octokit.rest.pulls.get({ ...ref, pull_number: 2 }))).toBeInstanceOf(
      GitHubTimeoutError,
    );
    expect(await failure(octokit.rest.checks.create(CHECK))).toBeInstanceOf(GitHubTimeoutError);

    expect(received).toEqual([
      'GET /repos/Codertocat/Hello-World/pulls/2',
      'GET /repos/Codertocat/Hello-World/pulls/2',
      'GET /repos/Codertocat/Hello-World/pulls/2',
      'POST /repos/Codertocat/Hello-World/check-runs',
    ]);
  });

  it('answers normally when the server does', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"number": 2}');
    };
    const { octokit } = client({ requestTimeoutMs: 5000 }, baseUrl);

    const { data } = await octokit.rest.pulls.get({ ...ref, pull_number: 2 });

    expect(data.number).toBe(2);
  });
});

describe('helpers', () => {
  it('tells requests that are safe to repeat', () => {
    expect(isSafeToRepeat('GET', '/repos/{owner}/{repo}/pulls')).toBe(true);
    expect(isSafeToRepeat('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}')).toBe(true);
    expect(isSafeToRepeat('DELETE', '/repos/{owner}/{repo}/pulls/comments/{comment_id}')).toBe(
      true,
    );
    expect(isSafeToRepeat('POST', '/repos/{owner}/{repo}/check-runs')).toBe(false);
    expect(isSafeToRepeat('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews')).toBe(false);
    expect(
      isSafeToRepeat('POST', '/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions'),
    ).toBe(false);
    expect(isSafeToRepeat('POST', '/app/installations/{installation_id}/access_tokens')).toBe(true);
    expect(isSafeToRepeat('POST', '/graphql', '{ viewer { login } }')).toBe(true);
    expect(isSafeToRepeat('POST', '/graphql', '# note\n mutation { x }')).toBe(false);
    expect(isSafeToRepeat('POST', '/graphql')).toBe(false);
  });

  it('reads mutations past comments', () => {
    expect(isGraphqlMutation('mutation Resolve($id: ID!) { x }')).toBe(true);
    expect(isGraphqlMutation('# mutation\nquery { x }')).toBe(false);
    expect(isGraphqlMutation('query mutationLike { x }')).toBe(false);
  });

  it('labels requests by bounded route templates', () => {
    expect(routeOf('post', '/repos/{owner}/{repo}/check-runs')).toBe(
      'POST /repos/{owner}/{repo}/check-runs',
    );
    expect(routeOf('GET', 'https://api.github.com/repositories/123/pulls/2/files?page=2')).toBe(
      'GET /repositories/{id}/pulls/{id}/files',
    );
    expect(routeOf('GET', 'https://ghe.example.com/api/v3/repos/o/r/pulls/5')).toBe(
      'GET /repos/{owner}/{repo}/pulls/{id}',
    );
    expect(routeOf('POST', 'https://api.github.com/app/installations/2/access_tokens')).toBe(
      'POST /app/installations/{id}/access_tokens',
    );
  });

  it('reads the timeout from the environment', () => {
    expect(requestTimeoutFromEnv({})).toBe(30_000);
    expect(requestTimeoutFromEnv({ PYGUARD_REQUEST_TIMEOUT_MS: '5000' })).toBe(5000);
    expect(requestTimeoutFromEnv({ PYGUARD_REQUEST_TIMEOUT_MS: '-1' })).toBe(30_000);
  });

  it('gives Probot the Redis URL only when there is one', () => {
    expect(probotOctokitOptions({})).not.toHaveProperty('redisConfig');
    expect(probotOctokitOptions({ redis: { url: 'redis://127.0.0.1:6379' } }).redisConfig).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it('reads retry-after in seconds and as a date', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    const response = (headers: Record<string, string>): unknown => ({
      status: 403,
      response: { headers },
    });
    expect(retryAfterMs(response({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(response({ 'retry-after': 'Wed, 01 May 2024 12:00:10 GMT' }), now)).toBe(
      10_000,
    );
  });
});
