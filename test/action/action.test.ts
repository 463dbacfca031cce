/**
 * The Action's entry function against nock, with the `pull_request` payload GitHub sends: the
 * exact requests of a review run, of a fork's pull request (read-only token: no write at all),
 * of a token GitHub refuses writes to (403 on the first write), and of a later run that
 * resolves the review threads of fixed findings through GraphQL.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { runAction } from '../../src/action/run.js';
import { defaultConfig } from '../../src/config/schema.js';
import { createScanner } from '../../src/engine/scanner.js';
import { createBaseline, formatBaseline } from '../../src/engine/baseline.js';
import type { FileResult } from '../../src/engine/types.js';
import { fingerprintMarker } from '../../src/report/markers.js';
import { removeDir, tempDir, writeFiles } from '../cli/helpers.js';
import {
  API,
  BASE,
  BASELINE_READ,
  HEAD,
  OWNER,
  REPO_PATH,
  fixture,
  mockConfig,
  mockNoBaseline,
  mockNoConfig,
} from '../github/harness.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');
const BLOB = '3a0f86fb8db8eea7ccbb9a95f325ddbedfb25e15';
const SOURCE = 'import yaml\n\nconfig = yaml.load(text)\n';
const PATCH = '@@ -0,0 +1,3 @@\n+import yaml\n+\n+config = yaml.load(text)';

let workspace: string;
let requests: string[];

beforeEach(async () => {
  workspace = await tempDir();
  requests = [];
  nock.disableNetConnect();
});

afterEach(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await removeDir(workspace);
});

interface RunOutcome {
  code: number;
  log: string[];
  outputs: string;
}

/** Runs the Action on a `pull_request.opened` payload, changed by `edit`. */
async function runOn(
  inputs: Record<string, string>,
  edit: (payload: Record<string, unknown>) => void = () => undefined,
): Promise<RunOutcome> {
  const payload = fixture('pull_request.opened');
  edit(payload);
  const eventPath = join(workspace, '..', `${workspace.split('/').pop() ?? 'x'}-event.json`);
  await writeFile(eventPath, JSON.stringify(payload));
  const outputPath = join(workspace, '.outputs');
  await writeFile(outputPath, '');
  const env: Record<string, string> = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: workspace,
    GITHUB_API_URL: API,
    GITHUB_OUTPUT: outputPath,
    GITHUB_ACTION_PATH: '/home/runner/work/_actions/acme/pyguard/v1',
    INPUT_TOKEN: 'ghs_workflowtoken',
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name}`, value])),
  };
  const log: string[] = [];
  const code = await runAction({
    env,
    log: (line) => log.push(line),
    clock: () => NOW,
    octokit: { throttle: { enabled: false }, retry: { enabled: false } },
  });
  await removeDir(eventPath);
  return { code, log, outputs: await readFile(outputPath, 'utf8') };
}

/** nock for the API, recording `METHOD /path` of each request GitHub received. */
function github(): nock.Scope {
  const scope = nock(API);
  scope.on('request', (request: { method: string; path: string }) => {
    requests.push(`${request.method} ${request.path}`);
  });
  return scope;
}

/** The requests that read the pull request's changed files. */
function readsFiles(scope: nock.Scope): void {
  scope
    .get(`${REPO_PATH}/pulls/2/files`)
    .query({ per_page: '100' })
    .reply(200, [
      { filename: 'app.py', status: 'added', sha: BLOB, patch: PATCH, changes: 3 },
      {
        filename: 'README.md',
        status: 'modified',
        sha: BLOB,
        patch: '@@ -1 +1 @@\n-a\n+b',
        changes: 2,
      },
    ])
    .get(`${REPO_PATH}/git/blobs/${BLOB}`)
    .reply(200, { encoding: 'base64', content: Buffer.from(SOURCE).toString('base64') });
}

const NO_CONFIG = [
  `GET ${REPO_PATH}/contents/.github%2Fpyguard.yml`,
  `GET /repos/${OWNER}/.github/contents/.github%2Fpyguard.yml`,
];

/** The requests that look for the head commit's check run and start one. */
const CHECK_STARTED = [
  `GET ${REPO_PATH}/commits/${HEAD}/check-runs?check_name=PyGuard&filter=all&per_page=100`,
  `POST ${REPO_PATH}/check-runs`,
];

const FILES_READ = [
  `GET ${REPO_PATH}/pulls/2/files?per_page=100`,
  `GET ${REPO_PATH}/git/blobs/${BLOB}`,
];

describe('the GitHub Action', () => {
  it('posts the check run and the review with the workflow token, and writes SARIF', async () => {
    const bodies: Record<string, unknown> = {};
    const scope = github();
    mockNoConfig(scope);
    scope
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`)
      .query({ check_name: 'PyGuard', filter: 'all', per_page: '100' })
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`, (body: unknown) => ((bodies['create'] = body), true))
      .reply(201, { id: 77 });
    readsFiles(scope);
    scope
      .patch(`${REPO_PATH}/check-runs/77`, (body: unknown) => ((bodies['complete'] = body), true))
      .reply(200, { id: 77 })
      .get(`${REPO_PATH}/pulls/2/comments`)
      .query({ per_page: '100' })
      .reply(200, [])
      .get(`${REPO_PATH}/pulls/2/reviews`)
      .query({ per_page: '100' })
      .reply(200, [])
      .post(`${REPO_PATH}/pulls/2/reviews`, (body: unknown) => ((bodies['review'] = body), true))
      .reply(200, { id: 5 });

    const outcome = await runOn({
      MODE: 'both',
      SARIF_FILE: 'out/pyguard.sarif',
      SARIF_CATEGORY: 'pyguard/backend',
    });

    expect(requests).toEqual([
      ...NO_CONFIG,
      ...CHECK_STARTED,
      ...FILES_READ,
      BASELINE_READ,
      // The review is planned before the check completes: a commented finding is not annotated.
      `GET ${REPO_PATH}/pulls/2/comments?per_page=100`,
      `GET ${REPO_PATH}/pulls/2/reviews?per_page=100`,
      `PATCH ${REPO_PATH}/check-runs/77`,
      `POST ${REPO_PATH}/pulls/2/reviews`,
    ]);
    expect(scope.isDone()).toBe(true);
    expect(bodies['create']).toMatchObject({
      name: 'PyGuard',
      head_sha: HEAD,
      status: 'in_progress',
      external_id: 'pull:2:pull_request',
      started_at: NOW.toISOString(),
    });
    expect(bodies['complete']).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      output: { title: '1 new finding (1 high)' },
    });
    // The finding has an inline comment, so it is not also an annotation.
    expect(bodies['complete']).not.toHaveProperty('output.annotations');
    expect(bodies['review']).toMatchObject({
      commit_id: HEAD,
      event: 'COMMENT',
      comments: [{ path: 'app.py', line: 3 }],
    });
    // Rule links point at the pages of the Action's own repository and ref.
    const page = 'https://github.com/acme/pyguard/blob/v1/docs/rules/PGD003.md';
    expect(JSON.stringify(bodies['review'])).toContain(`(${page})`);
    expect(outcome.code).toBe(1);
    expect(outcome.log.some((line) => line.startsWith('::'))).toBe(false);

    const sarif = JSON.parse(await readFile(join(workspace, 'out/pyguard.sarif'), 'utf8')) as {
      runs: {
        results: { ruleId: string }[];
        automationDetails: { id: string };
        tool: { driver: { rules: { id: string; helpUri?: string }[] } };
      }[];
    };
    expect(sarif.runs[0]?.results.map((result) => result.ruleId)).toEqual(['PGD003']);
    expect(sarif.runs[0]?.tool.driver.rules.find((rule) => rule.id === 'PGD003')?.helpUri).toBe(
      page,
    );
    expect(sarif.runs[0]?.automationDetails).toEqual({ id: 'pyguard/backend/' });
    expect(outcome.outputs).toBe(
      `sarif-file=${join(workspace, 'out/pyguard.sarif')}\nfindings=1\nconclusion=failure\n`,
    );
  });

  it("writes nothing to a fork's pull request: annotations and SARIF instead", async () => {
    const scope = github();
    // The default branch's configuration applies, as in the App.
    mockConfig(scope, 'fail_on: never\n');
    readsFiles(scope);
    const outcome = await runOn({ MODE: 'review' }, (payload) => {
      const pull = payload['pull_request'] as { head: { repo: Record<string, unknown> } };
      pull.head.repo['full_name'] = 'contributor/Hello-World';
      pull.head.repo['fork'] = true;
    });

    expect(requests).toEqual([
      `GET ${REPO_PATH}/contents/.github%2Fpyguard.yml`,
      ...FILES_READ,
      BASELINE_READ,
    ]);
    expect(outcome.log[0]).toMatch(
      /^::notice title=PyGuard::No review or check run is posted: this pull request comes from a fork/,
    );
    // No thread is read or resolved: one line says so.
    expect(outcome.log.filter((line) => line.includes('review threads'))).toEqual([
      'PyGuard: review threads of fixed findings are left open: this token may not write.',
    ]);
    const annotations = outcome.log.filter((line) => line.startsWith('::error '));
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(
      /^::error file=app\.py,line=3,endLine=3,col=10,endColumn=\d+,title=PGD003 yaml-unsafe-load::/,
    );
    expect(outcome.code).toBe(0);
    await expect(readFile(join(workspace, 'pyguard.sarif'), 'utf8')).resolves.toContain('PGD003');
  });

  it('falls back to annotations when GitHub refuses the first write with 403', async () => {
    const scope = github();
    mockNoConfig(scope);
    scope
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`)
      .reply(403, { message: 'Resource not accessible by integration' });
    readsFiles(scope);

    const outcome = await runOn({});

    expect(requests).toEqual([...NO_CONFIG, ...CHECK_STARTED, ...FILES_READ, BASELINE_READ]);
    expect(outcome.log[0]).toMatch(
      /GitHub refused to create the check run with this token \(HTTP 403/,
    );
    expect(outcome.log.filter((line) => line.startsWith('::error file=app.py'))).toHaveLength(1);
    expect(outcome.code).toBe(1);
  });

  it('fails with one clear line on another event or a bad input', async () => {
    const other = await runAction({
      env: { GITHUB_EVENT_NAME: 'push', INPUT_TOKEN: 't' },
      log: (line) => requests.push(line),
    });
    expect(other).toBe(2);
    expect(requests).toEqual([
      "::error title=PyGuard::PyGuard reviews pull requests: run it on 'pull_request' (this run is for 'push'); use the CLI for other events",
    ]);
    const badMode = await runOn({ MODE: 'comment' });
    expect(badMode.code).toBe(2);
    expect(badMode.log).toEqual([
      "::error title=PyGuard::input 'mode' is 'comment': expected one of review, sarif, both",
    ]);
  });
});

