/**
 * A small stateful GitHub behind nock for fault tests: check runs, reviews and review threads
 * are kept in memory, so a request GitHub "processed" before the connection broke is visible to
 * the lookups that follow, exactly as on the real API. Faults are injected per route.
 */
import type nock from 'nock';

import {
  BASE,
  HEAD,
  INSTALLATION_ID,
  OWNER,
  REPO,
  REPO_PATH,
  TOKEN,
  blobSha,
  pullRequest,
} from './harness.js';
import type { FileEntry } from './harness.js';

/** What goes wrong with one request. */
export type FaultKind =
  | 500
  | 502
  | 422
  | 403
  /** The connection breaks before GitHub sees the request. */
  | 'reset-before'
  /** GitHub carries the request out, then the connection breaks before the answer. */
  | 'reset-after';

export interface Fault {
  /** `GET`, `POST`, `PATCH`. */
  method: string;
  /** Matched against the path without the query. */
  path: RegExp;
  /** For GraphQL: matched against the query text. */
  query?: RegExp;
  /** For check-run writes: the `status` the request sets (`queued`, `in_progress`, `completed`). */
  status?: string;
  kind: FaultKind;
  /** Requests it applies to (default 1). */
  times?: number;
}

export interface FakeAnnotation {
  path: string;
  start_line: number;
  annotation_level: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  external_id: string | null;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string };
  annotations: FakeAnnotation[];
  app: { id: number };
}

export interface FakeComment {
  id: number;
  path: string;
  line: number;
  body: string;
  user: { login: string; type: string };
}

export interface FakeReview {
  id: number;
  body: string;
  user: { login: string; type: string };
  comments: FakeComment[];
}

export interface FakeThread {
  id: string;
  isResolved: boolean;
  path: string;
  line: number;
  body: string;
}

export interface FakeRepoOptions {
  files: readonly FileEntry[];
  /** Head contents by path. */
  contents: Readonly<Record<string, string>>;
  config?: string;
  /** PyGuard review threads already on the pull request. */
  threads?: readonly FakeThread[];
}

const BOT = { login: 'pyguard[bot]', type: 'Bot' };
const APP_ID = 1;

type Reply = [number, unknown] | [number, unknown, Record<string, string>];

