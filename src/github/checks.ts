/**
 * The check run's lifecycle on GitHub: created `queued` when a job is accepted (or
 * `in_progress` when it starts), exactly one per head and trigger even when a create is retried
 * after a broken connection, annotations sent 50 per update, and always completed (with the
 * result, an error, "superseded" or "cancelled").
 */
import type { ProbotOctokit } from 'probot';

import type {
  Annotation,
  CheckRunMessage,
  CheckRunOutput,
  CompletedConclusion,
} from '../report/check-run.js';
import { ANNOTATIONS_PER_REQUEST, CHECK_NAME, RESCAN_BUTTON } from './constants.js';
import { isTransient, mayHaveBeenProcessed } from './failures.js';
import { statusOf } from './fetch.js';
import type { RepoRef } from './fetch.js';

/** `pull:<number>` (older check runs) or `pull:<number>:<trigger kind>`. */
const EXTERNAL_ID = /^pull:(\d+)(?::([a-z_]+))?$/;

/**
 * The kind of trigger a check run is for: the event (`pull_request`, `check_run`,
 * `check_suite`) or `command`. Pushes of one head (opened, synchronize, ready_for_review…)
 * share a check run; a re-run or a command gets its own.
 */
export function triggerKind(trigger: string): string {
  const kind = (trigger.split('.')[0] ?? '').toLowerCase().replace(/[^a-z_]/g, '');
  return kind === '' ? 'scan' : kind;
}

/** Our reference on a check run, returned in check run events: `pull:<number>:<trigger kind>`. */
export function externalIdFor(pullNumber: number, trigger: string): string {
  return `pull:${pullNumber}:${triggerKind(trigger)}`;
}

/** The pull request and trigger kind a check run of ours was created for, if it says. */
export function parseExternalId(
  externalId: string | null | undefined,
): { pullNumber: number; triggerKind?: string } | undefined {
  const match = EXTERNAL_ID.exec(externalId ?? '');
  if (match?.[1] === undefined) return undefined;
  const pullNumber = Number(match[1]);
  return match[2] === undefined ? { pullNumber } : { pullNumber, triggerKind: match[2] };
}

/** The pull request number a check run of ours was created for, if it says. */
export function pullNumberFromExternalId(
  externalId: string | null | undefined,
): number | undefined {
  return parseExternalId(externalId)?.pullNumber;
}

export interface CheckRunTarget {
  headSha: string;
  /** From {@link externalIdFor}: one check run per head and external id. */
  externalId: string;
  /** `queued` when a job is accepted, `in_progress` when it starts. */
  status: 'queued' | 'in_progress';
  /** Sent as `started_at` with `in_progress` (default: now). */
  at?: Date | undefined;
  /**
   * The App's id: a check run another app named "PyGuard" is never reused. Read from the
   * client's App credentials when not given.
   */
  appId?: number | undefined;
  /** The check run created for the job earlier: reused without a lookup. */
  checkRunId?: number | undefined;
}

/** Rounds of "look up, then create" before a create that keeps failing is given up. */
const CREATE_ROUNDS = 3;

const PENDING_OUTPUT = {
  queued: {
    title: 'Queued',
    summary:
      'This scan is waiting for a PyGuard worker; the check is updated when the scan starts and completed when it ends.',
  },
  in_progress: {
    title: 'Scanning',
    summary: 'PyGuard is scanning the Python and template lines this pull request adds or changes.',
  },
} as const;

interface ListedCheckRun {
  id: number;
  name: string;
  status: string;
  external_id: string | null;
  app?: { id?: number | undefined } | null | undefined;
}

/** The job's check run, and whether this call created it (a reused one may hold annotations). */
export interface EnsuredCheckRun {
  id: number;
  created: boolean;
}

/**
 * The check run of a job, created only when none exists: a not completed PyGuard check run of
 * this head with the same external id is reused (moved to `in_progress` when the job starts).
 * When a create fails so that GitHub may have carried it out (a broken connection, a 5xx), the
 * head's check runs are listed again before another create.
 */
