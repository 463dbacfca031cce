/**
 * One scan job: the job's check run `in_progress` first (reused, never duplicated), then
 * config, files and engine; the check run is completed with every finding before the optional
 * steps (the review, resolving fixed threads), whose failures are noted on it and never discard
 * the result. A failure before that completes the check with the `on_error` conclusion (or as
 * superseded, or cancelled), unless another attempt follows: then the check is left pending
 * with a "retrying" summary and the error is rethrown for the queue.
 */
import type { Logger, ProbotOctokit } from 'probot';

import { createPathFilter } from '../config/index.js';
import type { OnError, PyGuardConfig } from '../config/index.js';
import type { AdvisorySource } from '../deps/advisory-source.js';
import { auditManifests } from '../deps/audit.js';
import { manifestKindOf } from '../deps/manifests/index.js';
import { createPooledScanner, type ScanProcessPool } from '../engine/process-pool.js';
import { createScanner } from '../engine/scanner.js';
import type { AnyRule } from '../rules-api/types.js';
import { selectRules, type RuleRegistry } from '../rules-api/registry.js';
import {
  SUMMARY_LIMIT,
  annotationFor,
  optionalStepsNote,
  renderCancelledCheckRun,
  renderCheckRun,
  renderErrorCheckRun,
  renderRetryingOutput,
  renderSupersededCheckRun,
  sanitizeReason,
} from '../report/check-run.js';
import type {
  CheckRunMessage,
  CheckRunOutput,
  CheckRunReport,
  CompletedConclusion,
} from '../report/check-run.js';
import { clampBytes, escapeMarkdown } from '../report/markers.js';
import { planReview, ruleMetaById } from '../report/review.js';
import type { DocsUrl } from '../report/review.js';
import type { Finding } from '../engine/types.js';
import { baselineFilter, type Baseline } from '../engine/baseline.js';
import {
  appendCheckRunOutput,
  completeCheckRun,
  completeCheckRunWith,
  countAnnotations,
  ensureCheckRun,
  externalIdFor,
  updateCheckRunOutput,
} from './checks.js';
import { loadRepoConfig } from './config.js';
import type { ReadConfig } from './config.js';
import { MAX_LISTED_FILES } from './constants.js';
import { isTransient, retryAfterMs } from './failures.js';
import { getPullRequest, listChangedFiles } from './fetch.js';
import type { PullRequestState, RepoRef } from './fetch.js';
import { countRequests, describeError, elapsedMs, errorFields, jobLogger } from './logger.js';
import {
  DeadlineError,
  ShutdownError,
  SupersededError,
  TransientError,
  type JobRun,
} from './jobs/types.js';
import { baselineProblemNote, readRepoBaseline } from './baseline.js';
import { buildCheckReport, splitFindings } from './report-input.js';
import type { FixedFinding } from './report-input.js';
import {
  commentedFingerprints,
  postedFingerprints,
  publishReview,
  unpostedFindings,
} from './review.js';
import type { ReviewOutcome } from './review.js';
import { scanChangedFiles } from './scan-files.js';
import type { DependencyScanOptions, FilesScan } from './scan-files.js';
import {
  findFixedThreads,
  fixedFindingOf,
  reportedFingerprints,
  resolveThreads,
  someCommentGone,
} from './threads.js';
import type { FixedThread } from './threads.js';

export interface ScanDeps {
  clock: () => Date;
  rules: readonly AnyRule[];
  registry: RuleRegistry;
  docsUrl?: DocsUrl | undefined;
  /**
   * Child processes that parse and check the files (a crash costs one file, never the
   * service). Without one, files are scanned in this process.
   */
  pool?: ScanProcessPool | undefined;
  /**
   * Where the dependency audit gets advisories (one per process, so its cache is shared by
   * scans). Without one, the audit of known vulnerabilities is skipped and the summary says so.
   */
  advisories?: AdvisorySource | undefined;
}

