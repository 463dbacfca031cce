/**
 * The CLI as a function: arguments and I/O streams in, exit code out, so tests run it
 * in-process. `main.ts` only wires it to the process.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { posix, relative, resolve, sep } from 'node:path';

import { createPathFilter } from '../config/paths.js';
import type { PyGuardConfig } from '../config/schema.js';
import { availableParallelism } from 'node:os';
import {
  DEFAULT_WORKER_START_MS,
  scanInWorkers,
  type ThreadPlan,
  type WorkerSetup,
} from '../engine/parallel.js';
import {
  createScanner,
  isScannablePath,
  type ScanFileInput,
  type Scanner,
  type ScannerConfig,
} from '../engine/scanner.js';
import type { FileNotice, FileResult } from '../engine/types.js';
import {
  applyBaseline,
  createBaseline,
  formatBaseline,
  type Baseline,
} from '../engine/baseline.js';
import { applyFixes } from '../engine/fixes.js';
import { ruleDocsUrl } from '../report/docs-links.js';
import { escapeForTerminal } from '../report/ansi.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { RuleRegistry } from '../rules-api/registry.js';
import {
  HELP_TEXT,
  parseCliArgs,
  type Command,
  type OutputOptions,
  type ScanCommandOptions,
} from './args.js';
import { defaultBaselinePath, findDefaultBaseline, readBaselineFile } from './baseline.js';
import { collectFiles } from './collect-files.js';
import { displayPath } from './paths.js';
import {
  advisorySource,
  changedManifests,
  manifestFilter,
  manifestsToScan,
  runAudit,
} from './dependencies.js';
import { shouldUseColor } from './color.js';
import { loadCliConfiguration } from './config.js';
import { gitignoreCheck } from './gitignore.js';
import { CliError, describeFsError, errorMessage, usageError } from './errors.js';
import type { GitChange } from './git.js';
import { formatRulesJson, formatRulesText } from './list-rules.js';
import { Progress } from './progress.js';
import { unknownSuppressionWarnings } from './suppression-typos.js';
import { readSourceFile, readStream, type ReadOutcome } from './read-source.js';
import { loadRuleSet } from '../rule-set.js';
import { didYouMean } from './suggest.js';
import { EXIT_ERROR, EXIT_OK, exitCodeFor } from './threshold.js';
import { readToolInfo } from './version.js';

/** `readGitChange`, loaded only by `pyguard diff` (with the line-diff package it needs). */
async function readGitChangeLazily(
  ...options: Parameters<typeof import('./git.js').readGitChange>
): Promise<GitChange> {
  const { readGitChange } = await import('./git.js');
  return readGitChange(...options);
}

/** What the CLI may touch of its process: injected so tests can run it in-process. */
export interface CliIo {
  cwd: string;
  stdout: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  /** Progress is drawn only when this is a terminal. */
  stderr: { write(chunk: string): unknown; isTTY?: boolean | undefined };
  env: Readonly<Record<string, string | undefined>>;
  /** What `pyguard scan -` reads (opened only then); without it `-` is an error. */
  stdin?: (() => AsyncIterable<Buffer | string>) | undefined;
  /** A clock in milliseconds, for the progress counter (default: `performance.now`). */
  now?: (() => number) | undefined;
}

/** Warnings and progress on stderr, both silenced by `--quiet`. */
interface Feedback {
  warn(message: string): void;
  progress: Progress;
}

function createFeedback(io: CliIo, quiet: boolean): Feedback {
  const progress = new Progress({
    enabled: !quiet && io.stderr.isTTY === true,
    write: (chunk) => io.stderr.write(chunk),
    now: io.now ?? (() => performance.now()),
  });
  return {
    progress,
    warn: (message) => {
      if (quiet) return;
      progress.clear();
      warn(io, message);
    },
  };
}

type ScanLike = Extract<Command, { kind: 'scan' | 'diff' | 'baseline' }>;

/** A file waiting to be read and scanned. */
interface PendingFile {
  path: string;
  addedLines: ReadonlySet<number> | null;
  read(): Promise<ReadOutcome>;
}

