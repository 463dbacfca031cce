import type { Rule, RuleContext, RuleMeta, Visitors } from './types.js';

type MetaInput = Omit<RuleMeta, 'enabledByDefault' | 'fixable' | 'references' | 'owasp'> &
  Partial<Pick<RuleMeta, 'enabledByDefault' | 'fixable' | 'references' | 'owasp'>>;

/**
 * Declares a rule. Message ids are inferred from `messages`, so reporting an unknown id is a
 * compile error.
 */
export function defineRule<const Messages extends Record<string, string>>(definition: {
  meta: MetaInput;
  messages: Messages;
  create: (context: RuleContext<keyof Messages & string>) => Visitors;
}): Rule<keyof Messages & string> {
  return {
    meta: {
      enabledByDefault: true,
      fixable: false,
      references: [],
      owasp: [],
      ...definition.meta,
    },
    messages: definition.messages,
    create: definition.create,
  };
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
