/**
 * Rule options: checking declared defaults and configured values against a rule's declaration,
 * and resolving the values a rule sees (defaults overridden by `rules.options`).
 */
import type {
  Rule,
  RuleOptionSchema,
  RuleOptionSpec,
  RuleOptionValue,
  RuleOptionValues,
} from './types.js';

/** Option names are snake_case, like the other keys of `.github/pyguard.yml`. */
export const OPTION_NAME_FORMAT = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** What a value of this option must be, for messages: `an integer from 512 to 16384`. */
export function describeOptionKind(spec: RuleOptionSpec): string {
  switch (spec.kind) {
    case 'string-list':
      return 'a list of strings';
    case 'boolean':
      return 'true or false';
    case 'integer': {
      if (spec.min !== undefined && spec.max !== undefined)
        return `an integer from ${spec.min} to ${spec.max}`;
      if (spec.min !== undefined) return `an integer of at least ${spec.min}`;
      if (spec.max !== undefined) return `an integer of at most ${spec.max}`;
      return 'an integer';
    }
  }
}

/** Whether `value` is a valid value of this option (exactly its kind, within its range). */
export function isOptionValue(spec: RuleOptionSpec, value: unknown): value is RuleOptionValue {
  switch (spec.kind) {
    case 'string-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isSafeInteger(value) &&
        (spec.min === undefined || value >= spec.min) &&
        (spec.max === undefined || value <= spec.max)
      );
  }
}

/** Problems with a rule's option declarations (empty when valid). */
export function optionSchemaProblems(schema: RuleOptionSchema): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    if (!OPTION_NAME_FORMAT.test(name)) problems.push(`option "${name}" is not snake_case`);
    if (spec.description.trim() === '' || /[\r\n]/.test(spec.description))
      problems.push(`option "${name}" needs a one-line description`);
    if (!isOptionValue(spec, spec.default))
      problems.push(`option "${name}" has a default that is not ${describeOptionKind(spec)}`);
  }
  return problems;
}

function freezeValue(value: RuleOptionValue): RuleOptionValue {
  return typeof value === 'object' ? Object.freeze([...value]) : value;
}

const defaultsByRule = new WeakMap<Rule, RuleOptionValues>();

/** A rule's option values when the configuration sets none (computed once per rule). */
export function defaultRuleOptions(rule: Rule): RuleOptionValues {
  let defaults = defaultsByRule.get(rule);
  if (defaults === undefined) {
    defaults = resolveOptions(rule.options, []);
    defaultsByRule.set(rule, defaults);
  }
  return defaults;
}

/**
 * The option values of a rule: each declared option from the last override that sets it to a
 * valid value, else its default. Unknown names and invalid values are ignored (the
 * configuration validator reports them). The result and its lists are frozen.
 */
export function resolveOptions(
  schema: RuleOptionSchema,
  overrides: readonly Readonly<Record<string, unknown>>[],
): RuleOptionValues {
  const values: Record<string, RuleOptionValue> = {};
  for (const [name, spec] of Object.entries(schema)) {
    let value: RuleOptionValue = spec.default;
    for (const override of overrides) {
      const candidate = Object.hasOwn(override, name) ? override[name] : undefined;
      if (isOptionValue(spec, candidate)) value = candidate;
    }
    values[name] = freezeValue(value);
  }
  return Object.freeze(values);
}