/**
 * Runs `pyguard <argv>`. Returns 0 (nothing at or above the fail-on severity), 1 (findings at
 * or above it) or 2 (usage, configuration or I/O error, reported on stderr). Never throws.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseCliArgs(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(HELP_TEXT);
        return EXIT_OK;
      case 'version':
        io.stdout.write(`${(await readToolInfo()).version}\n`);
        return EXIT_OK;
      case 'rules':
        return await listRules(command.options, io);
      case 'config-schema':
        return await printConfigSchema(command.options, io);
      case 'scan':
      case 'diff':
      case 'baseline':
        return await scan(command, io);
    }
  } catch (error: unknown) {
    return reportError(error, io);
  }
}

async function listRules(options: OutputOptions, io: CliIo): Promise<number> {
  const rules = new RuleRegistry((await loadRuleSet()).rules).rules;
  const metas = rules.map((rule) => rule.meta);
  const text =
    options.format === 'json'
      ? formatRulesJson(metas, new Map(rules.map((rule) => [rule.meta.id, rule.options])))
      : formatRulesText(metas);
  await writeReport(text, options, io);
  return EXIT_OK;
}

/** `pyguard config schema`: the JSON Schema of `.github/pyguard.yml`, with every rule. */
async function printConfigSchema(options: OutputOptions, io: CliIo): Promise<number> {
  // Loaded here only: the schema library is large and no other command needs it.
  const { configJsonSchema } = await import('../config/file-schema.js');
  const schema = configJsonSchema(new RuleRegistry((await loadRuleSet()).rules).validateOptions());
  await writeReport(`${JSON.stringify(schema, null, 2)}\n`, options, io);
  return EXIT_OK;
}

/** Rounds of `scan --fix` at most (a round applies the fixes that do not overlap). */
const MAX_FIX_ROUNDS = 5;

async function scan(command: ScanLike, io: CliIo, fixRound = 0): Promise<number> {
  const { options } = command;
  const ruleSet = await loadRuleSet();
  const allRules = ruleSet.rules;
  const registry = new RuleRegistry(allRules);
  for (const rule of options.rules) {
    if (!registry.has(rule)) {
      const names = registry.rules.flatMap((known) => [known.meta.id, known.meta.slug]);
      const suggestion = didYouMean(rule, names);
      throw usageError(
        suggestion === ''
          ? `unknown rule '${rule}' (see 'pyguard rules')`
          : `unknown rule '${rule}'${suggestion}`,
      );
    }
  }
  const feedback = createFeedback(io, options.quiet);
  const { config, root } = await loadCliConfiguration({
    cwd: io.cwd,
    configPath: options.config,
    rules: registry.validateOptions(),
  });
  const failOn = options.failOn ?? config.failOn;
  const scannerConfig: ScannerConfig = {
    rules: config.rules,
    minConfidence: options.minConfidence ?? config.minConfidence,
    profile: options.profile ?? config.profile,
    pathBase: pathFromRoot(root, io.cwd),
  };
  const scanner = createScanner(
    scannerConfig,
    allRules,
    options.rules.length > 0 ? options.rules : undefined,
  );
  const where: PathContext = { root, toRepoPath: repoPathMapper(root, io.cwd) };

  const skipped: FileNotice[] = [];
  const skip = (path: string, reason: string): void => {
    skipped.push({ path, kind: 'skipped', message: reason });
    feedback.warn(`skipped ${path}: ${reason}`);
  };
  const change =
    command.kind === 'diff'
      ? await readGitChangeLazily({
          cwd: io.cwd,
          env: io.env,
          base: command.base,
          head: command.head,
          mergeBase: command.mergeBase,
        })
      : undefined;
  // `-` is standard input: read as one file, never looked for on disk.
  const diskPaths = command.kind === 'diff' ? [] : command.paths.filter((path) => path !== '-');
  const pending =
    change === undefined
      ? await filesToScan(diskPaths, config, io, feedback, where)
      : changedFilesToScan(change, config, skip, where);
  if (command.kind !== 'diff' && diskPaths.length < command.paths.length) {
    pending.push(stdinFile(io, command.options.stdinFilename, config));
  }
  const parallel: ParallelPlan = {
    threads: threadPlan(io.env, pending.length),
    setup: {
      config: scannerConfig,
      only: options.rules.length > 0 ? options.rules : undefined,
      rulesModule: ruleSet.moduleUrl,
    },
  };
  const onResult = (result: FileResult): void => {
    if (options.format === 'text')
      for (const notice of result.notices) feedback.warn(describeNotice(notice));
  };
  feedback.progress.start(pending.length);
  let done = 0;
  const results = await scanAll(scanner, parallel, pending, skip, (result) => {
    onResult(result);
    feedback.progress.update(++done);
  });
  feedback.progress.clear();

  const manifests =
    change === undefined
      ? await manifestsToScan(
          diskPaths,
          config,
          io.cwd,
          (message) => {
            feedback.warn(message);
          },
          skip,
          where,
        )
      : await changedManifests(change, config, skip, where.toRepoPath);
  const audit = await runAudit(manifests, () => advisorySource(options.osvDb, io.cwd, io.env), {
    config,
    rules: allRules,
    only: options.rules.length > 0 ? options.rules : undefined,
    cwd: io.cwd,
    pathBase: scannerConfig.pathBase,
  });
  audit.results.forEach(onResult);
  results.push(...audit.results);
  if (command.kind === 'baseline') return writeBaseline(results, options, io);

  const baseline = await baselineFor(options, io.cwd);
  const { results: reported, hidden } = applyBaseline(results, baseline);
  if (command.kind === 'scan' && options.fix) {
    const fixed = await fixFiles(reported, io, fixRound === 0);
    // Fixes deferred because they overlapped an applied one get another round on the new text;
    // the report and the exit code are those of the fixed files.
    const again = fixed > 0 && fixRound + 1 < MAX_FIX_ROUNDS;
    return scan({ ...command, options: { ...options, fix: again } }, io, fixRound + 1);
  }
  for (const warning of unknownSuppressionWarnings(reported, {
    has: (name) => registry.has(name),
    names: registry.names(),
  })) {
    feedback.warn(warning);
  }
  const info = await readToolInfo();
  const report = formatReport(reported, skipped, {
    options,
    scanner,
    io,
    version: info.version,
    informationUri: info.informationUri,
    baselined: hidden,
  });
  await writeReport(report, options, io);
  return exitCodeFor(reported, failOn);
}