export interface ScanRequest {
  octokit: ProbotOctokit;
  log: Logger;
  readConfig: ReadConfig;
  deliveryId: string;
  trigger: string;
  ref: RepoRef;
  pullNumber: number;
  headSha: string;
  /** The App's id, when known: another app's "PyGuard" check run is then never reused. */
  appId?: number | undefined;
}

/** Counts for the job's log line. */
export interface ScanStats {
  files: number;
  skipped: number;
  findings: number;
  suppressed: number;
  comments: number;
  annotations: number;
  fixed: number;
  conclusion: string;
  /** Optional steps that failed (their notes are on the check run). */
  optionalFailures: number;
}

/** What the job knows while it runs, for completing its check run whatever happens. */
interface JobState {
  checkRunId?: number;
  /** The check run existed before this attempt: it may hold annotations of an earlier one. */
  reused: boolean;
  onError: OnError;
  /** The check run was completed with the scan's result: nothing may replace it any more. */
  completed: boolean;
}

/**
 * Runs one attempt of a scan job. Every outcome ends in a completed check run, except a
 * temporary failure (or a worker shutdown) when another attempt follows: the error is then
 * rethrown (a {@link TransientError}, {@link DeadlineError} or {@link ShutdownError}) for the
 * queue to retry, and the check run is left pending.
 */
export async function scanPullRequest(
  request: ScanRequest,
  deps: ScanDeps,
  run: JobRun,
): Promise<ScanStats | undefined> {
  const started = performance.now();
  const counter = countRequests(request.octokit);
  const log = jobLogger(request.log, {
    deliveryId: request.deliveryId,
    repo: `${request.ref.owner}/${request.ref.repo}`,
    pullNumber: request.pullNumber,
    headSha: request.headSha,
    trigger: request.trigger,
  });
  const state: JobState = { onError: 'failure', completed: false, reused: true };
  if (run.checkRunId !== undefined) state.checkRunId = run.checkRunId;
  try {
    const checkRun = await ensureCheckRun(request.octokit, request.ref, {
      headSha: request.headSha,
      externalId: externalIdFor(request.pullNumber, request.trigger),
      status: 'in_progress',
      at: deps.clock(),
      appId: request.appId,
      checkRunId: run.checkRunId,
    });
    state.checkRunId = checkRun.id;
    // The check run this job's acceptance created holds nothing yet on the job's first attempt.
    const fromAcceptance = run.attempt === 1 && checkRun.id === run.checkRunId;
    state.reused = !checkRun.created && !fromAcceptance;
    if (state.checkRunId !== run.checkRunId) await remember(run, state.checkRunId, log);
    const stats = await scanAndPublish(request, deps, run.signal, state, log);
    log.info({ ...stats, durationMs: elapsedMs(started), apiCalls: counter.count }, 'scan done');
    return stats;
  } catch (error: unknown) {
    const outcome = await finishAfterError(request, deps, run, state, error);
    log[outcome.level](
      {
        ...(outcome.supersededBy === undefined
          ? errorFields(error)
          : { supersededBy: outcome.supersededBy }),
        checkRunId: state.checkRunId,
        attempt: run.attempt,
        durationMs: elapsedMs(started),
        apiCalls: counter.count,
      },
      outcome.message,
    );
    if (outcome.rethrow !== undefined) throw outcome.rethrow;
    return undefined;
  } finally {
    counter.stop();
  }
}

/** Records the check run for later attempts; a failure costs nothing but a lookup later. */
async function remember(run: JobRun, checkRunId: number, log: Logger): Promise<void> {
  try {
    await run.rememberCheckRun(checkRunId);
  } catch (error: unknown) {
    log.warn({ ...errorFields(error), checkRunId }, 'could not record the check run');
  }
}

/** Findings already on the pull request, and threads of findings now gone. */
interface ReviewContext {
  /** Findings not commented or listed yet. */
  fresh: Finding[];
  /** Fingerprints of the findings PyGuard commented on inline in earlier reviews. */
  inline: ReadonlySet<string>;
  /** Fixed findings' threads, to resolve after the check completes. */
  threads: FixedThread[];
}