describe('a later run on the same pull request', () => {
  it('completes its own check run but posts no second comment on a finding already commented', async () => {
    const [finding] = createScanner(defaultConfig(), allRules).scanFile({
      path: 'app.py',
      source: Buffer.from(SOURCE),
      addedLines: null,
    }).findings;
    const scope = github();
    mockNoConfig(scope);
    scope
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, { id: 78 });
    readsFiles(scope);
    scope
      .patch(`${REPO_PATH}/check-runs/78`)
      .reply(200, { id: 78 })
      .get(`${REPO_PATH}/pulls/2/comments`)
      .query(true)
      .reply(200, [
        {
          body: `finding\n\n${fingerprintMarker(finding?.fingerprint ?? '')}`,
          user: { type: 'Bot' },
        },
      ])
      .get(`${REPO_PATH}/pulls/2/reviews`)
      .query(true)
      .reply(200, []);

    const outcome = await runOn({});

    expect(requests.at(-1)).toBe(`PATCH ${REPO_PATH}/check-runs/78`);
    expect(requests.filter((request) => request.startsWith('POST'))).toEqual([
      `POST ${REPO_PATH}/check-runs`,
    ]);
    expect(outcome.code).toBe(1);
  });
});

describe('SARIF mode', () => {
  it('reads the files and writes SARIF only, with the configuration file named as input', async () => {
    const scope = github();
    readsFiles(scope);
    mockNoBaseline(scope);
    await writeFiles(workspace, { 'ci/pyguard.yml': 'fail_on: never\n' });
    const outcome = await runOn({ MODE: 'sarif', CONFIG: 'ci/pyguard.yml' });
    expect(requests).toEqual([...FILES_READ, BASELINE_READ]);
    expect(outcome.code).toBe(0);
    expect(outcome.outputs).toContain('conclusion=neutral');
  });
});

