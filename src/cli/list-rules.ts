/**
 * `pyguard rules`: the rule catalogue as an aligned table or as JSON.
 */
import type { RuleMeta, RuleOptionSchema } from '../rules-api/types.js';

/** One line per rule, sorted by id: id, slug, severity and title in aligned columns. */
export function formatRulesText(rules: readonly RuleMeta[]): string {
  const sorted = sortById(rules);
  const idWidth = Math.max(0, ...sorted.map((rule) => rule.id.length));
  const slugWidth = Math.max(0, ...sorted.map((rule) => rule.slug.length));
  const severityWidth = 'medium'.length;
  const lines = sorted.map((rule) => {
    const title = rule.enabledByDefault ? rule.title : `${rule.title} (off by default)`;
    return `${rule.id.padEnd(idWidth)}  ${rule.slug.padEnd(slugWidth)}  ${rule.severity.padEnd(severityWidth)}  ${title}`;
  });
  lines.push(`${rules.length} ${rules.length === 1 ? 'rule' : 'rules'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The rules' metadata as a JSON array, sorted by id. Rules that declare options list them with
 * their kind, default and description (`optionsById`, keyed by rule id).
 */
export function formatRulesJson(
  rules: readonly RuleMeta[],
  optionsById: ReadonlyMap<string, RuleOptionSchema> = new Map(),
): string {
  const entries = sortById(rules).map((rule) => ({
    id: rule.id,
    slug: rule.slug,
    title: rule.title,
    category: rule.category,
    severity: rule.severity,
    confidence: rule.confidence,
    cwe: [...rule.cwe],
    description: rule.description,
    enabledByDefault: rule.enabledByDefault,
    fixable: rule.fixable,
    ...optionsEntry(optionsById.get(rule.id)),
  }));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

function optionsEntry(schema: RuleOptionSchema | undefined): { options?: RuleOptionSchema } {
  return schema === undefined || Object.keys(schema).length === 0 ? {} : { options: schema };
}

function sortById(rules: readonly RuleMeta[]): RuleMeta[] {
  return [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
