/**
 * The dependency audit in the App: a pull request that bumps a pin in `requirements.txt` to a
 * vulnerable version gets one inline comment with the fix, the check follows its severity, and
 * an unreachable OSV never fails the code scan.
 */
import { fileURLToPath } from 'node:url';

import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { AdvisoryUnavailableError, type AdvisorySource } from '../../src/deps/advisory-source.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';
import { OsvClient } from '../../src/deps/osv-client.js';
import { advisorySourceFromEnv } from '../../src/github/app.js';
import {
  BASELINE_READ,
  CHECK_LIST_QUERY,
  HEAD,
  REPO_PATH,
  TEST_RULES,
  createHarness,
  fileEntry,
  fixture,
  github,
  mockBlob,
  mockConfig,
  mockCreateCheck,
  mockCreateReview,
  mockFiles,
  mockNoConfig,
  mockPosted,
  mockPull,
  mockToken,
  mockUpdateCheck,
  requestLines,
  setUpNock,
  tearDownNock,
  updatesAfterStart,
  mockPublished,
} from './harness.js';

const OSV = 'https://api.osv.dev';

/** The test rules and the dependency rules. */
const RULES = [...TEST_RULES, ...allRules.filter((rule) => rule.meta.category === 'dependencies')];

/**
 * `requirements.txt` at the head: the pull request bumps Django from 2.2.0 to 2.2.8 (line 2),
 * still affected by GHSA-vfq6-hq5r-27r6 (fixed in 2.2.9). `requests==2.25.0` on line 3 is
 * vulnerable too, but the pull request does not touch it.
 */
const REQUIREMENTS = `flask==2.3.3
Django==2.2.8
requests==2.25.0
`;

const REQUIREMENTS_PATCH = `@@ -1,3 +1,3 @@
 flask==2.3.3
-Django==2.2.0
+Django==2.2.8
 requests==2.25.0`;

/** `app/load.py` at the head, all new: `yaml.load` on line 5 is a high-severity finding. */
const LOAD = `import yaml


def load(handle):
    return yaml.load(handle)
`;

const LOAD_PATCH = `@@ -0,0 +1,5 @@
${LOAD.trimEnd()
  .split('\n')
  .map((line) => `+${line}`)
  .join('\n')}`;

interface CheckUpdate {
  status?: string;
  conclusion?: string;
  output: {
    title: string;
    summary: string;
    annotations?: { path: string; start_line: number; annotation_level: string; title: string }[];
  };
}

interface ReviewBody {
  comments: { path: string; line: number; side: string; body: string }[];
}

let offline: OfflineOsvSource;

beforeAll(async () => {
  offline = await OfflineOsvSource.fromDirectory(
    fileURLToPath(new URL('../deps/fixtures/osv', import.meta.url)),
  );
});

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

/** Mocks one scan of a pull request changing these files, up to the completed check. */
function mockScan(
  api: nock.Scope,
  files: readonly { path: string; content: string; patch?: string; status?: string }[],
  options: { review: boolean },
): number {
  mockToken(api);
  const checkId = mockCreateCheck(api);
  mockPull(api);
  mockNoConfig(api);
  mockFiles(
    api,
    files.map((file) => fileEntry(file.path, file.content, file.patch, file.status)),
  );
  for (const file of files) mockBlob(api, file.path, file.content);
  mockPosted(api);
  if (options.review) mockCreateReview(api);
  mockUpdateCheck(api, checkId);
  return checkId;
}

async function scanWith(
  advisories: AdvisorySource,
  files: Parameters<typeof mockScan>[1],
  options: { review: boolean },
): Promise<{ checkId: number; update: CheckUpdate | undefined; reviews: ReviewBody[] }> {
  const harness = await createHarness({ rules: RULES, advisories });
  const api = github();
  const checkId = mockScan(api, files, options);
  await harness.deliver('pull_request', fixture('pull_request.opened'));
  expect(harness.jobErrors).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  expect(requestLines(harness.requests).filter((line) => line.includes('UNMATCHED'))).toEqual([]);
  const [update, ...later] = updatesAfterStart<CheckUpdate>(harness, checkId);
  expect(later).toEqual([]);
  return {
    checkId,
    update,
    reviews: harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[],
  };
}

