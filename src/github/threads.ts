/**
 * Resolving the review threads of findings a later push fixed (GraphQL; REST cannot resolve).
 * Only PyGuard's own threads nobody replied to are resolved, and threads are never deleted.
 * The App and the Action share this code.
 */
import type { ProbotOctokit } from 'probot';

import { fingerprintsOf, type FileResult } from '../engine/types.js';
import type { FixedFinding } from '../report/check-run.js';
import { findFingerprintMarkers } from '../report/markers.js';
import type { RepoRef } from './fetch.js';

const THREADS_QUERY = `query PyGuardThreads($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          path
          line
          originalLine
          comments(first: 20) { totalCount nodes { body author { __typename login } } }
        }
      }
    }
  }
}`;

const VIEWER_QUERY = `query PyGuardViewer {
  viewer { login }
}`;

const RESOLVE_MUTATION = `mutation PyGuardResolve($threadId: ID!) {
  resolveReviewThread(input: { threadId: $threadId }) { thread { id isResolved } }
}`;

/** Threads resolved per scan at most (each is a write). */
const MAX_RESOLVED = 50;
/** Pages of 100 threads read at most. */
const MAX_THREAD_PAGES = 10;

interface ThreadNode {
  id: string;
  isResolved: boolean;
  path: string;
  line: number | null;
  originalLine: number | null;
  comments: {
    totalCount: number;
    nodes: { body: string; author: { __typename: string; login?: string } | null }[];
  };
}

interface ThreadsPage {
  repository: {
    pullRequest: {
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ThreadNode[];
      };
    } | null;
  } | null;
}

/** A PyGuard thread whose finding is gone. */
export interface FixedThread {
  id: string;
  path: string;
  /** The thread's line at the head, or where it was first posted when outdated. */
  line: number;
  fingerprint: string;
  /** The first line of PyGuard's comment (`**PGI001 · title** (…)`). */
  heading: string;
}

export interface FixedThreadQuery {
  /** Fingerprints of every finding of this scan, suppressed ones included. */
  current: ReadonlySet<string>;
  /** Paths whose findings this scan fully knows; threads elsewhere are left alone. */
  coveredPaths: ReadonlySet<string>;
  /**
   * The login that wrote PyGuard's comments (as {@link viewerLogin} gives it): only threads
   * whose every comment it wrote are PyGuard's. Unset: threads whose every comment a bot wrote.
   */
  author?: string | undefined;
}

/**
 * The fingerprints a scan still reports (`FixedThreadQuery.current`): of every finding,
 * suppressed and baselined ones included, and of the findings each carries on its line.
 */
export function reportedFingerprints(results: readonly FileResult[]): Set<string> {
  return new Set(results.flatMap((result) => result.findings.flatMap(fingerprintsOf)));
}

/** Whether a commented fingerprint is no longer reported: only then can a thread be fixed. */
export function someCommentGone(
  commented: ReadonlySet<string>,
  current: ReadonlySet<string>,
): boolean {
  for (const fingerprint of commented) if (!current.has(fingerprint)) return true;
  return false;
}

/** The open PyGuard threads of the pull request whose finding this scan no longer reports. */
export async function findFixedThreads(
  octokit: ProbotOctokit,
  ref: RepoRef,
  pullNumber: number,
  query: FixedThreadQuery,
): Promise<FixedThread[]> {
  const fixed: FixedThread[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_THREAD_PAGES; page++) {
    const data: ThreadsPage = await octokit.graphql<ThreadsPage>(THREADS_QUERY, {
      owner: ref.owner,
      repo: ref.repo,
      number: pullNumber,
      cursor,
    });
    const threads = data.repository?.pullRequest?.reviewThreads;
    if (threads === undefined) break;
    for (const node of threads.nodes) {
      const thread = fixedThread(node, query);
      if (thread !== undefined) fixed.push(thread);
    }
    if (!threads.pageInfo.hasNextPage || threads.pageInfo.endCursor === null) break;
    cursor = threads.pageInfo.endCursor;
  }
  return fixed.slice(0, MAX_RESOLVED);
}

function fixedThread(node: ThreadNode, query: FixedThreadQuery): FixedThread | undefined {
  if (node.isResolved || !query.coveredPaths.has(node.path)) return undefined;
  const comments = node.comments.nodes;
  const first = comments[0];
  // Someone else took part (or the thread is longer than we read): leave it to people.
  if (first === undefined || node.comments.totalCount !== comments.length) return undefined;
  if (!comments.every((comment) => isOurs(comment.author, query.author))) return undefined;
  // A comment may stand for several findings (a finding and those it carries, or findings ending
  // on one line): it is fixed when none of them is reported any more.
  const markers = findFingerprintMarkers(first.body);
  const [fingerprint] = markers;
  if (fingerprint === undefined || markers.some((marker) => query.current.has(marker))) {
    return undefined;
  }
  return {
    id: node.id,
    path: node.path,
    line: node.line ?? node.originalLine ?? 0,
    fingerprint,
    heading: first.body.split('\n')[0] ?? '',
  };
}

function isOurs(
  author: { __typename: string; login?: string } | null,
  login: string | undefined,
): boolean {
  if (author === null) return false;
  if (login === undefined) return author.__typename === 'Bot';
  return author.login !== undefined && withoutBotSuffix(author.login) === login;
}

/** GraphQL names a bot `github-actions` where REST says `github-actions[bot]`. */
function withoutBotSuffix(login: string): string {
  return login.replace(/\[bot\]$/, '');
}

/**
 * The login of the token's owner, as GraphQL names comment authors (no `[bot]` suffix): the
 * author of the comments this token writes, such as `github-actions` for a workflow's token.
 */
export async function viewerLogin(octokit: ProbotOctokit): Promise<string> {
  const data = await octokit.graphql<{ viewer: { login: string } }>(VIEWER_QUERY);
  return withoutBotSuffix(data.viewer.login);
}

/** The summary's entry for a fixed thread: the rule in its heading, titled by `titleOf`. */
export function fixedFindingOf(
  thread: FixedThread,
  titleOf: (ruleId: string) => string | undefined,
): FixedFinding {
  const ruleId = /\bPG[A-Z]\d{3}\b/.exec(thread.heading)?.[0] ?? 'PyGuard';
  return { ruleId, title: titleOf(ruleId) ?? 'finding', path: thread.path, line: thread.line };
}

/** Resolves the threads, one mutation each. */
export async function resolveThreads(
  octokit: ProbotOctokit,
  threads: readonly FixedThread[],
): Promise<void> {
  for (const thread of threads) {
    await octokit.graphql(RESOLVE_MUTATION, { threadId: thread.id });
  }
}
