import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit, createNodeMiddleware } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createApp } from '../../src/github/app.js';
import { MemoryQueue } from '../../src/github/jobs/memory-queue.js';
import { BackgroundTasks } from '../../src/github/tasks.js';
import { createWorkerHooks } from '../../src/github/worker.js';
import {
  CHECK_LIST_QUERY,
  HEAD,
  NOW,
  REPO_PATH,
  createHarness,
  fileEntry,
  fixture,
  github,
  mockCreateCheck,
  mockFiles,
  mockNoConfig,
  mockPull,
  mockToken,
  mockUpdateCheck,
  pullRequest,
  queuedCheckRun,
  recordedRequests,
  requestLines,
  setUpNock,
  tearDownNock,
  testPrivateKey,
  TEST_RULES,
  updatesAfterStart,
} from './harness.js';

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

/** A scan of PR #2 whose files hold no Python: the shortest complete scan. */
function mockQuietScan(api: nock.Scope): number {
  const checkId = mockCreateCheck(api);
  mockPull(api);
  mockNoConfig(api);
  mockFiles(api, [fileEntry('README.md', '# x\n', '@@ -0,0 +1 @@\n+# x', 'added')]);
  mockUpdateCheck(api, checkId);
  return checkId;
}

describe('a re-run of the check of a fork pull request', () => {
  it('finds the pull request by head SHA when pull_requests is empty', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    api.get(`${REPO_PATH}/commits/${HEAD}/pulls`).reply(200, []);
    api
      .get(`${REPO_PATH}/pulls`)
      .query({ state: 'open', per_page: '100' })
      .reply(200, [
        pullRequest({ number: 1, head: 'ffffffffffffffffffffffffffffffffffffffff' }),
        pullRequest({ number: 2 }),
      ]);
    const checkId = mockQuietScan(api);

    await harness.deliver('check_run', fixture('check_run.rerequested'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).slice(0, 6)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/commits/${HEAD}/pulls`,
      `GET ${REPO_PATH}/pulls?state=open&per_page=100`,
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      `POST ${REPO_PATH}/check-runs`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
    ]);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      queuedCheckRun('pull:2:check_run'),
    ]);
    const [update, ...later] = updatesAfterStart<{ conclusion: string }>(harness, checkId);
    expect(later).toEqual([]);
    expect(update?.conclusion).toBe('success');
  });

  it('uses the pull request the commit lookup returns, and the suite re-run works alike', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    api.get(`${REPO_PATH}/commits/${HEAD}/pulls`).reply(200, [pullRequest({ number: 2 })]);
    mockQuietScan(api);

    await harness.deliver('check_suite', fixture('check_suite.rerequested'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('of a commit that is no longer the head completes a superseded check', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api, { head: '1111111111111111111111111111111111111111' });
    mockUpdateCheck(api, checkId);
    const payload = fixture('check_run.rerequested');
    (payload['check_run'] as { external_id: string }).external_id = 'pull:2';

    await harness.deliver('check_run', payload);

    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      queuedCheckRun('pull:2:check_run'),
    ]);
    const [update, ...later] = updatesAfterStart(harness, checkId);
    expect(later).toEqual([]);
    expect(update).toEqual({
      status: 'completed',
      conclusion: 'neutral',
      completed_at: NOW.toISOString(),
      output: {
        title: 'Superseded by a newer push',
        summary: expect.stringContaining('1111111') as string,
      },
    });
  });
});

describe('the Rescan button', () => {
  it('scans the pull request named in the event', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockQuietScan(api);

    await harness.deliver('check_run', fixture('check_run.requested_action'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("ignores other apps' check runs and other buttons", async () => {
    const harness = await createHarness();
    github();
    const other = fixture('check_run.requested_action');
    (other['check_run'] as { name: string }).name = 'CI';
    await harness.deliver('check_run', other);
    const button = fixture('check_run.requested_action');
    button['requested_action'] = { identifier: 'approve' };
    await harness.deliver('check_run', button);

    expect(harness.requests).toEqual([]);
  });
});

describe('pull_request.edited', () => {
  it('rescans when the base branch changed, and not for a title edit', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockQuietScan(api);
    const titleOnly = fixture('pull_request.edited');
    titleOnly['changes'] = { title: { from: 'Old title' } };

    await harness.deliver('pull_request', titleOnly);
    expect(harness.requests).toEqual([]);
    await harness.deliver('pull_request', fixture('pull_request.edited'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('merge_group.checks_requested', () => {
  it('answers at once with a successful PyGuard check', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    api.post(`${REPO_PATH}/check-runs`).reply(201, { id: 7 });

    await harness.deliver('merge_group', fixture('merge_group.checks_requested'));

    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      {
        name: 'PyGuard',
        head_sha: '2ffea6db159f6b6c47a24e778fb9ef40cf6b1c7d',
        status: 'completed',
        conclusion: 'success',
        started_at: NOW.toISOString(),
        completed_at: NOW.toISOString(),
        output: {
          title: 'Checked in the pull request',
          summary: 'merge queue: the pull request was already checked',
        },
      },
    ]);
  });
});

describe('webhook signatures', () => {
  const secret = 'test-webhook-secret';

  async function serve(): Promise<{
    url: string;
    close: () => Promise<void>;
    queue: MemoryQueue;
  }> {
    const queue = new MemoryQueue({ concurrency: 1, retry: { attempts: 1 } });
    const tasks = new BackgroundTasks(() => undefined);
    const probot = new Probot({
      appId: 1,
      privateKey: testPrivateKey(),
      secret,
      log: pino({ level: 'silent' }),
      Octokit: ProbotOctokit.defaults((options: object) => ({
        ...options,
        retry: { enabled: false },
        throttle: { enabled: false },
      })),
    });
    const app = createApp({ clock: () => NOW, queue, tasks, rules: TEST_RULES });
    queue.startWorker(
      createWorkerHooks({
        auth: (installationId) => probot.auth(installationId),
        log: probot.log,
        scan: app.scanDeps,
      }),
    );
    const middleware = await createNodeMiddleware(app.handlers, { probot });
    const server = createServer((request, response) => {
      void middleware(request, response, () => {
        response.writeHead(404).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    nock.enableNetConnect('127.0.0.1');
    return {
      url: `http://127.0.0.1:${port}/api/github/webhooks`,
      queue,
      close: () =>
        new Promise((resolve) =>
          server.close(() => {
            resolve();
          }),
        ),
    };
  }

  function post(url: string, body: string, signature: string): Promise<Response> {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': 'b7f2c1d0-0000-4000-8000-000000000001',
        'x-hub-signature-256': signature,
      },
      body,
    });
  }

  it('rejects a delivery with a bad signature before any API call', async () => {
    const { url, close, queue } = await serve();
    github();
    try {
      const body = JSON.stringify(fixture('pull_request.opened'));
      const forged = `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`;
      const response = await post(url, body, forged);
      expect(response.status).toBe(400);
      await queue.idle();
      expect(queue.size).toEqual({ pending: 0, running: 0, tasks: 0 });
      expect(recordedRequests()).toEqual([]);
    } finally {
      await close();
    }
  });

  it('accepts a signed delivery and answers before the scan runs', async () => {
    const { url, close, queue } = await serve();
    const api = github();
    mockToken(api);
    mockQuietScan(api);
    try {
      const body = JSON.stringify(fixture('pull_request.opened'));
      const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      const response = await post(url, body, signature);
      expect(response.status).toBe(200);
      await queue.idle();
      expect(nock.pendingMocks()).toEqual([]);
    } finally {
      await close();
    }
  });
});
