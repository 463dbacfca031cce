import {
  callVisitors,
  defineRule,
  describeBuild,
  importsModule,
  lastName,
  receiverOf,
  shortText,
  sqlTextShape,
  taintedSink,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type SemanticModel,
  type SqlTextShape,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const RAW_SQL: ReadonlySet<string> = new Set([
  'django.db.models.expressions.RawSQL',
  'django.db.models.RawSQL',
]);

/** Django expression classes that take a `template=` of SQL text. */
const EXPRESSION_CLASSES =
  /^django\.db\.models\.(?:(?:expressions|aggregates|functions|lookups)\.)?(?:Func|Aggregate|Transform|Expression|Subquery|Window)$/;

/** `QuerySet.extra()` arguments that hold SQL, with their positions; `params` hold values. */
const EXTRA_SQL: readonly (readonly [string, number])[] = [
  ['select', 0],
  ['where', 1],
  ['tables', 3],
  ['order_by', 4],
];

/** Receivers of `.raw()`: model managers (`Model.objects`, `Model._default_manager`). */
const MANAGER = /^(?:objects|_default_manager|_base_manager|\w*manager)$/i;

interface Finding {
  sql: SyntaxNode;
  shape: Exclude<SqlTextShape, { kind: 'safe' }>;
  sink: string;
}

export default defineRule({
  meta: {
    id: 'PGI002',
    slug: 'django-raw-sql',
    title: 'Django raw(), extra() or RawSQL with SQL that is not a literal',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [89],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags Django `Manager.raw()`, `QuerySet.extra()`, `RawSQL()` the `template` of `Func`/`Aggregate`/`Expression` (argument or subclass attribute) and the SQL text that the `as_sql()` (or `as_postgresql()`, ...) of an expression returns when their SQL is built with an f-string, `+`, `%` or `.format()`, or comes from a variable, instead of being a literal with `params`.',
    why: "These are Django's escape hatches from the ORM: the SQL text goes to the database as written. A value spliced into it is parsed as SQL, so a quote in a name or a search term can read other tables or change data. Django quotes only what is passed in `params`.",
    fix: 'Keep the SQL literal and pass the values separately: `Person.objects.raw("SELECT * FROM app_person WHERE last_name = %s", [name])`, `qs.extra(where=["headline = %s"], params=[title])`, `RawSQL("SELECT col FROM t WHERE id = %s", (pk,))`. Better still, express the query with the ORM (`filter()`, `annotate()`, `F()`, `Func()`), which quotes everything. Table and column names must come from a fixed allowlist.',
    example: {
      bad: 'from django.http import JsonResponse\nfrom myapp.models import Person\n\ndef by_name(name):\n    return Person.objects.raw(f"SELECT * FROM myapp_person WHERE last_name = \'{name}\'")\n',
      good: 'from django.http import JsonResponse\nfrom myapp.models import Person\n\ndef by_name(name):\n    return Person.objects.raw("SELECT * FROM myapp_person WHERE last_name = %s", [name])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/89.html',
      'https://docs.djangoproject.com/en/stable/topics/db/sql/#passing-parameters-into-raw',
      'https://docs.djangoproject.com/en/stable/ref/models/querysets/#extra',
      'https://docs.djangoproject.com/en/stable/ref/models/expressions/#raw-sql-expressions',
      'https://docs.djangoproject.com/en/stable/topics/security/#sql-injection-protection',
    ],
    auditAdds:
      'raw SQL that is not a plain literal even when nothing risky is found in it (`.extra(where=[clause])`)',
    bandit: ['B610', 'B611'],
    ruff: ['S610', 'S611'],
    supersedes: ['PGI048'],
  },
  messages: {
    checkedSql:
      '`{{sink}}` gets SQL text from `{{value}}`, which is not a plain literal; nothing risky was found in it, but check that it stays so.',
    taintedSql:
      '`{{sink}}` gets SQL text made from {{origin}}: {{path}}. Keep the SQL literal and pass the values in `params` (`%s` placeholders), or use the ORM.',
    builtSql:
      '`{{sink}}` gets SQL built with {{how}}, with `{{value}}` spliced into the statement; keep the SQL literal and pass values in `params` (`%s` placeholders).',
    dynamicSql:
      '`{{sink}}` gets its SQL from `{{value}}`; if any part of it comes from outside, it can change the statement. Keep the SQL literal and pass values in `params`.',
  },
  select: { calls: ['django.db.models.*'], methods: ['raw', 'extra'] },
  create(context) {
    const { model } = context;
    const report = (node: SyntaxNode, findings: readonly Finding[]): void => {
      const first = findings[0];
      if (first === undefined) return;
      // Only the SQL text is asked about: values in `params` are quoted by Django.
      for (const { sql, sink } of findings) {
        const tainted = taintedSink(context, sql, 'sql', node, sink);
        if (tainted === undefined) continue;
        context.report({
          node,
          messageId: 'taintedSql',
          data: { origin: tainted.origin, path: tainted.path, sink },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
      // No path from outside input was found: an audit finding.
      const { shape, sql, sink } = first;
      if (shape.kind === 'built') {
        context.report({
          node,
          messageId: 'builtSql',
          data: {
            sink,
            how: describeBuild(shape.how),
            value: shortText(context.textOf(shape.hole), 30),
          },
          severity: 'high',
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return;
      }
      context.report({
        node,
        messageId: 'dynamicSql',
        data: { sink, value: shortText(context.textOf(sql)) },
        severity: 'medium',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    };
    return {
      ...callVisitors(context, (node, call) => {
        const findings = findingsOf(model, call);
        report(node, findings);
        if (findings.length > 0 || context.profile !== 'audit') return;
        // SQL text that is not a plain literal, though nothing risky was found in it.
        const first =
          findingsOf(model, call, notPlainLiteral)[0] ?? namedExtraArgument(model, call);
        if (first === undefined) return;
        context.report({
          node,
          messageId: 'checkedSql',
          data: { sink: first.sink, value: shortText(context.textOf(first.sql)) },
          severity: 'low',
          confidence: 'low',
          profile: 'audit',
        });
      }),
      return_statement(node) {
        // `def as_sql(self, compiler, connection): return f"{lhs} = '{self.value}'", params`
        const method = sqlMethodOf(model, node);
        if (method === undefined) return;
        const returned = node.namedChildren[0];
        if (returned === undefined) return;
        const value = unwrapParens(returned);
        const sql =
          value.type === 'tuple' || value.type === 'expression_list'
            ? value.namedChildren[0]
            : value;
        if (sql === undefined) return;
        const fragments = compiledFragments(model, method.node);
        const shape = sqlTextShape(model, sql, (hole) =>
          isCompiledFragment(model, hole, fragments),
        );
        // Only text built here: SQL handed back whole comes from the compiler.
        if (shape.kind !== 'built') return;
        report(node, [{ sql, shape, sink: method.label }]);
      },
      assignment(node) {
        // `class Upper(Func): template = f"UPPER(%(expressions)s) || '{suffix}'"`
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || right === null) return;
        if (context.textOf(left) !== 'template' || !inExpressionClass(model, node)) return;
        report(node, judge(model, right, `${className(model, node)}.template`));
      },
    };
  },
});

/** Methods that return an expression's SQL text and params: `as_sql` and its vendor variants. */
const AS_SQL = /^as_(?:sql|sqlite|postgresql|mysql|oracle)$/;

/** Calls that return SQL compiled by Django (or quoted by the backend): safe to splice in. */
const FRAGMENT_CALL =
  /(?:^|\.)(?:compile|process_lhs|process_rhs|as_sql|as_sqlite|as_postgresql|as_mysql|as_oracle|quote_name|quote_name_unless_alias|get_placeholder|field_cast_sql|lookup_cast|get_db_prep_lookup|\w+_sql)\s*\(/;

/** Class attributes of Django expressions that hold SQL written in the class itself. */
const TEMPLATE_ATTRIBUTE =
  /^self\.(?:template|function|arg_joiner|lookup_name|operator|sql_template|conditional_template)$/;

/** The `as_sql`-style method a return statement belongs to, in a Django expression class. */
function sqlMethodOf(
  model: SemanticModel,
  node: SyntaxNode,
): { node: SyntaxNode; label: string } | undefined {
  let current = node.parent;
  while (current !== null && current.type !== 'function_definition') {
    if (current.type === 'class_definition' || current.type === 'lambda') return undefined;
    current = current.parent;
  }
  const name = current?.childForFieldName('name');
  if (current === null || name === null || name === undefined) return undefined;
  if (!AS_SQL.test(model.textOf(name))) return undefined;
  const owner = current.parent?.type === 'block' ? current.parent.parent : undefined;
  if (owner?.type !== 'class_definition') return undefined;
  const bases = owner.childForFieldName('superclasses');
  if (bases === null || !EXPRESSION_BASES.test(model.textOf(bases))) return undefined;
  if (!importsModule(model, 'django')) return undefined;
  const className = owner.childForFieldName('name');
  const label = `${className === null ? 'Expression' : model.textOf(className)}.${model.textOf(name)}()`;
  return { node: current, label };
}

/**
 * Names a method binds to SQL that Django compiled (`sql, params = compiler.compile(expr)`), and
 * lists such SQL is appended to (`parts.append(sql)`), followed through the method once more.
 */
function compiledFragments(model: SemanticModel, method: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const assignments = method.descendantsOfType('assignment');
  const appends = method
    .descendantsOfType('call')
    .filter((call) =>
      /\.(?:append|extend)$/.test(model.textOf(call.childForFieldName('function') ?? call)),
    );
  for (let pass = 0; pass < 2; pass++) {
    for (const assignment of assignments) {
      const left = assignment.childForFieldName('left');
      const right = assignment.childForFieldName('right');
      if (left === null || right === null || !isCompiledFragment(model, right, names)) continue;
      const targets = left.type === 'identifier' ? [left] : left.descendantsOfType('identifier');
      // `sql, params = compiler.compile(x)`: the SQL is the first name.
      const first = targets[0];
      if (first !== undefined) names.add(model.textOf(first));
    }
    for (const call of appends) {
      const callee = call.childForFieldName('function');
      const list = callee?.childForFieldName('object');
      const item = call.childForFieldName('arguments')?.namedChildren[0];
      if (
        list?.type === 'identifier' &&
        item !== undefined &&
        isCompiledFragment(model, item, names)
      )
        names.add(model.textOf(list));
    }
  }
  return names;
}

/** Whether a value spliced into `as_sql` text is SQL Django compiled or the class's own template. */
function isCompiledFragment(
  model: SemanticModel,
  hole: SyntaxNode,
  fragments: ReadonlySet<string>,
): boolean {
  const value = unwrapParens(hole);
  const text = model.textOf(value);
  if (value.type === 'identifier') return fragments.has(text);
  if (value.type === 'attribute') return TEMPLATE_ATTRIBUTE.test(text.replace(/\s+/g, ''));
  if (value.type === 'call') {
    if (FRAGMENT_CALL.test(text)) return true;
    // `", ".join(parts)` of compiled parts.
    const callee = value.childForFieldName('function');
    const argument = value.childForFieldName('arguments')?.namedChildren[0];
    return (
      callee?.type === 'attribute' &&
      model.textOf(callee).endsWith('.join') &&
      argument !== undefined &&
      isCompiledFragment(model, argument, fragments)
    );
  }
  if (value.type === 'subscript') {
    const object = value.childForFieldName('value');
    return object !== null && isCompiledFragment(model, object, fragments);
  }
  return false;
}

/** Django expression classes whose `template` is SQL text with `%(expressions)s` holes. */
const EXPRESSION_BASES = /\b(?:Func|Aggregate|Transform|Expression|Subquery|Window|Lookup)\b/;

/** The class an assignment sits directly in (its body), if any. */
function enclosingClass(node: SyntaxNode): SyntaxNode | undefined {
  const statement = node.parent;
  const body = statement?.type === 'expression_statement' ? statement.parent : undefined;
  const owner = body?.type === 'block' ? body.parent : undefined;
  return owner?.type === 'class_definition' ? owner : undefined;
}

function className(model: SemanticModel, node: SyntaxNode): string {
  const name = enclosingClass(node)?.childForFieldName('name');
  return name === null || name === undefined ? 'Func' : model.textOf(name);
}

/** Whether an assignment is in the body of a class derived from a Django expression. */
function inExpressionClass(model: SemanticModel, node: SyntaxNode): boolean {
  const bases = enclosingClass(node)?.childForFieldName('superclasses');
  return (
    bases !== null &&
    bases !== undefined &&
    EXPRESSION_BASES.test(model.textOf(bases)) &&
    importsModule(model, 'django')
  );
}

/** The SQL arguments of a raw-SQL call that are not literal (or otherwise safe) text. */
function findingsOf(
  model: SemanticModel,
  call: CallInfo,
  judgeWith: typeof judge = judge,
): Finding[] {
  const name = call.qualifiedName;
  if (name !== undefined && RAW_SQL.has(name)) {
    const sql = model.argument(call, 'sql', 0);
    return sql === undefined ? [] : judgeWith(model, sql, 'RawSQL');
  }
  // `Func(F("name"), template=...)` and the other expression classes take SQL text too.
  const template = call.keywords.get('template');
  if (template !== undefined && name !== undefined && EXPRESSION_CLASSES.test(name)) {
    return judgeWith(model, template, `${name.slice(name.lastIndexOf('.') + 1)}(template=...)`);
  }
  const method = call.methodName;
  if (method !== 'raw' && method !== 'extra') return [];
  const receiver = receiverOf(call);
  if (receiver === undefined || !importsModule(model, 'django')) return [];
  if (method === 'raw') {
    if (!MANAGER.test(lastName(model, receiver) ?? '')) return [];
    const sql = model.argument(call, 'raw_query', 0);
    return sql === undefined ? [] : judgeWith(model, sql, '.raw()');
  }
  const findings: Finding[] = [];
  for (const [keyword, position] of EXTRA_SQL) {
    const argument = model.argument(call, keyword, position);
    if (argument === undefined) continue;
    for (const sql of sqlPieces(model, argument, keyword)) {
      findings.push(...judgeWith(model, sql, `.extra(${keyword}=...)`));
    }
  }
  return findings;
}

function judge(model: SemanticModel, sql: SyntaxNode, sink: string): Finding[] {
  const shape = sqlTextShape(model, sql);
  return shape.kind === 'safe' ? [] : [{ sql, shape, sink }];
}

/** An `extra()` argument passed by name (`where=clauses`), as a finding of unknown shape. */
function namedExtraArgument(model: SemanticModel, call: CallInfo): Finding | undefined {
  if (call.methodName !== 'extra' || receiverOf(call) === undefined) return undefined;
  for (const [keyword, position] of EXTRA_SQL) {
    const argument = model.argument(call, keyword, position);
    if (argument?.type === 'identifier')
      return { sql: argument, shape: { kind: 'dynamic' }, sink: `.extra(${keyword}=...)` };
  }
  return undefined;
}

/** SQL text that is not a string literal written in place, as a finding of unknown shape. */
function notPlainLiteral(model: SemanticModel, sql: SyntaxNode, sink: string): Finding[] {
  const plain = sql.type === 'string' && model.staticString(sql) !== undefined;
  return plain ? [] : [{ sql, shape: { kind: 'dynamic' }, sink }];
}

/** The SQL strings in an `extra()` argument: dict values for `select`, list items otherwise. */
function sqlPieces(model: SemanticModel, argument: SyntaxNode, keyword: string): SyntaxNode[] {
  const value = unwrapParens(model.resolveValue(argument));
  if (keyword === 'select' && value.type === 'dictionary') {
    return value.namedChildren.flatMap((pair) => {
      const item = pair.type === 'pair' ? pair.childForFieldName('value') : null;
      return item === null ? [] : [item];
    });
  }
  if (value.type === 'list' || value.type === 'tuple') {
    return value.namedChildren.filter((item) => item.type !== 'comment');
  }
  return [argument];
}
