/**
 * The Action as a function: environment in, exit code out, so tests run it in-process against
 * nock. It scans the pull request's changed lines the way the App does (GitHub's file listing
 * and patches, which are computed from the merge base), then, per the `mode` input, posts the
 * App's check run and review with the workflow's token and/or writes a SARIF log for
 * `github/codeql-action/upload-sarif`. Like the App, it resolves its own review threads of
 * findings a later push fixed. When the token may not write (a fork's pull request, a read-only
 * token), findings become workflow annotations instead and the run does not fail for that reason.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { ProbotOctokit } from 'probot';

import { createPathFilter } from '../config/paths.js';
import type { ConfigResult } from '../config/index.js';
import type { PyGuardConfig } from '../config/schema.js';
import { createScanner, type Scanner } from '../engine/scanner.js';
import type { FileResult, Finding } from '../engine/types.js';
import {
  appendCheckRunOutput,
  completeCheckRun,
  countAnnotations,
  ensureCheckRun,
  externalIdFor,
} from '../github/checks.js';
import { loadRepoConfig, repoConfigReader } from '../github/config.js';
import { listChangedFiles, statusOf } from '../github/fetch.js';
import type { RepoRef } from '../github/fetch.js';
import { buildCheckReport, splitFindings } from '../github/report-input.js';
import {
  commentedFingerprints,
  postedFingerprints,
  publishReview,
  unpostedFindings,
  type PostedFingerprints,
} from '../github/review.js';
import { scanChangedFiles, type FilesScan } from '../github/scan-files.js';
import {
  findFixedThreads,
  fixedFindingOf,
  reportedFingerprints,
  resolveThreads,
  someCommentGone,
  viewerLogin,
  type FixedThread,
} from '../github/threads.js';
import {
  annotationFor,
  renderCheckRun,
  type Annotation,
  type CheckRunOutput,
} from '../report/check-run.js';
import { actionDocsSource, ruleDocsUrl } from '../report/docs-links.js';
import {
  planReview,
  ruleMetaById,
  type DocsUrl,
  type ReviewPlan,
  type RuleMetaById,
} from '../report/review.js';
import { formatSarif } from '../report/sarif.js';
import { plural } from '../report/summary.js';
import { RuleRegistry } from '../rules-api/registry.js';
import { loadCliConfig } from '../cli/config.js';
import { CliError, errorMessage } from '../cli/errors.js';
import { EXIT_ERROR, exitCodeFor } from '../cli/threshold.js';
import { readToolInfo, type ToolInfo } from '../cli/version.js';
import { readBaselineFile } from '../cli/baseline.js';
import { BASELINE_FILE, applyBaseline, type Baseline } from '../engine/baseline.js';
import { readRepoBaseline } from '../github/baseline.js';
import { readPullRequestEvent, EventError, type PullRequestEvent } from './event.js';
import { InputError, readInputs, type ActionInputs } from './inputs.js';
import { annotationCommand, escapeData } from './workflow-commands.js';
import { loadRuleSet } from '../rule-set.js';
import type { AnyRule } from '../rules-api/types.js';

/** Options for the Octokit the Action creates (tests turn retries and throttling off). */
export type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;

export interface ActionIo {
  env: Readonly<Record<string, string | undefined>>;
  /** The workflow log: plain lines and workflow commands. */
  log: (line: string) => void;
  clock?: () => Date;
  /** Extra Octokit options, merged over the Action's. */
  octokit?: Partial<OctokitOptions>;
}

/** The trigger recorded in the check run's external id, as the App's pull request scans do. */
const TRIGGER = 'pull_request';

/**
 * Runs the Action. Returns 0 (nothing at or above the fail-on severity), 1 (findings at or
 * above it) or 2 (a bad input, event or configuration, or a GitHub error). Never throws.
 */
export async function runAction(io: ActionIo): Promise<number> {
  try {
    return await runChecked(io);
  } catch (error: unknown) {
    io.log(`::error title=PyGuard::${escapeData(describeFailure(error))}`);
    return EXIT_ERROR;
  }
}

