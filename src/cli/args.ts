/**
 * Command-line parsing: `node:util` parseArgs (strict) into one typed command. Pure: no I/O.
 */
import { parseArgs } from 'node:util';

import { FAIL_ON_VALUES, PROFILE_VALUES, type FailOn, type Profile } from '../config/schema.js';
import { CONFIDENCES, type Confidence } from '../engine/types.js';
import { errorMessage, usageError } from './errors.js';
import { didYouMean } from './suggest.js';

export type OutputFormat = 'text' | 'json' | 'sarif';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

/** Options every report-writing command takes. */
export interface OutputOptions {
  format: OutputFormat;
  /** `--output`: write the report to this file instead of stdout. */
  output: string | undefined;
  /** `--no-color`. */
  noColor: boolean;
  /** `--quiet`: no progress and no warnings on stderr (errors are still printed). */
  quiet: boolean;
}

/** Options of `scan` and `diff`. */
export interface ScanCommandOptions extends OutputOptions {
  failOn: FailOn | undefined;
  minConfidence: Confidence | undefined;
  /** `--profile`: `default` or `audit` (what bandit and ruff's `S` rules report too). */
  profile: Profile | undefined;
  config: string | undefined;
  /** `--rule`, repeatable: run only these rules (ids or slugs). */
  rules: string[];
  /** `--stdin-filename`: the path `-` (standard input) is reported under and matched as. */
  stdinFilename: string | undefined;
  /** `--osv-db`: a directory of OSV records to read advisories from instead of the OSV API. */
  osvDb: string | undefined;
  /** `--baseline`: report only findings this baseline file does not list. */
  baseline: string | undefined;
  /** `--no-baseline`: do not read the repository's `.pyguard-baseline.json`. */
  noBaseline: boolean;
  /** `--sarif-category`: the SARIF run's category (`automationDetails.id`). */
  sarifCategory: string | undefined;
  /** `--fix` (scan only): apply the findings' mechanical fixes to the files, then scan again. */
  fix: boolean;
}

export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'rules'; options: OutputOptions }
  /** `pyguard config schema`: the JSON Schema of `.github/pyguard.yml`. */
  | { kind: 'config-schema'; options: OutputOptions }
  | { kind: 'scan'; paths: string[]; options: ScanCommandOptions }
  | { kind: 'baseline'; paths: string[]; options: ScanCommandOptions }
  | {
      kind: 'diff';
      base: string | undefined;
      head: string | undefined;
      /**
       * Compare from the merge base of `base` and the head (`HEAD` for the working tree), as
       * GitHub's pull request diff does; false for `BASE..HEAD` and the default `pyguard diff`.
       */
      mergeBase: boolean;
      options: ScanCommandOptions;
    };

export const HELP_TEXT = `Usage: pyguard <command> [options]

Commands:
  scan [paths...]        Scan Python files, templates, dependency manifests and
                         directories (default: .); - reads one file from standard input
  diff [base] [head]     Scan only the lines a git change adds:
                           no revision: working tree (and untracked files) against HEAD
                           <base>: working tree against the merge base of <base> and HEAD
                           <base> <head> or <base>...<head>: commit <head> against the
                             merge base of both (what a pull request from <head> shows)
                           <base>..<head>: commit <head> against <base> itself
  baseline [paths...]    Write the findings of the paths (default: .) to a baseline
                         file (default: .pyguard-baseline.json, or --output), so
                         scan and diff report only findings not in it
  rules                  List the rules
  config schema          Print the JSON Schema of .github/pyguard.yml (for editors)

Options:
  --format <format>      text, json or sarif (default: text)
  -o, --output <file>    Write the report to <file> instead of stdout
  --fail-on <severity>   Exit 1 for findings at or above: high, medium, low or never
                         (default: fail_on from the config, else high)
  --min-confidence <c>   Report findings at least this certain: high, medium or low
                         (default: min_confidence from the config, else medium)
  --profile <profile>    default (precise review) or audit (also what bandit and
                         ruff's S rules report: risky imports, asserts, any random,
                         constant commands, low-confidence findings, rules off by default)
                         (default: profile from the config, else default)
  --config <file>        Configuration file (default: the nearest .github/pyguard.yml)
  --rule <id-or-slug>    Run only this rule; repeat for several
  --stdin-filename <p>   The file name standard input (-) is reported as (default: -)
  --baseline <file>      Report only findings the baseline file does not list
                         (default: .pyguard-baseline.json at the repository root,
                         when there is one)
  --no-baseline          Report every finding, even with a baseline file
  --fix                  scan: apply the mechanical fixes of the findings to the files
                         (never two that overlap), say what was fixed, scan again
  --sarif-category <c>   SARIF analysis category for code scanning (default: pyguard)
  --osv-db <dir>         Read advisories from a directory of OSV records (OSV's PyPI
                         export unzipped) instead of https://api.osv.dev; also
                         PYGUARD_OSV_DB=<dir>
  -q, --quiet            No progress and no warnings on stderr, only errors
  --no-color             Do not colour the text report
  -h, --help             Show this help
  --version              Show the version

Exit status: 0 when nothing at or above the fail-on severity was found, 1 when something
was, 2 for a usage, configuration or I/O error.
`;

