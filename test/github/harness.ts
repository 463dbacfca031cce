/**
 * A Probot instance running PyGuard against nock: no network, retry and throttling off, a
 * private key generated for the test run, and every request GitHub received recorded.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';

import nock from 'nock';
import { pino } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { expect } from 'vitest';

import { allRules } from '../../rules/index.js';
import type { AdvisorySource } from '../../src/deps/advisory-source.js';
import { createApp } from '../../src/github/app.js';
import { MemoryQueue } from '../../src/github/jobs/memory-queue.js';
import { BackgroundTasks } from '../../src/github/tasks.js';
import { createWorkerHooks } from '../../src/github/worker.js';
import type { AnyRule } from '../../src/rules-api/types.js';

export const API = 'https://api.github.com';
export const OWNER = 'Codertocat';
export const REPO = 'Hello-World';
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;
export const REPO_ID = 186853002;
export const INSTALLATION_ID = 2;
export const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
export const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
/** The version and repository the App's rule links point at in these tests. */
export const DOCS_SOURCE = { version: '1.0.0', informationUri: 'https://github.com/OWNER/pyguard' };
/** The rule page the App links to in these tests. */
export function rulePage(ruleId: string): string {
  return `https://github.com/OWNER/pyguard/blob/v1.0.0/docs/rules/${ruleId}.md`;
}
export const NOW = new Date('2024-05-01T12:00:00.000Z');
export const TOKEN = 'ghs_16C7e42F292c6912E7710c838347Ae178B4a';

let privateKey: string | undefined;

/** An RSA key made for this test run (never committed). */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  }).privateKey;
  return privateKey;
}