/**
 * `scan --fix`: applies the mechanical fixes of the reported findings to their files and says
 * on standard error what was fixed and what was not.
 */
async function fixFiles(
  results: readonly FileResult[],
  io: CliIo,
  firstRound: boolean,
): Promise<number> {
  let fixed = 0;
  let deferred = 0;
  let files = 0;
  let left = 0;
  for (const result of results) {
    if (!result.findings.some((finding) => finding.fix !== undefined)) continue;
    const path = resolve(io.cwd, result.path);
    const text = await readFixableText(path);
    if (text === undefined) {
      io.stderr.write(
        `pyguard: not fixed: ${escapeForTerminal(result.path)} is not plain UTF-8 text\n`,
      );
      left += result.findings.filter((finding) => finding.fix !== undefined).length;
      continue;
    }
    const outcome = applyFixes(text, result.findings);
    for (const finding of outcome.applied) {
      io.stderr.write(
        `pyguard: fixed ${escapeForTerminal(`${finding.path}:${finding.span.start.line}:${finding.span.start.column}`)} ${finding.ruleId}: ${escapeForTerminal(finding.fix?.description ?? '')}\n`,
      );
    }
    for (const finding of outcome.skipped) {
      io.stderr.write(
        `pyguard: not fixed: ${escapeForTerminal(`${finding.path}:${finding.span.start.line}`)} ${finding.ruleId}: the file changed since it was scanned\n`,
      );
    }
    left += outcome.skipped.length;
    deferred += outcome.deferred.length;
    if (outcome.applied.length === 0) continue;
    try {
      await writeFile(path, outcome.text);
    } catch (error: unknown) {
      throw new CliError(`cannot write ${result.path}: ${describeFsError(error)}`, {
        cause: error,
      });
    }
    fixed += outcome.applied.length;
    files += 1;
  }
  const notFixed = left === 0 ? '' : `; ${left} not fixed`;
  const later =
    deferred === 0
      ? ''
      : `; ${deferred} overlapping ${deferred === 1 ? 'fix' : 'fixes'} left for the next round`;
  if (!firstRound && fixed === 0 && left === 0 && deferred === 0) return 0;
  io.stderr.write(
    `pyguard: fixed ${fixed} ${fixed === 1 ? 'finding' : 'findings'} in ${files} ${files === 1 ? 'file' : 'files'}${notFixed}${later}; scanning again\n`,
  );
  return fixed;
}