/** The Action's pull request file scanned whole, as `pyguard baseline` would record it. */
function scanSource(): FileResult {
  return createScanner(defaultConfig(), allRules).scanFile({
    path: 'app.py',
    source: Buffer.from(SOURCE),
    addedLines: null,
  });
}

describe('a baseline', () => {
  it('named as input hides the findings it lists: no check failure, no review', async () => {
    const scanned = scanSource();
    await writeFiles(workspace, {
      'ci/baseline.json': formatBaseline(createBaseline([scanned])),
    });
    await writeFiles(workspace, { 'ci/pyguard.yml': 'fail_on: low\n' });
    readsFiles(github());
    const run = await runOn({
      MODE: 'sarif',
      CONFIG: 'ci/pyguard.yml',
      BASELINE: 'ci/baseline.json',
    });
    expect(requests.slice(-2)).toEqual(FILES_READ);
    expect(run.code).toBe(0);
    expect(run.log).toContain('PyGuard: 1 finding is in the baseline and not reported');
    expect(run.outputs).toContain('findings=0');
  });

  it('of the base commit hides what it lists, read through the API as the App reads it', async () => {
    const scanned = scanSource();
    const scope = github();
    readsFiles(scope);
    scope
      .get(`${REPO_PATH}/contents/.pyguard-baseline.json`)
      .query({ ref: BASE })
      .reply(200, formatBaseline(createBaseline([scanned])));
    await writeFiles(workspace, { 'ci/pyguard.yml': 'fail_on: low\n' });
    const run = await runOn({ MODE: 'sarif', CONFIG: 'ci/pyguard.yml' });
    expect(requests).toEqual([...FILES_READ, BASELINE_READ]);
    expect(run.code).toBe(0);
    expect(run.outputs).toContain('findings=0');
  });
});

