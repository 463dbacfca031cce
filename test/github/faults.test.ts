/**
 * Every GitHub call a scan makes, failing in each way it can: the check run always completes
 * (or is left pending for the next attempt), nothing is posted twice, no finding is lost.
 */
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createQueuedCheckRun, externalIdFor } from '../../src/github/checks.js';
import { DeadlineError, ShutdownError, TransientError } from '../../src/github/jobs/types.js';
import type { JobRun } from '../../src/github/jobs/types.js';
import { scanPullRequest } from '../../src/github/scan-pull-request.js';
import type { ScanRequest } from '../../src/github/scan-pull-request.js';
import { RuleRegistry } from '../../src/rules-api/registry.js';
import { APP_ID, FakeGitHub } from './fake-github.js';
import type { Fault, FaultKind } from './fake-github.js';
import {
  HEAD,
  INSTALLATION_ID,
  NOW,
  OWNER,
  REPO,
  REPO_PATH,
  TEST_RULES,
  createHarness,
  fileEntry,
  fixture,
  github,
  setUpNock,
  tearDownNock,
} from './harness.js';
import type { Harness } from './harness.js';

const SOURCE = 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n';
const PATCH = '@@ -0,0 +1,5 @@\n+import yaml\n+\n+\n+def load(text):\n+    return yaml.load(text)';
const GONE = 'feedfacefeedface';
/** PyGuard's comment on a finding an earlier push had, gone from this head. */
const OLD_THREAD = {
  id: 'PRRT_1',
  isResolved: false,
  path: 'load.py',
  line: 2,
  body: `**PGD001 · Pickle** (high severity)\n\nold finding\n\n<!-- pyguard:fp=${GONE} -->`,
};

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

function fakeRepo(config?: string): FakeGitHub {
  return new FakeGitHub(github(), {
    files: [fileEntry('load.py', SOURCE, PATCH, 'added')],
    contents: { 'load.py': SOURCE },
    threads: [OLD_THREAD],
    ...(config === undefined ? {} : { config }),
  });
}

const ROUTES = {
  pull: { method: 'GET', path: /\/pulls\/2$/ },
  config: { method: 'GET', path: /\/Hello-World\/contents\/\.github%2Fpyguard\.yml$/ },
  baseline: { method: 'GET', path: /\/contents\/\.pyguard-baseline\.json$/ },
  files: { method: 'GET', path: /\/pulls\/2\/files$/ },
  blob: { method: 'GET', path: /\/git\/blobs\// },
  listChecks: { method: 'GET', path: /\/commits\/[0-9a-f]+\/check-runs$/ },
  /** The job's check run, created `queued` when the job is accepted. */
  createCheck: { method: 'POST', path: /\/check-runs$/ },
  /** The check run marked `in_progress` when the scan starts. */
  startCheck: { method: 'PATCH', path: /\/check-runs\/\d+$/, status: 'in_progress' },
  /** The check run completed with the result. */
  completeCheck: { method: 'PATCH', path: /\/check-runs\/\d+$/, status: 'completed' },
  comments: { method: 'GET', path: /\/pulls\/2\/comments$/ },
  reviews: { method: 'GET', path: /\/pulls\/2\/reviews$/ },
  createReview: { method: 'POST', path: /\/pulls\/2\/reviews$/ },
  threads: { method: 'POST', path: /^\/graphql$/, query: /reviewThreads/ },
  resolve: { method: 'POST', path: /^\/graphql$/, query: /resolveReviewThread/ },
} satisfies Record<string, Omit<Fault, 'kind'>>;

type Route = keyof typeof ROUTES;

/**
 * What the pull request shows afterwards: `result` the finding on a completed check, the review
 * posted once and the fixed thread resolved; `noted` the finding on the check with a note that
 * an optional step failed; `error` the check completed with `on_error`; `no-check` nothing.
 */
type Outcome = 'result' | 'noted' | 'error' | 'no-check' | 'file-skipped' | 'rejected';

const SERVER: FaultKind[] = [500, 502, 'reset-before'];
const cases: [Route, FaultKind, Outcome][] = [
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['pull', kind, 'error']),
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['config', kind, 'error']),
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['files', kind, 'error']),
  // Never a comment on every baselined finding because the baseline could not be read.
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['baseline', kind, 'error']),
  ['files', 'reset-after', 'error'],
  ['files', 403, 'error'],
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['blob', kind, 'error']),
  ['blob', 422, 'file-skipped'],
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['listChecks', kind, 'result']),
  ...[...SERVER, 'reset-after' as const].map((kind): [Route, FaultKind, Outcome] => [
    'createCheck',
    kind,
    'result',
  ]),
  // The queued check run was refused: the scan creates the job's check run when it starts.
  ['createCheck', 422, 'result'],
  ...[...SERVER, 'reset-after' as const].map((kind): [Route, FaultKind, Outcome] => [
    'startCheck',
    kind,
    'result',
  ]),
  ['startCheck', 422, 'error'],
  ...[...SERVER, 'reset-after' as const].map((kind): [Route, FaultKind, Outcome] => [
    'completeCheck',
    kind,
    'result',
  ]),
  ['completeCheck', 422, 'error'],
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['comments', kind, 'noted']),
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['reviews', kind, 'noted']),
  ...[...SERVER, 'reset-after' as const].map((kind): [Route, FaultKind, Outcome] => [
    'createReview',
    kind,
    'result',
  ]),
  ['createReview', 422, 'rejected'],
  ...SERVER.map((kind): [Route, FaultKind, Outcome] => ['threads', kind, 'noted']),
  ...[...SERVER, 'reset-after' as const].map((kind): [Route, FaultKind, Outcome] => [
    'resolve',
    kind,
    'noted',
  ]),
];

