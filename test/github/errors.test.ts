import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import {
  CHECK_LIST_QUERY,
  HEAD,
  IN_PROGRESS_UPDATE,
  NOW,
  REPO_PATH,
  createHarness,
  fileEntry,
  fixture,
  github,
  mockBlob,
  mockConfig,
  mockCreateCheck,
  mockCreateReview,
  mockFiles,
  mockListChecks,
  mockNoConfig,
  mockPosted,
  mockPull,
  mockToken,
  mockUpdateCheck,
  queuedCheckRun,
  requestLines,
  setUpNock,
  tearDownNock,
  updatesAfterStart,
  mockPublished,
} from './harness.js';

const SOURCE = 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n';
const PATCH = '@@ -0,0 +1,5 @@\n+import yaml\n+\n+\n+def load(text):\n+    return yaml.load(text)';

interface CheckUpdate {
  status?: string;
  conclusion?: string;
  output: { title: string; summary: string; annotations?: { path: string; start_line: number }[] };
}

interface ReviewBody {
  body: string;
  comments: { path: string; line: number }[];
}

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

describe('a server error from GitHub', () => {
  it('is retried by Octokit, and the scan then succeeds', async () => {
    const harness = await createHarness({ retry: true });
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    api
      .get(`${REPO_PATH}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(502, { message: 'Server Error' });
    mockFiles(api, [fileEntry('load.py', SOURCE, PATCH, 'added')]);
    mockBlob(api, 'load.py', SOURCE);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).filter((line) => line.includes('/files'))).toEqual([
      `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
      `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
    ]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.title).toBe('1 new finding (1 high)');
  });

  it('that persists completes the check with the on_error conclusion', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    api
      .get(`${REPO_PATH}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(500, { message: 'Server Error' });
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart(harness, checkId);
    expect(update).toMatchSnapshot('error check run');
    expect(harness.logs.join('')).toContain('"msg":"scan failed"');
  });

  it('honours on_error: neutral from the configuration', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(api, 'on_error: neutral\n');
    api
      .get(`${REPO_PATH}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(503, { message: 'Service Unavailable' });
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.status).toBe('completed');
    expect(update?.conclusion).toBe('neutral');
  });

  it('when GitHub refuses to create the check run, at acceptance and again when the scan starts, is logged and nothing else is attempted', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    mockListChecks(api);
    api.post(`${REPO_PATH}/check-runs`).reply(403, { message: 'Resource not accessible' });
    mockListChecks(api);
    api.post(`${REPO_PATH}/check-runs`).reply(403, { message: 'Resource not accessible' });

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      // The queued check run of the accepted job…
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      `POST ${REPO_PATH}/check-runs`,
      // …and the scan's own attempt, since none exists.
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      `POST ${REPO_PATH}/check-runs`,
    ]);
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      queuedCheckRun(),
      {
        name: 'PyGuard',
        head_sha: HEAD,
        status: 'in_progress',
        started_at: NOW.toISOString(),
        external_id: 'pull:2:pull_request',
        output: IN_PROGRESS_UPDATE.output,
      },
    ]);
    const logs = harness.logs.join('');
    expect(logs).toContain('"msg":"could not create the queued check run"');
    expect(logs).toContain('"msg":"scan failed"');
  });
});

describe('a review GitHub rejects with 422', () => {
  it('is posted again without inline comments, and the findings are kept', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    mockFiles(api, [fileEntry('load.py', SOURCE, PATCH, 'added')]);
    mockBlob(api, 'load.py', SOURCE);
    mockPosted(api);
    api.post(`${REPO_PATH}/pulls/2/reviews`).reply(422, {
      message: 'Unprocessable Entity',
      errors: ['Pull request review thread line must be part of the diff'],
      documentation_url:
        'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request',
      status: '422',
    });
    mockCreateReview(api);
    mockUpdateCheck(api, checkId, 2);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const reviews = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(reviews.map((review) => review.comments.length)).toEqual([1, 0]);
    expect(reviews[1]?.body).toContain('load.py:5');
    expect(reviews[1]?.body).toMatch(/<!-- pyguard:fp=[0-9a-f]+ -->/);
    expect(reviews[1]?.body).toMatchSnapshot('fallback review body');
    // The check completes with the finding first; the rejection is noted afterwards.
    const [update, note, ...later] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(later).toEqual([]);
    expect(update?.conclusion).toBe('failure');
    // Planned as an inline comment, so not annotated at first; once GitHub refused the
    // comment, the finding is annotated with the note.
    expect(update?.output).not.toHaveProperty('annotations');
    expect(note?.output.annotations?.map((a) => [a.path, a.start_line])).toEqual([['load.py', 5]]);
    expect(note?.output.title).toBe(update?.output.title);
    expect(note?.output.summary.startsWith(`${update?.output.summary ?? ''}\n\n`)).toBe(true);
    expect(note?.output.summary).toContain(
      "**GitHub did not accept the inline comments** of PyGuard's review (Unprocessable Entity",
    );
    expect(note).not.toHaveProperty('status');
  });
});

describe('an invalid configuration file', () => {
  it('is reported in the summary and the scan runs with defaults', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(api, 'fail_on: [high\n');
    mockFiles(api, [fileEntry('README.md', '# x\n', '@@ -0,0 +1 @@\n+# x', 'added')]);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('success');
    expect(update?.output.summary).toContain('### Configuration problems (1)');
    expect(update?.output.summary).toContain('invalid YAML');
  });

  it('with unknown keys and rules names each problem', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(api, 'fail_onn: low\nrules:\n  disable: [PGX999]\n');
    mockFiles(api, []);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.output.summary).toContain('### Configuration problems (2)');
    expect(update?.output.summary).toContain('fail\\_onn');
    expect(update?.output.summary).toContain('PGX999');
  });

  it('with bad rule options names each problem and applies the valid options', async () => {
    const source = 'def save(data):\n    open("/scratch/out.bin", "wb").write(data)\n';
    const patch =
      '@@ -0,0 +1,2 @@\n+def save(data):\n+    open("/scratch/out.bin", "wb").write(data)';
    const harness = await createHarness({ rules: allRules });
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(
      api,
      [
        'rules:',
        '  options:',
        '    hardcoded-tmp-path: { tmp_dirs: [/scratch], tmp_dir: [/tmp] }',
        '    weak-key-sise: { min_rsa_bits: 3072 }',
        '    PGC007: { min_ec_bits: 1000 }',
        '',
      ].join('\n'),
    );
    mockFiles(api, [fileEntry('save.py', source, patch, 'added')]);
    mockBlob(api, 'save.py', source);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    const summary = update?.output.summary ?? '';
    expect(summary).toContain('### Configuration problems (3)');
    expect(summary).toContain('did you mean "tmp\\_dirs"?');
    expect(summary).toContain('did you mean "weak-key-size"?');
    expect(summary).toContain('expected an integer from 160 to 571');
    expect(update?.output.title).toBe('1 new finding (1 medium)');
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments).toMatchObject([{ path: 'save.py', line: 2 }]);
  });
});