async function runChecked(io: ActionIo): Promise<number> {
  const { env } = io;
  const inputs = readInputs(env);
  const event = await readPullRequestEvent(env['GITHUB_EVENT_NAME'], env['GITHUB_EVENT_PATH']);
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
  const octokit = new ProbotOctokit({
    auth: { token: inputs.token },
    ...(env['GITHUB_API_URL'] === undefined ? {} : { baseUrl: env['GITHUB_API_URL'] }),
    ...io.octokit,
  });
  const allRules = (await loadRuleSet()).rules;
  const { config, problems } = await loadConfig(octokit, event, inputs, workspace, allRules);
  for (const problem of problems) {
    io.log(
      `::warning title=PyGuard configuration::${escapeData(`${problem.key}: ${problem.message}`)}`,
    );
  }
  const failOn = inputs.failOn ?? config.failOn;
  const tool = await readToolInfo();
  const docsUrl = ruleDocsUrl(env['PYGUARD_DOCS_URL'], actionDocsSource(env, tool.version) ?? tool);
  const rules = ruleMetaById(allRules);
  const titles = new Map(allRules.map((rule) => [rule.meta.id, rule.meta.title]));
  const clock = io.clock ?? (() => new Date());
  const publisher = new Publisher({ octokit, event, log: io.log, clock });
  const wantsReview = inputs.mode !== 'sarif';

  if (wantsReview && event.fromFork && env['GITHUB_EVENT_NAME'] === 'pull_request') {
    publisher.degrade(
      'this pull request comes from a fork, and GitHub gives its workflows a read-only token',
    );
  }
  if (wantsReview) await publisher.startCheckRun();

  const scanner = createScanner(config, allRules);
  const scanned = await scanPullRequestFiles(octokit, event, config, scanner);
  // Without a finding there is nothing a baseline could hide, so none is read.
  const baseline = scanned.results.some((result) =>
    result.findings.some((finding) => finding.suppression === undefined),
  )
    ? await loadBaseline(octokit, event, inputs, workspace, io.log)
    : undefined;
  const { results, hidden } = applyBaseline(scanned.results, baseline);
  if (hidden > 0) {
    io.log(
      `PyGuard: ${plural(hidden, 'finding')} ${hidden === 1 ? 'is' : 'are'} in the baseline and not reported`,
    );
  }
  const scan: FilesScan = { ...scanned, results };
  const { active, suppressed } = splitFindings(results);
  const reviewing = wantsReview && (!event.draft || config.comments.drafts);
  if (wantsReview && !reviewing) {
    io.log('PyGuard: the pull request is a draft, so no review is posted.');
  }
  // Read and planned before the check completes: a finding with an inline comment gets no
  // annotation, and the findings whose threads are resolved are listed as fixed.
  const context = reviewing
    ? await publisher.readReviewContext(scanned.results, active, scan.coveredPaths)
    : undefined;
  const review =
    context === undefined
      ? undefined
      : publisher.planReview(context, active, scan, config.comments.max, { docsUrl, rules });
  const fixed = (context?.threads ?? []).map((thread) =>
    fixedFindingOf(thread, (ruleId) => titles.get(ruleId)),
  );
  const output = renderCheckRun(
    buildCheckReport({
      scan,
      active,
      suppressed,
      fixed,
      configProblems: problems,
      failOn,
      onError: config.onError,
      headSha: event.headSha,
      docsUrl,
      rules,
      commented: review?.commented,
      baselined: hidden,
    }),
  );
  io.log(`PyGuard: ${output.title} (${results.length} files scanned)`);

  if (wantsReview) {
    await publisher.completeCheckRun(output);
    if (review !== undefined) {
      const uncommented = await publisher.postReview(review);
      const late = uncommented.map((finding) => annotationFor(finding, docsUrl, rules));
      await publisher.appendAnnotations(output, late);
    }
    if (reviewing) await publisher.resolveFixedThreads(context?.threads ?? []);
    if (publisher.readOnly) {
      for (const finding of active)
        io.log(annotationCommand(annotationFor(finding, docsUrl, rules)));
    }
  }
  if (inputs.mode !== 'review' || publisher.readOnly) {
    const path = await writeSarif(scan, scanner, workspace, inputs, { tool, docsUrl });
    io.log(`PyGuard: SARIF written to ${inputs.sarifFile}`);
    await setOutput(env, 'sarif-file', path);
  }
  await setOutput(env, 'findings', String(active.length));
  await setOutput(env, 'conclusion', output.conclusion);
  return exitCodeFor(results, failOn);
}