/** Fingerprint markers of PyGuard's new comments and review bodies, duplicates kept. */
function postedMarkers(fake: FakeGitHub): string[] {
  const bodies = [
    ...fake.comments.map((comment) => comment.body),
    ...fake.reviews.map((review) => review.body),
  ];
  return bodies
    .flatMap((body) => [...body.matchAll(/^<!-- pyguard:fp=([0-9a-f]+) -->$/gm)])
    .map((match) => match[1] ?? '')
    .filter((fingerprint) => fingerprint !== GONE);
}

function expectOutcome(fake: FakeGitHub, harness: Harness, outcome: Outcome): void {
  expect(harness.jobErrors).toEqual([]);
  expect(fake.unusedFaults()).toEqual([]);
  // Never a second check run, whatever was retried.
  expect(fake.checkRuns.length).toBe(outcome === 'no-check' ? 0 : 1);
  const markers = postedMarkers(fake);
  expect(new Set(markers).size).toBe(markers.length);
  if (outcome === 'no-check') {
    expect(harness.logs.join('')).toContain('"msg":"scan failed"');
    return;
  }
  const [run] = fake.checkRuns;
  expect(run?.status).toBe('completed');
  if (outcome === 'error') {
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.title).toBe('PyGuard could not finish the scan');
    expect(run?.output.summary).toContain('/pyguard rescan');
    expect(fake.reviewPosts).toBe(0);
    return;
  }
  if (outcome === 'file-skipped') {
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.summary).toContain('- `load.py` — could not be read from GitHub (HTTP 422)');
    return;
  }
  // The finding is on the check, once, whatever happened to the optional steps.
  expect(run?.conclusion).toBe('failure');
  expect(run?.output.title).toBe('1 new finding (1 high)');
  expect(run?.output.summary).toContain('`load.py:5`');
  // On the diff it is shown once: as an inline comment, or as an annotation when it has none.
  const inline = fake.comments.filter((comment) => !comment.body.includes(GONE));
  const annotated = run?.annotations.map((annotation) => [annotation.path, annotation.start_line]);
  expect(inline.length + (annotated?.length ?? 0)).toBe(1);
  if (inline.length === 0) expect(annotated).toEqual([['load.py', 5]]);
  // Exactly one review carries the finding (inline, or listed after a 422), or none when the
  // earlier comments could not be read.
  expect(markers.length).toBe(fake.reviewPosts);
  if (outcome === 'result') {
    expect(fake.reviewPosts).toBe(1);
    expect(fake.comments.filter((comment) => !comment.body.includes(GONE))).toHaveLength(1);
    expect(fake.threads[0]?.isResolved).toBe(true);
    expect(run?.output.summary).not.toContain('**Note:**');
  }
  if (outcome === 'rejected') {
    expect(fake.reviewPosts).toBe(1);
    expect(run?.output.summary).toContain('**GitHub did not accept the inline comments**');
  }
  if (outcome === 'noted') {
    expect(run?.output.summary).toMatch(/\*\*Note:\*\* .+\. Every finding is listed above/);
  }
}