export async function ensureCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  target: CheckRunTarget,
): Promise<EnsuredCheckRun> {
  if (target.checkRunId !== undefined) {
    try {
      if (target.status === 'in_progress') {
        await markInProgress(octokit, ref, target.checkRunId, target);
      }
      return { id: target.checkRunId, created: false };
    } catch (error: unknown) {
      // Deleted meanwhile (or never ours): make or find another.
      if (statusOf(error) !== 404) throw error;
    }
  }
  const appId = target.appId ?? (await ownAppId(octokit));
  let lastError: unknown;
  for (let round = 0; round < CREATE_ROUNDS; round++) {
    const existing = await findPendingCheckRun(octokit, ref, { ...target, appId });
    if (existing !== undefined) {
      // Found only after a create that seemed to fail: that create went through.
      const ours = round > 0;
      if (target.status === 'in_progress' && !(ours && existing.status === target.status)) {
        await markInProgress(octokit, ref, existing.id, target);
      }
      return { id: existing.id, created: ours };
    }
    try {
      return { id: await createCheckRun(octokit, ref, target), created: true };
    } catch (error: unknown) {
      if (!mayHaveBeenProcessed(error)) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Creates the "PyGuard" check run `queued` when a job is accepted, so the pull request shows
 * PyGuard at once (idempotent like {@link ensureCheckRun}). Resolves its id, and whether this
 * call created it (a pending one found instead may hold an earlier run's annotations).
 */
export function createQueuedCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  target: Omit<CheckRunTarget, 'status' | 'checkRunId'>,
): Promise<{ id: number; created: boolean }> {
  return ensureCheckRun(octokit, ref, { ...target, status: 'queued' });
}

/**
 * The App's id from the client's credentials (signing an App token needs no request), or
 * undefined when the client cannot say (a plain token).
 */
async function ownAppId(octokit: ProbotOctokit): Promise<number | undefined> {
  try {
    const auth: unknown = await octokit.auth({ type: 'app' });
    const appId: unknown =
      typeof auth === 'object' && auth !== null && 'appId' in auth ? auth.appId : undefined;
    return typeof appId === 'number' ? appId : undefined;
  } catch {
    return undefined;
  }
}

/** The newest not completed PyGuard check run of the head with the target's external id. */
async function findPendingCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  target: CheckRunTarget,
): Promise<ListedCheckRun | undefined> {
  const list = (): Promise<ListedCheckRun[]> =>
    octokit.paginate(octokit.rest.checks.listForRef, {
      ...ref,
      ref: target.headSha,
      check_name: CHECK_NAME,
      filter: 'all',
      per_page: 100,
    });
  // A read is safe to repeat, and without it no check run can be created safely.
  const runs = await list().catch((error: unknown) => {
    if (!isTransient(error)) throw error;
    return list();
  });
  const pending = runs.filter(
    (run) =>
      run.name === CHECK_NAME &&
      run.external_id === target.externalId &&
      run.status !== 'completed' &&
      (target.appId === undefined || run.app?.id === target.appId),
  );
  // GitHub shows (and branch protection reads) the newest run of a name.
  return pending.reduce<ListedCheckRun | undefined>(
    (newest, run) => (newest === undefined || run.id > newest.id ? run : newest),
    undefined,
  );
}

async function createCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  target: CheckRunTarget,
): Promise<number> {
  const { data } = await octokit.rest.checks.create({
    ...ref,
    name: CHECK_NAME,
    head_sha: target.headSha,
    status: target.status,
    ...(target.status === 'in_progress'
      ? { started_at: (target.at ?? new Date()).toISOString() }
      : {}),
    external_id: target.externalId,
    output: { ...PENDING_OUTPUT[target.status] },
  });
  return data.id;
}

/**
 * Moves the check run to `in_progress`. A broken connection or a 5xx does not cost the scan:
 * the update is sent again unless the check run shows it already left `queued`.
 */
async function markInProgress(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  target: CheckRunTarget,
): Promise<void> {
  await updateOnce(
    octokit,
    ref,
    checkRunId,
    () =>
      octokit.rest.checks.update({
        ...ref,
        check_run_id: checkRunId,
        status: 'in_progress',
        started_at: (target.at ?? new Date()).toISOString(),
        output: { ...PENDING_OUTPUT.in_progress },
      }),
    (run) => run.status !== 'queued',
  );
}

/** How many annotations a check run holds already. */
export async function countAnnotations(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
): Promise<number> {
  const { data } = await octokit.rest.checks.get({ ...ref, check_run_id: checkRunId });
  return data.output.annotations_count;
}

/** Replaces the title and summary of a check run, pending or completed (annotations stay). */
export async function updateCheckRunOutput(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  output: { title: string; summary: string },
): Promise<void> {
  await octokit.rest.checks.update({
    ...ref,
    check_run_id: checkRunId,
    output: { title: output.title, summary: output.summary },
  });
}

/** Splits annotations into the batches one request may carry. */
export function annotationBatches(annotations: readonly Annotation[]): Annotation[][] {
  const batches: Annotation[][] = [];
  for (let start = 0; start < annotations.length; start += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(start, start + ANNOTATIONS_PER_REQUEST));
  }
  return batches;
}