/**
 * The baseline: the file the `baseline` input names in the workspace (a problem with it fails
 * the run, as in the CLI); otherwise `.pyguard-baseline.json` of the base commit through the
 * API, as the App reads it, so a pull request cannot hide its own findings (a problem with it
 * is logged and every finding is reported).
 */
async function loadBaseline(
  octokit: InstanceType<typeof ProbotOctokit>,
  event: PullRequestEvent,
  inputs: ActionInputs,
  workspace: string,
  log: (line: string) => void,
): Promise<Baseline | undefined> {
  if (inputs.baseline !== undefined) {
    return readBaselineFile(resolve(workspace, inputs.baseline), inputs.baseline);
  }
  const read = await readRepoBaseline(octokit, event.ref, event.baseSha);
  if (read.kind === 'problem') {
    log(`::warning title=PyGuard baseline::${escapeData(`${BASELINE_FILE}: ${read.message}`)}`);
  }
  return read.kind === 'found' ? read.baseline : undefined;
}

/**
 * The configuration: the file named by the `config` input, read from the workspace (a
 * problem in it fails the run, as in the CLI); otherwise `.github/pyguard.yml` of the default
 * branch through the API, with the organisation's `.github` repository as fallback, as the App
 * reads it, so a pull request cannot loosen its own gate (a problem in it is reported and the
 * defaults are used).
 */
async function loadConfig(
  octokit: InstanceType<typeof ProbotOctokit>,
  event: PullRequestEvent,
  inputs: ActionInputs,
  workspace: string,
  allRules: readonly AnyRule[],
): Promise<ConfigResult> {
  const rules = new RuleRegistry(allRules).validateOptions();
  if (inputs.config !== undefined) {
    const config = await loadCliConfig({ cwd: workspace, configPath: inputs.config, rules });
    return { config, problems: [] };
  }
  return loadRepoConfig(repoConfigReader(octokit, event.ref), rules);
}

/** The changed Python and template files of the pull request, scanned on their changed lines. */
async function scanPullRequestFiles(
  octokit: InstanceType<typeof ProbotOctokit>,
  event: PullRequestEvent,
  config: PyGuardConfig,
  scanner: Scanner,
): Promise<FilesScan> {
  const files = await listChangedFiles(octokit, event.ref, event.number);
  return scanChangedFiles(files, {
    octokit,
    ref: event.ref,
    baseSha: event.baseSha,
    headSha: event.headSha,
    scanner,
    isScanned: createPathFilter(config.paths),
    maxFileBytes: config.maxFileBytes,
    signal: new AbortController().signal,
  });
}

/** What PyGuard already posted on the pull request, read before the check run completes. */
interface ReviewContext {
  posted: PostedFingerprints;
  /** This token's open threads of findings the scan no longer reports. */
  threads: FixedThread[];
}

/** A review planned before the check run completes. */
interface PlannedReview {
  plan: (posted: ReadonlySet<string>, inline: boolean) => ReviewPlan | undefined;
  /** The findings planned as inline comments. */
  planned: Finding[];
  /** Fingerprints of the findings with an inline comment: earlier ones and planned ones. */
  commented: ReadonlySet<string>;
}

interface PublisherOptions {
  octokit: InstanceType<typeof ProbotOctokit>;
  event: PullRequestEvent;
  log: (line: string) => void;
  clock: () => Date;
}

/**
 * Writes to the pull request until GitHub refuses a write with 403 (a read-only token): from
 * then on it writes nothing, and the run shows findings as annotations and SARIF instead.
 */