async function scanAndPublish(
  request: ScanRequest,
  deps: ScanDeps,
  signal: AbortSignal,
  state: JobState,
  log: Logger,
): Promise<ScanStats> {
  const { octokit, ref, pullNumber } = request;
  const pull = await getPullRequest(octokit, ref, pullNumber);
  if (pull.headSha !== request.headSha) throw new SupersededError(pull.headSha);
  const { config, problems } = await loadRepoConfig(
    request.readConfig,
    deps.registry.validateOptions(),
  );
  state.onError = config.onError;
  signal.throwIfAborted();

  const files = await listChangedFiles(octokit, ref, pullNumber);
  signal.throwIfAborted();
  const scan = await scanChangedFiles(files, {
    octokit,
    ref,
    baseSha: pull.baseSha,
    headSha: pull.headSha,
    scanner:
      deps.pool === undefined
        ? createScanner(config, deps.rules)
        : createPooledScanner(config, deps.rules, deps.pool, { signal }),
    isScanned: createPathFilter(config.paths),
    maxFileBytes: config.maxFileBytes,
    signal,
    dependencies: dependencyScan(config, deps),
  });
  signal.throwIfAborted();

  const split = splitFindings(scan.results);
  const { suppressed } = split;
  const baselineNotes: string[] = [];
  const inBaseline =
    split.active.length === 0
      ? () => false
      : baselineFilter(await baselineOf(request, pull.baseSha, baselineNotes));
  signal.throwIfAborted();
  const active = split.active.filter((finding) => !inBaseline(finding));
  const reviewing = !pull.draft || config.comments.drafts;
  // Nothing to comment on and no Python file whose earlier findings could have been fixed.
  const nothingToReview = active.length === 0 && scan.coveredPaths.size === 0;
  const failuresBefore: string[] = [];
  let context: ReviewContext | undefined;
  if (reviewing && !nothingToReview) {
    context = await readReviewContext(request, scan, active, failuresBefore);
    signal.throwIfAborted();
  }
  const fixed = (context?.threads ?? []).map((thread) => fixedFinding(thread, deps));
  // The review is planned before the check completes: a finding that gets an inline comment
  // is shown there, not also as an annotation.
  const plan =
    context === undefined
      ? undefined
      : planReview({
          findings: context.fresh,
          addedLines: scan.anchorLines,
          headSha: pull.headSha,
          docsUrl: deps.docsUrl,
          rules: ruleMetaById(deps.rules),
          maxComments: config.comments.max,
        });

  const report = withDependencies(
    buildCheckReport({
      scan,
      active,
      suppressed,
      fixed,
      configProblems: problems,
      failOn: config.failOn,
      onError: config.onError,
      headSha: pull.headSha,
      docsUrl: deps.docsUrl,
      rules: ruleMetaById(deps.rules),
      commented: commentedFingerprints(active, context?.inline, plan?.commented ?? []),
      baselined: split.active.length - active.length,
    }),
    scan,
  );
  const notes = [...notesFor(pull, reviewing, active.length), ...baselineNotes];
  if (failuresBefore.length > 0) notes.push(optionalStepsNote(failuresBefore));
  const output = withNotes(renderCheckRun(report), notes);
  if (state.checkRunId !== undefined) {
    // A reused check run may hold annotations an earlier attempt sent: never send them twice.
    const sent =
      state.reused && output.annotations.length > 0
        ? await countAnnotations(octokit, ref, state.checkRunId)
        : 0;
    await completeCheckRun(octokit, ref, state.checkRunId, output, deps.clock(), sent);
    state.completed = true;
  }

  // The result is on the check run. What follows is optional: failures become a note.
  const after: AfterSteps = { notes: [], failures: 0, comments: 0, uncommented: [] };
  if (context !== undefined) {
    await publishAfterCheck(request, deps, signal, { context, scan, config, pull }, after);
  }
  const late = after.uncommented.map((finding) => annotationFor(finding, deps.docsUrl));
  if ((after.notes.length > 0 || late.length > 0) && state.checkRunId !== undefined) {
    const noted = withNotes(output, after.notes);
    try {
      await appendCheckRunOutput(
        octokit,
        ref,
        state.checkRunId,
        noted,
        late,
        output.annotations.length,
      );
    } catch (error: unknown) {
      log.warn({ ...errorFields(error), checkRunId: state.checkRunId }, 'could not add the note');
    }
  }
  return {
    files: scan.results.length,
    skipped: scan.skipped.length,
    findings: active.length,
    suppressed: suppressed.length,
    comments: after.comments,
    annotations: output.annotations.length + late.length,
    fixed: fixed.length,
    conclusion: output.conclusion,
    optionalFailures: failuresBefore.length + after.failures,
  };
}

