import type {
  ManifestContext,
  OptionValuesOf,
  Rule,
  RuleContext,
  RuleMeta,
  RuleOptionSchema,
  RuleOptionValues,
  RuleSelect,
  TemplateContext,
  Visitors,
} from './types.js';

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

/**
 * A rule definition: Python checks (`create`), template checks (`template`), or both; or checks of
 * dependency manifests alone (`manifest`).
 */
type RuleChecks<MessageId extends string, Options extends RuleOptionValues> =
  | {
      create: (context: RuleContext<MessageId, Options>) => Visitors;
      template?: (context: TemplateContext<MessageId, Options>) => void;
      manifest?: undefined;
    }
  | {
      create?: undefined;
      template: (context: TemplateContext<MessageId, Options>) => void;
      manifest?: undefined;
    }
  | {
      create?: undefined;
      template?: undefined;
      manifest: (context: ManifestContext<MessageId, Options>) => void;
    };

/** The schema of a rule that declares no options (its context has no option properties). */
type NoOptions = Readonly<Record<string, never>>;

/**
 * Declares a rule. Message ids are inferred from `messages`, so reporting an unknown id is a
 * compile error. A rule that only checks templates leaves out `create`; a rule that judges
 * dependency manifests gives `manifest` alone.
 *
 * `options` declares settings users can change under `rules.options` in `.github/pyguard.yml`;
 * `context.options` then has one property per option, typed from its `kind`
 * (`string-list` → `readonly string[]`, `integer` → `number`, `boolean` → `boolean`):
 *
 * ```ts
 * options: {
 *   min_bits: { kind: 'integer', default: 2048, description: 'Smallest key size accepted.' },
 * },
 * create(context) {
 *   const { min_bits } = context.options; // number
 * ```
 */
export function defineRule<
  const Messages extends Record<string, string>,
  const Options extends RuleOptionSchema = NoOptions,
>(
  definition: {
    meta: MetaInput;
    messages: Messages;
    options?: Options;
    select?: RuleSelect;
  } & RuleChecks<keyof Messages & string, OptionValuesOf<Options>>,
): Rule<keyof Messages & string, OptionValuesOf<Options>> {
  const rule: Rule<keyof Messages & string, OptionValuesOf<Options>> = {
    meta: {
      enabledByDefault: true,
      fixable: false,
      references: [],
      owasp: [],
      ...definition.meta,
    },
    messages: definition.messages,
    options: definition.options ?? {},
    create: definition.create ?? noPythonChecks,
    ...(definition.select === undefined ? {} : { select: definition.select }),
  };
  if (definition.manifest !== undefined) return { ...rule, manifest: definition.manifest };
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
