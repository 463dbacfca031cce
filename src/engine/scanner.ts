/**
 * A scanner bound to a configuration and a rule set: what the CLI and the GitHub App both use.
 */
import type { PyGuardConfig } from '../config/schema.js';
import { RuleRegistry, selectRules, type RuleSelection } from '../rules-api/registry.js';
import type { AnyRule } from '../rules-api/types.js';
import { scanSource } from './scan.js';
import type { FileResult } from './types.js';

export interface ScanFileInput {
  /** Repository-relative posix path. */
  path: string;
  /** Contents: bytes (decoded as Python would) or text. */
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

/** Builds a scanner for a configuration. `only` restricts the run to the named rules. */
export function createScanner(
  config: Pick<PyGuardConfig, 'rules' | 'minConfidence'>,
  rules: readonly AnyRule[],
  only?: readonly string[],
  ruleTimings?: Map<string, number>,
): Scanner {
  const registry = new RuleRegistry(rules);
  const selection = selectRules(registry, config.rules, only);
  const scanFile = (input: ScanFileInput): FileResult =>
    scanSource(input.path, input.source, {
      rules: selection.rules,
      severityOverrides: selection.severityOverrides,
      addedLines: input.addedLines ?? null,
      minConfidence: config.minConfidence,
      ...(ruleTimings === undefined ? {} : { ruleTimings }),
    });
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
