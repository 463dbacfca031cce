import type { ValidateOptions } from '../config/schema.js';
import type { Profile, Severity } from '../engine/types.js';
import { defaultRuleOptions, optionSchemaProblems, resolveOptions } from './options.js';
import {
  CATEGORIES,
  type AnyRule,
  type CategoryLetter,
  type RuleOptionSchema,
  type RuleOptionValue,
  type RuleOptionValues,
} from './types.js';

const ID_FORMAT = /^PG([IDCSTWFXLMV])(\d{3})$/;
const SLUG_FORMAT = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Rules by id and slug, validated once. The ID and slug of a retired rule (`RuleMeta.replaces`)
 * stand for every rule that replaces it.
 */
export class RuleRegistry {
  private readonly byKey = new Map<string, AnyRule>();
  /** Successors of retired rules, by retired id (upper case) and slug (lower case). */
  private readonly successors = new Map<string, AnyRule[]>();
  private validation: Readonly<Required<ValidateOptions>> | undefined;

  constructor(readonly rules: readonly AnyRule[]) {
    for (const rule of rules) {
      const problems = metaProblems(rule);
      if (problems.length > 0)
        throw new Error(`rule ${rule.meta.id || '(no id)'}: ${problems.join('; ')}`);
      for (const key of [rule.meta.id.toUpperCase(), rule.meta.slug.toLowerCase()]) {
        if (this.byKey.has(key)) throw new Error(`duplicate rule id or slug "${key}"`);
        this.byKey.set(key, rule);
      }
    }
    const retiredSlugs = new Map<string, string>();
    for (const rule of rules) {
      for (const retired of rule.meta.replaces ?? []) {
        const slug = retiredSlugs.get(retired.id) ?? retired.slug;
        if (slug !== retired.slug)
          throw new Error(
            `rule ${rule.meta.id} replaces ${retired.id} as "${retired.slug}", another rule as "${slug}"`,
          );
        retiredSlugs.set(retired.id, slug);
        for (const key of [retired.id.toUpperCase(), retired.slug.toLowerCase()]) {
          if (this.byKey.has(key))
            throw new Error(`rule ${rule.meta.id} replaces "${key}", which names a current rule`);
          this.successors.set(key, [...(this.successors.get(key) ?? []), rule]);
        }
      }
    }
  }

  /** A current rule by id (`PGI001`, any case) or slug (`sql-string-built-query`). */
  get(idOrSlug: string): AnyRule | undefined {
    return this.byKey.get(idOrSlug.toUpperCase()) ?? this.byKey.get(idOrSlug.toLowerCase());
  }

  /**
   * The rules a name stands for wherever users name rules (configuration, `--rule`): the rule
   * with that id or slug, or every rule that replaces a retired one; empty when none.
   */
  resolve(idOrSlug: string): readonly AnyRule[] {
    const rule = this.get(idOrSlug);
    if (rule !== undefined) return [rule];
    return (
      this.successors.get(idOrSlug.toUpperCase()) ??
      this.successors.get(idOrSlug.toLowerCase()) ??
      []
    );
  }

  has(idOrSlug: string): boolean {
    return this.resolve(idOrSlug).length > 0;
  }

  /** Every rule id and slug, retired ones included, for "did you mean" hints. */
  names(): string[] {
    const retired = this.rules.flatMap((rule) =>
      (rule.meta.replaces ?? []).flatMap((old) => [old.id, old.slug]),
    );
    return [...this.rules.flatMap((rule) => [rule.meta.id, rule.meta.slug]), ...new Set(retired)];
  }

  /**
   * What configuration validation needs to know about these rules: which IDs and slugs exist
   * (with the names for suggestions) and the options each rule declares (for a retired rule,
   * the options of all its successors). The same object on every call, so the configuration
   * schema built for it is built once.
   */
  validateOptions(): Readonly<Required<ValidateOptions>> {
    this.validation ??= Object.freeze({
      isKnownRule: (idOrSlug: string) => this.has(idOrSlug),
      ruleNames: Object.freeze(this.names()),
      ruleOptions: (idOrSlug: string) => {
        const rules = this.resolve(idOrSlug);
        if (rules.length === 0) return undefined;
        const merged: Record<string, RuleOptionSchema[string]> = {};
        for (const rule of rules) Object.assign(merged, rule.options);
        return merged;
      },
    });
    return this.validation;
  }
}

