/**
 * A small stand-in for the GitHub REST and GraphQL API on loopback, holding pull requests,
 * blobs, check runs and reviews in memory: enough for the App to scan pull requests end to end
 * in the load benchmark and in process-level tests. It records when each check run was
 * completed, so callers can measure delivery → completed check.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeFile {
  filename: string;
  text: string;
}

export interface FakeCheckRun {
  id: number;
  owner: string;
  repo: string;
  head_sha: string;
  name: string;
  status: string;
  conclusion: string | null;
  external_id: string;
  output: { title?: string; summary?: string };
  /** Annotations received, over every update. */
  annotations: number;
  createdAt: number;
  completedAt?: number;
}

interface FakePull {
  number: number;
  head: string;
  base: string;
  files: { filename: string; sha: string; patch: string; additions: number }[];
}

interface Json {
  [key: string]: unknown;
}

export class FakeGitHub {
  readonly checkRuns: FakeCheckRun[] = [];
  readonly reviews: { owner: string; repo: string; pull: number; comments: number }[] = [];
  /** `METHOD route` of every request, in order. */
  readonly requests: string[] = [];
  private readonly pulls = new Map<string, FakePull>();
  private readonly blobs = new Map<string, string>();
  private server: Server | undefined;
  private nextId = 1;

  /** Sets a pull request's head (new files every time) — what a push does. */
  push(
    owner: string,
    repo: string,
    number: number,
    head: string,
    files: readonly FakeFile[],
  ): void {
    const entries = files.map((file, index) => {
      const sha = `${head.slice(0, 20)}${String(index).padStart(20, '0')}`;
      this.blobs.set(sha, file.text);
      const lines = file.text.split('\n');
      const patch = `@@ -0,0 +1,${lines.length} @@\n${lines.map((line) => `+${line}`).join('\n')}`;
      return { filename: file.filename, sha, patch, additions: lines.length };
    });
    this.pulls.set(`${owner}/${repo}#${number}`, {
      number,
      head,
      base: 'b'.repeat(40),
      files: entries,
    });
  }

  /** The check runs of a head, newest first. */
  checksOf(head: string): FakeCheckRun[] {
    return this.checkRuns.filter((run) => run.head_sha === head).reverse();
  }

