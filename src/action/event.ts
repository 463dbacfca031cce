/**
 * The pull request a workflow run is about, from the event payload the runner writes to
 * `GITHUB_EVENT_PATH`.
 */
import { readFile } from 'node:fs/promises';

import type { RepoRef } from '../github/fetch.js';

/** Events whose payload carries a pull request the Action can review. */
export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

export interface PullRequestEvent {
  /** The base repository, where the review and the check run go. */
  ref: RepoRef;
  number: number;
  headSha: string;
  baseSha: string;
  draft: boolean;
  /**
   * The head branch lives in another repository (or one since deleted). On `pull_request`
   * the workflow's token is then read-only.
   */
  fromFork: boolean;
}

/** The event cannot be used: not a pull request, or a payload without the expected fields. */
export class EventError extends Error {
  override readonly name = 'EventError';
}

/**
 * Reads and checks the event payload.
 * @throws EventError for another event, an unreadable file or a payload missing a field.
 */
export async function readPullRequestEvent(
  eventName: string | undefined,
  eventPath: string | undefined,
): Promise<PullRequestEvent> {
  if (eventName === undefined || !PULL_REQUEST_EVENTS.includes(eventName)) {
    throw new EventError(
      `PyGuard reviews pull requests: run it on 'pull_request' (this run is for '${eventName ?? 'no event'}'); use the CLI for other events`,
    );
  }
  if (eventPath === undefined || eventPath === '') {
    throw new EventError('GITHUB_EVENT_PATH is not set: is this running in GitHub Actions?');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(eventPath, 'utf8'));
  } catch (error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new EventError(`cannot read the event payload ${eventPath}: ${reason}`);
  }
  return parsePullRequestEvent(payload);
}

/**
 * The pull request of a `pull_request` or `pull_request_target` payload. Pure.
 * @throws EventError when a field PyGuard needs is missing.
 */
export function parsePullRequestEvent(payload: unknown): PullRequestEvent {
  const pull = field(payload, 'pull_request');
  const base = field(pull, 'base');
  const head = field(pull, 'head');
  const baseRepo = field(base, 'repo');
  const fullName = text(baseRepo, 'full_name');
  const [owner, repo] = fullName.split('/');
  if (owner === undefined || repo === undefined || owner === '' || repo === '') {
    throw new EventError(`unexpected repository name '${fullName}' in the event payload`);
  }
  const number = field(pull, 'number');
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw new EventError('the event payload has no pull request number');
  }
  const headRepo = isRecord(head) ? head['repo'] : undefined;
  const fromFork =
    !isRecord(headRepo) || headRepo['fork'] === true || headRepo['full_name'] !== fullName;
  return {
    ref: { owner, repo },
    number,
    headSha: text(head, 'sha'),
    baseSha: text(base, 'sha'),
    draft: isRecord(pull) && pull['draft'] === true,
    fromFork,
  };
}

function field(value: unknown, name: string): unknown {
  if (!isRecord(value) || value[name] === undefined || value[name] === null) {
    throw new EventError(`the event payload has no '${name}'`);
  }
  return value[name];
}

function text(value: unknown, name: string): string {
  const found = field(value, name);
  if (typeof found !== 'string' || found === '') {
    throw new EventError(`the event payload's '${name}' is not a string`);
  }
  return found;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
