/**
 * What a webhook asks PyGuard to scan, read from its payload. Pure.
 */
import { CHECK_NAME, RESCAN_ACTION } from './constants.js';
import { pullNumberFromExternalId } from './checks.js';
import type { RepoRef } from './fetch.js';

interface RepositoryPayload {
  id: number;
  name: string;
  owner: { login: string };
}

export function repoRefOf(repository: RepositoryPayload): RepoRef {
  return { owner: repository.owner.login, repo: repository.name };
}

/** `owner/repo#12`: one scan per pull request at a time. */
export function pullKey(ref: RepoRef, pullNumber: number): string {
  return `${ref.owner}/${ref.repo}#${pullNumber}`;
}

interface PullRequestEvent {
  action: string;
  changes?: { base?: unknown } | undefined;
}

/** An `edited` pull request is rescanned only when its base branch changed (a new diff). */
export function baseChanged(payload: PullRequestEvent): boolean {
  return payload.action === 'edited' && payload.changes?.base !== undefined;
}

interface LinkedPull {
  number: number;
  base: { repo: { id: number } };
}

/** The pull requests of this repository that a check run or suite event names. */
export function linkedPullNumbers(pulls: readonly LinkedPull[], repositoryId: number): number[] {
  return pulls.filter((pull) => pull.base.repo.id === repositoryId).map((pull) => pull.number);
}

interface CheckRunEvent {
  action: string;
  check_run: {
    name: string;
    head_sha: string;
    external_id: string | null;
    pull_requests: readonly LinkedPull[];
  };
  requested_action?: { identifier?: string } | undefined;
  repository: RepositoryPayload;
}

/** A re-run of a check run: whose, and of which pull requests (empty: look them up by SHA). */
export type RerunTarget = { headSha: string; pullNumbers: number[] } | undefined;

/**
 * What a `check_run` re-run or "Rescan" button asks for; undefined for another app's check
 * run or another button.
 */
export function checkRunRerun(payload: CheckRunEvent): RerunTarget {
  const run = payload.check_run;
  if (run.name !== CHECK_NAME) return undefined;
  if (
    payload.action === 'requested_action' &&
    payload.requested_action?.identifier !== RESCAN_ACTION
  ) {
    return undefined;
  }
  const linked = linkedPullNumbers(run.pull_requests, payload.repository.id);
  const fromExternalId = pullNumberFromExternalId(run.external_id);
  const pullNumbers =
    linked.length > 0 ? linked : fromExternalId === undefined ? [] : [fromExternalId];
  return { headSha: run.head_sha, pullNumbers };
}
