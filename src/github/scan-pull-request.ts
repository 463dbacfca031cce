/**
 * One scan job: a check run `in_progress` first, then config, files, engine, review, fixed
 * threads, and the completed check run. Whatever fails, the check run is completed: with the
 * `on_error` conclusion, or as superseded when a newer push arrived meanwhile.
 */
import type { Logger, ProbotOctokit } from 'probot';

import { createPathFilter } from '../config/index.js';
import type { OnError } from '../config/index.js';
import { createScanner } from '../engine/scanner.js';
import type { AnyRule } from '../rules-api/types.js';
import type { RuleRegistry } from '../rules-api/registry.js';
import {
  SUMMARY_LIMIT,
  renderCheckRun,
  renderErrorCheckRun,
  renderSupersededCheckRun,
  sanitizeReason,
} from '../report/check-run.js';
import type { CheckRunOutput } from '../report/check-run.js';
import { clampBytes, escapeMarkdown } from '../report/markers.js';
import { planReview } from '../report/review.js';
import type { DocsUrl } from '../report/review.js';
import { completeCheckRun, completeCheckRunWith, externalIdFor, startCheckRun } from './checks.js';
import { loadRepoConfig } from './config.js';
import type { ReadConfig } from './config.js';
import { MAX_LISTED_FILES } from './constants.js';
import { getPullRequest, listChangedFiles } from './fetch.js';
import type { PullRequestState, RepoRef } from './fetch.js';
import { countRequests, describeError, elapsedMs, errorFields, jobLogger } from './logger.js';
import { SupersededError } from './queue.js';
import { buildCheckReport, splitFindings } from './report-input.js';
import type { FixedFinding } from './report-input.js';
import { postedFingerprints, publishReview } from './review.js';
import type { ReviewOutcome } from './review.js';
import { scanChangedFiles } from './scan-files.js';
import type { FilesScan } from './scan-files.js';
import { findFixedThreads, resolveThreads } from './threads.js';

export interface ScanDeps {
  clock: () => Date;
  rules: readonly AnyRule[];
  registry: RuleRegistry;
  docsUrl?: DocsUrl | undefined;
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
}

/** Counts for the job's log line. */
interface ScanStats {
  files: number;
  skipped: number;
  findings: number;
  suppressed: number;
  comments: number;
  annotations: number;
  fixed: number;
  conclusion: string;
}

/** Runs one scan job. Never throws: every outcome ends in a completed check run (or a log). */
export async function scanPullRequest(
  request: ScanRequest,
  deps: ScanDeps,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  const counter = countRequests(request.octokit);
  const log = jobLogger(request.log, {
    deliveryId: request.deliveryId,
    repo: `${request.ref.owner}/${request.ref.repo}`,
    pullNumber: request.pullNumber,
    headSha: request.headSha,
    trigger: request.trigger,
  });
  const state: { checkRunId?: number; onError: OnError } = { onError: 'failure' };
  try {
    state.checkRunId = await startCheckRun(request.octokit, request.ref, {
      headSha: request.headSha,
      startedAt: deps.clock(),
      externalId: externalIdFor(request.pullNumber),
    });
    const stats = await scanAndPublish(request, deps, signal, state);
    log.info({ ...stats, durationMs: elapsedMs(started), apiCalls: counter.count }, 'scan done');
  } catch (error: unknown) {
    await finishAfterError(request, deps, state, error, signal);
    const superseded = supersededBy(error, signal);
    log[superseded === undefined ? 'error' : 'info'](
      {
        ...(superseded === undefined ? errorFields(error) : { supersededBy: superseded }),
        checkRunId: state.checkRunId,
        durationMs: elapsedMs(started),
        apiCalls: counter.count,
      },
      superseded === undefined ? 'scan failed' : 'scan superseded',
    );
  } finally {
    counter.stop();
  }
}