const OPTIONS = {
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  'min-confidence': { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'stdin-filename': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'osv-db': { type: 'string' },
  baseline: { type: 'string' },
  'no-baseline': { type: 'boolean' },
  fix: { type: 'boolean' },
  'sarif-category': { type: 'string' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Options that only make sense when scanning. */
const SCAN_ONLY_OPTIONS = [
  'fail-on',
  'min-confidence',
  'profile',
  'config',
  'rule',
  'stdin-filename',
  'osv-db',
  'baseline',
  'no-baseline',
  'sarif-category',
  'fix',
] as const;

/** Options `pyguard baseline` refuses: it writes every finding, as a baseline file. */
const NOT_FOR_BASELINE = [
  'format',
  'fail-on',
  'stdin-filename',
  'baseline',
  'no-baseline',
  'sarif-category',
  'fix',
] as const;

const COMMANDS = ['scan', 'diff', 'baseline', 'rules', 'config'] as const;

const CONFIG_SUBCOMMANDS = ['schema'] as const;

type Values = ReturnType<typeof parse>['values'];

function parse(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: true });
}

/**
 * Parses `pyguard` arguments (without `node` and the script path).
 * @throws CliError (usage) for unknown options, bad values or a missing or unknown command.
 */
export function parseCliArgs(argv: readonly string[]): Command {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error: unknown) {
    throw usageError(describeParseError(error) + suggestOption(error));
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };

  const [command, ...operands] = positionals;
  switch (command) {
    case undefined:
      throw usageError('missing command: expected scan, diff, baseline, rules or config');
    case 'scan':
      return scanCommand(operands, scanOptions(values));
    case 'diff':
      if (values['stdin-filename'] !== undefined)
        throw usageError("option '--stdin-filename' applies to 'pyguard scan -' only");
      if (values.fix === true) throw usageError("option '--fix' applies to 'pyguard scan' only");
      return diffCommand(operands, scanOptions(values));
    case 'baseline':
      return baselineCommand(operands, values);
    case 'rules':
      return rulesCommand(operands, values);
    case 'config':
      return configCommand(operands, values);
    default:
      throw usageError(
        `unknown command '${command}': expected scan, diff, baseline, rules or config${didYouMean(command, COMMANDS)}`,
      );
  }
}

function scanCommand(operands: string[], options: ScanCommandOptions): Command {
  const paths = operands.length === 0 ? ['.'] : operands;
  const stdinPaths = paths.filter((path) => path === '-').length;
  if (stdinPaths > 1) throw usageError("'-' (standard input) can be given only once");
  if (options.stdinFilename !== undefined && stdinPaths === 0) {
    throw usageError("option '--stdin-filename' needs '-' among the paths");
  }
  if (options.fix && stdinPaths > 0) {
    throw usageError("option '--fix' edits files and cannot be used with '-' (standard input)");
  }
  return { kind: 'scan', paths, options };
}

function baselineCommand(operands: string[], values: Values): Command {
  for (const name of NOT_FOR_BASELINE) {
    if (values[name] !== undefined)
      throw usageError(`option '--${name}' does not apply to 'pyguard baseline'`);
  }
  if (operands.includes('-')) {
    throw usageError("'pyguard baseline' reads files, not standard input");
  }
  const paths = operands.length === 0 ? ['.'] : operands;
  return { kind: 'baseline', paths, options: scanOptions(values) };
}

function diffCommand(operands: string[], options: ScanCommandOptions): Command {
  if (operands.length > 2) {
    throw usageError(`diff takes at most two revisions, got ${operands.length}`);
  }
  const [first, second] = operands;
  if (first !== undefined && second === undefined && first.includes('..')) {
    return { kind: 'diff', ...parseRange(first), options };
  }
  for (const revision of operands) checkRevision(revision);
  if (first === undefined) {
    return { kind: 'diff', base: undefined, head: undefined, mergeBase: false, options };
  }
  return { kind: 'diff', base: first, head: second, mergeBase: true, options };
}

/**
 * `A...B` (from the merge base of A and B) or `A..B` (from A itself), as git reads them: an
 * empty side is `HEAD`.
 */
function parseRange(range: string): { base: string; head: string; mergeBase: boolean } {
  const mergeBase = range.includes('...');
  const parts = range.split(mergeBase ? '...' : '..');
  if (parts.length !== 2) throw usageError(`invalid revision range '${range}'`);
  const [base = '', head = ''] = parts.map((part) => (part === '' ? 'HEAD' : part));
  checkRevision(base);
  checkRevision(head);
  return { base, head, mergeBase };
}