/** Sends of one check-run update at most, when it fails so that GitHub may have applied it. */
const UPDATE_ROUNDS = 3;

/**
 * Sends one update of a check run. When it fails so that GitHub may have applied it (a broken
 * connection, a 5xx), the check run is read back and the update is sent again only if `applied`
 * says it was not: annotations are appended by GitHub, so a blind resend would double them.
 */
async function updateOnce(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  send: () => Promise<unknown>,
  applied: (run: { status: string; annotations: number }) => boolean,
): Promise<void> {
  for (let round = 1; ; round++) {
    try {
      await send();
      return;
    } catch (error: unknown) {
      if (round >= UPDATE_ROUNDS || !mayHaveBeenProcessed(error)) throw error;
    }
    const { data } = await octokit.rest.checks.get({ ...ref, check_run_id: checkRunId });
    if (applied({ status: data.status, annotations: data.output.annotations_count })) return;
  }
}

/**
 * Sends the annotations (GitHub appends each batch) and completes the check run with the
 * result; the last batch rides on the completing update. Each update is sent once even when a
 * connection breaks (see {@link updateOnce}). `alreadySent` annotations (from an earlier attempt
 * on the same check run; a scan's annotations come in a stable order) are not sent again.
 */
export async function completeCheckRun(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  output: CheckRunOutput,
  completedAt: Date,
  alreadySent = 0,
): Promise<void> {
  const text = output.text === undefined ? {} : { text: output.text };
  const skipped = Math.min(Math.max(0, alreadySent), output.annotations.length);
  const batches = annotationBatches(output.annotations.slice(skipped));
  const last = batches.pop() ?? [];
  const sent = await sendAnnotationBatches(octokit, ref, checkRunId, output, batches, skipped);
  const total = sent + last.length;
  await updateOnce(
    octokit,
    ref,
    checkRunId,
    () =>
      octokit.rest.checks.update({
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
      }),
    (run) => run.status === 'completed' && run.annotations >= total,
  );
}

/**
 * Replaces the title and summary of a completed check run and appends `annotations` (in
 * batches; GitHub appends each). `already` is how many annotations the run holds, so an update
 * that may have gone through before a broken connection is not sent twice.
 */
export async function appendCheckRunOutput(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  output: { title: string; summary: string },
  annotations: readonly Annotation[],
  already: number,
): Promise<void> {
  const batches = annotationBatches(annotations);
  if (batches.length === 0) {
    await updateCheckRunOutput(octokit, ref, checkRunId, output);
    return;
  }
  await sendAnnotationBatches(octokit, ref, checkRunId, output, batches, already);
}

/**
 * Sends annotation batches one update each (GitHub appends them), keeping the title and summary.
 * `already` is how many annotations the run holds; each update is checked against the running
 * count, so one that went through before a broken connection is not sent twice. Returns the
 * count after the last batch.
 */
async function sendAnnotationBatches(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  output: { title: string; summary: string },
  batches: readonly Annotation[][],
  already: number,
): Promise<number> {
  let sent = already;
  for (const batch of batches) {
    sent += batch.length;
    const expected = sent;
    await updateOnce(
      octokit,
      ref,
      checkRunId,
      () =>
        octokit.rest.checks.update({
          ...ref,
          check_run_id: checkRunId,
          output: { title: output.title, summary: output.summary, annotations: batch },
        }),
      (run) => run.annotations >= expected,
    );
  }
  return sent;
}

/** Completes the check run with a message only (an error, superseded, cancelled). */
export async function completeCheckRunWith(
  octokit: ProbotOctokit,
  ref: RepoRef,
  checkRunId: number,
  message: CheckRunMessage<CompletedConclusion>,
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