class Publisher {
  #readOnly = false;
  #checkRunId: number | undefined;
  /** The check run was found pending (an interrupted earlier run) rather than created. */
  #reused = false;

  constructor(private readonly options: PublisherOptions) {}

  get readOnly(): boolean {
    return this.#readOnly;
  }

  get ref(): RepoRef {
    return this.options.event.ref;
  }

  /** Stops writing, with one log line that says why and what happens instead. */
  degrade(reason: string): void {
    if (this.#readOnly) return;
    this.#readOnly = true;
    this.options.log(
      `::notice title=PyGuard::No review or check run is posted: ${reason}. Findings are shown as annotations of this run and written to the SARIF file.`,
    );
  }

  async startCheckRun(): Promise<void> {
    const { octokit, event, clock } = this.options;
    await this.#write('create the check run', async () => {
      const checkRun = await ensureCheckRun(octokit, this.ref, {
        headSha: event.headSha,
        externalId: externalIdFor(event.number, TRIGGER),
        status: 'in_progress',
        at: clock(),
      });
      this.#checkRunId = checkRun.id;
      this.#reused = !checkRun.created;
    });
  }

  async completeCheckRun(output: CheckRunOutput): Promise<void> {
    const checkRunId = this.#checkRunId;
    if (checkRunId === undefined) return;
    const { octokit, clock } = this.options;
    await this.#write('complete the check run', async () => {
      // A reused check run may hold annotations the interrupted run sent: never send them twice.
      const sent =
        this.#reused && output.annotations.length > 0
          ? await countAnnotations(octokit, this.ref, checkRunId)
          : 0;
      await completeCheckRun(octokit, this.ref, checkRunId, output, clock(), sent);
    });
  }

  /**
   * What PyGuard posted on the pull request, and the open threads it wrote with this token
   * (marked as the App marks them) whose finding this scan no longer reports. Undefined when
   * the token may not write, or when there is neither a finding nor a scanned file. A failure to
   * read the threads is a warning: nothing is resolved then.
   */
  async readReviewContext(
    scanned: readonly FileResult[],
    active: readonly Finding[],
    coveredPaths: ReadonlySet<string>,
  ): Promise<ReviewContext | undefined> {
    if (this.#readOnly || (active.length === 0 && coveredPaths.size === 0)) return undefined;
    const { octokit, event, log } = this.options;
    const posted = await postedFingerprints(octokit, this.ref, event.number);
    // Baselined and suppressed findings are still there: their threads stay open.
    const current = reportedFingerprints(scanned);
    if (!someCommentGone(posted.inline, current)) {
      return { posted, threads: [] };
    }
    try {
      const author = await viewerLogin(octokit);
      const threads = await findFixedThreads(octokit, this.ref, event.number, {
        current,
        coveredPaths,
        author,
      });
      return { posted, threads };
    } catch (error: unknown) {
      log(
        `::warning title=PyGuard::${escapeData(`the review threads of fixed findings could not be read (${describeFailure(error)}), so none was resolved`)}`,
      );
      return { posted, threads: [] };
    }
  }

  /**
   * The review of the findings not commented or listed yet, planned before the check run
   * completes; undefined when nothing is to be posted.
   */
  planReview(
    context: ReviewContext,
    active: readonly Finding[],
    scan: FilesScan,
    maxComments: number,
    links: { docsUrl: DocsUrl | undefined; rules: RuleMetaById },
  ): PlannedReview | undefined {
    if (active.length === 0) return undefined;
    const { event } = this.options;
    const { posted } = context;
    const fresh = unpostedFindings(active, posted.inline, posted.listed);
    const plan = (already: ReadonlySet<string>, inline: boolean): ReviewPlan | undefined =>
      planReview({
        findings: unpostedFindings(fresh, already),
        addedLines: scan.anchorLines,
        headSha: event.headSha,
        ...links,
        maxComments: inline ? maxComments : 0,
      });
    const planned = plan(new Set(), true)?.commented ?? [];
    return { plan, planned, commented: commentedFingerprints(active, posted.inline, planned) };
  }

  /**
   * Posts the planned review. Returns the findings planned as inline comments that did not get
   * one (GitHub rejected the comments, or the token may not write), for annotations.
   */
  async postReview(review: PlannedReview): Promise<Finding[]> {
    if (review.plan(new Set(), true) === undefined) return [];
    const { octokit, event } = this.options;
    let uncommented: Finding[] = review.planned;
    await this.#write('post the review', async () => {
      const outcome = await publishReview({
        octokit,
        ref: this.ref,
        pullNumber: event.number,
        headSha: event.headSha,
        plan: review.plan,
      });
      if (outcome.rejected === undefined) uncommented = [];
      this.options.log(`PyGuard: review posted with ${outcome.comments} inline comments`);
    });
    return this.#readOnly ? [] : uncommented;
  }

  /**
   * Resolves the threads of fixed findings. With a token that may not write, says so in one
   * line instead; a failure is a warning, never a failed run.
   */
  async resolveFixedThreads(threads: readonly FixedThread[]): Promise<void> {
    const { octokit, log } = this.options;
    if (this.#readOnly) {
      log('PyGuard: review threads of fixed findings are left open: this token may not write.');
      return;
    }
    if (threads.length === 0) return;
    try {
      await resolveThreads(octokit, threads);
      log(`PyGuard: resolved ${plural(threads.length, 'review thread')} of fixed findings`);
    } catch (error: unknown) {
      log(
        `::warning title=PyGuard::${escapeData(`the review threads of fixed findings could not be resolved (${describeFailure(error)})`)}`,
      );
    }
  }

  /** Adds annotations to the completed check run (findings whose comments were not posted). */
  async appendAnnotations(
    output: CheckRunOutput,
    annotations: readonly Annotation[],
  ): Promise<void> {
    const checkRunId = this.#checkRunId;
    if (checkRunId === undefined || annotations.length === 0) return;
    const { octokit } = this.options;
    await this.#write('annotate the check run', async () => {
      await appendCheckRunOutput(
        octokit,
        this.ref,
        checkRunId,
        output,
        annotations,
        output.annotations.length,
      );
    });
  }

  /** Runs a write unless read-only; a 403 (the token may not write) turns read-only on. */
  async #write(what: string, write: () => Promise<void>): Promise<void> {
    if (this.#readOnly) return;
    try {
      await write();
    } catch (error: unknown) {
      if (statusOf(error) !== 403) throw error;
      this.degrade(
        `GitHub refused to ${what} with this token (HTTP 403; grant 'checks: write' and 'pull-requests: write' in the workflow's permissions)`,
      );
    }
  }
}