describe('a later run after a finding is fixed', () => {
  const FIXED_SOURCE = 'import yaml\n\nconfig = yaml.safe_load(text)\n';
  const GONE = '0123456789abcdef0123456789abcdef';
  const OTHER_GONE = 'fedcba9876543210fedcba9876543210';
  const comment = (fingerprint: string): string =>
    `**PGD003 · YAML loaded with an unsafe loader** (high severity)\n\nmessage\n\n${fingerprintMarker(fingerprint)}`;
  const thread = (
    id: string,
    fingerprint: string,
    authors: { __typename: string; login: string }[],
  ): Record<string, unknown> => ({
    id,
    isResolved: false,
    path: 'app.py',
    line: 3,
    originalLine: 3,
    comments: {
      totalCount: authors.length,
      nodes: authors.map((author, index) => ({
        body: index === 0 ? comment(fingerprint) : 'I disagree',
        author,
      })),
    },
  });
  const ACTIONS_BOT = { __typename: 'Bot', login: 'github-actions' };

  interface GraphqlCall {
    operation: string;
    variables: unknown;
  }

  /** The run's reads up to the threads, with the fixed file and the earlier comments. */
  function fixedRun(
    scope: nock.Scope,
    graphql: GraphqlCall[],
    threads: Record<string, unknown>[],
  ): void {
    mockNoConfig(scope);
    scope
      .get(`${REPO_PATH}/commits/${HEAD}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${REPO_PATH}/check-runs`)
      .reply(201, { id: 79 })
      .get(`${REPO_PATH}/pulls/2/files`)
      .query({ per_page: '100' })
      .reply(200, [{ filename: 'app.py', status: 'added', sha: BLOB, patch: PATCH, changes: 3 }])
      .get(`${REPO_PATH}/git/blobs/${BLOB}`)
      .reply(200, { encoding: 'base64', content: Buffer.from(FIXED_SOURCE).toString('base64') })
      .get(`${REPO_PATH}/pulls/2/comments`)
      .query({ per_page: '100' })
      .reply(200, [
        { body: comment(GONE), user: { login: 'github-actions[bot]', type: 'Bot' } },
        { body: comment(OTHER_GONE), user: { login: 'pyguard[bot]', type: 'Bot' } },
      ])
      .get(`${REPO_PATH}/pulls/2/reviews`)
      .query({ per_page: '100' })
      .reply(200, []);
    const record = (body: { query: string; variables?: unknown }): boolean => {
      graphql.push({
        operation: body.query.split(/[({]/)[0]?.trim() ?? '',
        variables: body.variables,
      });
      return true;
    };
    scope
      .post('/graphql', (body: { query: string }) => body.query.startsWith('query PyGuardViewer'))
      .reply(200, { data: { viewer: { login: 'github-actions[bot]' } } })
      .post('/graphql', (body: { query: string }) => body.query.startsWith('query PyGuardThreads'))
      .reply(200, {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes: threads },
            },
          },
        },
      });
    scope.on('request', (_request: unknown, _options: unknown, body: string) => {
      if (body.startsWith('{"query"')) record(JSON.parse(body) as { query: string });
    });
  }

  it('resolves only its own unanswered thread and lists the finding as fixed', async () => {
    const graphql: GraphqlCall[] = [];
    const bodies: Record<string, unknown> = {};
    const scope = github();
    fixedRun(scope, graphql, [
      thread('PRRT_ours', GONE, [ACTIONS_BOT]),
      // Written by the App (same marker, another bot): not this token's thread.
      thread('PRRT_app', OTHER_GONE, [{ __typename: 'Bot', login: 'pyguard' }]),
      // Someone replied: left to people.
      thread('PRRT_discussed', GONE, [ACTIONS_BOT, { __typename: 'User', login: 'octocat' }]),
    ]);
    scope
      .patch(`${REPO_PATH}/check-runs/79`, (body: unknown) => ((bodies['complete'] = body), true))
      .reply(200, { id: 79 })
      .post('/graphql', (body: { query: string }) =>
        body.query.startsWith('mutation PyGuardResolve'),
      )
      .reply(200, {
        data: { resolveReviewThread: { thread: { id: 'PRRT_ours', isResolved: true } } },
      });

    const outcome = await runOn({});

    expect(requests).toEqual([
      ...NO_CONFIG,
      ...CHECK_STARTED,
      ...FILES_READ,
      `GET ${REPO_PATH}/pulls/2/comments?per_page=100`,
      `GET ${REPO_PATH}/pulls/2/reviews?per_page=100`,
      'POST /graphql',
      'POST /graphql',
      `PATCH ${REPO_PATH}/check-runs/79`,
      'POST /graphql',
    ]);
    expect(graphql).toEqual([
      { operation: 'query PyGuardViewer', variables: undefined },
      {
        operation: 'query PyGuardThreads',
        variables: { owner: OWNER, repo: 'Hello-World', number: 2, cursor: null },
      },
      { operation: 'mutation PyGuardResolve', variables: { threadId: 'PRRT_ours' } },
    ]);
    expect(scope.isDone()).toBe(true);
    const complete = bodies['complete'] as { conclusion: string; output: { summary: string } };
    expect(complete.conclusion).toBe('success');
    expect(complete.output.summary).toContain('1 earlier finding fixed');
    expect(complete.output.summary).toContain('### Fixed since the last push (1)');
    expect(complete.output.summary).toContain('YAML loaded with an unsafe loader');
    expect(complete.output.summary).toContain('`app.py:3`');
    expect(outcome.log).toContain('PyGuard: resolved 1 review thread of fixed findings');
    expect(outcome.code).toBe(0);
  });

  it('warns and still succeeds when GitHub refuses to resolve the thread', async () => {
    const graphql: GraphqlCall[] = [];
    const scope = github();
    fixedRun(scope, graphql, [thread('PRRT_ours', GONE, [ACTIONS_BOT])]);
    scope
      .patch(`${REPO_PATH}/check-runs/79`)
      .reply(200, { id: 79 })
      .post('/graphql', (body: { query: string }) =>
        body.query.startsWith('mutation PyGuardResolve'),
      )
      .reply(200, {
        data: null,
        errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }],
      });

    const outcome = await runOn({});

    expect(graphql.map((call) => call.operation)).toEqual([
      'query PyGuardViewer',
      'query PyGuardThreads',
      'mutation PyGuardResolve',
    ]);
    expect(scope.isDone()).toBe(true);
    expect(outcome.log.filter((line) => line.startsWith('::'))).toEqual([
      expect.stringMatching(
        /^::warning title=PyGuard::the review threads of fixed findings could not be resolved \(.*Resource not accessible by integration/,
      ),
    ]);
    expect(outcome.code).toBe(0);
  });
});
