import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { DATAFLOW_VIEW } from '../fixtures/dataflow-view.js';
import { defaultConfig } from '../../src/config/index.js';
import { createBaseline, formatBaseline } from '../../src/engine/baseline.js';
import { createScanner } from '../../src/engine/scanner.js';
import type { FileResult, Finding } from '../../src/engine/types.js';
import { annotationFor } from '../../src/report/check-run.js';
import { findFingerprintMarkers } from '../../src/report/markers.js';
import { ruleMetaById } from '../../src/report/review.js';
import { defineRule, type AnyRule } from '../../src/rules-api/index.js';

import {
  BASELINE_READ,
  CHECK_LIST_QUERY,
  HEAD,
  NOW,
  REPO_PATH,
  TOKEN,
  createHarness,
  fileEntry,
  fixture,
  github,
  mockBlob,
  mockConfig,
  mockCreateCheck,
  mockBaseline,
  mockCreateReview,
  mockFiles,
  mockNoConfig,
  mockPosted,
  mockPull,
  mockToken,
  mockUpdateCheck,
  queuedCheckRun,
  requestLines,
  rulePage,
  setUpNock,
  tearDownNock,
  updatesAfterStart,
  type Harness,
  mockPublished,
} from './harness.js';

/** `app/db.py` at the head: lines 7 and 11 are added, the `eval` on line 15 is context. */
const APP = `import subprocess
import yaml


def load(path):
    with open(path) as handle:
        return yaml.load(handle)


def run(cmd):
    return subprocess.run(cmd, shell=True)


def calc(expr):
    return eval(expr)
`;

const APP_PATCH = `@@ -4,12 +4,12 @@
 
 def load(path):
     with open(path) as handle:
-        return yaml.safe_load(handle)
+        return yaml.load(handle)
 
 
 def run(cmd):
-    return subprocess.run(cmd)
+    return subprocess.run(cmd, shell=True)
 
 
 def calc(expr):
     return eval(expr)`;

interface CheckOutput {
  title: string;
  summary: string;
  annotations?: { path: string; start_line: number; annotation_level: string; message?: string }[];
}

interface CheckUpdate {
  status?: string;
  conclusion?: string;
  completed_at?: string;
  output: CheckOutput;
  actions?: unknown[];
}

interface ReviewBody {
  commit_id: string;
  event: string;
  body: string;
  comments: { path: string; line: number; side: string; body: string }[];
}

beforeEach(() => {
  setUpNock();
});

afterEach(() => {
  tearDownNock();
});

