/**
 * Two installations writing at once through a Probot built with PyGuard's Octokit, throttling
 * on: which order GitHub (nock) saw the writes in, and when.
 */
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import type { ProbotOctokit } from 'probot';

import { createPyGuardOctokit } from '../../src/github/octokit.js';
import { API, testPrivateKey } from './harness.js';

export interface TimedWrite {
  /** `one` or `two`: the repository, one per installation. */
  repo: string;
  at: number;
}

type Client = InstanceType<typeof ProbotOctokit>;

/**
 * Installation 21 (repository `one`, a webhook client) and installation 22 (repository `two`,
 * from `probot.auth`) each post two comments, all four started together.
 */
export async function writeFromTwoInstallations(redisUrl?: string): Promise<TimedWrite[]> {
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    log: pino({ level: 'silent' }),
    Octokit: createPyGuardOctokit({ retry: { retries: 0 } }),
    ...(redisUrl === undefined ? {} : { redisConfig: redisUrl }),
  });
  const writes: TimedWrite[] = [];
  const api = nock(API);
  for (const id of [21, 22]) {
    api.post(`/app/installations/${id}/access_tokens`).reply(201, {
      token: `ghs_installation_${id}`,
      expires_at: '2099-01-01T00:00:00Z',
    });
  }
  api.get('/rate_limit').times(2).reply(200, {});
  for (const repo of ['one', 'two']) {
    api
      .post(`/repos/owner/${repo}/issues/1/comments`)
      .times(2)
      .reply(() => {
        writes.push({ repo, at: performance.now() });
        return [201, { id: 1 }];
      });
  }

  const app = await probot.auth();
  const webhookClient = (await app.auth({
    type: 'event-octokit',
    event: { id: 'delivery-1', name: 'issue_comment', payload: { installation: { id: 21 } } },
  })) as Client;
  const authClient = await probot.auth(22);
  // Tokens first, so the comments start together.
  await Promise.all([
    webhookClient.request('GET /rate_limit'),
    authClient.request('GET /rate_limit'),
  ]);

  const comment = (client: Client, repo: string): Promise<unknown> =>
    client.rest.issues.createComment({ owner: 'owner', repo, issue_number: 1, body: 'x' });
  await Promise.all([
    comment(webhookClient, 'one'),
    comment(webhookClient, 'one'),
    comment(authClient, 'two'),
    comment(authClient, 'two'),
  ]);
  return writes;
}
