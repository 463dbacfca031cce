import {
  callVisitors,
  defineRule,
  functionScopeOf,
  testAdjusted,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const NORMALIZE = new Set(['unicodedata.normalize', 'unicodedata2.normalize']);

/** `re` functions that test text against a pattern (the text is an argument). */
const REGEX_TESTS = new Set(
  ['match', 'search', 'fullmatch', 'findall', 'finditer'].flatMap((name) => [
    `re.${name}`,
    `regex.${name}`,
  ]),
);
/** Methods of a compiled pattern that test text. */
const PATTERN_METHODS = new Set(['match', 'search', 'fullmatch']);
/** `str` methods that validate the string they are called on. */
const STRING_CHECKS = new Set([
  'isalnum',
  'isalpha',
  'isascii',
  'isdigit',
  'isdecimal',
  'isnumeric',
  'isidentifier',
  'isprintable',
  'startswith',
  'endswith',
]);
/** Functions named like validators (`validate_username(name)`, `is_safe(path)`). */
const VALIDATOR_NAME = /^(?:validate|is_valid|is_safe|is_allowed|check|sanitiz|sanitis|verify)/i;

const TRIVIAL_OPERANDS = new Set(['none', 'integer', 'float', 'true', 'false']);

/** What kind of validation a use of the value is, if any. */
function validationAt(model: SemanticModel, use: SyntaxNode): string | undefined {
  const parent = use.parent;
  if (parent === null) return undefined;
  if (parent.type === 'comparison_operator') {
    const operators = parent.children.filter((child) => !child.isNamed).map((c) => c.type);
    if (operators.some((op) => op === 'is' || op === 'is not')) return undefined;
    const others = parent.namedChildren.filter((child) => child.id !== use.id);
    const trivial = others.every(
      (other) => TRIVIAL_OPERANDS.has(other.type) || model.staticString(other) === '',
    );
    return trivial ? undefined : 'a comparison';
  }
  if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === use.id) {
    const method = parent.childForFieldName('attribute');
    const call = parent.parent;
    if (method === null || call?.type !== 'call') return undefined;
    const name = model.textOf(method);
    return STRING_CHECKS.has(name) ? `\`.${name}()\`` : undefined;
  }
  if (parent.type !== 'argument_list' || parent.parent?.type !== 'call') return undefined;
  const call = model.call(parent.parent);
  if (call.qualifiedName !== undefined && REGEX_TESTS.has(call.qualifiedName))
    return `\`${call.qualifiedName}\``;
  const method = call.methodName;
  if (method === undefined) return undefined;
  if (call.callee.type === 'attribute' && PATTERN_METHODS.has(method)) {
    const object = call.callee.childForFieldName('object');
    const maker = object === null ? undefined : model.constructedBy(object);
    if (maker === 're.compile' || maker === 'regex.compile') return `\`.${method}()\``;
  }
  return VALIDATOR_NAME.test(method) ? `\`${method}()\`` : undefined;
}

/** Nodes in a function body (not nested definitions) whose text is `text`, before `limit`. */
function usesBefore(
  model: SemanticModel,
  root: SyntaxNode,
  text: string,
  limit: number,
): SyntaxNode[] {
  const found: SyntaxNode[] = [];
  const visit = (node: SyntaxNode): void => {
    if (node.startIndex >= limit) return;
    if (node.type === 'identifier' || node.type === 'attribute') {
      if (model.textOf(node) === text) {
        found.push(node);
        return;
      }
      if (node.type === 'identifier') return;
    }
    if (
      node.id !== root.id &&
      (node.type === 'function_definition' || node.type === 'class_definition')
    )
      return;
    for (const child of node.namedChildren) visit(child);
  };
  visit(root);
  return found;
}

export default defineRule({
  meta: {
    id: 'PGM011',
    slug: 'unicode-normalisation-bypass',
    title: 'Value validated before Unicode normalisation',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [176],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags `unicodedata.normalize(form, value)` when the same value was already validated (regex match, comparison, `in` test, `.isalnum()`-style check, `validate_*()` call) earlier in the same function.',
    why: 'Normalisation can turn harmless-looking characters into the ones a check was meant to block: under NFKC the fullwidth `＜` becomes `<`, `ﬁ` becomes `fi` and `＿` becomes `_`. When the check runs first, text that passed it can change into forbidden text afterwards, bypassing filters for path traversal, XSS, SQL or reserved user names.',
    fix: 'Normalise first, then validate and use only the normalised value: `name = unicodedata.normalize("NFKC", name)` before any `re.fullmatch`, allowlist or comparison.',
    example: {
      bad: 'import re\nimport unicodedata\n\ndef username(name):\n    if not re.fullmatch(r"[a-z0-9_]+", name):\n        raise ValueError(name)\n    name = unicodedata.normalize("NFKC", name)\n    return name\n',
      good: 'import re\nimport unicodedata\n\ndef username(name):\n    name = unicodedata.normalize("NFKC", name)\n    if not re.fullmatch(r"[a-z0-9_]+", name):\n        raise ValueError(name)\n    return name\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/176.html',
      'https://docs.python.org/3/library/unicodedata.html#unicodedata.normalize',
      'https://unicode.org/reports/tr15/',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    validatedFirst:
      '`{{value}}` is validated by {{check}} on line {{line}} and only normalised here, so characters that normalise into forbidden ones pass the check; normalise first and validate the result.',
  },
  select: { calls: [...NORMALIZE] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === undefined || !NORMALIZE.has(call.qualifiedName)) return;
      const value = model.argument(call, 'unistr', 1);
      if (value === undefined || (value.type !== 'identifier' && value.type !== 'attribute'))
        return;
      const scope = functionScopeOf(model, node);
      if (scope.kind !== 'function') return;
      const text = model.textOf(value);
      const uses = usesBefore(model, scope.node, text, node.startIndex);
      let validation: { use: SyntaxNode; check: string } | undefined;
      for (const use of uses) {
        const parent = use.parent;
        const assigned =
          parent?.type === 'assignment' &&
          parent.endIndex <= node.startIndex &&
          parent.childForFieldName('left')?.id === use.id;
        // A new value replaces the one checked before it.
        if (assigned) validation = undefined;
        const check = validationAt(model, use);
        if (check !== undefined) validation = { use, check };
      }
      if (validation === undefined) return;
      context.report({
        node,
        messageId: 'validatedFirst',
        data: {
          value: text,
          check: validation.check,
          line: validation.use.startPosition.row + 1,
        },
        confidence: testAdjusted('medium', context.isTestFile),
      });
    });
  },
});