describe('a pull request with findings', () => {
  it('creates the check queued, starts it, completes it and posts one review on added lines, each finding shown once', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockNoConfig(api);
    mockFiles(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toEqual([
      'POST /app/installations/2/access_tokens',
      `GET ${REPO_PATH}/commits/${HEAD}/check-runs?${CHECK_LIST_QUERY}`,
      // Created `queued` when the job is accepted, marked `in_progress` when the scan starts.
      `POST ${REPO_PATH}/check-runs`,
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
      `GET ${REPO_PATH}/pulls/2`,
      `GET ${REPO_PATH}/contents/.github%2Fpyguard.yml`,
      'GET /repos/Codertocat/.github/contents/.github%2Fpyguard.yml',
      `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
      `GET ${REPO_PATH}/git/blobs/${fileEntry('app/db.py', APP, undefined).sha ?? ''}`,
      // Read only when there are findings it could hide.
      BASELINE_READ,
      `GET ${REPO_PATH}/pulls/2/comments?per_page=100`,
      `GET ${REPO_PATH}/pulls/2/reviews?per_page=100`,
      // The result is on the check before the review is posted.
      `PATCH ${REPO_PATH}/check-runs/${checkId}`,
      `POST ${REPO_PATH}/pulls/2/reviews`,
    ]);

    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([queuedCheckRun()]);

    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.commit_id).toBe(HEAD);
    expect(review?.event).toBe('COMMENT');
    expect(review?.comments.map((comment) => [comment.path, comment.line, comment.side])).toEqual([
      ['app/db.py', 7, 'RIGHT'],
      ['app/db.py', 11, 'RIGHT'],
    ]);
    expect(review?.body).toMatchSnapshot('review body');
    expect(review?.comments.map((comment) => comment.body)).toMatchSnapshot('comment bodies');

    const [completed, ...later] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(later).toEqual([]);
    expect(completed?.status).toBe('completed');
    expect(completed?.conclusion).toBe('failure');
    expect(completed?.completed_at).toBe(NOW.toISOString());
    expect(completed?.actions).toEqual([
      { label: 'Rescan', description: 'Scan this pull request again', identifier: 'rescan' },
    ]);
    expect(completed?.output.title).toBe('2 new findings (1 high, 1 medium)');
    // Both findings have an inline comment, so neither is also an annotation.
    expect(completed?.output).not.toHaveProperty('annotations');
    for (const comment of review?.comments ?? []) {
      expect(comment.body).toMatch(/\[PG[A-Z]\d{3} documentation\]\(https:\/\/github\.com\//);
    }
    expect(completed?.output.summary).toContain(`(${rulePage('PGD003')})`);
    expect(completed?.output.summary).toMatchSnapshot('check summary');

    const logText = harness.logs.join('');
    expect(logText).toContain('"msg":"scan done"');
    expect(logText).not.toContain(TOKEN);
    expect(logText).not.toContain('subprocess.run(cmd, shell=True)');
  });
});

/** Fingerprints of the findings PyGuard reports in a whole file, in order. */
function scanOf(path: string, source: string): Finding[] {
  const scanner = createScanner(defaultConfig(), allRules);
  return scanner.scanFile({ path, source, addedLines: null }).findings;
}

function fingerprints(path: string, source: string): string[] {
  return scanOf(path, source).map((f) => f.fingerprint);
}

/** Comments and review bodies PyGuard posted in the first scan, as GitHub lists them later. */
function postedBy(review: ReviewBody): {
  comments: { body: string; path: string; line: number }[];
  reviews: { body: string }[];
} {
  return {
    comments: review.comments.map((comment) => ({
      body: comment.body,
      path: comment.path,
      line: comment.line,
    })),
    reviews: [{ body: review.body }],
  };
}

function mockScanOf(api: nock.Scope, files: Parameters<typeof mockFiles>[1]): number {
  const checkId = mockCreateCheck(api);
  mockPull(api);
  mockNoConfig(api);
  mockFiles(api, files);
  return checkId;
}

/**
 * Opens a pull request that changes one file, scanned with `rules`, and returns the review it
 * got and the check run's completion (every request answered, no job error).
 */
async function reviewOfOneFile(
  rules: readonly AnyRule[],
  path: string,
  source: string,
  patch: string,
): Promise<{ review: ReviewBody | undefined; update: CheckUpdate | undefined }> {
  const harness = await createHarness({ rules });
  const api = github();
  mockToken(api);
  const checkId = mockScanOf(api, [fileEntry(path, source, patch)]);
  mockBlob(api, path, source);
  mockPublished(api, checkId);

  await harness.deliver('pull_request', fixture('pull_request.opened'));

  expect(harness.jobErrors).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
  const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
  const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
  return { review, update };
}

describe('a synchronize with identical content', () => {
  it('posts no new comment, and a rescan of the same head makes a fresh check and no duplicate', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const firstCheck = mockScanOf(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockPublished(api, firstCheck);
    await harness.deliver('pull_request', fixture('pull_request.opened'));
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    if (review === undefined) throw new Error('no review posted');
    const posted = postedBy(review);

    const secondCheck = mockScanOf(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockPosted(api, posted.comments, posted.reviews);
    mockUpdateCheck(api, secondCheck);
    await harness.deliver('pull_request', fixture('pull_request.synchronize'));

    const thirdCheck = mockScanOf(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockPosted(api, posted.comments, posted.reviews);
    mockUpdateCheck(api, thirdCheck);
    await harness.deliver('check_run', fixture('check_run.requested_action'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`)).toHaveLength(1);
    // A push of the same head gets a check run of its own; the re-run gets its own trigger kind.
    expect(harness.bodies('POST', `${REPO_PATH}/check-runs`)).toEqual([
      queuedCheckRun(),
      queuedCheckRun(),
      queuedCheckRun('pull:2:check_run'),
    ]);
    for (const id of [secondCheck, thirdCheck]) {
      const [update] = updatesAfterStart<CheckUpdate>(harness, id);
      expect(update?.status).toBe('completed');
      expect(update?.conclusion).toBe('failure');
      // Both findings were commented inline by the first scan: no annotation for them.
      expect(update?.output).not.toHaveProperty('annotations');
    }
  });
});

