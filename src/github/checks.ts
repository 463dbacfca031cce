/**
 * The check run's lifecycle on GitHub: created `in_progress` when a job starts, annotations
 * sent 50 per update, and always completed (with the result, an error or "superseded").
 */
import type { ProbotOctokit } from 'probot';

import type { Annotation, CheckRunMessage, CheckRunOutput } from '../report/check-run.js';
import { ANNOTATIONS_PER_REQUEST, CHECK_NAME, RESCAN_BUTTON } from './constants.js';
import type { RepoRef } from './fetch.js';

export interface NewCheckRun {
  headSha: string;
  startedAt: Date;
  /** Our own reference, returned in check run events: `pull:<number>`. */
  externalId: string;
}

const EXTERNAL_ID = /^pull:(\d+)$/;

export function externalIdFor(pullNumber: number): string {
  return `pull:${pullNumber}`;
}

/** The pull request number a check run of ours was created for, if it says. */
export function pullNumberFromExternalId(
  externalId: string | null | undefined,
): number | undefined {
  const match = EXTERNAL_ID.exec(externalId ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** Creates the "PyGuard" check run `in_progress`; resolves its id. */
export async function startCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  run: NewCheckRun,
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: run.headSha,
    status: 'in_progress',
    started_at: run.startedAt.toISOString(),
    external_id: run.externalId,
    output: {
      title: 'Scanning',
      summary:
        'PyGuard is scanning the Python and template lines this pull request adds or changes.',
    },
  });
  return data.id;
}

/** Splits annotations into the batches one request may carry. */
export function annotationBatches(annotations: readonly Annotation[]): Annotation[][] {
  const batches: Annotation[][] = [];
  for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  return batches;
}

/**
 * Sends the annotations (GitHub appends each batch) and completes the check run with the
 * result; the last batch rides on the completing update.
 */
export async function completeCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  output: CheckRunOutput,
  completedAt: Date,
): Promise<void> {
  const text = output.text === undefined ? {} : { text: output.text };
  const batches = annotationBatches(output.annotations);
  const last = batches.pop() ?? [];
  for (const batch of batches) {
    await octokit.rest.checks.update({
      ...ref,
      check_run_id: checkRunId,
      output: { title: output.title, summary: output.summary, annotations: batch },
    });
  }
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: output.conclusion,
    completed_at: completedAt.toISOString(),
    output: {
      title: output.title,
      summary: output.summary,
      ...text,
      ...(last.length > 0 ? { annotations: last } : {}),
    },
    actions: [{ ...RESCAN_BUTTON }],
  });
}

/** Completes the check run with a message only (an error, or superseded). */
export async function completeCheckRunWith(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  message: CheckRunMessage,
  completedAt: Date,
  options: { rescanButton: boolean },
): Promise<void> {
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    status: 'completed',
    conclusion: message.conclusion,
    completed_at: completedAt.toISOString(),
    output: { title: message.title, summary: message.summary },
    ...(options.rescanButton ? { actions: [{ ...RESCAN_BUTTON }] } : {}),
  });
}

/** Creates an already completed check run (the merge queue's answer). */
export async function createCompletedCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  headSha: string,
  message: CheckRunMessage,
  at: Date,
): Promise<void> {
  await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'completed',
    conclusion: message.conclusion,
    started_at: at.toISOString(),
    completed_at: at.toISOString(),
    output: { title: message.title, summary: message.summary },
  });
}