function checkRevision(revision: string): void {
  if (revision === '' || revision.startsWith('-') || revision.includes('..')) {
    throw usageError(`invalid revision '${revision}'`);
  }
}

function rulesCommand(operands: string[], values: Values): Command {
  if (operands.length > 0)
    throw usageError(`rules takes no arguments, got '${operands.join(' ')}'`);
  for (const name of SCAN_ONLY_OPTIONS) {
    if (values[name] !== undefined)
      throw usageError(`option '--${name}' does not apply to 'pyguard rules'`);
  }
  const options = outputOptions(values);
  if (options.format === 'sarif') {
    throw usageError("'pyguard rules' supports --format text or json, not sarif");
  }
  return { kind: 'rules', options };
}

function configCommand(operands: string[], values: Values): Command {
  const [subcommand, ...rest] = operands;
  if (subcommand === undefined) throw usageError("missing subcommand: expected 'config schema'");
  if (subcommand !== 'schema') {
    throw usageError(
      `unknown subcommand 'config ${subcommand}': expected 'config schema'${didYouMean(subcommand, CONFIG_SUBCOMMANDS)}`,
    );
  }
  if (rest.length > 0)
    throw usageError(`config schema takes no arguments, got '${rest.join(' ')}'`);
  for (const name of SCAN_ONLY_OPTIONS) {
    if (values[name] !== undefined)
      throw usageError(`option '--${name}' does not apply to 'pyguard config schema'`);
  }
  if (values.format !== undefined)
    throw usageError(
      "option '--format' does not apply to 'pyguard config schema' (it prints JSON)",
    );
  return { kind: 'config-schema', options: outputOptions(values) };
}

function outputOptions(values: Values): OutputOptions {
  if (values.output === '') throw usageError("option '--output' needs a file name");
  return {
    format: oneOf('--format', values.format, OUTPUT_FORMATS) ?? 'text',
    output: values.output,
    noColor: values['no-color'] === true,
    quiet: values.quiet === true,
  };
}

function scanOptions(values: Values): ScanCommandOptions {
  if (values.config === '') throw usageError("option '--config' needs a file name");
  if (values['osv-db'] === '') throw usageError("option '--osv-db' needs a directory");
  const rules = values.rule ?? [];
  if (rules.some((rule) => rule.trim() === ''))
    throw usageError("option '--rule' needs a rule id or slug");
  if (values.baseline !== undefined && values['no-baseline'] === true) {
    throw usageError("options '--baseline' and '--no-baseline' cannot be used together");
  }
  const output = outputOptions(values);
  if (values['sarif-category'] !== undefined && output.format !== 'sarif') {
    throw usageError("option '--sarif-category' applies to '--format sarif' only");
  }
  return {
    ...output,
    failOn: oneOf('--fail-on', values['fail-on'], FAIL_ON_VALUES),
    minConfidence: oneOf('--min-confidence', values['min-confidence'], CONFIDENCES),
    profile: oneOf('--profile', values.profile, PROFILE_VALUES),
    config: values.config,
    rules: rules.map((rule) => rule.trim()),
    stdinFilename: stdinFilename(values['stdin-filename']),
    osvDb: values['osv-db'],
    baseline: nonEmpty('--baseline', values.baseline, 'a file name'),
    noBaseline: values['no-baseline'] === true,
    sarifCategory: nonEmpty('--sarif-category', values['sarif-category'], 'a category name'),
    fix: values.fix === true,
  };
}

function nonEmpty(flag: string, value: string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw usageError(`option '${flag}' needs ${what}`);
  return value.trim();
}

function stdinFilename(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const path = value.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (path === '' || path.endsWith('/')) {
    throw usageError("option '--stdin-filename' needs a file name");
  }
  return path;
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) {
    throw usageError(
      `invalid value '${value}' for ${flag}: expected ${listWords(allowed)}${didYouMean(value, allowed)}`,
    );
  }
  return match;
}

/** `a, b or c`. */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1] ?? ''}`;
}

/** `; did you mean '--format'?` for an unknown long option close to a known one. */
function suggestOption(error: unknown): string {
  const unknown = /^Unknown option '(--[^'=]+)/.exec(errorMessage(error))?.[1];
  if (unknown === undefined) return '';
  return didYouMean(
    unknown,
    Object.keys(OPTIONS).map((name) => `--${name}`),
  );
}

/** parseArgs messages, on one line and without the advice about `--` that follows the first sentence. */
function describeParseError(error: unknown): string {
  const message = errorMessage(error);
  const firstSentence = message.split(/\.\s/)[0] ?? message;
  return firstSentence.charAt(0).toLowerCase() + firstSentence.slice(1);
}
