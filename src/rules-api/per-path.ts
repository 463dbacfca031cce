/**
 * `rules.per_path`: rule settings for some files, like ruff's per-file-ignores. Each entry
 * whose glob matches a file's repository-relative path applies on top of the top-level
 * settings and of the entries before it: `enable` turns rules on, then `disable` turns rules
 * off, then `severity` overrides apply. Retired rule names stand for their successors.
 */
import picomatch from 'picomatch';

import type { PerPathRules } from '../config/schema.js';
import type { Profile, Severity } from '../engine/types.js';
import { selectRules, type RuleRegistry, type RuleSelection } from './registry.js';
import type { RuleOptionValue } from './types.js';

/** The rule settings of a configuration (`rules` of `.github/pyguard.yml`). */
export interface RulesConfig {
  enable: readonly string[];
  disable: readonly string[];
  severity: Readonly<Record<string, Severity>>;
  options?: Readonly<Record<string, Readonly<Record<string, RuleOptionValue>>>>;
  perPath?: readonly PerPathRules[] | undefined;
}

/** The rules that run on one file, by its repository-relative posix path. */
export type PathRuleSelector = (repoPath: string) => RuleSelection;

/**
 * The selection for each file: `base` (the top-level selection of `config`) where no
 * `per_path` entry matches, else the settings of the matching entries on top of it. `only`
 * (`--rule`) still bounds what an entry can turn on. Selections are cached by the set of
 * entries that match.
 */
export function createPathRuleSelector(
  registry: RuleRegistry,
  config: RulesConfig,
  base: RuleSelection,
  only?: readonly string[],
  profile: Profile = 'default',
): PathRuleSelector {
  const entries = config.perPath ?? [];
  if (entries.length === 0) return () => base;
  const matchers = entries.map((entry) => compileGlob(entry.pattern));
  // The options of every rule an entry may turn on, resolved once like the top level's.
  const widest = selectRules(
    registry,
    {
      ...config,
      enable: [...config.enable, ...entries.flatMap((entry) => entry.enable)],
      disable: [],
    },
    only,
    profile,
  );
  const allowed = new Set(widest.rules.map((rule) => rule.meta.id));
  const ids = (names: readonly string[]): string[] =>
    names.flatMap((name) => registry.resolve(name).map((rule) => rule.meta.id));
  const cache = new Map<string, RuleSelection>();
  return (repoPath) => {
    const path = normalisePath(repoPath);
    const matching = entries.filter((_, index) => matchers[index]?.(path) === true);
    if (matching.length === 0) return base;
    const key = matching.map((entry) => entries.indexOf(entry)).join(',');
    let selection = cache.get(key);
    if (selection === undefined) {
      selection = applyEntries(registry, base, widest, matching, { ids, allowed });
      cache.set(key, selection);
    }
    return selection;
  };
}

function applyEntries(
  registry: RuleRegistry,
  base: RuleSelection,
  widest: RuleSelection,
  matching: readonly PerPathRules[],
  resolve: { ids: (names: readonly string[]) => string[]; allowed: ReadonlySet<string> },
): RuleSelection {
  const enabled = new Set(base.rules.map((rule) => rule.meta.id));
  const severityOverrides = new Map(base.severityOverrides);
  for (const entry of matching) {
    for (const id of resolve.ids(entry.enable)) if (resolve.allowed.has(id)) enabled.add(id);
    for (const id of resolve.ids(entry.disable)) enabled.delete(id);
    for (const [name, severity] of Object.entries(entry.severity)) {
      for (const id of resolve.ids([name])) severityOverrides.set(id, severity);
    }
  }
  const rules = registry.rules.filter((rule) => enabled.has(rule.meta.id));
  return { rules, severityOverrides, options: widest.options };
}

/** Globs as `paths.include` reads them: the whole path, dot files like any other. */
function compileGlob(pattern: string): (path: string) => boolean {
  const cleaned = normalisePath(pattern);
  return cleaned === '' ? () => false : picomatch(cleaned, { dot: true, windows: false });
}

function normalisePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
}