function resetError(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

export class FakeGitHub {
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reviews: FakeReview[] = [];
  readonly threads: FakeThread[];
  /** Review POSTs GitHub carried out (for "nothing posted twice"). */
  reviewPosts = 0;
  /** Check-run POSTs GitHub carried out. */
  checkPosts = 0;
  private readonly faults: (Fault & { left: number })[] = [];
  private nextId = 700;

  constructor(
    scope: nock.Scope,
    private readonly repo: FakeRepoOptions,
  ) {
    this.threads = (repo.threads ?? []).map((thread) => ({ ...thread }));
    // Each thread starts with PyGuard's inline comment, posted by an earlier scan.
    if (this.threads.length > 0) {
      this.reviews.push({
        id: ++this.nextId,
        body: '',
        user: BOT,
        comments: this.threads.map((thread) => ({
          id: ++this.nextId,
          path: thread.path,
          line: thread.line,
          body: thread.body,
          user: BOT,
        })),
      });
    }
    this.register(scope);
  }

  /** A check run left by an earlier attempt (a process that died mid-scan). */
  seedCheckRun(run: Partial<FakeCheckRun> & { external_id: string }): FakeCheckRun {
    const seeded: FakeCheckRun = {
      id: ++this.nextId,
      name: 'PyGuard',
      head_sha: HEAD,
      status: 'in_progress',
      conclusion: null,
      output: { title: 'Scanning', summary: '' },
      annotations: [],
      app: { id: APP_ID },
      ...run,
    };
    this.checkRuns.push(seeded);
    return seeded;
  }

  /** Makes the next matching request(s) fail. */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Faults injected but never triggered. */
  unusedFaults(): Fault[] {
    return this.faults.filter((fault) => fault.left === (fault.times ?? 1));
  }

  /** Every inline comment PyGuard has on the pull request. */
  get comments(): FakeComment[] {
    return this.reviews.flatMap((review) => review.comments);
  }

  private register(scope: nock.Scope): void {
    scope
      .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
      .reply(201, { token: TOKEN, expires_at: '2099-01-01T00:00:00Z' })
      .persist();
    this.route(scope.get(`${REPO_PATH}/pulls/2`), 'GET', () => [
      200,
      pullRequest({ changedFiles: this.repo.files.length }),
    ]);
    this.route(scope.get(`${REPO_PATH}/contents/.github%2Fpyguard.yml`), 'GET', () =>
      this.repo.config === undefined
        ? [404, { message: 'Not Found' }]
        : [200, this.repo.config, { 'content-type': 'text/plain; charset=utf-8' }],
    );
    // No baseline file at the base commit.
    this.route(
      scope.get(`${REPO_PATH}/contents/.pyguard-baseline.json`).query({ ref: BASE }),
      'GET',
      () => [404, { message: 'Not Found' }],
    );
    this.route(scope.get(`/repos/${OWNER}/.github/contents/.github%2Fpyguard.yml`), 'GET', () => [
      404,
      { message: 'Not Found' },
    ]);
    this.route(scope.get(`${REPO_PATH}/pulls/2/files`).query({ per_page: '100' }), 'GET', () => [
      200,
      this.repo.files,
    ]);
    this.route(scope.get(/\/git\/blobs\/[0-9a-f]+$/), 'GET', (uri) => this.blob(uri));
    this.route(scope.get(/\/commits\/[0-9a-f]+\/check-runs/).query(true), 'GET', (uri) =>
      this.listCheckRuns(uri),
    );
    this.route(scope.post(`${REPO_PATH}/check-runs`), 'POST', (_uri, body) =>
      this.createCheckRun(body as Record<string, unknown>),
    );
    this.route(scope.patch(/\/check-runs\/\d+$/), 'PATCH', (uri, body) =>
      this.updateCheckRun(uri, body as Record<string, unknown>),
    );
    this.route(scope.get(/\/check-runs\/\d+$/), 'GET', (uri) => this.getCheckRun(uri));
    this.route(scope.get(`${REPO_PATH}/pulls/2/comments`).query({ per_page: '100' }), 'GET', () => [
      200,
      this.comments,
    ]);
    this.route(scope.get(`${REPO_PATH}/pulls/2/reviews`).query({ per_page: '100' }), 'GET', () => [
      200,
      this.reviews.map((review) => ({ id: review.id, body: review.body, user: review.user })),
    ]);
    this.route(scope.post(`${REPO_PATH}/pulls/2/reviews`), 'POST', (_uri, body) =>
      this.createReview(
        body as { body: string; comments: { path: string; line: number; body: string }[] },
      ),
    );
    this.route(scope.post('/graphql'), 'POST', (_uri, body) =>
      this.graphql(body as { query: string; variables?: Record<string, unknown> }),
    );
  }

  /** A persisted route whose answers go through the injected faults. */
  private route(
    interceptor: nock.Interceptor,
    method: string,
    handle: (uri: string, body: unknown) => Reply,
  ): void {
    interceptor
      // A promise, so that a thrown reset breaks the connection (nock destroys the request).
      .reply((uri: string, body: unknown) =>
        Promise.resolve().then((): Reply => {
          const fault = this.takeFault(method, uri, body);
          if (fault === undefined) return handle(uri, body);
          switch (fault) {
            case 'reset-before':
              throw resetError();
            case 'reset-after':
              handle(uri, body);
              throw resetError();
            case 403:
              return [
                403,
                { message: 'You have exceeded a secondary rate limit.' },
                { 'retry-after': '1' },
              ];
            default:
              return [fault, { message: fault === 422 ? 'Unprocessable Entity' : 'Server Error' }];
          }
        }),
      )
      .persist();
  }

  private takeFault(method: string, uri: string, body: unknown): FaultKind | undefined {
    const path = uri.split('?')[0] ?? uri;
    const query = typeof body === 'object' && body !== null && 'query' in body ? body.query : '';
    const status =
      typeof body === 'object' && body !== null && 'status' in body ? body.status : undefined;
    const fault = this.faults.find(
      (candidate) =>
        candidate.left > 0 &&
        candidate.method === method &&
        candidate.path.test(path) &&
        (candidate.query === undefined ||
          (typeof query === 'string' && candidate.query.test(query))) &&
        (candidate.status === undefined || candidate.status === status),
    );
    if (fault === undefined) return undefined;
    fault.left--;
    return fault.kind;
  }

  private blob(uri: string): Reply {
    const sha = uri.split('/').pop() ?? '';
    for (const [path, content] of Object.entries(this.repo.contents)) {
      if (blobSha(path, content) === sha) {
        const bytes = Buffer.from(content, 'utf8');
        return [
          200,
          { sha, size: bytes.length, encoding: 'base64', content: bytes.toString('base64') },
        ];
      }
    }
    return [404, { message: 'Not Found' }];
  }

  private listCheckRuns(uri: string): Reply {
    const sha = /\/commits\/([0-9a-f]+)\//.exec(uri)?.[1];
    const runs = this.checkRuns
      .filter((run) => run.head_sha === sha)
      .map((run) => this.present(run))
      .reverse();
    return [200, { total_count: runs.length, check_runs: runs }];
  }

  private present(run: FakeCheckRun): Record<string, unknown> {
    const { annotations, ...rest } = run;
    return { ...rest, output: { ...run.output, annotations_count: annotations.length } };
  }

  private createCheckRun(body: Record<string, unknown>): Reply {
    this.checkPosts++;
    const run: FakeCheckRun = {
      id: ++this.nextId,
      name: String(body['name']),
      head_sha: String(body['head_sha']),
      external_id: typeof body['external_id'] === 'string' ? body['external_id'] : null,
      status: typeof body['status'] === 'string' ? body['status'] : 'queued',
      conclusion: null,
      output: { title: '', summary: '' },
      annotations: [],
      app: { id: APP_ID },
    };
    this.applyUpdate(run, body);
    this.checkRuns.push(run);
    return [201, this.present(run)];
  }

  private findRun(uri: string): FakeCheckRun | undefined {
    const id = Number(uri.split('/').pop());
    return this.checkRuns.find((run) => run.id === id);
  }

  private updateCheckRun(uri: string, body: Record<string, unknown>): Reply {
    const run = this.findRun(uri);
    if (run === undefined) return [404, { message: 'Not Found' }];
    this.applyUpdate(run, body);
    return [200, this.present(run)];
  }

  private getCheckRun(uri: string): Reply {
    const run = this.findRun(uri);
    return run === undefined ? [404, { message: 'Not Found' }] : [200, this.present(run)];
  }

  private applyUpdate(run: FakeCheckRun, body: Record<string, unknown>): void {
    if (typeof body['status'] === 'string') run.status = body['status'];
    if (typeof body['conclusion'] === 'string') {
      run.status = 'completed';
      run.conclusion = body['conclusion'];
    }
    const output = body['output'] as
      { title: string; summary: string; annotations?: FakeAnnotation[] } | undefined;
    if (output !== undefined) {
      run.output = { title: output.title, summary: output.summary };
      run.annotations.push(...(output.annotations ?? []));
    }
  }

  private createReview(body: {
    body: string;
    comments: { path: string; line: number; body: string }[];
  }): Reply {
    this.reviewPosts++;
    const id = ++this.nextId;
    const comments = body.comments.map((comment) => ({
      id: ++this.nextId,
      path: comment.path,
      line: comment.line,
      body: comment.body,
      user: BOT,
    }));
    this.reviews.push({ id, body: body.body, user: BOT, comments });
    return [200, { id, state: 'COMMENTED' }];
  }

  private graphql(body: { query: string; variables?: Record<string, unknown> }): Reply {
    if (body.query.includes('resolveReviewThread')) {
      const threadId = body.variables?.['threadId'];
      const thread = this.threads.find((candidate) => candidate.id === threadId);
      if (thread !== undefined) thread.isResolved = true;
      return [
        200,
        { data: { resolveReviewThread: { thread: { id: threadId, isResolved: true } } } },
      ];
    }
    const nodes = this.threads.map((thread) => ({
      id: thread.id,
      isResolved: thread.isResolved,
      path: thread.path,
      line: thread.line,
      originalLine: thread.line,
      comments: { totalCount: 1, nodes: [{ body: thread.body, author: { __typename: 'Bot' } }] },
    }));
    return [
      200,
      {
        data: {
          repository: {
            pullRequest: {
              reviewThreads: { pageInfo: { hasNextPage: false, endCursor: null }, nodes },
            },
          },
        },
      },
    ];
  }
}

export { APP_ID, BASE, HEAD, OWNER, REPO };