/** A webhook payload from test/fixtures/webhooks, as a fresh mutable object. */
export function fixture(name: string): Record<string, unknown> {
  const url = new URL(`../fixtures/webhooks/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  /** Path and query, without the host. */
  path: string;
  body: unknown;
}

export interface Harness {
  probot: Probot;
  queue: MemoryQueue;
  tasks: BackgroundTasks;
  /** Requests GitHub received, in order. */
  requests: RecordedRequest[];
  /** JSON log lines written by the app and Probot. */
  logs: string[];
  /** Errors that escaped a job (there should be none). */
  jobErrors: unknown[];
  /** Delivers a webhook and waits until every job it caused has finished. */
  deliver: (name: string, payload: unknown, id?: string) => Promise<void>;
  /** Requests matching `METHOD /path` (path without query), bodies only. */
  bodies: (method: string, path: string) => unknown[];
}

let deliveries = 0;

export interface HarnessOptions {
  concurrency?: number;
  /** Turn Octokit's retry plugin on (with a 1 ms base delay instead of 1 s). */
  retry?: boolean;
  /** The rules the app runs (default: {@link TEST_RULES}). */
  rules?: readonly AnyRule[];
  /** Attempts per scan job (default 1: a failure completes the check at once). */
  attempts?: number;
  /** Where the dependency audit gets advisories (default: none). */
  advisories?: AdvisorySource;
}

/** Waits until no task and no job is left (a command's task may queue a scan). */
export async function settle(queue: MemoryQueue, tasks: BackgroundTasks): Promise<void> {
  do {
    await tasks.idle();
    await queue.idle();
  } while (tasks.size > 0 || queue.size.pending + queue.size.running + queue.size.tasks > 0);
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(chunk.toString());
      callback();
    },
  });
  const jobErrors: unknown[] = [];
  // One attempt per job: a failure completes the check at once (retries are tested apart).
  const queue = new MemoryQueue({
    concurrency: options.concurrency ?? 2,
    retry: { attempts: options.attempts ?? 1, baseDelayMs: 1 },
  });
  const tasks = new BackgroundTasks((error) => jobErrors.push(error));
  const retry = options.retry === true;
  const probot = new Probot({
    appId: 1,
    privateKey: testPrivateKey(),
    log: pino({ level: 'info' }, stream),
    Octokit: ProbotOctokit.defaults((instanceOptions: object) => ({
      ...instanceOptions,
      retry: { enabled: retry, retryAfterBaseValue: 1 },
      throttle: { enabled: false },
    })),
  });
  const app = createApp({
    clock: () => NOW,
    queue,
    tasks,
    rules: options.rules ?? TEST_RULES,
    advisories: options.advisories,
    // A fixed version, so that the rule links in snapshots do not change with each release.
    docsSource: DOCS_SOURCE,
  });
  await probot.load(app.handlers);
  const hooks = createWorkerHooks({
    auth: (installationId) => probot.auth(installationId),
    log: probot.log,
    scan: app.scanDeps,
  });
  queue.startWorker({
    ...hooks,
    onError: (error) => {
      jobErrors.push(error);
    },
  });

  const requests = recorded;
  return {
    probot,
    queue,
    tasks,
    requests,
    logs,
    jobErrors,
    deliver: async (name, payload, id) => {
      await probot.receive({
        id: id ?? `delivery-${++deliveries}`,
        name: name as 'ping',
        payload: payload as never,
      });
      await settle(queue, tasks);
    },
    bodies: (method, path) =>
      requests
        .filter((request) => request.method === method && request.path.split('?')[0] === path)
        .map((request) => request.body),
  };
}

const recorded: RecordedRequest[] = [];

/** Every request nock saw since the last {@link tearDownNock}. */
export function recordedRequests(): readonly RecordedRequest[] {
  return recorded;
}

/** The nock scope for api.github.com; every request it answers is recorded. */
export function github(): nock.Scope {
  const scope = nock(API);
  scope.on(
    'request',
    (request: { method: string; path: string }, _interceptor: unknown, body: string) => {
      recorded.push({ method: request.method, path: request.path, body: parseBody(body) });
    },
  );
  return scope;
}

interface UnmatchedRequest {
  method?: string;
  path?: string;
  host?: string;
  hostname?: string;
}

/**
 * Records a request no interceptor answered. Nock passes the request first and, for requests
 * made through Node's HTTP client (Octokit's fetch included), its options second: only the
 * options name the host.
 */
function onNoMatch(request: UnmatchedRequest, options?: UnmatchedRequest): void {
  const host = options?.hostname ?? options?.host ?? request.hostname ?? request.host ?? '';
  if (!host.includes('api.github.com')) return;
  recorded.push({
    method: request.method ?? options?.method ?? '?',
    path: `UNMATCHED ${request.path ?? options?.path ?? '?'}`,
    body: null,
  });
}

export function setUpNock(): void {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
}

export function tearDownNock(): void {
  nock.cleanAll();
  nock.emitter.removeListener('no match', onNoMatch);
  nock.enableNetConnect();
  recorded.length = 0;
}

function parseBody(body: string): unknown {
  if (body === '') return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

// ---------------------------------------------------------------------------------------
// GitHub API fixtures

export function mockToken(scope: nock.Scope): void {
  scope.post(`/app/installations/${INSTALLATION_ID}/access_tokens`).reply(201, {
    token: TOKEN,
    expires_at: '2099-01-01T00:00:00Z',
    permissions: { checks: 'write', pull_requests: 'write', contents: 'read', issues: 'write' },
    repository_selection: 'all',
  });
}

export interface PullOptions {
  number?: number;
  head?: string;
  base?: string;
  draft?: boolean;
  changedFiles?: number;
}

export function pullRequest(options: PullOptions = {}): Record<string, unknown> {
  return {
    number: options.number ?? 2,
    state: 'open',
    draft: options.draft ?? false,
    head: { sha: options.head ?? HEAD, ref: 'changes' },
    base: { sha: options.base ?? BASE, ref: 'master', repo: { full_name: `${OWNER}/${REPO}` } },
    changed_files: options.changedFiles ?? 1,
  };
}

export function mockPull(scope: nock.Scope, options: PullOptions = {}): void {
  scope.get(`${REPO_PATH}/pulls/${options.number ?? 2}`).reply(200, pullRequest(options));
}

/** No `.github/pyguard.yml` in the repository nor in the organisation's `.github`. */
export function mockNoConfig(scope: nock.Scope): void {
  scope.get(`${REPO_PATH}/contents/.github%2Fpyguard.yml`).reply(404, { message: 'Not Found' });
  scope
    .get(`/repos/${OWNER}/.github/contents/.github%2Fpyguard.yml`)
    .reply(404, { message: 'Not Found' });
  mockNoBaseline(scope);
}

/** The request that reads `.pyguard-baseline.json` at the base commit. */
export const BASELINE_READ = `GET ${REPO_PATH}/contents/.pyguard-baseline.json?ref=${BASE}`;

/**
 * No `.pyguard-baseline.json` at the base commit. Optional: a scan reads it only when it has
 * findings (registered with every configuration mock, so each scan finds one).
 */
export function mockNoBaseline(scope: nock.Scope, base = BASE): void {
  scope
    .get(`${REPO_PATH}/contents/.pyguard-baseline.json`)
    .query({ ref: base })
    .optionally()
    .reply(404, { message: 'Not Found' });
}

/** `.pyguard-baseline.json` at the base commit, with the given text. */
export function mockBaseline(scope: nock.Scope, text: string, base = BASE): void {
  scope
    .get(`${REPO_PATH}/contents/.pyguard-baseline.json`)
    .query({ ref: base })
    .reply(200, text, { 'content-type': 'text/plain; charset=utf-8' });
}

/**
 * The rules these tests were written against: a fixed set, so that adding rules elsewhere does not
 * change the expected requests and snapshots.
 */
export const TEST_RULES = allRules.filter((rule) =>
  [
    'PGC001',
    'PGC008',
    'PGD001',
    'PGD002',
    'PGD003',
    'PGF003',
    'PGI001',
    'PGI005',
    'PGI006',
    'PGI016',
    'PGI017',
    'PGS001',
    'PGS002',
    'PGS003',
    'PGS004',
    'PGT001',
    'PGT013',
    'PGT014',
    'PGW001',
    'PGX001',
  ].includes(rule.meta.id),
);

export function mockConfig(scope: nock.Scope, yaml: string): void {
  scope
    .get(`${REPO_PATH}/contents/.github%2Fpyguard.yml`)
    .reply(200, yaml, { 'content-type': 'text/plain; charset=utf-8' });
  mockNoBaseline(scope);
}

let checkRunIds = 100;

/** The query PyGuard lists a head's check runs with (before creating one). */
export const CHECK_LIST_QUERY = 'check_name=PyGuard&filter=all&per_page=100';

/** The head's PyGuard check runs: none, unless given. */
export function mockListChecks(
  scope: nock.Scope,
  runs: readonly Record<string, unknown>[] = [],
  head = HEAD,
): void {
  scope
    .get(`${REPO_PATH}/commits/${head}/check-runs`)
    .query({ check_name: 'PyGuard', filter: 'all', per_page: '100' })
    .reply(200, { total_count: runs.length, check_runs: runs });
}

/** Mocks the lookup (no check run yet) and the check run creation; resolves the new id. */
export function mockCreateCheck(scope: nock.Scope, head = HEAD): number {
  const id = ++checkRunIds;
  mockListChecks(scope, [], head);
  // Created `queued` when the job is accepted, then marked `in_progress` when it starts.
  scope.post(`${REPO_PATH}/check-runs`).reply(201, { id, status: 'queued' });
  scope.patch(`${REPO_PATH}/check-runs/${id}`).reply(200, { id, status: 'in_progress' });
  return id;
}

/**
 * What PyGuard sends to create a job's check run when the job is accepted: `queued`, no start
 * time (GitHub sets none until the scan starts).
 */
export function queuedCheckRun(
  externalId = 'pull:2:pull_request',
  head = HEAD,
): Record<string, unknown> {
  return {
    name: 'PyGuard',
    head_sha: head,
    status: 'queued',
    external_id: externalId,
    output: {
      title: 'Queued',
      summary:
        'This scan is waiting for a PyGuard worker; the check is updated when the scan starts and completed when it ends.',
    },
  };
}

/** What PyGuard sends when a job's scan starts: the check run moves to `in_progress`. */
export const IN_PROGRESS_UPDATE = {
  status: 'in_progress',
  started_at: NOW.toISOString(),
  output: {
    title: 'Scanning',
    summary: 'PyGuard is scanning the Python and template lines this pull request adds or changes.',
  },
} as const;

/**
 * The updates of a check run after the one that marked it `in_progress` when the scan started;
 * that first update is asserted to be exactly {@link IN_PROGRESS_UPDATE}.
 */
export function updatesAfterStart<T = unknown>(harness: Harness, checkRunId: number): T[] {
  const [started, ...rest] = harness.bodies('PATCH', `${REPO_PATH}/check-runs/${checkRunId}`);
  expect(started).toEqual(IN_PROGRESS_UPDATE);
  return rest as T[];
}

export function mockUpdateCheck(scope: nock.Scope, id: number, times = 1): void {
  scope.patch(`${REPO_PATH}/check-runs/${id}`).times(times).reply(200, { id });
}

export interface FileEntry {
  filename: string;
  status: string;
  sha: string | null;
  patch?: string;
  previous_filename?: string;
  changes: number;
  additions: number;
  deletions: number;
}

export function fileEntry(
  filename: string,
  content: string,
  patch: string | undefined,
  status = 'modified',
): FileEntry {
  const entry: FileEntry = {
    filename,
    status,
    sha: blobSha(filename, content),
    changes: 1,
    additions: 1,
    deletions: 0,
  };
  if (patch !== undefined) entry.patch = patch;
  return entry;
}

/** A stable fake blob SHA for a file's content. */
export function blobSha(filename: string, content: string): string {
  let hash = 0;
  for (const char of `${filename}\u0000${content}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash.toString(16).padStart(8, '0').repeat(5);
}

export function mockFiles(scope: nock.Scope, files: readonly FileEntry[], pullNumber = 2): void {
  const pages = Math.max(1, Math.ceil(files.length / 100));
  for (let page = 1; page <= pages; page++) {
    const slice = files.slice((page - 1) * 100, page * 100);
    const query = page === 1 ? { per_page: '100' } : { per_page: '100', page: String(page) };
    const link =
      page < pages
        ? {
            link: `<${API}${REPO_PATH}/pulls/${pullNumber}/files?per_page=100&page=${page + 1}>; rel="next", <${API}${REPO_PATH}/pulls/${pullNumber}/files?per_page=100&page=${pages}>; rel="last"`,
          }
        : {};
    scope.get(`${REPO_PATH}/pulls/${pullNumber}/files`).query(query).reply(200, slice, link);
  }
}

export function mockBlob(scope: nock.Scope, filename: string, content: string | Buffer): void {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const sha = blobSha(filename, typeof content === 'string' ? content : content.toString('latin1'));
  scope.get(`${REPO_PATH}/git/blobs/${sha}`).reply(200, {
    sha,
    size: bytes.length,
    encoding: 'base64',
    content: bytes.toString('base64').replace(/(.{60})/g, '$1\n'),
  });
}

export interface ExistingComment {
  body: string;
  path: string;
  line: number;
  bot?: boolean;
}

/** The existing review comments and reviews of the pull request (one page each). */
export function mockPosted(
  scope: nock.Scope,
  comments: readonly ExistingComment[] = [],
  reviews: readonly { body: string; bot?: boolean }[] = [],
  pullNumber = 2,
): void {
  scope
    .get(`${REPO_PATH}/pulls/${pullNumber}/comments`)
    .query({ per_page: '100' })
    .reply(
      200,
      comments.map((comment, index) => ({
        id: 9000 + index,
        path: comment.path,
        line: comment.line,
        body: comment.body,
        user:
          comment.bot === false
            ? { login: 'octocat', type: 'User' }
            : { login: 'pyguard[bot]', type: 'Bot' },
      })),
    );
  scope
    .get(`${REPO_PATH}/pulls/${pullNumber}/reviews`)
    .query({ per_page: '100' })
    .reply(
      200,
      reviews.map((review, index) => ({
        id: 8000 + index,
        body: review.body,
        state: 'COMMENTED',
        user:
          review.bot === false
            ? { login: 'octocat', type: 'User' }
            : { login: 'pyguard[bot]', type: 'Bot' },
      })),
    );
}

export function mockCreateReview(scope: nock.Scope, pullNumber = 2): void {
  scope.post(`${REPO_PATH}/pulls/${pullNumber}/reviews`).reply(200, { id: 80, state: 'COMMENTED' });
}

/**
 * What publishing a scan's results asks of GitHub: the pull request's existing comments and
 * reviews read, one review posted, and the check run updated (`updates` times).
 */
export function mockPublished(scope: nock.Scope, checkId: number, updates = 1): void {
  mockPosted(scope);
  mockCreateReview(scope);
  mockUpdateCheck(scope, checkId, updates);
}

/** `METHOD /path` of every recorded request, query strings kept. */
export function requestLines(requests: readonly RecordedRequest[]): string[] {
  return requests.map((request) => `${request.method} ${request.path}`);
}