/** The repository's baseline at the base commit; a problem with it becomes a note. */
async function baselineOf(
  request: ScanRequest,
  baseSha: string,
  notes: string[],
): Promise<Baseline | undefined> {
  const read = await readRepoBaseline(request.octokit, request.ref, baseSha);
  if (read.kind === 'found') return read.baseline;
  if (read.kind === 'problem') notes.push(baselineProblemNote(read.message));
  return undefined;
}

/**
 * How the scan audits the changed manifests: those within `dependencies.paths` (and not
 * excluded by `paths.exclude`), all in one audit. Undefined when no dependency rule runs.
 */
function dependencyScan(config: PyGuardConfig, deps: ScanDeps): DependencyScanOptions | undefined {
  const selected = selectRules(deps.registry, config.rules).rules;
  // A `rules.per_path` entry may turn a manifest rule on for some files only.
  const enabledForSomePaths = (config.rules.perPath ?? []).flatMap((entry) =>
    entry.enable.flatMap((name) => deps.registry.resolve(name)),
  );
  const runsSomewhere = [...selected, ...enabledForSomePaths].some(
    (rule) => rule.manifest !== undefined,
  );
  if (!runsSomewhere) return undefined;
  const matches = createPathFilter({
    include: config.dependencies.paths,
    exclude: config.paths.exclude,
  });
  return {
    isManifest: (path) => manifestKindOf(path) !== undefined && matches(path),
    // Includes (`-r`, `-c`) are not read: in a pull request only changed lines are judged.
    audit: (files) => auditManifests(files, deps.advisories, { config, rules: deps.rules }),
  };
}

/** The check report with the dependency audit's affected packages and skip reason. */
function withDependencies(report: CheckRunReport, scan: FilesScan): CheckRunReport {
  if (scan.manifestFiles === 0 && scan.dependencyAudit === undefined) return report;
  return {
    ...report,
    dependencies: {
      manifestsChanged: scan.manifestFiles,
      affected: scan.dependencyAudit?.affected ?? [],
      skippedReason: scan.dependencyAudit?.skippedReason,
    },
  };
}

/**
 * What PyGuard already posted (so nothing is posted twice) and which of its threads are fixed.
 * Failures are optional-step failures: recorded in `failures`, never thrown.
 */
async function readReviewContext(
  request: ScanRequest,
  scan: FilesScan,
  active: readonly Finding[],
  failures: string[],
): Promise<ReviewContext | undefined> {
  const { octokit, ref, pullNumber } = request;
  let posted: Awaited<ReturnType<typeof postedFingerprints>>;
  try {
    posted = await postedFingerprints(octokit, ref, pullNumber);
  } catch (error: unknown) {
    failures.push(
      `PyGuard's earlier comments could not be read (${describeError(error)}), so no inline comments were posted this time`,
    );
    return undefined;
  }
  // A finding is new when it or a finding it carries was neither commented nor listed before.
  const fresh = unpostedFindings(active, posted.inline, posted.listed);
  const current = reportedFingerprints(scan.results);
  // Without a commented fingerprint that is gone there is no thread to look for.
  if (!someCommentGone(posted.inline, current)) {
    return { fresh, inline: posted.inline, threads: [] };
  }
  try {
    const threads = await findFixedThreads(octokit, ref, pullNumber, {
      current,
      coveredPaths: scan.coveredPaths,
    });
    return { fresh, inline: posted.inline, threads };
  } catch (error: unknown) {
    failures.push(
      `the review threads of fixed findings could not be read (${describeError(error)}), so none was resolved`,
    );
    return { fresh, inline: posted.inline, threads: [] };
  }
}