describe('a later push that adds a problem of another rule to a commented line', () => {
  it('comments again, with the new problem carried by the one already commented', async () => {
    const cipher = (iv: string): string =>
      `import os\nfrom Crypto.Cipher import AES\n\nIV = ${iv}\n\n\ndef seal(key, data):\n    return AES.new(key, AES.MODE_CBC, IV).encrypt(data)\n`;
    const patchOf = (source: string): string => {
      const lines = source.trimEnd().split('\n');
      return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((line) => `+${line}`)].join('\n');
    };
    const before = cipher('os.urandom(16)');
    const after = cipher('b"\\x00" * 16');
    const harness = await createHarness({ rules: allRules });
    const api = github();
    mockToken(api);
    const firstCheck = mockScanOf(api, [
      fileEntry('app/seal.py', before, patchOf(before), 'added'),
    ]);
    mockBlob(api, 'app/seal.py', before);
    mockPublished(api, firstCheck);
    await harness.deliver('pull_request', fixture('pull_request.opened'));
    const [first] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    if (first === undefined) throw new Error('no review posted');
    const [mode] = fingerprints('app/seal.py', before);
    expect(first.comments.map((comment) => findFingerprintMarkers(comment.body))).toEqual([[mode]]);

    const secondCheck = mockScanOf(api, [fileEntry('app/seal.py', after, patchOf(after), 'added')]);
    mockBlob(api, 'app/seal.py', after);
    mockPosted(api, postedBy(first).comments, postedBy(first).reviews);
    mockCreateReview(api);
    mockUpdateCheck(api, secondCheck);
    await harness.deliver('pull_request', fixture('pull_request.synchronize'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [, second] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    const [comment, ...more] = second?.comments ?? [];
    expect(more).toEqual([]);
    expect(comment?.line).toBe(8);
    expect(comment?.body).toContain('**Also on this line:**\n- **PGC006');
    const [iv] = scanOf('app/seal.py', after).flatMap((finding) => finding.alongside ?? []);
    expect(findFingerprintMarkers(comment?.body ?? '')).toEqual([mode, iv?.fingerprint]);
  });
});

describe('a later push that fixes a finding', () => {
  it('resolves the thread nobody replied to and lists it as fixed', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const fixedHead = APP.replace('return yaml.load(handle)', 'return yaml.safe_load(handle)');
    const patch = APP_PATCH.replace(
      '+        return yaml.load(handle)',
      '+        return yaml.safe_load(handle)',
    );
    const checkId = mockScanOf(api, [fileEntry('app/db.py', fixedHead, patch)]);
    mockBlob(api, 'app/db.py', fixedHead);
    // Fingerprints of the first push: the yaml.load finding is gone now, shell=True stays.
    const [yamlLoad, shellTrue] = fingerprints('app/db.py', APP);
    const gone = yamlLoad ?? '';
    const goneToo = '0123456789abcdef0123456789abcdef';
    const marker = (fingerprint: string | undefined) => `<!-- pyguard:fp=${fingerprint ?? ''} -->`;
    const ours = (fingerprint: string, id: string) =>
      `**${id} · title** (high severity)\n\nmessage\n\n${marker(fingerprint)}`;
    mockPosted(api, [
      { body: ours(gone, 'PGD003'), path: 'app/db.py', line: 7 },
      { body: ours(shellTrue ?? '', 'PGI006'), path: 'app/db.py', line: 11 },
      { body: ours(goneToo, 'PGI016'), path: 'app/db.py', line: 15 },
    ]);
    const thread = (id: string, body: string, replies: { __typename: string }[]) => ({
      id,
      isResolved: false,
      path: 'app/db.py',
      line: 7,
      originalLine: 7,
      comments: {
        totalCount: 1 + replies.length,
        nodes: [
          { body, author: { __typename: 'Bot' } },
          ...replies.map((author) => ({ body: 'I disagree', author })),
        ],
      },
    });
    api
      .post('/graphql', (body: { query: string }) => body.query.includes('reviewThreads'))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: {
                pageInfo: { hasNextPage: false, endCursor: null },
                nodes: [
                  thread('PRRT_fixed', ours(gone, 'PGD003'), []),
                  thread('PRRT_discussed', ours(goneToo, 'PGI016'), [{ __typename: 'User' }]),
                  // A comment standing for several findings stays open while one of them remains.
                  thread('PRRT_partly', `${ours(goneToo, 'PGI016')}\n${marker(shellTrue)}`, []),
                  // …and is fixed when none does.
                  thread('PRRT_all_gone', `${ours(goneToo, 'PGI016')}\n${marker(gone)}`, []),
                ],
              },
            },
          },
        },
      });
    api
      .post(
        '/graphql',
        (body: { query: string; variables: { threadId?: string } }) =>
          body.query.includes('resolveReviewThread') && body.variables.threadId === 'PRRT_fixed',
      )
      .reply(200, {
        data: { resolveReviewThread: { thread: { id: 'PRRT_fixed', isResolved: true } } },
      });
    api
      .post(
        '/graphql',
        (body: { query: string; variables: { threadId?: string } }) =>
          body.query.includes('resolveReviewThread') && body.variables.threadId === 'PRRT_all_gone',
      )
      .reply(200, {
        data: { resolveReviewThread: { thread: { id: 'PRRT_all_gone', isResolved: true } } },
      });
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.synchronize'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`)).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('neutral');
    expect(update?.output.summary).toContain('### Fixed since the last push (2)');
    expect(update?.output.summary).toContain(
      `[**PGD003**](${rulePage('PGD003')}) YAML loaded with an unsafe loader`,
    );
  });
});

