import {
  callVisitors,
  defineRule,
  templateOutput,
  testAdjusted,
  unwrapParens,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Mako classes with where they take template text and a file name. */
const CLASSES: ReadonlyMap<string, { text: number | undefined; file: string }> = new Map([
  ['mako.template.Template', { text: 0, file: 'filename' }],
  ['mako.lookup.TemplateLookup', { text: undefined, file: '' }],
]);
/** Filter names that HTML-escape: Mako's `h`, and escape functions imported into templates. */
const ESCAPING_FILTER = /^(?:h|\w*(?:\.|_)?escape)$/;
/** `${ expr | h }`, `${expr|h,trim}`. */
const EXPRESSION = /\$\{((?:[^{}]|\{[^{}]*\})*)\}/g;

type Filters = 'escaped' | 'missing' | 'unescaped' | 'unknown';

export default defineRule({
  meta: {
    id: 'PGI044',
    slug: 'mako-templates',
    title: 'Mako template without HTML escaping',
    category: 'injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: [79, 80],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags Mako `Template` and `TemplateLookup` objects whose `default_filters` do not include the `h` (HTML escape) filter, unless the file shows they render text rather than HTML.',
    why: 'Mako has no autoescaping switch: every `${expression}` is printed as written unless a filter escapes it. Without `default_filters=["h"]` (or `| h` on every expression) a value containing `<script>` becomes part of the page and runs in the reader\'s browser.',
    fix: 'Create the lookup or template with `default_filters=["h"]` (Mako 1.x; `["str", "h"]` keeps string conversion explicit), and mark expressions that really output HTML with `| n` after sanitising them. For plain-text templates, suppress the finding with a reason.',
    example: {
      bad: 'from mako.lookup import TemplateLookup\n\nlookup = TemplateLookup(directories=["templates"])\n',
      good: 'from mako.lookup import TemplateLookup\n\nlookup = TemplateLookup(directories=["templates"], default_filters=["h"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/79.html',
      'https://docs.makotemplates.org/en/latest/filtering.html#the-default-filters-argument',
      'https://docs.makotemplates.org/en/latest/filtering.html#expression-filtering',
    ],
    auditAdds:
      'templates without escaping filters whose expressions are all escaped or whose output is text (`Template("hello")`)',
    bandit: ['B702'],
    ruff: ['S702'],
  },
  messages: {
    missingFilters:
      '`{{callee}}` has no `default_filters`, and Mako escapes nothing by default, so values printed into HTML are not escaped; pass `default_filters=["h"]`.',
    unescapedFilters:
      '`{{callee}}` sets `default_filters={{value}}` without the `h` filter, so values printed into HTML are not escaped; add `"h"`.',
    unknownFilters:
      '`{{callee}}` takes `default_filters={{value}}`; make sure it includes the `h` filter wherever the output is HTML.',
  },
  select: { calls: [...CLASSES.keys()] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      const shape = callee === undefined ? undefined : CLASSES.get(callee);
      if (callee === undefined || shape === undefined) return;
      const option = call.keywords.get('default_filters');
      const filters = filtersOf(model, option, call.hasKwargs);
      if (filters === 'escaped') return;
      const text = shape.text === undefined ? undefined : model.argument(call, 'text', shape.text);
      const file = shape.file === '' ? undefined : call.keywords.get(shape.file);
      const output = templateOutput(model, node, text, file);
      // A template with nothing left unescaped, or shown to render text (an e-mail, a config
      // file), does not need escaping by default: an audit matter only.
      const audit =
        (text !== undefined && escapesEveryExpression(model, text)) || output === 'text';
      const messageId =
        filters === 'missing'
          ? 'missingFilters'
          : filters === 'unescaped'
            ? 'unescapedFilters'
            : 'unknownFilters';
      context.report({
        node,
        messageId,
        data: {
          callee: callee.slice(callee.lastIndexOf('.') + 1),
          value: option === undefined ? '' : context.textOf(option),
        },
        severity: filters === 'unknown' || audit ? 'low' : 'medium',
        profile: audit ? 'audit' : undefined,
        confidence: testAdjusted(
          filters === 'unknown' ? 'low' : output === 'html' ? 'high' : 'medium',
          context.isTestFile,
        ),
      });
    });
  },
});

/** Whether `default_filters` includes an escaping filter. */
function filtersOf(
  model: SemanticModel,
  option: SyntaxNode | undefined,
  hasKwargs: boolean,
): Filters {
  // `TemplateLookup(**options)` may well set it: too little to go on.
  if (option === undefined) return hasKwargs ? 'escaped' : 'missing';
  const list = unwrapParens(model.resolveValue(option));
  if (list.type !== 'list' && list.type !== 'tuple') return 'unknown';
  const names = list.namedChildren.map((item) => model.staticString(item));
  if (names.some((name) => name !== undefined && ESCAPING_FILTER.test(name))) return 'escaped';
  return names.every((name) => name !== undefined) ? 'unescaped' : 'unknown';
}

/** Literal template text whose every `${...}` is escaped (`| h`), or that sets `expression_filter="h"`. */
function escapesEveryExpression(model: SemanticModel, text: SyntaxNode): boolean {
  const source = model.staticString(text);
  if (source === undefined) return false;
  if (/<%page[^>]*expression_filter\s*=\s*["'][^"']*\bh\b/.test(source)) return true;
  const expressions = [...source.matchAll(EXPRESSION)].map((match) => match[1] ?? '');
  return (
    expressions.length > 0 &&
    expressions.every((expression) => {
      const bar = expression.lastIndexOf('|');
      return (
        bar >= 0 &&
        expression
          .slice(bar + 1)
          .split(',')
          .some((name) => ESCAPING_FILTER.test(name.trim()))
      );
    })
  );
}
