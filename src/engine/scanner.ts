/**
 * A scanner bound to a configuration and a rule set: what the CLI and the GitHub App both use.
 */
import { posix } from 'node:path';

import type { PyGuardConfig } from '../config/schema.js';
import { hasPythonChecks } from '../rules-api/define-rule.js';
import { createPathRuleSelector } from '../rules-api/per-path.js';
import { RuleRegistry, selectRules, type RuleSelection } from '../rules-api/registry.js';
import type { AnyRule } from '../rules-api/types.js';
import { scanSource, type ScanOptions } from './scan.js';
import { isTemplatePath, scanTemplate } from './templates.js';
import type { FileResult, Profile } from './types.js';

export { isTemplatePath, TEMPLATE_EXTENSIONS } from './templates.js';

/** Whether a path names a Python source or stub file (`.py`, `.pyi`). */
export function isPythonPath(path: string): boolean {
  return /\.pyi?$/i.test(path);
}

/**
 * Whether PyGuard scans files with this name when it finds them in a directory or a change:
 * Python files and Django/Jinja2 templates. (A file named on the command line is scanned
 * whatever its name: as a template when it has a template extension, else as Python.)
 */
export function isScannablePath(path: string): boolean {
  return isPythonPath(path) || isTemplatePath(path);
}

export interface ScanFileInput {
  /** Repository-relative posix path. */
  path: string;
  /** Contents: bytes (decoded as Python would) or text. Template paths are scanned as templates. */
  source: string | Uint8Array;
  /** Lines added or changed by the change under review; null or absent scans every line. */
  addedLines?: ReadonlySet<number> | null;
}

/**
 * What a scanner is built from: the configuration's rule settings (with `rules.per_path`) and
 * confidence floor, the profile (`default` when absent) and where scanned paths start.
 */
export interface ScannerConfig extends Pick<PyGuardConfig, 'rules' | 'minConfidence'> {
  profile?: Profile | undefined;
  /**
   * The directory the scanned paths are relative to, relative to the repository root (`src`
   * when the CLI runs in `src/`; absent or empty: the root). `rules.per_path` globs match
   * `pathBase/path`.
   */
  pathBase?: string | undefined;
}

export interface Scanner {
  readonly registry: RuleRegistry;
  /** The rules of the top-level settings (files no `rules.per_path` entry matches). */
  readonly selection: RuleSelection;
  scanFile(input: ScanFileInput): FileResult;
  /** Scans several files, yielding to the event loop between files so parse trees are freed. */
  scanFiles(
    inputs: Iterable<ScanFileInput> | AsyncIterable<ScanFileInput>,
  ): AsyncGenerator<FileResult>;
}

const YIELD_EVERY = 8;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The rules of a selection that check Python and those that check templates, computed once. */
interface SplitRules {
  python: readonly AnyRule[];
  template: readonly AnyRule[];
}

/**
 * Builds a scanner for a configuration. `only` restricts the run to the named rules; the rules
 * of each file are those of `rules.per_path` entries matching it on top of the top-level ones.
 */
export function createScanner(
  config: ScannerConfig,
  rules: readonly AnyRule[],
  only?: readonly string[],
  ruleTimings?: Map<string, number>,
): Scanner {
  const registry = new RuleRegistry(rules);
  const profile = config.profile ?? 'default';
  const selection = selectRules(registry, config.rules, only, profile);
  const selectFor = createPathRuleSelector(registry, config.rules, selection, only, profile);
  const split = new WeakMap<RuleSelection, SplitRules>();
  const rulesOf = (chosen: RuleSelection): SplitRules => {
    let result = split.get(chosen);
    if (result === undefined) {
      result = {
        python: chosen.rules.filter(hasPythonChecks),
        template: chosen.rules.filter((rule) => rule.template !== undefined),
      };
      split.set(chosen, result);
    }
    return result;
  };
  const base = config.pathBase ?? '';
  const scanFile = (input: ScanFileInput): FileResult => {
    const isTemplate = isTemplatePath(input.path);
    const chosen = selectFor(base === '' ? input.path : posix.join(base, input.path));
    const { python, template } = rulesOf(chosen);
    const options: ScanOptions = {
      rules: isTemplate ? template : python,
      severityOverrides: chosen.severityOverrides,
      ruleOptions: chosen.options,
      addedLines: input.addedLines ?? null,
      minConfidence: config.minConfidence,
      profile,
      ...(ruleTimings === undefined ? {} : { ruleTimings }),
    };
    return isTemplate
      ? scanTemplate(input.path, input.source, options)
      : scanSource(input.path, input.source, options);
  };
  return {
    registry,
    selection,
    scanFile,
    async *scanFiles(inputs) {
      let count = 0;
      for await (const input of inputs) {
        yield scanFile(input);
        if (++count % YIELD_EVERY === 0) await yieldToEventLoop();
      }
    },
  };
}