describe('a pull request with more than 100 files', () => {
  it('reads every page and scans a Python file listed only on page 2', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const late = 'import pickle\n\n\ndef read(blob):\n    return pickle.loads(blob)\n';
    const files = Array.from({ length: 150 }, (_, index) =>
      index === 130
        ? fileEntry(
            'pkg/late.py',
            late,
            '@@ -0,0 +1,5 @@\n+import pickle\n+\n+\n+def read(blob):\n+    return pickle.loads(blob)',
            'added',
          )
        : fileEntry(
            `docs/page-${index}.md`,
            `# page ${index}\n`,
            `@@ -0,0 +1 @@\n+# page ${index}`,
            'added',
          ),
    );
    const checkId = mockScanOf(api, files);
    mockBlob(api, 'pkg/late.py', late);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests)).toContain(
      `GET ${REPO_PATH}/pulls/2/files?per_page=100&page=2`,
    );
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.output.title).toBe('1 new finding (1 medium)');
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments.map((c) => [c.path, c.line])).toEqual([['pkg/late.py', 5]]);
  });
});

describe('a pull request with more than 50 findings', () => {
  it('caps inline comments at comments.max and annotates the rest in batches of 50', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const lines = Array.from({ length: 90 }, (_, index) => `value_${index} = eval(text_${index})`);
    const source = `${lines.join('\n')}\n`;
    const patch = `@@ -0,0 +1,90 @@\n${lines.map((line) => `+${line}`).join('\n')}`;
    const checkId = mockScanOf(api, [fileEntry('calc.py', source, patch, 'added')]);
    mockBlob(api, 'calc.py', source);
    mockPublished(api, checkId, 2);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const updates = updatesAfterStart<CheckUpdate>(harness, checkId);
    // 25 inline comments; the 65 findings over the cap are the only annotations.
    expect(updates.map((update) => [update.status, update.output.annotations?.length])).toEqual([
      [undefined, 50],
      ['completed', 15],
    ]);
    expect(updates[0]?.output.title).toBe(updates[1]?.output.title);
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments).toHaveLength(25);
    expect(review?.body).toContain('65 more problems are not commented inline');
    const commented = new Set(review?.comments.map((comment) => comment.line));
    const annotated = updates.flatMap((update) => update.output.annotations ?? []);
    expect(annotated.filter((annotation) => commented.has(annotation.start_line))).toEqual([]);
  });
});

describe('a pull request without Python changes', () => {
  it('succeeds without fetching contents or posting a review', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockScanOf(api, [
      fileEntry('README.md', '# Hello\n', '@@ -1 +1 @@\n-# Hi\n+# Hello'),
      fileEntry('setup.cfg', '[x]\n', '@@ -0,0 +1 @@\n+[x]', 'added'),
    ]);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).filter((line) => line.includes('/git/blobs/'))).toEqual(
      [],
    );
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('success');
    expect(update?.output.title).toBe('No Python or template files changed');
    expect(update?.output.summary).toMatchSnapshot('non-Python summary');
  });
});