/** Problems with a rule's metadata (empty when valid). */
export function metaProblems(rule: AnyRule): string[] {
  const { meta } = rule;
  const problems: string[] = [];
  const id = ID_FORMAT.exec(meta.id);
  if (id === null) problems.push(`id "${meta.id}" is not PG + category letter + 3 digits`);
  else if (CATEGORIES[id[1] as CategoryLetter] !== meta.category) {
    problems.push(`id letter ${id[1] ?? ''} does not match category "${meta.category}"`);
  }
  if (!SLUG_FORMAT.test(meta.slug)) problems.push(`slug "${meta.slug}" is not kebab-case`);
  if (meta.cwe.length === 0) problems.push('no CWE');
  for (const field of ['title', 'description', 'why', 'fix'] as const) {
    if (meta[field].trim() === '') problems.push(`empty ${field}`);
  }
  if (meta.example.bad.trim() === '' || meta.example.good.trim() === '')
    problems.push('example needs bad and good code');
  if (Object.keys(rule.messages).length === 0) problems.push('no messages');
  for (const code of meta.bandit)
    if (!/^B\d{3}$/.test(code)) problems.push(`bad bandit id "${code}"`);
  for (const code of meta.ruff)
    if (!/^S\d{3}$/.test(code)) problems.push(`bad ruff code "${code}"`);
  for (const other of meta.supersedes ?? []) {
    if (!ID_FORMAT.test(other)) problems.push(`supersedes "${other}", which is not a rule id`);
    else if (other === meta.id) problems.push('supersedes itself');
  }
  for (const retired of meta.replaces ?? []) {
    if (!ID_FORMAT.test(retired.id))
      problems.push(`replaces "${retired.id}", which is not a rule id`);
    if (!SLUG_FORMAT.test(retired.slug))
      problems.push(`replaces slug "${retired.slug}", which is not kebab-case`);
    if (retired.id === meta.id || retired.slug === meta.slug) problems.push('replaces itself');
  }
  if (meta.profile === 'audit' && !meta.enabledByDefault)
    problems.push('an audit-only rule is off by default too (the audit profile runs both)');
  if (meta.profile === 'audit' && meta.auditAdds !== undefined)
    problems.push('auditAdds describes audit-only findings of a rule both profiles run');
  problems.push(...optionSchemaProblems(rule.options));
  return problems;
}

/**
 * The profiles that report a rule's findings: `['audit']` for an audit-only rule or one that is
 * off by default (which `default` reports only when configuration enables it), else both.
 */
export function profilesOf(rule: AnyRule): readonly Profile[] {
  return rule.meta.profile === 'audit' || !rule.meta.enabledByDefault
    ? ['audit']
    : ['default', 'audit'];
}

export interface RuleSelection {
  rules: AnyRule[];
  severityOverrides: Map<string, Severity>;
  /** The option values of every selected rule, by rule id: defaults overridden by the config. */
  options: Map<string, RuleOptionValues>;
}

/**
 * The rules a configuration turns on, with its severity overrides and each selected rule's
 * option values, keyed by rule id.
 */
export function selectRules(
  registry: RuleRegistry,
  config: {
    enable: readonly string[];
    disable: readonly string[];
    severity: Readonly<Record<string, Severity>>;
    /** Option values by rule ID or slug (`rules.options`); invalid values are ignored. */
    options?: Readonly<Record<string, Readonly<Record<string, RuleOptionValue>>>>;
  },
  only?: readonly string[],
  profile: Profile = 'default',
): RuleSelection {
  // A retired rule's id or slug names every rule that replaces it.
  const ids = (keys: readonly string[]): Set<string> =>
    new Set(keys.flatMap((key) => registry.resolve(key).map((rule) => rule.meta.id)));
  const enabled = ids(config.enable);
  const disabled = ids(config.disable);
  const onlyIds = only === undefined ? undefined : ids(only);
  const rules = registry.rules.filter((rule) => {
    if (onlyIds !== undefined) return onlyIds.has(rule.meta.id);
    if (disabled.has(rule.meta.id)) return false;
    if (profile === 'audit') return true;
    return (
      (rule.meta.enabledByDefault && rule.meta.profile !== 'audit') || enabled.has(rule.meta.id)
    );
  });
  const severityOverrides = new Map<string, Severity>();
  for (const [key, severity] of Object.entries(config.severity)) {
    for (const rule of registry.resolve(key)) severityOverrides.set(rule.meta.id, severity);
  }
  // A rule may be configured under its ID, its slug and a retired rule's name: later entries
  // win, option by option.
  const overrides = new Map<string, Readonly<Record<string, RuleOptionValue>>[]>();
  for (const [key, values] of Object.entries(config.options ?? {})) {
    for (const { meta } of registry.resolve(key))
      overrides.set(meta.id, [...(overrides.get(meta.id) ?? []), values]);
  }
  const options = new Map<string, RuleOptionValues>();
  for (const rule of rules) {
    const configured = overrides.get(rule.meta.id);
    options.set(
      rule.meta.id,
      configured === undefined
        ? defaultRuleOptions(rule)
        : resolveOptions(rule.options, configured),
    );
  }
  return { rules, severityOverrides, options };
}
