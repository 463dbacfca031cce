import { setTimeout as sleep } from 'node:timers/promises';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  INSTALLATION_ID,
  REPO_PATH,
  TOKEN,
  createHarness,
  fixture,
  github,
  pullRequest,
  setUpNock,
  tearDownNock,
} from './harness.js';

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

const PULLS = [11, 12, 13, 14, 15];
const PUSHES = 4;

function shaOf(pull: number, push: number): string {
  return `${pull}${push}`.padEnd(40, 'a');
}

interface Created {
  id: number;
  headSha: string;
  externalId: string;
  status: string;
}

interface Update {
  status?: string;
  conclusion?: string;
  output: { title: string };
}

describe('20 pushes across 5 pull requests', () => {
  it('leave every latest head with a completed check and no check in progress', async () => {
    const harness = await createHarness({ concurrency: 2 });
    const heads = new Map<number, string>();
    const created: Created[] = [];
    const updates = new Map<number, Update[]>();
    let nextId = 500;
    const api = github();
    api
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: TOKEN, expires_at: '2099-01-01T00:00:00Z' })
      .persist();
    api
      .post(`${REPO_PATH}/check-runs`)
      .delay(2)
      .reply(201, (_uri, body) => {
        const id = ++nextId;
        const request = body as { head_sha: string; external_id: string; status: string };
        created.push({
          id,
          headSha: request.head_sha,
          externalId: request.external_id,
          status: request.status,
        });
        return { id };
      })
      .persist();
    api
      .get(/\/commits\/[0-9a-f]+\/check-runs/)
      .query(true)
      .reply(200, (uri) => {
        const sha = /\/commits\/([0-9a-f]+)\//.exec(uri)?.[1];
        const runs = created
          .filter((run) => run.headSha === sha)
          .map((run) => ({
            id: run.id,
            name: 'PyGuard',
            external_id: run.externalId,
            status:
              (updates.get(run.id) ?? []).findLast((update) => update.status !== undefined)
                ?.status ?? run.status,
          }));
        return { total_count: runs.length, check_runs: runs };
      })
      .persist();
    api
      .patch(/\/check-runs\/\d+$/)
      .reply(200, (uri, body) => {
        const id = Number(uri.split('/').pop());
        updates.set(id, [...(updates.get(id) ?? []), body as Update]);
        return { id };
      })
      .persist();
    api
      .get(/\/pulls\/\d+$/)
      .delay(3)
      .reply(200, (uri) => {
        const number = Number(uri.split('/').pop());
        return pullRequest({ number, head: heads.get(number) ?? '' });
      })
      .persist();
    api
      .get(/\/contents\/\.github%2Fpyguard\.yml$/)
      .reply(404, {})
      .persist();
    api
      .get(/\/pulls\/\d+\/files/)
      .delay(10)
      .reply(200, (uri) => {
        const number = /pulls\/(\d+)\/files/.exec(uri)?.[1] ?? '0';
        return [
          {
            filename: `pkg/mod_${number}.py`,
            status: 'added',
            sha: number.padEnd(40, 'b'),
            patch: '@@ -0,0 +1 @@\n+VALUE = 1',
            changes: 1,
          },
        ];
      })
      .persist();
    api
      .get(/\/git\/blobs\/\w+$/)
      .reply(200, { encoding: 'base64', content: Buffer.from('VALUE = 1\n').toString('base64') })
      .persist();
    api
      .get(/\/pulls\/\d+\/(comments|reviews)\?per_page=100$/)
      .reply(200, [])
      .persist();

    let answeredWhileBusy = 0;
    for (let push = 1; push <= PUSHES; push++) {
      for (const pull of PULLS) {
        const payload = fixture('pull_request.synchronize');
        const head = shaOf(pull, push);
        heads.set(pull, head);
        payload['number'] = pull;
        const pr = payload['pull_request'] as { number: number; head: { sha: string } };
        pr.number = pull;
        pr.head.sha = head;
        await harness.probot.receive({
          id: `push-${pull}-${push}`,
          name: 'pull_request',
          payload: payload as never,
        });
        // The handler answered; the scans run in the background.
        if (harness.queue.size.running > 0) answeredWhileBusy++;
        await sleep(1);
      }
    }
    await harness.queue.idle();

    expect(harness.jobErrors).toEqual([]);
    expect(answeredWhileBusy).toBeGreaterThan(0);
    // Every accepted push shows PyGuard at once: one queued check run per head, none twice.
    expect(created.map((run) => run.headSha).sort()).toEqual(
      PULLS.flatMap((pull) =>
        Array.from({ length: PUSHES }, (_, index) => shaOf(pull, index + 1)),
      ).sort(),
    );
    expect(new Set(created.map((run) => run.status))).toEqual(new Set(['queued']));
    for (const run of created) {
      const last = updates.get(run.id)?.at(-1);
      expect(last?.status, `check run ${run.id} on ${run.headSha}`).toBe('completed');
    }
    for (const pull of PULLS) {
      const latest = shaOf(pull, PUSHES);
      const runs = created.filter((run) => run.headSha === latest);
      expect(runs, `PR #${pull}`).toHaveLength(1);
      expect(updates.get(runs[0]?.id ?? 0)?.at(-1)?.conclusion).toBe('success');
    }
    // Every older head, waiting or running when the next push came, ends superseded.
    const older = created.filter((run) => ![...heads.values()].includes(run.headSha));
    expect(older).toHaveLength(PULLS.length * (PUSHES - 1));
    for (const run of older) {
      const last = updates.get(run.id)?.at(-1);
      expect(last?.conclusion, `check run ${run.id} on ${run.headSha}`).toBe('neutral');
      expect(last?.output.title).toBe('Superseded by a newer push');
    }
  });
});