function fixedFinding(thread: FixedThread, deps: ScanDeps): FixedFinding {
  return fixedFindingOf(thread, (ruleId) => deps.registry.get(ruleId)?.meta.title);
}

interface AfterSteps {
  /** Paragraphs for the completed check's summary. */
  notes: string[];
  failures: number;
  comments: number;
  /**
   * Findings planned as inline comments that did not get one (GitHub rejected the comments, or
   * the review could not be posted): they are annotated on the check after all.
   */
  uncommented: Finding[];
}

interface PublishInput {
  context: ReviewContext;
  scan: FilesScan;
  config: { comments: { max: number } };
  pull: PullRequestState;
}

/** Posts the review and resolves fixed threads; what fails is noted in `after`. */
async function publishAfterCheck(
  request: ScanRequest,
  deps: ScanDeps,
  signal: AbortSignal,
  input: PublishInput,
  after: AfterSteps,
): Promise<void> {
  const { octokit, ref, pullNumber } = request;
  const { context, scan, config, pull } = input;
  const failures: string[] = [];
  const stopped = (): boolean => {
    if (!signal.aborted) return false;
    // A newer push has its own check; anything else is worth saying.
    if (supersededBy(undefined, signal) === undefined) {
      failures.push(`the scan was stopped before it finished (${describeError(signal.reason)})`);
    }
    return true;
  };
  if (!stopped() && context.fresh.length > 0) {
    const reviewInput = {
      addedLines: scan.anchorLines,
      headSha: pull.headSha,
      docsUrl: deps.docsUrl,
      rules: ruleMetaById(deps.rules),
    };
    try {
      const review = await publishReview({
        octokit,
        ref,
        pullNumber,
        headSha: pull.headSha,
        plan: (posted, inline) =>
          planReview({
            ...reviewInput,
            findings: unpostedFindings(context.fresh, posted),
            maxComments: inline ? config.comments.max : 0,
          }),
      });
      after.comments = review.comments;
      if (review.rejected !== undefined) {
        after.notes.push(rejectedNote(review));
        after.uncommented = plannedComments(context.fresh, scan, pull, config);
      }
    } catch (error: unknown) {
      failures.push(`the inline comments could not be posted (${describeError(error)})`);
      after.uncommented = plannedComments(context.fresh, scan, pull, config);
    }
  }
  if (context.threads.length > 0 && !stopped()) {
    try {
      await resolveThreads(octokit, context.threads);
    } catch (error: unknown) {
      failures.push(
        `the threads of fixed findings could not be resolved (${describeError(error)})`,
      );
    }
  }
  if (failures.length > 0) {
    after.failures += failures.length;
    after.notes.push(optionalStepsNote(failures));
  }
}

/** The findings the review meant to comment on inline (as planned before the check completed). */
function plannedComments(
  fresh: readonly Finding[],
  scan: FilesScan,
  pull: PullRequestState,
  config: { comments: { max: number } },
): Finding[] {
  return (
    planReview({
      findings: fresh,
      addedLines: scan.anchorLines,
      headSha: pull.headSha,
      // Only which findings get a comment matters here, not the comments' fix hints.
      rules: new Map(),
      maxComments: config.comments.max,
    })?.commented ?? []
  );
}

function rejectedNote(review: ReviewOutcome): string {
  return `**GitHub did not accept the inline comments** of PyGuard's review (${escapeMarkdown(sanitizeReason(review.rejected ?? ''))}), so the findings are listed in the review body instead.`;
}

/** Short paragraphs the summary needs beyond the scan result. */
function notesFor(pull: PullRequestState, reviewing: boolean, findings: number): string[] {
  const notes: string[] = [];
  if (pull.changedFiles > MAX_LISTED_FILES) {
    notes.push(
      `**Not every file was scanned:** this pull request changes ${pull.changedFiles} files and GitHub lists only the first ${MAX_LISTED_FILES}.`,
    );
  }
  if (!reviewing && findings > 0) {
    notes.push(
      'This pull request is a draft, so PyGuard reports here only; review comments follow when it is marked ready for review (`comments.drafts: true` comments on drafts too).',
    );
  }
  return notes;
}