  async listen(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch(() => {
        send(response, 500, { message: 'fake GitHub failed' });
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) =>
      server.close(() => {
        resolve();
      }),
    );
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api\/v3/, '');
    const method = request.method ?? 'GET';
    const body = method === 'GET' ? {} : await readJson(request);
    const answer = this.route(method, path, url.searchParams, body);
    this.requests.push(`${method} ${answer.route}`);
    send(response, answer.status, answer.body);
  }

  private route(
    method: string,
    path: string,
    query: URLSearchParams,
    body: Json,
  ): { route: string; status: number; body: unknown } {
    const parts = path.split('/').filter((part) => part !== '');
    if (method === 'POST' && parts[0] === 'app' && parts[3] === 'access_tokens') {
      return {
        route: '/app/installations/{id}/access_tokens',
        status: 201,
        body: { token: 'ghs_fake', expires_at: new Date(Date.now() + 3_600_000).toISOString() },
      };
    }
    if (method === 'POST' && path === '/graphql') {
      return { route: '/graphql', status: 200, body: { data: emptyThreads() } };
    }
    if (parts[0] !== 'repos' || parts.length < 4) return notFound(path);
    const owner = parts[1] ?? '';
    const repo = parts[2] ?? '';
    const rest = parts.slice(3);
    const pull = (number: string | undefined) => this.pulls.get(`${owner}/${repo}#${number ?? ''}`);
    if (rest[0] === 'pulls' && rest.length === 2 && method === 'GET') {
      const found = pull(rest[1]);
      if (found === undefined) return notFound(path);
      return { route: '/repos/{o}/{r}/pulls/{n}', status: 200, body: pullJson(owner, repo, found) };
    }
    if (rest[0] === 'pulls' && rest[2] === 'files') {
      const found = pull(rest[1]);
      const page = Number(query.get('page') ?? '1');
      const perPage = Number(query.get('per_page') ?? '30');
      const files = (found?.files ?? []).slice((page - 1) * perPage, page * perPage);
      return {
        route: '/repos/{o}/{r}/pulls/{n}/files',
        status: 200,
        body: files.map((file) => ({
          filename: file.filename,
          status: 'added',
          sha: file.sha,
          patch: file.patch,
          additions: file.additions,
          deletions: 0,
          changes: file.additions,
        })),
      };
    }
    if (rest[0] === 'pulls' && (rest[2] === 'comments' || rest[2] === 'reviews')) {
      if (method === 'POST') {
        const comments = Array.isArray(body['comments']) ? body['comments'].length : 0;
        this.reviews.push({ owner, repo, pull: Number(rest[1]), comments });
        return {
          route: '/repos/{o}/{r}/pulls/{n}/reviews',
          status: 200,
          body: { id: this.nextId++ },
        };
      }
      return { route: `/repos/{o}/{r}/pulls/{n}/${rest[2]}`, status: 200, body: [] };
    }
    if (rest[0] === 'git' && rest[1] === 'blobs') {
      const text = this.blobs.get(rest[2] ?? '');
      if (text === undefined) return notFound(path);
      return {
        route: '/repos/{o}/{r}/git/blobs/{sha}',
        status: 200,
        body: { content: Buffer.from(text).toString('base64'), encoding: 'base64' },
      };
    }
    if (rest[0] === 'commits' && rest[2] === 'check-runs') {
      const runs = this.checkRuns.filter(
        (run) => run.owner === owner && run.repo === repo && run.head_sha === rest[1],
      );
      return {
        route: '/repos/{o}/{r}/commits/{sha}/check-runs',
        status: 200,
        body: { total_count: runs.length, check_runs: runs.map(checkRunJson) },
      };
    }
    if (rest[0] === 'check-runs' && method === 'POST') {
      const run: FakeCheckRun = {
        id: this.nextId++,
        owner,
        repo,
        head_sha: stringField(body, 'head_sha'),
        name: stringField(body, 'name'),
        status: stringField(body, 'status') || 'queued',
        conclusion: null,
        external_id: stringField(body, 'external_id'),
        output: {},
        annotations: 0,
        createdAt: Date.now(),
      };
      this.applyUpdate(run, body);
      this.checkRuns.push(run);
      return { route: '/repos/{o}/{r}/check-runs', status: 201, body: checkRunJson(run) };
    }
    if (rest[0] === 'check-runs' && method === 'GET') {
      const run = this.checkRuns.find((entry) => entry.id === Number(rest[1]));
      if (run === undefined) return notFound(path);
      return { route: '/repos/{o}/{r}/check-runs/{id}', status: 200, body: checkRunJson(run) };
    }
    if (rest[0] === 'check-runs' && method === 'PATCH') {
      const run = this.checkRuns.find((entry) => entry.id === Number(rest[1]));
      if (run === undefined) return notFound(path);
      this.applyUpdate(run, body);
      return { route: '/repos/{o}/{r}/check-runs/{id}', status: 200, body: checkRunJson(run) };
    }
    if (rest[0] === 'compare') {
      return {
        route: '/repos/{o}/{r}/compare/{basehead}',
        status: 200,
        body: { merge_base_commit: { sha: 'b'.repeat(40) }, files: [] },
      };
    }
    return notFound(path);
  }

  private applyUpdate(run: FakeCheckRun, body: Json): void {
    const status = stringField(body, 'status');
    if (status !== '') run.status = status;
    const conclusion = stringField(body, 'conclusion');
    if (conclusion !== '') run.conclusion = conclusion;
    const output = body['output'];
    if (typeof output === 'object' && output !== null) {
      const { title, summary, annotations } = output as {
        title?: string;
        summary?: string;
        annotations?: unknown[];
      };
      run.annotations += Array.isArray(annotations) ? annotations.length : 0;
      run.output = {
        ...(title === undefined ? {} : { title }),
        ...(summary === undefined ? {} : { summary }),
      };
    }
    if (run.status === 'completed') run.completedAt ??= Date.now();
  }
}

function stringField(body: Json, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value : '';
}

function notFound(path: string): { route: string; status: number; body: unknown } {
  return {
    route: `404 ${path.replace(/[0-9a-f]{40}/g, '{sha}')}`,
    status: 404,
    body: { message: 'Not Found' },
  };
}

function pullJson(owner: string, repo: string, pull: FakePull): Json {
  const repository = { id: 1, name: repo, full_name: `${owner}/${repo}`, owner: { login: owner } };
  return {
    number: pull.number,
    state: 'open',
    draft: false,
    head: { sha: pull.head, ref: `topic-${pull.number}`, repo: repository },
    base: { sha: pull.base, ref: 'main', repo: repository },
    changed_files: pull.files.length,
  };
}

function checkRunJson(run: FakeCheckRun): Json {
  return {
    id: run.id,
    head_sha: run.head_sha,
    name: run.name,
    status: run.status,
    conclusion: run.conclusion,
    external_id: run.external_id,
    app: { id: 1 },
    output: { ...run.output, annotations_count: run.annotations },
  };
}

function emptyThreads(): Json {
  const page = { pageInfo: { hasNextPage: false, endCursor: null }, nodes: [] };
  return { repository: { pullRequest: { reviewThreads: page } } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-limit': '5000',
  });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Json) : {};
  } catch {
    return {};
  }
}
