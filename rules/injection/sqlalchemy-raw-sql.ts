import {
  defineRule,
  describeBuild,
  importsModule,
  receiverOf,
  reportTaintedSink,
  shortText,
  sinkCalls,
  sqlTextShape,
  testAdjusted,
  type CallInfo,
  type Confidence,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** Functions that turn text into SQL as written. */
const TEXT_FUNCTIONS: ReadonlySet<string> = new Set(
  ['text', 'literal_column', 'TextClause'].flatMap((name) => [
    `sqlalchemy.${name}`,
    `sqlalchemy.sql.${name}`,
    `sqlalchemy.sql.expression.${name}`,
    `sqlalchemy.sql.elements.${name}`,
    `sqlmodel.${name}`,
  ]),
);
/** Flask-SQLAlchemy's `db.text(...)` on `db = SQLAlchemy(app)`. */
const FLASK_SQLALCHEMY = new Set(['flask_sqlalchemy.SQLAlchemy']);
/** Query methods that (in SQLAlchemy 1.x) coerce a plain string into SQL text. */
const FRAGMENT_METHODS: ReadonlySet<string> = new Set([
  'filter',
  'where',
  'having',
  'order_by',
  'group_by',
  'select_from',
]);
/** Methods that run a statement; a plain string is SQL text. */
const EXECUTE_METHODS: ReadonlySet<string> = new Set([
  'execute',
  'exec_driver_sql',
  'scalar',
  'scalars',
]);
const MODULES = ['sqlalchemy', 'flask_sqlalchemy', 'sqlmodel'];

/** SQL before a hole that puts the hole in a name position (`ORDER BY {}`, `{}.id`, `{}`). */
const NAME_POSITION =
  /(?:^|[.,(]|\b(?:by|from|join|select|table|into|update|distinct|truncate|exists))\s*[`"[]?$/i;

type Sink = { label: string; sql: SyntaxNode; kind: 'text' | 'fragment' | 'execute' };

export default defineRule({
  meta: {
    id: 'PGI003',
    slug: 'sqlalchemy-raw-sql',
    title: 'SQLAlchemy text(), filter() or order_by() with SQL built from strings',
    category: 'injection',
    severity: 'high',
    confidence: 'medium',
    cwe: [89],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags SQLAlchemy `text()`/`literal_column()` fragments, string arguments of `filter()`/`where()`/`order_by()`/`group_by()`/`having()`, and `execute()`/`exec_driver_sql()` statements built with an f-string, `+`, `%` or `.format()` or reached by request data.',
    why: '`text()` and `literal_column()` hand their text to the database as written, and SQLAlchemy 1.x did the same with plain strings given to `filter()` or `order_by()`. A value spliced into that text is parsed as SQL: `text(f"name = \'{name}\'")` lets a quote in `name` rewrite the condition, and `order_by(text(sort))` lets a request choose any expression, including sub-queries.',
    fix: 'Use ORM expressions (`User.name == name`, `User.created.desc()`), or keep the SQL literal with bind parameters: `text("name = :name").bindparams(name=name)`, or `session.execute(text("... WHERE id = :id"), {"id": pk})`. Map user-chosen sort columns through a fixed dict of column objects.',
    example: {
      bad: 'from sqlalchemy import select, text\n\ndef find(session, name):\n    return session.scalars(select(User).where(text(f"name = \'{name}\'"))).all()\n',
      good: 'from sqlalchemy import select\n\ndef find(session, name):\n    return session.scalars(select(User).where(User.name == name)).all()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/89.html',
      'https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text',
      'https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.TextClause.bindparams',
      'https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.literal_column',
      'https://docs.sqlalchemy.org/en/20/core/connections.html#sqlalchemy.engine.Connection.exec_driver_sql',
    ],
    bandit: [],
    ruff: [],
    supersedes: ['PGI048'],
  },
  messages: {
    taintedSql:
      '`{{sink}}` gets SQL text made from {{origin}}: {{path}}. Use ORM expressions, or keep the SQL literal with bind parameters (`text("... = :name").bindparams(name=...)`).',
    builtValue:
      '`{{sink}}` gets SQL built with {{how}}, with `{{value}}` spliced in where a value goes; use an ORM expression or a bind parameter (`text("... = :name").bindparams(name=...)`).',
    builtName:
      '`{{sink}}` gets SQL built with {{how}}, with `{{value}}` spliced in as a name or expression; map it through a fixed dict of columns instead of passing text.',
    dynamicSql:
      '`{{sink}}` gets its SQL from `{{value}}`; if it comes from outside, it can change the statement. Use ORM expressions or literal SQL with bind parameters.',
  },
  select: {
    calls: [...TEXT_FUNCTIONS],
    methods: ['text', 'literal_column', ...FRAGMENT_METHODS, ...EXECUTE_METHODS],
  },
  create(context) {
    const { model } = context;
    return sinkCalls(context, sinkOf, (node, sink) => {
      const shape = sqlTextShape(model, sink.sql);
      if (shape.kind === 'safe') return;
      // Fragment methods only coerce plain text; other values are usually ORM expressions.
      const mayBeExpression = sink.kind !== 'text' && shape.kind === 'dynamic';
      // `exec_driver_sql()` always takes a string; the others refuse one since SQLAlchemy 2.
      const coerced = mayBeExpression && sink.label !== '.exec_driver_sql()';
      const tainted = reportTaintedSink(context, {
        node,
        value: sink.sql,
        sink: 'sql',
        label: sink.label,
        messageId: 'taintedSql',
        data: { sink: sink.label },
        confidence: (earned) => (coerced ? 'medium' : earned),
      });
      if (tainted !== undefined) return;
      if (mayBeExpression) return;
      // No path from outside input was found: an audit finding.
      let severity: Severity;
      let confidence: Confidence;
      let messageId: 'builtValue' | 'builtName' | 'dynamicSql';
      let value: SyntaxNode;
      if (shape.kind === 'built') {
        const name = NAME_POSITION.test(shape.before);
        [severity, confidence, messageId] = name
          ? ['medium', 'medium', 'builtName']
          : ['high', 'medium', 'builtValue'];
        value = shape.hole;
      } else {
        [severity, confidence, messageId] = ['low', 'low', 'dynamicSql'];
        value = sink.sql;
      }
      context.report({
        node,
        messageId,
        data: {
          sink: sink.label,
          how: shape.kind === 'built' ? describeBuild(shape.how) : '',
          value: shortText(context.textOf(value), 30),
        },
        severity,
        confidence: testAdjusted(confidence, context.isTestFile),
      });
    });
  },
});

function sinkOf(model: SemanticModel, call: CallInfo): Sink | undefined {
  const name = call.qualifiedName;
  const method = call.methodName;
  if (name !== undefined && TEXT_FUNCTIONS.has(name)) {
    const sql = model.argument(call, 'text', 0);
    return sql === undefined
      ? undefined
      : { label: `${name.slice(name.lastIndexOf('.') + 1)}()`, sql, kind: 'text' };
  }
  if (method === undefined) return undefined;
  const receiver = receiverOf(call);
  if (receiver === undefined) return undefined;
  if (method === 'text' || method === 'literal_column') {
    const built = model.constructedBy(receiver);
    const sql = call.positional[0];
    return built !== undefined && FLASK_SQLALCHEMY.has(built) && sql !== undefined
      ? { label: `${method}()`, sql, kind: 'text' }
      : undefined;
  }
  const kind = FRAGMENT_METHODS.has(method)
    ? 'fragment'
    : EXECUTE_METHODS.has(method)
      ? 'execute'
      : undefined;
  if (kind === undefined || !MODULES.some((module) => importsModule(model, module)))
    return undefined;
  const sql = call.positional[0];
  return sql === undefined ? undefined : { label: `.${method}()`, sql, kind };
}
