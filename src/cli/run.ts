/**
 * The CLI as a function: arguments and I/O streams in, exit code out, so tests run it
 * in-process. `main.ts` only wires it to the process.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';

import { allRules } from '../../rules/index.js';
import { createPathFilter } from '../config/paths.js';
import type { PyGuardConfig } from '../config/schema.js';
import { availableParallelism } from 'node:os';
import { scanInWorkers, type WorkerSetup } from '../engine/parallel.js';
import {
  createScanner,
  isScannablePath,
  type ScanFileInput,
  type Scanner,
} from '../engine/scanner.js';
import type { FileNotice, FileResult } from '../engine/types.js';
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
import { collectFiles } from './collect-files.js';
import {
  advisorySource,
  changedManifests,
  manifestFilter,
  manifestsToScan,
  runAudit,
} from './dependencies.js';
import { shouldUseColor } from './color.js';
import { loadCliConfig } from './config.js';
import { CliError, describeFsError, errorMessage, usageError } from './errors.js';
import { readGitChange, type GitChange } from './git.js';
import { formatRulesJson, formatRulesText } from './list-rules.js';
import { Progress } from './progress.js';
import { readSourceFile, readStream, type ReadOutcome } from './read-source.js';
import { didYouMean } from './suggest.js';
import { EXIT_ERROR, EXIT_OK, exitCodeFor } from './threshold.js';
import { readToolInfo } from './version.js';

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

type ScanLike = Extract<Command, { kind: 'scan' | 'diff' }>;

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
      case 'scan':
      case 'diff':
        return await scan(command, io);
    }
  } catch (error: unknown) {
    return reportError(error, io);
  }
}

async function listRules(options: OutputOptions, io: CliIo): Promise<number> {
  const rules = new RuleRegistry(allRules).rules;
  const metas = rules.map((rule) => rule.meta);
  const text =
    options.format === 'json'
      ? formatRulesJson(metas, new Map(rules.map((rule) => [rule.meta.id, rule.options])))
      : formatRulesText(metas);
  await writeReport(text, options, io);
  return EXIT_OK;
}

async function scan(command: ScanLike, io: CliIo): Promise<number> {
  const { options } = command;
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
  const config = await loadCliConfig({
    cwd: io.cwd,
    configPath: options.config,
    rules: registry.validateOptions(),
  });
  const failOn = options.failOn ?? config.failOn;
  const scanner = createScanner(
    {
      rules: config.rules,
      minConfidence: options.minConfidence ?? config.minConfidence,
      profile: options.profile,
    },
    allRules,
    options.rules.length > 0 ? options.rules : undefined,
  );

  const skipped: FileNotice[] = [];
  const skip = (path: string, reason: string): void => {
    skipped.push({ path, kind: 'skipped', message: reason });
    feedback.warn(`skipped ${path}: ${reason}`);
  };
  const change =
    command.kind === 'diff'
      ? await readGitChange({
          cwd: io.cwd,
          env: io.env,
          base: command.base,
          head: command.head,
          mergeBase: command.mergeBase,
        })
      : undefined;
  // `-` is standard input: read as one file, never looked for on disk.
  const diskPaths = command.kind === 'scan' ? command.paths.filter((path) => path !== '-') : [];
  const pending =
    change === undefined
      ? await filesToScan(diskPaths, config, io, feedback)
      : changedFilesToScan(change, config, skip);
  if (command.kind === 'scan' && diskPaths.length < command.paths.length) {
    pending.push(stdinFile(io, command.options.stdinFilename, config));
  }
  const parallel: ParallelPlan = {
    workers: pending.length >= PARALLEL_THRESHOLD ? workerCount(io.env) : 1,
    setup: {
      config: {
        rules: config.rules,
        minConfidence: options.minConfidence ?? config.minConfidence,
        profile: options.profile,
      },
      only: options.rules.length > 0 ? options.rules : undefined,
      rulesModule: new URL('../../rules/index.js', import.meta.url).href,
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
        )
      : await changedManifests(change, config, skip);
  const audit = await runAudit(manifests, () => advisorySource(options.osvDb, io.cwd, io.env), {
    config,
    rules: allRules,
    only: options.rules.length > 0 ? options.rules : undefined,
    cwd: io.cwd,
  });
  audit.results.forEach(onResult);
  results.push(...audit.results);

  const info = await readToolInfo();
  const report = formatReport(results, skipped, {
    options,
    scanner,
    io,
    version: info.version,
    informationUri: info.informationUri,
  });
  await writeReport(report, options, io);
  return exitCodeFor(results, failOn);
}

/**
 * `pyguard scan`: files named on the command line, and Python files and templates under
 * directories named there.
 */
async function filesToScan(
  paths: readonly string[],
  config: PyGuardConfig,
  io: CliIo,
  feedback: Feedback,
): Promise<PendingFile[]> {
  if (paths.length === 0) return [];
  const isNotExcluded = createPathFilter({ include: ['**'], exclude: config.paths.exclude });
  const isManifest = manifestFilter(config);
  const files = await collectFiles({
    cwd: io.cwd,
    paths,
    isScanned: createPathFilter(config.paths),
    isExcluded: (path) => !isNotExcluded(path),
    warn: (message) => {
      feedback.warn(message);
    },
  });
  // A manifest named on the command line is audited, not scanned as Python.
  return files
    .filter((file) => isScannablePath(file.path) || !isManifest(file.path))
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
): PendingFile[] {
  const isScanned = createPathFilter(config.paths);
  const pending: PendingFile[] = [];
  for (const file of change.files) {
    if (!isScannablePath(file.path) || !isScanned(file.path)) continue;
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

/** Scans of at least this many files use worker threads (when running the built code). */
const PARALLEL_THRESHOLD = 24;
const MAX_WORKERS = 4;

/** Worker threads for a large scan: `PYGUARD_WORKERS` when set, else the cores (at most 4). */
function workerCount(env: CliIo['env']): number {
  const requested = Number.parseInt(env['PYGUARD_WORKERS'] ?? '', 10);
  if (Number.isInteger(requested) && requested >= 1) return Math.min(requested, 16);
  return Math.min(availableParallelism(), MAX_WORKERS);
}

interface ParallelPlan {
  workers: number;
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
    for await (const result of scanInWorkers(inputs(), parallel.setup, parallel.workers, scanner)) {
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
}

function formatReport(
  results: readonly FileResult[],
  skipped: readonly FileNotice[],
  context: ReportContext,
): string {
  const { options, io } = context;
  switch (options.format) {
    case 'json':
      return formatJson(results, { version: context.version, skipped });
    case 'sarif':
      return formatSarif(results, {
        version: context.version,
        informationUri: context.informationUri,
        rules: context.scanner.selection.rules.map((rule) => rule.meta),
        severityOverrides: context.scanner.selection.severityOverrides,
        cwd: io.cwd,
        skipped,
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
