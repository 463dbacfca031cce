/**
 * A scanner bound to a configuration and a rule set: what the CLI and the GitHub App both use.
 */
import type { PyGuardConfig } from '../config/schema.js';
import { hasPythonChecks } from '../rules-api/define-rule.js';
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

export interface Scanner {
  readonly registry: RuleRegistry;
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

/**
 * What a scanner needs of the configuration: the rule settings, the confidence threshold and the
 * profile (`default` when absent).
 */
export type ScannerConfig = Pick<PyGuardConfig, 'rules' | 'minConfidence'> & {
  profile?: Profile | undefined;
};

/** Builds a scanner for a configuration. `only` restricts the run to the named rules. */
export function createScanner(
  config: ScannerConfig,
  rules: readonly AnyRule[],
  only?: readonly string[],
  ruleTimings?: Map<string, number>,
): Scanner {
  const registry = new RuleRegistry(rules);
  const profile = config.profile ?? 'default';
  const selection = selectRules(registry, config.rules, only, profile);
  const pythonRules = selection.rules.filter(hasPythonChecks);
  const templateRules = selection.rules.filter((rule) => rule.template !== undefined);
  const scanFile = (input: ScanFileInput): FileResult => {
    const isTemplate = isTemplatePath(input.path);
    const options: ScanOptions = {
      rules: isTemplate ? templateRules : pythonRules,
      severityOverrides: selection.severityOverrides,
      ruleOptions: selection.options,
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
