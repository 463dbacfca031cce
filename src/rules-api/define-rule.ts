import type { Rule, RuleContext, RuleMeta, TemplateContext, Visitors } from './types.js';

type MetaInput = Omit<RuleMeta, 'enabledByDefault' | 'fixable' | 'references' | 'owasp'> &
  Partial<Pick<RuleMeta, 'enabledByDefault' | 'fixable' | 'references' | 'owasp'>>;

/** The `create` of a rule that only checks templates: no visitors for Python files. */
function noPythonChecks(): Visitors {
  return {};
}

/** Whether a rule checks Python files (every rule does, except template-only ones). */
export function hasPythonChecks(rule: Pick<Rule, 'create'>): boolean {
  return rule.create !== noPythonChecks;
}

/** A rule definition: Python checks (`create`), template checks (`template`), or both. */
type RuleChecks<MessageId extends string> =
  | {
      create: (context: RuleContext<MessageId>) => Visitors;
      template?: (context: TemplateContext<MessageId>) => void;
    }
  | { create?: undefined; template: (context: TemplateContext<MessageId>) => void };

/**
 * Declares a rule. Message ids are inferred from `messages`, so reporting an unknown id is a
 * compile error. A rule that only checks templates leaves out `create`.
 */
export function defineRule<const Messages extends Record<string, string>>(
  definition: { meta: MetaInput; messages: Messages } & RuleChecks<keyof Messages & string>,
): Rule<keyof Messages & string> {
  const rule: Rule<keyof Messages & string> = {
    meta: {
      enabledByDefault: true,
      fixable: false,
      references: [],
      owasp: [],
      ...definition.meta,
    },
    messages: definition.messages,
    create: definition.create ?? noPythonChecks,
  };
  return definition.template === undefined ? rule : { ...rule, template: definition.template };
}

/** Fills `{{name}}` placeholders from data; unknown placeholders are left visible. */
export function interpolate(
  template: string,
  data: Readonly<Record<string, string | number>> = {},
): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
    const value = data[key];
    return value === undefined ? whole : String(value);
  });
}
