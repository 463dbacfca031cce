import {
  callVisitors,
  unwrapParens,
  type SyntaxNode,
  defineRule,
  shortText,
  analyseString,
  describeBuild,
  type StringBuild,
} from '../../src/rules-api/index.js';

/** Statement shapes bandit (B608) and ruff (S608) look for, tested on the text with holes as `?`. */
const SQL_STATEMENT =
  /\b(?:select\s[\s\S]*?\bfrom\s|delete\s+from\s|(?:insert|replace)\s[\s\S]*?\b(?:into|values)\s|update\s[\s\S]*?\sset\s)/i;
/** A literal that may start such a statement (a cheap filter before the text is put together). */
const SQL_WORD = /\b(?:select|delete|insert|replace|update)\b/i;
/** Methods and functions that run SQL text handed to them (the sinks of the default-profile rules). */
const SQL_RUNNERS: ReadonlySet<string> = new Set([
  'execute',
  'executemany',
  'executescript',
  'mogrify',
  'raw',
  'extra',
  'RawSQL',
  'text',
  'read_sql',
  'read_sql_query',
  'fetch',
  'fetchrow',
  'fetchval',
  'cursor',
  'run',
]);

/** The expression a string literal is built into: `"…" % x`, `"…" + x`, `"…".format(x)`. */
function outermostBuild(node: SyntaxNode, textOf: (node: SyntaxNode) => string): SyntaxNode {
  let current = node;
  for (let parent = current.parent; parent !== null; parent = current.parent) {
    if (parent.type === 'parenthesized_expression' || parent.type === 'concatenated_string') {
      current = parent;
      continue;
    }
    if (parent.type === 'binary_operator') {
      const operator = parent.childForFieldName('operator')?.type;
      if (operator !== '+' && operator !== '%') break;
      current = parent;
      continue;
    }
    if (parent.type === 'attribute' && parent.childForFieldName('object')?.id === current.id) {
      const call = parent.parent;
      const attribute = parent.childForFieldName('attribute');
      if (attribute === null || textOf(attribute) !== 'format' || call?.type !== 'call') break;
      current = call;
      continue;
    }
    break;
  }
  return current;
}

/** The text of a build with each hole shown as `?`. */
function templateOf(build: StringBuild): string {
  return build.pieces.map((piece) => (piece.kind === 'text' ? piece.text : ' ? ')).join('');
}

export default defineRule({
  meta: {
    id: 'PGI048',
    slug: 'sql-text-formatted',
    title: 'SQL text built by string formatting',
    category: 'injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: [89],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags SQL statement text (`SELECT … FROM`, `INSERT … INTO` or `VALUES`, `REPLACE`, `UPDATE … SET`, `DELETE FROM`) built with an f-string, `+`, `%` or `.format()`, wherever it is built and whatever is spliced in: what bandit (B608) and ruff (S608) report.',
    why: "A value spliced into SQL text becomes part of the statement, so a quote in it can change what the statement does. The default profile reports such text where it reaches a call that runs it (`sql-string-built-query`, `django-raw-sql`, `sqlalchemy-raw-sql`) and when input from outside reaches it; SQL text built in one place and run somewhere PyGuard cannot see (another module, a helper, an ORM's raw API it does not know) is listed here, for an audit that wants every such statement reviewed.",
    fix: 'Keep the SQL literal and pass values as driver parameters (`%s`, `?`, `:name`). Table and column names cannot be parameters: choose them from a fixed allowlist or compose them with `psycopg.sql.Identifier`. Where the spliced-in value is a constant or an allow-listed name, suppress the finding with that reason.',
    example: {
      bad: 'def user_query(name):\n    return "SELECT * FROM users WHERE name = \'%s\'" % name\n',
      good: 'def user_query(name):\n    return "SELECT * FROM users WHERE name = %s", (name,)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/89.html',
      'https://peps.python.org/pep-0249/#paramstyle',
      'https://www.psycopg.org/psycopg3/docs/api/sql.html',
    ],
    bandit: ['B608'],
    ruff: ['S608'],
    profile: 'audit',
  },
  messages: {
    formattedSql:
      'SQL text is built with {{how}}, splicing in `{{value}}`; if that value can come from outside, it can change the statement. Pass values as driver parameters and pick names from an allowlist.',
  },
  select: { methods: [...SQL_RUNNERS] },
  create(context) {
    if (!SQL_WORD.test(context.text)) return {};
    const { model } = context;
    const candidates = new Map<number, { node: SyntaxNode; build: StringBuild }>();
    /** Names passed as SQL text to a call that runs it: the default-profile rules judge those. */
    const runNames = new Set<string>();

    return {
      string(node) {
        if (!SQL_WORD.test(context.textOf(node))) return;
        const outer = outermostBuild(node, (inner) => context.textOf(inner));
        if (candidates.has(outer.id)) return;
        const build = analyseString(model, outer);
        if (build?.how === undefined || !SQL_STATEMENT.test(templateOf(build))) return;
        candidates.set(outer.id, { node: outer, build });
      },
      ...callVisitors(context, (_node, call) => {
        const method = call.methodName ?? call.qualifiedName?.split('.').pop();
        if (method === undefined || !SQL_RUNNERS.has(method)) return;
        for (const argument of [
          call.positional[0],
          call.keywords.get('sql'),
          call.keywords.get('query'),
        ]) {
          if (argument?.type === 'identifier') runNames.add(context.textOf(argument));
        }
      }),
      end() {
        for (const { node, build } of candidates.values()) {
          let assignment = node.parent;
          while (assignment?.type === 'parenthesized_expression') assignment = assignment.parent;
          const target =
            assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
          if (target?.type === 'identifier' && runNames.has(context.textOf(target))) continue;
          const hole = build.pieces.find((piece) => piece.kind === 'hole');
          if (hole?.kind !== 'hole' || build.how === undefined) continue;
          context.report({
            node: unwrapParens(node),
            messageId: 'formattedSql',
            data: {
              how: describeBuild(build.how),
              value: shortText(context.textOf(hole.node), 30),
            },
          });
        }
      },
    };
  },
});