describe('a pull request that bumps a pin to a vulnerable version', () => {
  it('gets one comment on that line naming the advisory with the fix, and the check fails', async () => {
    const harness = await createHarness({ rules: RULES, advisories: offline });
    const api = github();
    const checkId = mockScan(
      api,
      [{ path: 'requirements.txt', content: REQUIREMENTS, patch: REQUIREMENTS_PATCH }],
      { review: true },
    );

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      `POST ${REPO_PATH}/check-runs`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
      `GET ${REPO_PATH}/pulls/2`,
      `GET ${REPO_PATH}/contents/.github%2Fpyguard.yml`,
      'GET /repos/Codertocat/.github/contents/.github%2Fpyguard.yml',
      `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
      `GET ${REPO_PATH}/git/blobs/${fileEntry('requirements.txt', REQUIREMENTS, undefined).sha ?? ''}`,
      BASELINE_READ,
      `GET ${REPO_PATH}/pulls/2/comments?per_page=100`,
      `GET ${REPO_PATH}/pulls/2/reviews?per_page=100`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
      `POST ${REPO_PATH}/pulls/2/reviews`,
    ]);

    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments.map((comment) => [comment.path, comment.line, comment.side])).toEqual([
      ['requirements.txt', 2, 'RIGHT'],
    ]);
    const body = review?.comments[0]?.body ?? '';
    expect(body).toContain('PGV001');
    expect(body).toContain('GHSA-vfq6-hq5r-27r6');
    expect(body).toContain('CVE-2019-19844');
    expect(body).toContain('Upgrade to 2.2.9');
    expect(body).toContain('```suggestion\nDjango==2.2.9\n```');
    expect(body).not.toContain('requests');

    const [update, ...later] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(later).toEqual([]);
    expect(update?.status).toBe('completed');
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.title).toBe('1 new finding (1 high)');
    // The finding has an inline comment, so it is not also an annotation.
    expect(update?.output).not.toHaveProperty('annotations');
    const summary = update?.output.summary ?? '';
    expect(summary).toContain('### Vulnerable dependencies (1)');
    expect(summary).toContain(
      '| `Django` | `2.2.8` | GHSA-vfq6-hq5r-27r6 | `2.2.9` | `requirements.txt:2` |',
    );
    expect(summary).toContain('audited 1 changed dependency manifest against OSV');
    expect(summary).not.toContain('Dependency audit skipped');
  });

  it('asks OSV once for the changed requirement and reports it the same way', async () => {
    const osv = nock(OSV)
      .post('/v1/querybatch', {
        queries: [{ package: { name: 'django', ecosystem: 'PyPI' }, version: '2.2.8' }],
      })
      .reply(200, { results: [{ vulns: [{ id: 'GHSA-vfq6-hq5r-27r6' }] }] })
      .get('/v1/vulns/GHSA-vfq6-hq5r-27r6')
      .replyWithFile(
        200,
        fileURLToPath(
          new URL('../deps/fixtures/osv/PyPI/GHSA-vfq6-hq5r-27r6.json', import.meta.url),
        ),
        { 'content-type': 'application/json' },
      );

    const { update, reviews } = await scanWith(
      new OsvClient({ sleep: () => Promise.resolve() }),
      [{ path: 'requirements.txt', content: REQUIREMENTS, patch: REQUIREMENTS_PATCH }],
      { review: true },
    );

    expect(osv.isDone()).toBe(true);
    expect(update?.conclusion).toBe('failure');
    expect(reviews.flatMap((review) => review.comments.map((c) => [c.path, c.line]))).toEqual([
      ['requirements.txt', 2],
    ]);
    expect(reviews[0]?.comments[0]?.body).toContain('GHSA-vfq6-hq5r-27r6');
  });
});

describe('a pull request whose changed requirements have no advisory', () => {
  it('completes with success and says the manifest was audited', async () => {
    const content = 'flask==2.3.3\nDjango==2.2.9\nrequests==2.25.0\n';
    const patch =
      '@@ -1,3 +1,3 @@\n flask==2.3.3\n-Django==2.2.8\n+Django==2.2.9\n requests==2.25.0';
    const { update, reviews } = await scanWith(
      offline,
      [{ path: 'requirements.txt', content, patch }],
      { review: false },
    );
    expect(reviews).toEqual([]);
    expect(update?.conclusion).toBe('success');
    expect(update?.output.title).toBe('No new findings');
    expect(update?.output.summary).not.toContain('Vulnerable dependencies');
  });
});

describe('OSV cannot be reached', () => {
  it('completes the check with the code findings and says the dependency audit was skipped', async () => {
    const osv = nock(OSV)
      .post('/v1/querybatch', {
        queries: [{ package: { name: 'django', ecosystem: 'PyPI' }, version: '2.2.8' }],
      })
      .times(3)
      .reply(503, 'Service Unavailable');

    const { update, reviews } = await scanWith(
      new OsvClient({ sleep: () => Promise.resolve() }),
      [
        { path: 'app/load.py', content: LOAD, patch: LOAD_PATCH, status: 'added' },
        { path: 'requirements.txt', content: REQUIREMENTS, patch: REQUIREMENTS_PATCH },
      ],
      { review: true },
    );

    expect(osv.isDone()).toBe(true);
    // The code finding decides the conclusion; the skipped audit neither fails the check nor
    // makes it follow `on_error`.
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.title).toBe('1 new finding (1 high)');
    // Commented inline, so not also an annotation.
    expect(update?.output).not.toHaveProperty('annotations');
    const summary = update?.output.summary ?? '';
    expect(summary).toContain(
      '**Dependency audit skipped:** the changed requirements were not checked for known vulnerabilities because advisories could not be read from OSV (https://api.osv.dev): POST https://api.osv.dev/v1/querybatch failed after 3 attempts: HTTP 503.',
    );
    expect(summary).not.toContain('not fully scanned');
    expect(reviews.flatMap((review) => review.comments.map((c) => [c.path, c.line]))).toEqual([
      ['app/load.py', 5],
    ]);
  });

  it('says so without failing a pull request with no code findings', async () => {
    nock(OSV).post('/v1/querybatch').times(3).replyWithError({ code: 'ECONNRESET' });

    const { update } = await scanWith(
      new OsvClient({ sleep: () => Promise.resolve() }),
      [{ path: 'requirements.txt', content: REQUIREMENTS, patch: REQUIREMENTS_PATCH }],
      { review: false },
    );

    expect(update?.conclusion).toBe('success');
    expect(update?.output.title).toBe('No new findings');
    expect(update?.output.summary).toContain('**Dependency audit skipped:**');
  });
});

describe('a pull request that removes a requirements file', () => {
  it('neither fetches nor audits it', async () => {
    const harness = await createHarness({ rules: RULES, advisories: offline });
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    const removed = { ...fileEntry('requirements.txt', REQUIREMENTS, undefined, 'removed') };
    removed.sha = null;
    mockFiles(api, [removed]);
    mockPosted(api);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).some((line) => line.includes('/git/blobs/'))).toBe(false);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('success');
    expect(update?.output.title).toBe('No Python or template files changed');
  });
});

describe('advisorySourceFromEnv', () => {
  const directory = fileURLToPath(new URL('../deps/fixtures/osv', import.meta.url));

  it('is the OSV API without PYGUARD_OSV_DB', () => {
    expect(advisorySourceFromEnv({}).description).toBe('OSV (https://api.osv.dev)');
    expect(advisorySourceFromEnv({ PYGUARD_OSV_DB: ' ' }).description).toBe(
      'OSV (https://api.osv.dev)',
    );
  });

  it('reads the records of PYGUARD_OSV_DB on first use', async () => {
    const source = advisorySourceFromEnv({ PYGUARD_OSV_DB: directory });
    expect(source.description).toBe(`offline OSV records in ${directory}`);
    const [django] = await source.advisoriesFor([{ name: 'django', version: '2.2.8' }]);
    expect(django?.map((record) => record.id)).toEqual(['GHSA-vfq6-hq5r-27r6']);
  });

  it('fails the audit, not the service, when the directory cannot be read', async () => {
    const missing = `${directory}/does-not-exist`;
    const source = advisorySourceFromEnv({ PYGUARD_OSV_DB: missing });
    await expect(source.advisoriesFor([{ name: 'django', version: '2.2.8' }])).rejects.toThrow(
      AdvisoryUnavailableError,
    );
  });
});

describe('a changed requirements file GitHub shows no patch for', () => {
  it('judges the lines that differ from the merge base only', async () => {
    const harness = await createHarness({ rules: RULES, advisories: offline });
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    mockFiles(api, [{ ...fileEntry('requirements.txt', REQUIREMENTS, undefined), changes: 2 }]);
    mockBlob(api, 'requirements.txt', REQUIREMENTS);
    const mergeBase = 'aaaabbbbccccddddeeeeffff0000111122223333';
    api
      .get(`${REPO_PATH}/compare/f95f852bd8fca8fcc58a9a2d6c842781e32a215e...${HEAD}`)
      .query({ per_page: '1' })
      .reply(200, { merge_base_commit: { sha: mergeBase }, files: [] });
    api
      .get(`${REPO_PATH}/contents/requirements.txt`)
      .query({ ref: mergeBase })
      .reply(200, REQUIREMENTS.replace('Django==2.2.8', 'Django==2.2.0'), {
        'content-type': 'text/plain; charset=utf-8',
      });
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('failure');
    // Line 2 changed; `requests` on line 3 was already there.
    expect(update?.output.annotations?.map((a) => [a.path, a.start_line])).toEqual([
      ['requirements.txt', 2],
    ]);
  });
});

describe('a requirements file larger than max_file_bytes', () => {
  it('is listed as not fully scanned, like a Python file', async () => {
    const harness = await createHarness({ rules: RULES, advisories: offline });
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(api, 'max_file_bytes: 20\n');
    mockFiles(api, [fileEntry('requirements.txt', REQUIREMENTS, REQUIREMENTS_PATCH)]);
    mockBlob(api, 'requirements.txt', REQUIREMENTS);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.title).toBe('No new findings; 1 file not fully scanned');
    expect(update?.output.summary).toContain('is larger than max\\_file\\_bytes (20 bytes)');
  });
});