describe('a fault on each GitHub call of a scan', () => {
  it.each(cases)('%s answering %s ends in %s', async (route, kind, outcome) => {
    const harness = await createHarness();
    const fake = fakeRepo();
    fake.inject({ ...ROUTES[route], kind });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expectOutcome(fake, harness, outcome);
  });

  it('without faults writes only: create, complete, review, resolve', async () => {
    const harness = await createHarness();
    const fake = fakeRepo();

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expectOutcome(fake, harness, 'result');
    const writes = harness.requests
      .filter((request) => request.method !== 'GET' && !request.path.includes('access_tokens'))
      .map((request) => `${request.method} ${request.path}`);
    expect(writes).toEqual([
      `POST ${REPO_PATH}/check-runs`,
      `PATCH ${REPO_PATH}/check-runs/${fake.checkRuns[0]?.id ?? 0}`,
      // The threads query (a read) comes before the check completes, so it can list the fixed.
      'POST /graphql',
      `PATCH ${REPO_PATH}/check-runs/${fake.checkRuns[0]?.id ?? 0}`,
      `POST ${REPO_PATH}/pulls/2/reviews`,
      'POST /graphql',
    ]);
  });

  it('a check run GitHub refuses at acceptance and again when the scan starts leaves none, and logs why', async () => {
    const harness = await createHarness();
    const fake = fakeRepo();
    fake.inject({ ...ROUTES.createCheck, kind: 422, times: 2 });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expectOutcome(fake, harness, 'no-check');
    expect(fake.checkPosts).toBe(0);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toHaveLength(2);
    expect(harness.logs.join('')).toContain('"msg":"could not create the queued check run"');
  });

  it.each([
    [502, ['in_progress', 'in_progress', 'completed']],
    ['reset-after', ['in_progress', 'completed']],
  ] as const)(
    'a start of the check answering %s is read back and sent again only if GitHub did not apply it',
    async (kind, statuses) => {
      const harness = await createHarness();
      const fake = fakeRepo();
      fake.inject({ ...ROUTES.startCheck, kind });

      await harness.deliver('pull_request', fixture('pull_request.opened'));

      expectOutcome(fake, harness, 'result');
      const id = fake.checkRuns[0]?.id ?? 0;
      const checkRequests = harness.requests
        .filter((request) => request.path.split('?')[0]?.endsWith(`/check-runs/${id}`))
        .map((request) => `${request.method} ${request.path}`);
      expect(checkRequests).toEqual([
        `PATCH ${REPO_PATH}/check-runs/${id}`,
        `GET ${REPO_PATH}/check-runs/${id}`,
        ...statuses.slice(1).map(() => `PATCH ${REPO_PATH}/check-runs/${id}`),
      ]);
      const sent = harness.bodies('PATCH', `${REPO_PATH}/check-runs/${id}`) as { status: string }[];
      expect(sent.map((body) => body.status)).toEqual(statuses);
    },
  );

  it('a review whose connection breaks twice is still posted once', async () => {
    const harness = await createHarness();
    const fake = fakeRepo();
    fake.inject({ ...ROUTES.createReview, kind: 'reset-before' });
    fake.inject({ ...ROUTES.createReview, kind: 'reset-after' });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expectOutcome(fake, harness, 'result');
    expect(harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`)).toHaveLength(2);
  });

  it('a review that keeps failing leaves every finding on the check, with a note', async () => {
    const harness = await createHarness();
    const fake = fakeRepo();
    fake.inject({ ...ROUTES.createReview, kind: 502, times: 4 });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expectOutcome(fake, harness, 'noted');
    expect(fake.reviewPosts).toBe(0);
    expect(fake.checkRuns[0]?.output.summary).toContain(
      'the inline comments could not be posted (the GitHub API answered 502 to POST /repos/Codertocat/Hello-World/pulls/2/reviews)',
    );
  });
});

describe('a check run left in progress by a process that died', () => {
  it('is reused by the next scan of the head, and its annotations are not sent twice', async () => {
    const harness = await createHarness();
    // No inline comments, so the finding is an annotation.
    const fake = fakeRepo('comments:\n  max: 0\n');
    const left = fake.seedCheckRun({
      external_id: externalIdFor(2, 'pull_request.opened'),
      annotations: [{ path: 'load.py', start_line: 5, annotation_level: 'failure' }],
    });
    // Another app's check of the same name and external id is never touched.
    const other = fake.seedCheckRun({ external_id: left.external_id ?? '', app: { id: 99 } });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(fake.checkPosts).toBe(0);
    expect(fake.checkRuns[0]).toMatchObject({ id: left.id, status: 'completed' });
    expect(fake.checkRuns[0]?.annotations).toHaveLength(1);
    expect(harness.bodies('GET', `${REPO_PATH}/check-runs/${left.id}`)).toHaveLength(1);
    expect(fake.checkRuns[1]).toMatchObject({ id: other.id, status: 'in_progress' });
  });
});

describe('a scan attempt that another attempt follows', () => {
  interface Attempt {
    run: JobRun;
    remembered: number[];
  }

  function attempt(options: Partial<JobRun> = {}): Attempt {
    const remembered: number[] = [];
    return {
      remembered,
      run: {
        signal: new AbortController().signal,
        attempt: 1,
        finalAttempt: false,
        rememberCheckRun: (id) => {
          remembered.push(id);
          return Promise.resolve();
        },
        ...options,
      },
    };
  }

  async function setUp(): Promise<{
    fake: FakeGitHub;
    request: ScanRequest;
    scan: (run: JobRun) => Promise<void>;
  }> {
    const harness = await createHarness();
    const fake = fakeRepo();
    const octokit = await harness.probot.auth(INSTALLATION_ID);
    const request: ScanRequest = {
      octokit,
      log: pino({ level: 'silent' }),
      readConfig: () => Promise.resolve(null),
      deliveryId: 'delivery-retry',
      trigger: 'pull_request.synchronize',
      ref: { owner: OWNER, repo: REPO },
      pullNumber: 2,
      headSha: HEAD,
    };
    const deps = { clock: () => NOW, rules: TEST_RULES, registry: new RuleRegistry(TEST_RULES) };
    return {
      fake,
      request,
      scan: async (run) => {
        await scanPullRequest(request, deps, run);
      },
    };
  }

  it('leaves the check pending on a temporary failure, and the retry completes the same check', async () => {
    const { fake, scan } = await setUp();
    fake.inject({ ...ROUTES.files, kind: 502 });
    const first = attempt();

    const error = await scan(first.run).then(
      () => undefined,
      (failure: unknown) => failure,
    );

    expect(error).toBeInstanceOf(TransientError);
    expect(first.remembered).toEqual([fake.checkRuns[0]?.id]);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({
      status: 'in_progress',
      external_id: externalIdFor(2, 'pull_request.synchronize'),
      output: { title: 'Retrying' },
    });
    expect(fake.checkRuns[0]?.output.summary).toContain('Attempt 1 could not finish');

    const second = attempt({
      attempt: 2,
      finalAttempt: true,
      checkRunId: first.remembered[0],
    });
    await scan(second.run);

    expect(fake.checkPosts).toBe(1);
    expect(second.remembered).toEqual([]);
    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    // The finding is commented inline, so it is not also an annotation.
    expect(fake.checkRuns[0]?.annotations).toHaveLength(0);
    expect(fake.comments.filter((comment) => !comment.body.includes(GONE))).toHaveLength(1);
    expect(fake.reviewPosts).toBe(1);
  });

  it('finds its pending check run by external id when the id was not recorded', async () => {
    const { fake, scan } = await setUp();
    fake.inject({ ...ROUTES.pull, kind: 'reset-before' });
    await expect(scan(attempt().run)).rejects.toBeInstanceOf(TransientError);

    await scan(attempt({ attempt: 2, finalAttempt: true }).run);

    expect(fake.checkPosts).toBe(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('passes on how long GitHub asked to wait after a secondary rate limit', async () => {
    const { fake, scan } = await setUp();
    fake.inject({ ...ROUTES.files, kind: 403 });

    const error = await scan(attempt().run).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).retryAfterMs).toBe(1000);
  });

  it('completes the check with on_error on the final attempt, naming the attempts', async () => {
    const { fake, scan } = await setUp();
    fake.inject({ ...ROUTES.files, kind: 500 });

    await scan(attempt({ attempt: 3, finalAttempt: true }).run);

    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(fake.checkRuns[0]?.output.summary).toContain(
      'PyGuard could not finish scanning this commit (after 3 attempts): the GitHub API answered 500',
    );
  });

  it('completes the check at once for a permanent error, even with attempts left', async () => {
    const { fake, scan } = await setUp();
    fake.inject({ ...ROUTES.files, kind: 422 });

    await scan(attempt().run);

    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });

  it('hands a stopped worker’s job back, and cancels it when no other worker follows', async () => {
    const { fake, scan } = await setUp();
    const stopping = new AbortController();
    stopping.abort(new ShutdownError());

    await expect(scan(attempt({ signal: stopping.signal }).run)).rejects.toBeInstanceOf(
      ShutdownError,
    );
    expect(fake.checkRuns[0]?.status).toBe('in_progress');

    await scan(attempt({ signal: stopping.signal, finalAttempt: true }).run);

    expect(fake.checkPosts).toBe(1);
    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(fake.checkRuns[0]?.output.summary).toContain('/pyguard rescan');
  });

  it('treats a passed deadline like a temporary failure', async () => {
    const { fake, scan } = await setUp();
    const late = new AbortController();
    late.abort(new DeadlineError(60_000));

    await expect(scan(attempt({ signal: late.signal }).run)).rejects.toBeInstanceOf(DeadlineError);
    expect(fake.checkRuns[0]?.output.title).toBe('Retrying');

    await scan(attempt({ signal: late.signal, finalAttempt: true }).run);
    expect(fake.checkRuns[0]).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(fake.checkRuns[0]?.output.summary).toContain('did not finish within 60 s');
  });

  it('never reuses another app’s check run of the same name when the App id is given', async () => {
    const { fake, request } = await setUp();
    const other = fake.seedCheckRun({
      external_id: externalIdFor(2, 'pull_request.synchronize'),
      app: { id: 99 },
    });
    const deps = { clock: () => NOW, rules: TEST_RULES, registry: new RuleRegistry(TEST_RULES) };

    await scanPullRequest({ ...request, appId: APP_ID }, deps, attempt({ finalAttempt: true }).run);

    expect(fake.checkPosts).toBe(1);
    expect(fake.checkRuns.find((run) => run.id === other.id)?.status).toBe('in_progress');
    expect(fake.checkRuns.find((run) => run.id !== other.id)?.status).toBe('completed');
  });

  it('reuses the check run created queued at acceptance', async () => {
    const { fake, request, scan } = await setUp();
    fake.inject({ ...ROUTES.createCheck, kind: 'reset-after' });
    const target = {
      headSha: HEAD,
      externalId: externalIdFor(2, 'pull_request.synchronize'),
    };
    const { id: queued } = await createQueuedCheckRun(request.octokit, request.ref, target);
    expect(await createQueuedCheckRun(request.octokit, request.ref, target)).toEqual({
      id: queued,
      created: false,
    });
    expect(fake.checkRuns).toMatchObject([
      { id: queued, status: 'queued', output: { title: 'Queued' } },
    ]);

    await scan(attempt({ checkRunId: queued, finalAttempt: true }).run);

    expect(fake.checkPosts).toBe(1);
    expect(fake.checkRuns).toMatchObject([{ id: queued, status: 'completed' }]);
  });
});

describe('a configuration file larger than the cap', () => {
  it('is reported and not parsed; the scan runs with defaults', async () => {
    const harness = await createHarness();
    const huge = `fail_on: never\n${'# padding\n'.repeat(30_000)}`;
    const fake = fakeRepo(huge);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    const [run] = fake.checkRuns;
    // fail_on: never was not applied: the file was never parsed.
    expect(run?.conclusion).toBe('failure');
    expect(run?.output.summary).toContain('### Configuration problems (1)');
    expect(run?.output.summary).toContain(
      `the file has ${huge.length} characters, expected at most 262144; the defaults are used`,
    );
  });
});