async function scanAndPublish(
  request: ScanRequest,
  deps: ScanDeps,
  signal: AbortSignal,
  state: { checkRunId?: number; onError: OnError },
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
    scanner: createScanner(config, deps.rules),
    isScanned: createPathFilter(config.paths),
    maxFileBytes: config.maxFileBytes,
    signal,
  });
  signal.throwIfAborted();

  const { active, suppressed } = splitFindings(scan.results);
  const reviewing = !pull.draft || config.comments.drafts;
  let review: ReviewOutcome | undefined;
  let fixed: FixedFinding[] = [];
  // Nothing to comment on and no Python file whose earlier findings could have been fixed.
  const nothingToReview = active.length === 0 && scan.coveredPaths.size === 0;
  if (reviewing && !nothingToReview) {
    const posted = await postedFingerprints(octokit, ref, pullNumber);
    signal.throwIfAborted();
    const fresh = active.filter(
      (finding) =>
        !posted.inline.has(finding.fingerprint) && !posted.listed.has(finding.fingerprint),
    );
    const reviewInput = {
      findings: fresh,
      addedLines: scan.anchorLines,
      maxComments: config.comments.max,
      headSha: pull.headSha,
      docsUrl: deps.docsUrl,
    };
    const plan = planReview(reviewInput);
    if (plan !== undefined) {
      review = await publishReview({
        octokit,
        ref,
        pullNumber,
        headSha: pull.headSha,
        plan,
        fallback: () => planReview({ ...reviewInput, maxComments: 0 }),
      });
    }
    fixed = await resolveFixed(request, deps, scan, posted.inline);
  }

  const report = buildCheckReport({
    scan,
    active,
    suppressed,
    fixed,
    configProblems: problems,
    failOn: config.failOn,
    headSha: pull.headSha,
    docsUrl: deps.docsUrl,
  });
  const output = withNotes(
    renderCheckRun(report),
    notesFor(pull, reviewing, active.length, review),
  );
  if (state.checkRunId !== undefined) {
    await completeCheckRun(octokit, ref, state.checkRunId, output, deps.clock());
  }
  return {
    files: scan.results.length,
    skipped: scan.skipped.length,
    findings: active.length,
    suppressed: suppressed.length,
    comments: review?.comments ?? 0,
    annotations: output.annotations.length,
    fixed: fixed.length,
    conclusion: output.conclusion,
  };
}

/** Resolves the threads of PyGuard comments whose finding is gone from a covered file. */
async function resolveFixed(
  request: ScanRequest,
  deps: ScanDeps,
  scan: FilesScan,
  commented: ReadonlySet<string>,
): Promise<FixedFinding[]> {
  const current = new Set(
    scan.results.flatMap((result) => result.findings.map((finding) => finding.fingerprint)),
  );
  // Without a commented fingerprint that is gone there is no thread to look for.
  if (![...commented].some((fingerprint) => !current.has(fingerprint))) return [];
  const threads = await findFixedThreads(request.octokit, request.ref, request.pullNumber, {
    current,
    coveredPaths: scan.coveredPaths,
  });
  await resolveThreads(request.octokit, threads);
  return threads.map((thread) => {
    const ruleId = /\bPG[A-Z]\d{3}\b/.exec(thread.heading)?.[0] ?? 'PyGuard';
    const title = deps.registry.get(ruleId)?.meta.title ?? 'finding';
    return { ruleId, title, path: thread.path, line: thread.line };
  });
}

/** Short paragraphs the summary needs beyond the scan result. */
function notesFor(
  pull: PullRequestState,
  reviewing: boolean,
  findings: number,
  review: ReviewOutcome | undefined,
): string[] {
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
  if (review?.rejected !== undefined) {
    notes.push(
      `**GitHub did not accept the inline comments** of PyGuard's review (${escapeMarkdown(sanitizeReason(review.rejected))}), so the findings are listed in the review body instead.`,
    );
  }
  return notes;
}

function withNotes(output: CheckRunOutput, notes: readonly string[]): CheckRunOutput {
  if (notes.length === 0) return output;
  return { ...output, summary: clampBytes([output.summary, ...notes].join('\n\n'), SUMMARY_LIMIT) };
}

/** Completes the check run after a failure or a newer push; errors here are only logged. */
async function finishAfterError(
  request: ScanRequest,
  deps: ScanDeps,
  state: { checkRunId?: number; onError: OnError },
  error: unknown,
  signal: AbortSignal,
): Promise<void> {
  if (state.checkRunId === undefined) return;
  const newerSha = supersededBy(error, signal);
  const message =
    newerSha === undefined
      ? renderErrorCheckRun({ reason: describeError(error), onError: state.onError })
      : renderSupersededCheckRun(newerSha);
  try {
    await completeCheckRunWith(
      request.octokit,
      request.ref,
      state.checkRunId,
      message,
      deps.clock(),
      {
        rescanButton: newerSha === undefined,
      },
    );
  } catch (completeError: unknown) {
    request.log.error(
      { checkRunId: state.checkRunId, reason: describeError(completeError) },
      'could not complete the check run',
    );
  }
}

function supersededBy(error: unknown, signal: AbortSignal): string | undefined {
  if (error instanceof SupersededError) return error.newerSha;
  const reason: unknown = signal.reason;
  return signal.aborted && reason instanceof SupersededError ? reason.newerSha : undefined;
}
