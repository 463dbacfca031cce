/**
 * Webhook handlers: each validates its event, schedules work and returns, so GitHub gets its
 * answer at once. Anything that calls the API runs in the background queue.
 */
import type { Context, Logger, ProbotOctokit } from 'probot';

import { createCompletedCheckRun } from './checks.js';
import { parseCommand, runCommand } from './commands.js';
import { CONFIG_FILE } from './constants.js';
import { checkRunRerun, linkedPullNumbers, pullKey, repoRefOf } from './events.js';
import type { RepoRef } from './fetch.js';
import { findPullRequestsForSha } from './find-pulls.js';
import type { JobQueue } from './queue.js';
import { scanPullRequest } from './scan-pull-request.js';
import type { ScanDeps } from './scan-pull-request.js';

export interface HandlerDeps {
  queue: JobQueue;
  scan: ScanDeps;
}

/** The parts of a Probot context a scan needs. */
interface EventContext {
  id: string;
  octokit: ProbotOctokit;
  log: Logger;
  config: (fileName: string) => Promise<unknown>;
}

interface ScanTarget {
  ref: RepoRef;
  pullNumber: number;
  headSha: string;
  trigger: string;
  /** True when `headSha` is the pull request's newest head (a push event). */
  supersedes: boolean;
}

/** Queues a scan of one pull request head. */
export function scheduleScan(context: EventContext, deps: HandlerDeps, target: ScanTarget): void {
  const key = pullKey(target.ref, target.pullNumber);
  const outcome = deps.queue.enqueue({
    key,
    headSha: target.headSha,
    deliveryId: context.id,
    supersedes: target.supersedes,
    run: (run) =>
      scanPullRequest(
        {
          octokit: context.octokit,
          log: context.log,
          readConfig: () => context.config(CONFIG_FILE),
          deliveryId: context.id,
          trigger: target.trigger,
          ref: target.ref,
          pullNumber: target.pullNumber,
          headSha: target.headSha,
        },
        deps.scan,
        run,
      ),
    onDropped: (newerSha) => {
      context.log.info({ key, headSha: target.headSha, newerSha }, 'queued scan dropped');
    },
  });
  context.log.info(
    { key, headSha: target.headSha, trigger: target.trigger, outcome },
    'scan queued',
  );
}

/** Schedules scans of the open pull requests whose head is `headSha` (fork events). */
function scheduleBySha(
  context: EventContext,
  deps: HandlerDeps,
  ref: RepoRef,
  headSha: string,
  trigger: string,
): void {
  deps.queue.track(`${ref.owner}/${ref.repo}@${headSha}`, async () => {
    const numbers = await findPullRequestsForSha(context.octokit, ref, headSha);
    if (numbers.length === 0) context.log.info({ headSha, trigger }, 'no open pull request');
    for (const pullNumber of numbers) {
      scheduleScan(context, deps, { ref, pullNumber, headSha, trigger, supersedes: false });
    }
  });
}

export function onPullRequest(
  context: Context<
    | 'pull_request.opened'
    | 'pull_request.synchronize'
    | 'pull_request.reopened'
    | 'pull_request.ready_for_review'
    | 'pull_request.edited'
  >,
  deps: HandlerDeps,
): void {
  const { pull_request: pull, repository, action } = context.payload;
  scheduleScan(context, deps, {
    ref: repoRefOf(repository),
    pullNumber: pull.number,
    headSha: pull.head.sha,
    trigger: `pull_request.${action}`,
    supersedes: true,
  });
}

export function onCheckRun(
  context: Context<'check_run.rerequested' | 'check_run.requested_action'>,
  deps: HandlerDeps,
): void {
  const target = checkRunRerun(context.payload);
  if (target === undefined) return;
  const ref = repoRefOf(context.payload.repository);
  const trigger = `check_run.${context.payload.action}`;
  if (target.pullNumbers.length === 0) {
    scheduleBySha(context, deps, ref, target.headSha, trigger);
    return;
  }
  for (const pullNumber of target.pullNumbers) {
    scheduleScan(context, deps, {
      ref,
      pullNumber,
      headSha: target.headSha,
      trigger,
      supersedes: false,
    });
  }
}

export function onCheckSuite(context: Context<'check_suite.rerequested'>, deps: HandlerDeps): void {
  const { check_suite: suite, repository } = context.payload;
  const ref = repoRefOf(repository);
  const trigger = 'check_suite.rerequested';
  const numbers = linkedPullNumbers(suite.pull_requests, repository.id);
  if (numbers.length === 0) {
    scheduleBySha(context, deps, ref, suite.head_sha, trigger);
    return;
  }
  for (const pullNumber of numbers) {
    scheduleScan(context, deps, {
      ref,
      pullNumber,
      headSha: suite.head_sha,
      trigger,
      supersedes: false,
    });
  }
}

export function onIssueComment(context: Context<'issue_comment.created'>, deps: HandlerDeps): void {
  const { issue, comment, sender, repository } = context.payload;
  if (issue.pull_request === undefined) return;
  if (sender.type === 'Bot' || comment.user?.type === 'Bot') return;
  const command = parseCommand(comment.body);
  if (command === undefined) return;
  const ref = repoRefOf(repository);
  deps.queue.track(pullKey(ref, issue.number), () =>
    runCommand({
      octokit: context.octokit,
      ref,
      pullNumber: issue.number,
      commentId: comment.id,
      author: sender.login,
      command,
      rescan: (headSha) => {
        scheduleScan(context, deps, {
          ref,
          pullNumber: issue.number,
          headSha,
          trigger: 'command',
          supersedes: false,
        });
      },
    }),
  );
}

/** The merge queue never waits on PyGuard: each pull request was checked before it queued. */
export function onMergeGroup(
  context: Context<'merge_group.checks_requested'>,
  deps: HandlerDeps,
): void {
  const { repository, merge_group: group } = context.payload;
  if (repository === undefined) return;
  const ref = repoRefOf(repository);
  const headSha = group.head_sha;
  deps.queue.track(`${ref.owner}/${ref.repo}@${headSha}`, () =>
    createCompletedCheckRun(
      context.octokit,
      ref,
      headSha,
      {
        conclusion: 'success',
        title: 'Checked in the pull request',
        summary: 'merge queue: the pull request was already checked',
      },
      deps.scan.clock(),
    ),
  );
}
