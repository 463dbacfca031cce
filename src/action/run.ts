/**
 * The Action as a function: environment in, exit code out, so tests run it in-process against
 * nock. It scans the pull request's changed lines the way the App does (GitHub's file listing
 * and patches, which are computed from the merge base), then, per the `mode` input, posts the
 * App's check run and review with the workflow's token and/or writes a SARIF log for
 * `github/codeql-action/upload-sarif`. When the token may not write (a fork's pull request, a
 * read-only token), findings become workflow annotations instead and the run does not fail for
 * that reason.
 */
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { ProbotOctokit } from 'probot';

import { allRules } from '../../rules/index.js';
import { createPathFilter } from '../config/paths.js';
import type { ConfigResult } from '../config/index.js';
import type { PyGuardConfig } from '../config/schema.js';
import { createScanner, type Scanner } from '../engine/scanner.js';
import type { Finding } from '../engine/types.js';
import {
  completeCheckRun,
  countAnnotations,
  ensureCheckRun,
  externalIdFor,
} from '../github/checks.js';
import { loadRepoConfig, repoConfigReader } from '../github/config.js';
import { listChangedFiles, statusOf } from '../github/fetch.js';
import type { RepoRef } from '../github/fetch.js';
import { buildCheckReport, splitFindings } from '../github/report-input.js';
import { postedFingerprints, publishReview } from '../github/review.js';
import { scanChangedFiles, type FilesScan } from '../github/scan-files.js';
import { annotationFor, renderCheckRun, type CheckRunOutput } from '../report/check-run.js';
import { planReview, type DocsUrl } from '../report/review.js';
import { formatSarif } from '../report/sarif.js';
import { RuleRegistry } from '../rules-api/registry.js';
import { loadCliConfig } from '../cli/config.js';
import { CliError, errorMessage } from '../cli/errors.js';
import { EXIT_ERROR, exitCodeFor } from '../cli/threshold.js';
import { readToolInfo } from '../cli/version.js';
import { readPullRequestEvent, EventError, type PullRequestEvent } from './event.js';
import { InputError, readInputs, type ActionInputs } from './inputs.js';
import { annotationCommand, escapeData } from './workflow-commands.js';

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
  const { config, problems } = await loadConfig(octokit, event, inputs, workspace);
  for (const problem of problems) {
    io.log(
      `::warning title=PyGuard configuration::${escapeData(`${problem.key}: ${problem.message}`)}`,
    );
  }
  const failOn = inputs.failOn ?? config.failOn;
  const docsUrl = docsUrlFrom(env['PYGUARD_DOCS_URL']);
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
  const scan = await scanPullRequestFiles(octokit, event, config, scanner);
  const { active, suppressed } = splitFindings(scan.results);
  const output = renderCheckRun(
    buildCheckReport({
      scan,
      active,
      suppressed,
      fixed: [],
      configProblems: problems,
      failOn,
      onError: config.onError,
      headSha: event.headSha,
      docsUrl,
    }),
  );
  io.log(`PyGuard: ${output.title} (${scan.results.length} files scanned)`);

  if (wantsReview) {
    await publisher.completeCheckRun(output);
    if (!event.draft || config.comments.drafts) {
      await publisher.postReview(active, scan, config.comments.max, docsUrl);
    } else {
      io.log('PyGuard: the pull request is a draft, so no review is posted.');
    }
    if (publisher.readOnly) {
      for (const finding of active) io.log(annotationCommand(annotationFor(finding, docsUrl)));
    }
  }
  if (inputs.mode !== 'review' || publisher.readOnly) {
    const path = await writeSarif(scan, scanner, workspace, inputs);
    io.log(`PyGuard: SARIF written to ${inputs.sarifFile}`);
    await setOutput(env, 'sarif-file', path);
  }
  await setOutput(env, 'findings', String(active.length));
  await setOutput(env, 'conclusion', output.conclusion);
  return exitCodeFor(scan.results, failOn);
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

  async postReview(
    active: readonly Finding[],
    scan: FilesScan,
    maxComments: number,
    docsUrl: DocsUrl | undefined,
  ): Promise<void> {
    if (this.#readOnly || active.length === 0) return;
    const { octokit, event } = this.options;
    const posted = await postedFingerprints(octokit, this.ref, event.number);
    const fresh = active.filter(
      (finding) =>
        !posted.inline.has(finding.fingerprint) && !posted.listed.has(finding.fingerprint),
    );
    if (fresh.length === 0) return;
    await this.#write('post the review', async () => {
      const outcome = await publishReview({
        octokit,
        ref: this.ref,
        pullNumber: event.number,
        headSha: event.headSha,
        plan: (already, inline) =>
          planReview({
            findings: fresh.filter((finding) => !already.has(finding.fingerprint)),
            addedLines: scan.anchorLines,
            headSha: event.headSha,
            docsUrl,
            maxComments: inline ? maxComments : 0,
          }),
      });
      this.options.log(`PyGuard: review posted with ${outcome.comments} inline comments`);
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
): Promise<string> {
  const info = await readToolInfo();
  const text = formatSarif(scan.results, {
    version: info.version,
    informationUri: info.informationUri,
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

/** `PYGUARD_DOCS_URL` as a link per rule, as the App builds it. */
function docsUrlFrom(base: string | undefined): DocsUrl | undefined {
  if (base === undefined || base.trim() === '') return undefined;
  const root = base.trim().replace(/\/+$/, '');
  return (ruleId) => `${root}/${ruleId}.md`;
}

function describeFailure(error: unknown): string {
  if (error instanceof InputError || error instanceof EventError) return error.message;
  if (error instanceof CliError) return error.lines.join('; ');
  const status = statusOf(error);
  const message = errorMessage(error);
  return status === undefined ? message : `GitHub answered HTTP ${status}: ${message}`;
}