async function writeSarif(
  scan: FilesScan,
  scanner: Scanner,
  workspace: string,
  inputs: ActionInputs,
  links: { tool: ToolInfo; docsUrl: DocsUrl | undefined },
): Promise<string> {
  const text = formatSarif(scan.results, {
    version: links.tool.version,
    informationUri: links.tool.informationUri,
    docsUrl: links.docsUrl,
    category: inputs.sarifCategory,
    rules: scanner.selection.rules.map((rule) => rule.meta),
    severityOverrides: scanner.selection.severityOverrides,
    cwd: workspace,
    skipped: scan.skipped,
  });
  const path = resolve(workspace, inputs.sarifFile);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return path;
}

/** Appends `name=value` to the step's outputs file, when the runner provides one. */
async function setOutput(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  value: string,
): Promise<void> {
  const file = env['GITHUB_OUTPUT'];
  if (file === undefined || file === '') return;
  await appendFile(file, `${name}=${value}\n`);
}

function describeFailure(error: unknown): string {
  if (error instanceof InputError || error instanceof EventError) return error.message;
  if (error instanceof CliError) return error.lines.join('; ');
  const status = statusOf(error);
  const message = errorMessage(error);
  return status === undefined ? message : `GitHub answered HTTP ${status}: ${message}`;
}