describe('a Python file with a syntax error', () => {
  it('still completes the check and names the file', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const broken = 'def broken(:\n    return eval(text)\n';
    const checkId = mockScanOf(api, [
      fileEntry(
        'broken.py',
        broken,
        '@@ -0,0 +1,2 @@\n+def broken(:\n+    return eval(text)',
        'added',
      ),
    ]);
    mockBlob(api, 'broken.py', broken);
    mockPosted(api);
    api.post(`${REPO_PATH}/pulls/2/reviews`).optionally().reply(200, { id: 1 });
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.status).toBe('completed');
    expect(update?.output.summary).toContain('broken.py:1');
    expect(update?.output.summary).toMatch(/syntax/i);
  });
});

describe('files that cannot be scanned', () => {
  it('skips binary and oversized files, names them with the reason and never passes silently', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    mockConfig(api, 'max_file_bytes: 100\n');
    const big = `# ${'x'.repeat(200)}\nvalue = 1\n`;
    const binary = 'abc\u0000def';
    mockFiles(api, [
      fileEntry('big.py', big, '@@ -0,0 +1,2 @@\n+# x\n+value = 1', 'added'),
      { ...fileEntry('blob.py', binary, undefined, 'added'), changes: 0 },
    ]);
    mockBlob(api, 'big.py', big);
    mockBlob(api, 'blob.py', binary);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    // Nothing was found, but two changed files were not scanned: `on_error` (failure) decides.
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.title).toBe('No new findings; 2 files not fully scanned');
    expect(update?.output.summary).toContain('### Files not fully scanned (2)');
    expect(update?.output.summary).toContain('2 changed files were not fully scanned');
    expect(update?.output.summary).toContain('is larger than max\\_file\\_bytes (100 bytes)');
    expect(update?.output.summary).toContain('binary content');
  });
});

describe('a modified file GitHub shows no patch for', () => {
  it('diffs the merge-base and head texts itself', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const old = APP.replace('return yaml.load(handle)', 'return yaml.safe_load(handle)');
    const checkId = mockScanOf(api, [{ ...fileEntry('app/db.py', APP, undefined), changes: 2 }]);
    mockBlob(api, 'app/db.py', APP);
    api
      .get(`${REPO_PATH}/compare/f95f852bd8fca8fcc58a9a2d6c842781e32a215e...${HEAD}`)
      .query({ per_page: '1' })
      .reply(200, {
        merge_base_commit: { sha: 'aaaabbbbccccddddeeeeffff0000111122223333' },
        files: [],
      });
    api
      .get(`${REPO_PATH}/contents/app%2Fdb.py`)
      .query({ ref: 'aaaabbbbccccddddeeeeffff0000111122223333' })
      .reply(200, old, { 'content-type': 'text/plain; charset=utf-8' });
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    // Only line 7 changed: the shell=True call on line 11 was already there.
    expect(update?.output.annotations?.map((a) => a.start_line)).toEqual([7]);
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    // No patch, no anchor: the finding is listed in the review body instead.
    expect(review?.comments).toEqual([]);
    expect(review?.body).toContain('app/db.py:7');
  });
});

describe('a draft pull request', () => {
  it('gets the check run only', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api, { draft: true });
    mockNoConfig(api);
    mockFiles(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockUpdateCheck(api, checkId);
    const payload = fixture('pull_request.opened');
    (payload['pull_request'] as { draft: boolean }).draft = true;

    await harness.deliver('pull_request', payload);

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('failure');
    expect(update?.output.summary).toContain('This pull request is a draft');
  });
});

