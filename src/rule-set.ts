/**
 * The built-in rule set as the command-line tool, worker threads and scan processes load it:
 * from `dist/rules/bundle.js` (every rule in one module, written by `npm run build`) when it
 * exists, else from the rule modules.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import type { AnyRule } from './rules-api/types.js';

const BUNDLE_URL = new URL('../rules/bundle.js', import.meta.url);
const MODULES_URL = new URL('../rules/index.js', import.meta.url);

export interface RuleSet {
  readonly rules: readonly AnyRule[];
  /** The module worker threads import to get the same rules. */
  readonly moduleUrl: string;
}

let loaded: Promise<RuleSet> | undefined;

function bundled(): boolean {
  return existsSync(fileURLToPath(BUNDLE_URL));
}

/** The URL of the module a worker thread or scan process imports for the built-in rules. */
export function ruleSetModuleUrl(): string {
  return bundled() ? BUNDLE_URL.href : MODULES_URL.href;
}

async function importRuleSet(): Promise<RuleSet> {
  if (bundled()) {
    const bundle = (await import(BUNDLE_URL.href)) as { allRules: readonly AnyRule[] };
    return { rules: bundle.allRules, moduleUrl: BUNDLE_URL.href };
  }
  const { allRules } = await import('../rules/index.js');
  return { rules: allRules, moduleUrl: MODULES_URL.href };
}

/** Loads the rule set once per process. */
export function loadRuleSet(): Promise<RuleSet> {
  loaded ??= importRuleSet();
  return loaded;
}