function withNotes(output: CheckRunOutput, notes: readonly string[]): CheckRunOutput {
  if (notes.length === 0) return output;
  return { ...output, summary: clampBytes([output.summary, ...notes].join('\n\n'), SUMMARY_LIMIT) };
}

/** How a failed attempt ends: what to log, and what to rethrow for the queue. */
interface FailureOutcome {
  level: 'info' | 'warn' | 'error';
  message: string;
  supersededBy?: string;
  rethrow?: Error;
}

/**
 * After a failure: a newer push completes the check as superseded; a temporary failure (or a
 * shutdown) with another attempt to come leaves it pending and is rethrown; anything else
 * completes it with `on_error` (or `cancelled` for a stopped worker), naming what failed.
 * Errors while doing so are only logged.
 */
async function finishAfterError(
  request: ScanRequest,
  deps: ScanDeps,
  run: JobRun,
  state: JobState,
  error: unknown,
): Promise<FailureOutcome> {
  if (state.completed) return { level: 'error', message: 'scan failed after its check completed' };
  const newerSha = supersededBy(error, run.signal);
  if (newerSha !== undefined) {
    await completeWith(request, deps, state, renderSupersededCheckRun(newerSha), false);
    return { level: 'info', message: 'scan superseded', supersededBy: newerSha };
  }
  const cause = abortReason(run.signal) ?? error;
  const reason = describeError(cause);
  if (cause instanceof ShutdownError) {
    if (!run.finalAttempt) return { level: 'warn', message: 'scan interrupted', rethrow: cause };
    await completeWith(request, deps, state, renderCancelledCheckRun(reason), true);
    return { level: 'warn', message: 'scan cancelled' };
  }
  if (isTransient(cause) && !run.finalAttempt) {
    if (state.checkRunId !== undefined) {
      try {
        await updateCheckRunOutput(
          request.octokit,
          request.ref,
          state.checkRunId,
          renderRetryingOutput({ reason, attempt: run.attempt }),
        );
      } catch (updateError: unknown) {
        request.log.warn(
          { checkRunId: state.checkRunId, reason: describeError(updateError) },
          'could not update the check run',
        );
      }
    }
    return { level: 'warn', message: 'scan will be retried', rethrow: retryable(cause) };
  }
  const message = renderErrorCheckRun({
    reason,
    onError: state.onError,
    attempts: run.attempt,
  });
  await completeWith(request, deps, state, message, true);
  return { level: 'error', message: 'scan failed' };
}

/** The error the queue gets for a temporary failure: its own kind, or a TransientError. */
function retryable(error: unknown): Error {
  if (error instanceof TransientError || error instanceof DeadlineError) return error;
  return new TransientError(describeError(error), retryAfterMs(error), { cause: error });
}

async function completeWith(
  request: ScanRequest,
  deps: ScanDeps,
  state: JobState,
  message: CheckRunMessage<CompletedConclusion>,
  rescanButton: boolean,
): Promise<void> {
  if (state.checkRunId === undefined) return;
  try {
    await completeCheckRunWith(
      request.octokit,
      request.ref,
      state.checkRunId,
      message,
      deps.clock(),
      { rescanButton },
    );
    state.completed = true;
  } catch (completeError: unknown) {
    request.log.error(
      { checkRunId: state.checkRunId, reason: describeError(completeError) },
      'could not complete the check run',
    );
  }
}

/** Why the job was told to stop, when it was (a deadline, a shutdown). */
function abortReason(signal: AbortSignal): unknown {
  return signal.aborted ? (signal.reason as unknown) : undefined;
}

function supersededBy(error: unknown, signal: AbortSignal): string | undefined {
  if (error instanceof SupersededError) return error.newerSha;
  const reason: unknown = signal.reason;
  return signal.aborted && reason instanceof SupersededError ? reason.newerSha : undefined;
}