describe('renamed, removed and deletion-only files', () => {
  it('are not fetched: no line of theirs is added', async () => {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockScanOf(api, [
      {
        ...fileEntry('pkg/new_name.py', APP, undefined, 'renamed'),
        previous_filename: 'pkg/old_name.py',
        changes: 0,
      },
      { ...fileEntry('pkg/gone.py', APP, undefined, 'removed'), changes: 15 },
      fileEntry(
        'pkg/trimmed.py',
        APP,
        '@@ -14,3 +14,2 @@\n def calc(expr):\n-    print(expr)\n     return eval(expr)',
      ),
    ]);
    mockPosted(api);
    mockUpdateCheck(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).filter((line) => line.includes('/git/blobs/'))).toEqual(
      [],
    );
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('success');
    expect(update?.output.title).toBe('No new findings');
  });
});

describe('a pull request changing a template', () => {
  const PAGE = `{% extends "base.html" %}
{% block content %}
<h1>{{ post.title }}</h1>
{{ post.body|safe }}
{% endblock %}
`;
  const PAGE_PATCH = `@@ -1,5 +1,5 @@
 {% extends "base.html" %}
 {% block content %}
 <h1>{{ post.title }}</h1>
-{{ post.body }}
+{{ post.body|safe }}
 {% endblock %}`;

  it('fetches the changed .html file, scans it with the template rules and comments on the added line', async () => {
    const templateRule = allRules.find((rule) => rule.meta.id === 'PGI045');
    expect(typeof templateRule?.template).toBe('function');
    const harness = await createHarness({
      rules: templateRule === undefined ? [] : [templateRule],
    });
    const api = github();
    mockToken(api);
    const checkId = mockScanOf(api, [
      fileEntry('blog/templates/post.html', PAGE, PAGE_PATCH),
      fileEntry('static/site.css', 'h1 {}\n', '@@ -0,0 +1 @@\n+h1 {}', 'added'),
    ]);
    mockBlob(api, 'blog/templates/post.html', PAGE);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
    expect(requestLines(harness.requests).filter((line) => line.includes('/git/blobs/'))).toEqual([
      `GET ${REPO_PATH}/git/blobs/${fileEntry('blog/templates/post.html', PAGE, undefined).sha ?? ''}`,
    ]);
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments.map((comment) => [comment.path, comment.line, comment.side])).toEqual([
      ['blog/templates/post.html', 4, 'RIGHT'],
    ]);
    expect(review?.comments[0]?.body).toContain('PGI045');
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.conclusion).toBe('neutral');
    expect(update?.output.title).toBe('1 new finding (1 medium)');
    expect(update?.output).not.toHaveProperty('annotations');
  });
});

describe('a pull request adding a dataflow finding', () => {
  const VIEW = DATAFLOW_VIEW;
  const VIEW_PATCH = `@@ -7,4 +7,4 @@
 def calc():
     expression = request.args.get("expr", "")
     cleaned = expression.strip()
-    return str(cleaned)
+    return str(eval(cleaned))`;

  it('comments with the path from the request to the sink, written once, and no annotation', async () => {
    const evalRule = allRules.find((rule) => rule.meta.id === 'PGI016');
    const { review, update } = await reviewOfOneFile(
      evalRule === undefined ? [] : [evalRule],
      'app/views.py',
      VIEW,
      VIEW_PATCH,
    );
    expect(review?.comments.map((comment) => [comment.path, comment.line])).toEqual([
      ['app/views.py', 10],
    ]);
    expect(review?.comments[0]?.body).toMatchSnapshot('dataflow comment');
    expect(update?.conclusion).toBe('failure');
    expect(update?.output).not.toHaveProperty('annotations');
    const body = review?.comments[0]?.body ?? '';
    expect(body.split('`cleaned` (line 9)')).toHaveLength(2);
    expect(body).not.toContain('How the value gets here');
  });
});

/** A rule from outside the built-in set: its fix hint must reach the comment and the annotation. */
const CUSTOM_RULE = defineRule({
  meta: {
    id: 'PGM901',
    slug: 'house-debug-call',
    title: 'House rule: `debug_dump()` left in code',
    category: 'misc',
    severity: 'high',
    confidence: 'high',
    cwe: [489],
    description: 'Flags calls to the in-house `debug_dump()` helper.',
    why: 'It prints request state to the log.',
    fix: 'Remove the call, or use `log_safe_summary()` from the house toolkit.',
    example: { bad: 'debug_dump(request)\n', good: 'log_safe_summary(request)\n' },
    bandit: [],
    ruff: [],
  },
  messages: { debugDump: '`debug_dump()` writes request state to the log.' },
  create(context) {
    return {
      call(node) {
        if (context.call(node).methodName === 'debug_dump')
          context.report({ node, messageId: 'debugDump' });
      },
    };
  },
});