/** A file's text when it is UTF-8 without a byte order mark (the only text `--fix` edits). */
async function readFixableText(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error: unknown) {
    throw new CliError(`cannot read ${path}: ${describeFsError(error)}`, { cause: error });
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** The baseline to apply: `--baseline`, else the repository's file, unless `--no-baseline`. */
async function baselineFor(
  options: ScanCommandOptions,
  cwd: string,
): Promise<Baseline | undefined> {
  if (options.noBaseline) return undefined;
  if (options.baseline !== undefined) {
    return readBaselineFile(resolve(cwd, options.baseline), options.baseline);
  }
  return findDefaultBaseline(cwd);
}

/** `pyguard baseline`: writes the findings as a baseline file and says where. */
async function writeBaseline(
  results: readonly FileResult[],
  options: ScanCommandOptions,
  io: CliIo,
): Promise<number> {
  const baseline = createBaseline(results);
  const path =
    options.output === undefined
      ? await defaultBaselinePath(io.cwd)
      : resolve(io.cwd, options.output);
  try {
    await writeFile(path, formatBaseline(baseline));
  } catch (error: unknown) {
    throw new CliError(`cannot write ${path}: ${describeFsError(error)}`, { cause: error });
  }
  const shown = displayPath(io.cwd, path);
  io.stderr.write(
    `pyguard: wrote ${baseline.findings.length} ${baseline.findings.length === 1 ? 'finding' : 'findings'} to ${escapeForTerminal(shown)}; scan and diff now report only findings not in it\n`,
  );
  return EXIT_OK;
}

/** The repository root, and a path shown to users (relative to cwd) as matched from it. */
interface PathContext {
  root: string;
  toRepoPath: (displayPath: string) => string;
}

/** `cwd` relative to `root`, with `/` separators (`''` when they are the same). */
function pathFromRoot(root: string, cwd: string): string {
  const path = relative(root, resolve(cwd));
  return sep === '/' ? path : path.split(sep).join('/');
}

/** Maps a path relative to `cwd` to the same path relative to `root`. */
function repoPathMapper(root: string, cwd: string): (displayPath: string) => string {
  const base = pathFromRoot(root, cwd);
  return (path) => (base === '' ? path : posix.normalize(posix.join(base, path)));
}

/**
 * `pyguard scan`: files named on the command line, and Python files and templates under
 * directories named there (not those `.gitignore` ignores).
 */
async function filesToScan(
  paths: readonly string[],
  config: PyGuardConfig,
  io: CliIo,
  feedback: Feedback,
  where: PathContext,
): Promise<PendingFile[]> {
  if (paths.length === 0) return [];
  const isNotExcluded = createPathFilter({ include: ['**'], exclude: config.paths.exclude });
  const isManifest = manifestFilter(config);
  const files = await collectFiles({
    cwd: io.cwd,
    root: where.root,
    paths,
    isScanned: createPathFilter(config.paths),
    isExcluded: (path) => !isNotExcluded(path),
    isIgnored: gitignoreCheck(where.root),
    warn: (message) => {
      feedback.warn(message);
    },
  });
  // A manifest named on the command line is audited, not scanned as Python.
  return files
    .filter((file) => isScannablePath(file.path) || !isManifest(where.toRepoPath(file.path)))
    .map((file) => ({
      path: file.path,
      addedLines: null,
      read: () => readSourceFile(file.absolutePath, config.maxFileBytes),
    }));
}

/** `pyguard scan -`: standard input, under the `--stdin-filename` name (default `-`). */
function stdinFile(
  io: CliIo,
  stdinFilename: string | undefined,
  config: PyGuardConfig,
): PendingFile {
  const openStdin = io.stdin;
  if (openStdin === undefined) throw new CliError('standard input is not available');
  return {
    path: stdinFilename ?? '-',
    addedLines: null,
    read: () => readStream(openStdin(), config.maxFileBytes),
  };
}

/** `pyguard diff`: the files a git change touches that the configuration scans. */
function changedFilesToScan(
  change: GitChange,
  config: PyGuardConfig,
  skip: (path: string, reason: string) => void,
  where: PathContext,
): PendingFile[] {
  const isScanned = createPathFilter(config.paths);
  const pending: PendingFile[] = [];
  for (const file of change.files) {
    if (!isScannablePath(file.path) || !isScanned(where.toRepoPath(file.path))) continue;
    if (file.binary) {
      skip(file.path, 'git reports a binary change, so there are no lines to check');
      continue;
    }
    if (file.addedLines !== null && file.addedLines.size === 0) continue;
    pending.push({
      path: file.path,
      addedLines: file.addedLines,
      read: () => change.read(file.path, config.maxFileBytes),
    });
  }
  return pending;
}

const MAX_THREADS = 4;

/**
 * Threads for a scan: `PYGUARD_WORKERS` when set, all of them from the start; else one per core
 * (at most 4), the workers joining only a scan that has run for a second with as much left.
 */
function threadPlan(env: CliIo['env'], files: number): ThreadPlan {
  const requested = Number.parseInt(env['PYGUARD_WORKERS'] ?? '', 10);
  if (Number.isInteger(requested) && requested >= 1)
    return { threads: Math.min(requested, 16), startAfterMs: 0, expectedFiles: files };
  return {
    threads: Math.min(availableParallelism(), MAX_THREADS),
    startAfterMs: DEFAULT_WORKER_START_MS,
    expectedFiles: files,
  };
}

interface ParallelPlan {
  threads: ThreadPlan;
  setup: WorkerSetup;
}

/** Reads and scans each file in turn; unreadable and oversized files are skipped. */
async function scanAll(
  scanner: Scanner,
  parallel: ParallelPlan,
  pending: readonly PendingFile[],
  skip: (path: string, reason: string) => void,
  onResult: (result: FileResult) => void,
): Promise<FileResult[]> {
  let current = '';
  async function* inputs(): AsyncGenerator<ScanFileInput> {
    for (const file of pending) {
      const outcome = await file.read();
      if (!outcome.ok) {
        skip(file.path, outcome.reason);
        continue;
      }
      current = file.path;
      yield { path: file.path, source: outcome.bytes, addedLines: file.addedLines };
    }
  }
  const results: FileResult[] = [];
  try {
    for await (const result of scanInWorkers(inputs(), parallel.setup, parallel.threads, scanner)) {
      results.push(result);
      onResult(result);
    }
  } catch (error: unknown) {
    if (error instanceof CliError) throw error;
    throw new CliError(`internal error while scanning ${current}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  return results;
}

interface ReportContext {
  options: ScanCommandOptions;
  scanner: Scanner;
  io: CliIo;
  version: string;
  informationUri: string | undefined;
  baselined: number;
}

function formatReport(
  results: readonly FileResult[],
  skipped: readonly FileNotice[],
  context: ReportContext,
): string {
  const { options, io } = context;
  switch (options.format) {
    case 'json':
      return formatJson(results, {
        version: context.version,
        skipped,
        baselined: context.baselined,
      });
    case 'sarif':
      return formatSarif(results, {
        version: context.version,
        informationUri: context.informationUri,
        rules: context.scanner.selection.rules.map((rule) => rule.meta),
        severityOverrides: context.scanner.selection.severityOverrides,
        cwd: io.cwd,
        skipped,
        docsUrl: ruleDocsUrl(io.env['PYGUARD_DOCS_URL'], {
          version: context.version,
          informationUri: context.informationUri,
        }),
        category: options.sarifCategory,
      });
    case 'text':
      return formatText(results, {
        color: shouldUseColor({
          noColorFlag: options.noColor,
          toFile: options.output !== undefined,
          stdoutIsTTY: io.stdout.isTTY === true,
          env: io.env,
        }),
        skipped,
        baselined: context.baselined,
      });
  }
}

async function writeReport(text: string, options: OutputOptions, io: CliIo): Promise<void> {
  if (options.output === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(resolve(io.cwd, options.output), text);
  } catch (error: unknown) {
    throw new CliError(`cannot write ${options.output}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
}

/** `app.py:3: syntax error …` */
function describeNotice(notice: FileNotice): string {
  const where = notice.line === undefined ? notice.path : `${notice.path}:${notice.line}`;
  return `${where}: ${notice.message}`;
}

function warn(io: CliIo, message: string): void {
  io.stderr.write(`pyguard: warning: ${escapeForTerminal(message)}\n`);
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CliError) {
    const hint = error.usage ? " (see 'pyguard --help')" : '';
    error.lines.forEach((line, index) => {
      const last = index === error.lines.length - 1;
      const pointer = last && !line.includes('(see ') ? hint : '';
      io.stderr.write(`pyguard: ${escapeForTerminal(line)}${pointer}\n`);
    });
  } else {
    io.stderr.write(`pyguard: ${escapeForTerminal(errorMessage(error))}\n`);
  }
  return EXIT_ERROR;
}