describe('a pull request scanned with a custom rule set', () => {
  const SOURCE = 'def view(request):\n    debug_dump(request)\n    return "ok"\n';
  const PATCH = '@@ -1,2 +1,3 @@\n def view(request):\n+    debug_dump(request)\n     return "ok"';

  it("shows the custom rule's fix hint in the comment and the annotation", async () => {
    const { review, update } = await reviewOfOneFile([CUSTOM_RULE], 'app/views.py', SOURCE, PATCH);
    const hint = 'Remove the call, or use `log_safe_summary()` from the house toolkit.';
    expect(review?.comments.map((comment) => [comment.path, comment.line])).toEqual([
      ['app/views.py', 2],
    ]);
    expect(review?.comments[0]?.body).toContain(`**How to fix:** ${hint}`);
    // The finding has its inline comment, so it is not also an annotation.
    expect(update?.output.annotations ?? []).toEqual([]);
    const [finding] = createScanner(defaultConfig(), [CUSTOM_RULE]).scanFile({
      path: 'app/views.py',
      source: Buffer.from(SOURCE),
      addedLines: null,
    }).findings;
    expect(finding).toBeDefined();
    if (finding === undefined) return;
    // Annotations are plain text: the hint without its Markdown backticks.
    expect(annotationFor(finding, undefined, ruleMetaById([CUSTOM_RULE])).message).toContain(
      `How to fix: ${hint.replaceAll('`', '')}`,
    );
  });
});

describe('a repository with a baseline file', () => {
  /** The App's scan of app/db.py with `baseline` as the base commit's baseline file. */
  async function scanWithBaseline(
    baseline: string,
  ): Promise<{ harness: Harness; checkId: number }> {
    const harness = await createHarness();
    const api = github();
    mockToken(api);
    const checkId = mockCreateCheck(api);
    mockPull(api);
    // The configuration mocks answer the baseline with 404 when asked; this one answers first.
    mockBaseline(api, baseline);
    mockNoConfig(api);
    mockFiles(api, [fileEntry('app/db.py', APP, APP_PATCH)]);
    mockBlob(api, 'app/db.py', APP);
    mockPublished(api, checkId);

    await harness.deliver('pull_request', fixture('pull_request.opened'));

    expect(harness.jobErrors).toEqual([]);
    return { harness, checkId };
  }

  it('reports only the findings its base commit does not list, and says how many it hid', async () => {
    const { harness, checkId } = await scanWithBaseline(
      formatBaseline(createBaseline([fileResultOf('app/db.py', APP, /yaml/)])),
    );
    expect(requestLines(harness.requests)).toContain(BASELINE_READ);
    const [review] = harness.bodies('POST', `${REPO_PATH}/pulls/2/reviews`) as ReviewBody[];
    expect(review?.comments.map((comment) => [comment.path, comment.line])).toEqual([
      ['app/db.py', 11],
    ]);
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.output.title).toBe('1 new finding (1 medium)');
    expect(update?.conclusion).toBe('neutral');
    expect(update?.output.summary).toContain(
      'PyGuard scanned 1 file at ec26c3e; 1 finding on the changed lines is in the baseline file and not reported.',
    );
  });

  it('reports every finding, with a note, when the baseline cannot be used', async () => {
    const { harness, checkId } = await scanWithBaseline('{"version": 7}');
    const [update] = updatesAfterStart<CheckUpdate>(harness, checkId);
    expect(update?.output.title).toBe('2 new findings (1 high, 1 medium)');
    expect(update?.output.summary).toContain(
      "**Baseline not used:** `.pyguard-baseline.json` at the base commit: unsupported version 7: this PyGuard reads version 1 (write a new one with 'pyguard baseline'). Every finding on the changed lines is reported.",
    );
  });
});

/** A whole-file scan of `source`, keeping the findings whose snippet matches `keep`. */
function fileResultOf(path: string, source: string, keep: RegExp): FileResult {
  const result = createScanner(defaultConfig(), allRules).scanFile({
    path,
    source: Buffer.from(source),
    addedLines: null,
  });
  return { ...result, findings: result.findings.filter((f) => keep.test(f.snippet)) };
}
