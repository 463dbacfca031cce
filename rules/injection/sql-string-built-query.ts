import {
  analyseString,
  defineRule,
  describeBuild,
  isCheckedValue,
  isInertValue,
  isSqlPlaceholders,
  lastName,
  receiverOf,
  reportTaintedSink,
  shortText,
  sinkCalls,
  templateOf,
  testAdjusted,
  type CallInfo,
  type RuleContext,
  type SemanticModel,
  type StringBuild,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** DB-API cursors and connections, SQLAlchemy sessions and engines, and their look-alikes. */
const EXECUTE_METHODS: ReadonlySet<string> = new Set(['execute', 'executemany', 'executescript']);
/** asyncpg connection and pool methods that take SQL first (`await conn.fetch(sql, *args)`). */
const ASYNCPG_METHODS: ReadonlySet<string> = new Set([
  'execute',
  'executemany',
  'fetch',
  'fetchrow',
  'fetchval',
  'fetchmany',
  'cursor',
  'prepare',
]);
/**
 * Query methods of other drivers and thin database layers, by the module a file must import for
 * them to count: DuckDB connections' `sql`/`query`, the `databases` package's `fetch_*`/`iterate`,
 * peewee's `execute_sql`, records' and dataset's `query`, Tortoise ORM's `execute_query`,
 * BigQuery clients' `query` and ClickHouse Connect clients' `query`/`command`.
 */
const DRIVER_QUERY_METHODS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['duckdb', new Set(['sql', 'query'])],
  ['databases', new Set(['fetch_all', 'fetch_one', 'fetch_val', 'iterate'])],
  ['peewee', new Set(['execute_sql'])],
  ['playhouse', new Set(['execute_sql'])],
  ['records', new Set(['query'])],
  ['dataset', new Set(['query'])],
  ['tortoise', new Set(['execute_query', 'execute_query_dict', 'execute_script'])],
  ['google.cloud.bigquery', new Set(['query', 'query_and_wait'])],
  ['clickhouse_connect', new Set(['query', 'command', 'query_df', 'query_arrow'])],
]);
/** DuckDB's module-level functions, which run SQL on the default in-memory connection. */
const DUCKDB_FUNCTIONS: ReadonlySet<string> = new Set([
  'duckdb.sql',
  'duckdb.query',
  'duckdb.execute',
  'duckdb.executemany',
]);
const EXECUTE_SQL_KEYWORDS = ['operation', 'sql', 'query', 'statement', 'sql_script', 'stmt'];
const EXECUTE_PARAM_KEYWORDS = [
  'parameters',
  'params',
  'args',
  'vars',
  'seq_of_parameters',
  'multiparams',
];

const READ_SQL: ReadonlySet<string> = new Set([
  'pandas.read_sql',
  'pandas.read_sql_query',
  'pandas.io.sql.read_sql',
  'pandas.io.sql.read_sql_query',
]);

const SQLALCHEMY_TEXT: ReadonlySet<string> = new Set([
  'sqlalchemy.text',
  'sqlalchemy.sql.text',
  'sqlalchemy.sql.expression.text',
  'sqlalchemy.sql.expression.TextClause',
  'sqlalchemy.sql.elements.TextClause',
]);

/** Calls that make connections, cursors and sessions. */
const DATABASE_FACTORY =
  /^(?:sqlite3|psycopg2?|pymysql|MySQLdb|mysql\.connector|sqlalchemy|sqlmodel|flask_sqlalchemy|django\.db|asyncpg|aiosqlite|aiomysql|aiopg|pyodbc|cx_Oracle|oracledb|pymssql|duckdb|pg8000|snowflake\.connector|clickhouse_driver|databases|peewee|playhouse|records|dataset|tortoise|google\.cloud\.bigquery|clickhouse_connect)\b|(?:^|\.)(?:connect|cursor|Connection|Cursor|create_engine|create_async_engine|create_pool|Session|AsyncSession|sessionmaker|scoped_session|begin|acquire)$/;
/** Names that cursors, connections and sessions usually have. */
const DATABASE_NAME =
  /(?:^|_)(?:c|cr|cur|curs|cursor|con|conn|connection|db|database|session|sess|engine|tx|txn|transaction|sql|sqlite|pg|mysql|dbapi)$/i;
/** Names of asyncpg pools, whose query methods run on a connection they acquire. */
const POOL_NAME = /(?:^|_)pool$/i;

/** Statement shapes; checked against the query text with holes shown as `{}`. */
const SQL_SHAPES: readonly RegExp[] = [
  /\bselect\b[\s\S]*?\bfrom\b/i,
  /\binsert\s+(?:or\s+\w+\s+)?into\b/i,
  /\breplace\s+into\b/i,
  /\bupdate\b[\s\S]*?\bset\b/i,
  /\bdelete\s+from\b/i,
  /\bwith\b[\s\S]*?\bselect\b/i,
  /\b(?:create|drop|alter|truncate)\s+(?:(?:temp|temporary|unique|materialized)\s+)?(?:table|view|index|database|schema)\b/i,
  /\bvalues\s*\(/i,
  /\bfrom\b[\s\S]*?\bwhere\b/i,
];

/** A hole right after one of these holds a table or column name, not a value. */
const IDENTIFIER_BEFORE =
  /(?:\b(?:from|into|update|join|table|exists|select|distinct|(?:order|group)\s+by)|\binto\s+[^\s(]+\s*\()\s*[`"[]?$/i;
/** Text between two holes that keeps the second in the first one's (identifier) position: `{s}.{t}`, `{a}, {b}`, `{col} {dir}`. */
const IDENTIFIER_CONTINUATION = /^[`"\]]*\s*[,.]?\s*[`"[]?$/;

type Sink = { kind: 'execute' | 'read_sql' | 'text'; sql: SyntaxNode; label: string };

export default defineRule({
  meta: {
    id: 'PGI001',
    slug: 'sql-string-built-query',
    title: 'SQL query built from strings',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [89],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags SQL text passed to `execute`/`executemany`/`executescript` (and asyncpg `fetch`/`fetchrow`/`fetchval`/`cursor`, pg8000 `run`, DuckDB `sql`/`query`, `databases` `fetch_all`/`fetch_one`/`fetch_val`/`iterate`, peewee `execute_sql`, records and dataset `query`, Tortoise `execute_query`, BigQuery and ClickHouse Connect `query`), `pandas.read_sql` or `sqlalchemy.text` that is built with an f-string, `+`, `%` or `.format()`, or that request data or command-line input reaches (even as the whole query); values passed separately as driver parameters are not checked.',
    why: 'A value spliced into SQL text becomes part of the statement: a quote in it ends the string literal and the rest is parsed as SQL, so `name = "x\' OR \'1\'=\'1"` reads every row and `"; DROP TABLE users; --"` can change data. Escaping by hand misses cases; driver parameters never do.',
    fix: 'Keep the SQL literal and pass values separately: `cur.execute("SELECT * FROM users WHERE name = %s", (name,))` (`?` for sqlite3, `:name` for SQLAlchemy `text()`). Table and column names cannot be parameters: pick them from a fixed allowlist or compose them with `psycopg.sql.Identifier`.',
    example: {
      bad: 'def find_user(cur, name):\n    cur.execute(f"SELECT * FROM users WHERE name = \'{name}\'")\n    return cur.fetchone()\n',
      good: 'def find_user(cur, name):\n    cur.execute("SELECT * FROM users WHERE name = %s", (name,))\n    return cur.fetchone()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/89.html',
      'https://peps.python.org/pep-0249/#paramstyle',
      'https://docs.python.org/3/library/sqlite3.html#sqlite3-placeholders',
      'https://www.psycopg.org/psycopg3/docs/basic/params.html',
      'https://www.psycopg.org/psycopg3/docs/api/sql.html',
      'https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text',
      'https://pandas.pydata.org/docs/reference/api/pandas.read_sql.html',
    ],
    bandit: ['B608'],
    ruff: ['S608'],
    supersedes: ['PGI003', 'PGI040', 'PGI048'],
  },
  messages: {
    taintedQuery:
      'SQL text built from {{origin}} reaches `{{sink}}`: {{path}}. Keep the SQL literal and pass the values as query parameters (`cursor.execute(sql, params)`).',
    taintedIdentifier:
      'A table or column name from {{origin}} is spliced into the SQL text of `{{sink}}`: {{path}}. Parameters cannot hold names: check it against a fixed allowlist or compose it with `psycopg.sql.Identifier`.',
    taintedStatement:
      '`{{sink}}` runs SQL taken whole from {{origin}}: {{path}}. Whoever controls it can run any statement; keep the SQL in the code and pass only values as query parameters.',
    builtQuery:
      'SQL built with {{how}} is passed to `{{sink}}`: `{{value}}` is spliced into the query text and can change the statement. Keep the SQL literal and pass values as driver parameters (`%s`, `?`, `:name`).',
    builtIdentifier:
      'SQL built with {{how}} is passed to `{{sink}}` with `{{value}}` spliced in as a table or column name. Parameters cannot hold names: check it against a fixed allowlist or compose it with `psycopg.sql.Identifier`.',
  },
  select: {
    calls: [...READ_SQL, ...SQLALCHEMY_TEXT, ...DUCKDB_FUNCTIONS],
    methods: [
      ...EXECUTE_METHODS,
      ...ASYNCPG_METHODS,
      ...[...DRIVER_QUERY_METHODS.values()].flatMap((methods) => [...methods]),
      'run',
    ],
  },
  create(context) {
    const { model } = context;
    return sinkCalls(context, sinkOf, (node, sink, call) => {
      const build = analyseString(model, sink.sql);
      const statement =
        build?.how !== undefined && SQL_SHAPES.some((shape) => shape.test(templateOf(build)));
      // `text()` also holds fragments (sqlalchemy-raw-sql's findings); only statements are ours.
      // Text that does not read as SQL counts only on a database object (not `schema.execute`).
      const ours = statement || (sink.kind !== 'text' && isDatabaseCall(model, call, sink));
      if (ours && reportTainted(context, node, sink, build)) return;
      if (!statement || build.how === undefined) return;
      const holes = classifyHoles(model, build);
      // Name the most telling hole: a value position if there is one.
      const first = holes.values[0] ?? holes.identifiers[0];
      if (first === undefined) return;
      // Only names spliced in, values passed separately: a real risk only if a name is user-chosen.
      const identifierOnly = holes.values.length === 0;
      const lower = identifierOnly && passesParameters(model, call, sink);
      // No path from outside input was found: an audit finding.
      context.report({
        node,
        messageId: identifierOnly ? 'builtIdentifier' : 'builtQuery',
        data: {
          how: describeBuild(build.how),
          sink: sink.label,
          value: shortText(context.textOf(first), 30),
        },
        severity: lower ? 'medium' : 'high',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    });
  },
});

/**
 * Reports the SQL text of a sink when outside input reaches it; only the text is asked about,
 * values handed to the driver separately are safe whatever they hold.
 */
function reportTainted(
  context: RuleContext<'taintedQuery' | 'taintedIdentifier' | 'taintedStatement'>,
  node: SyntaxNode,
  sink: Sink,
  build: StringBuild | undefined,
): boolean {
  /** Only holes in name positions carry the input: the fix is an allowlist, not a parameter. */
  const messageId = (): 'taintedQuery' | 'taintedIdentifier' | 'taintedStatement' => {
    if (build?.how === undefined) return 'taintedStatement';
    const holes = classifyHoles(context.model, build);
    const reaches = (hole: SyntaxNode): boolean => context.taint(hole, 'sql') !== undefined;
    const nameOnly = !holes.values.some(reaches) && holes.identifiers.some(reaches);
    return nameOnly ? 'taintedIdentifier' : 'taintedQuery';
  };
  const tainted = reportTaintedSink(context, {
    node,
    value: sink.sql,
    sink: 'sql',
    label: sink.label,
    messageId,
    data: { sink: sink.label },
  });
  return tainted !== undefined;
}

function sinkOf(model: SemanticModel, call: CallInfo): Sink | undefined {
  const name = call.qualifiedName;
  if (name !== undefined && READ_SQL.has(name)) {
    const sql = model.argument(call, 'sql', 0);
    return sql === undefined ? undefined : { kind: 'read_sql', sql, label: name };
  }
  if (name !== undefined && SQLALCHEMY_TEXT.has(name)) {
    const sql = model.argument(call, 'text', 0);
    return sql === undefined ? undefined : { kind: 'text', sql, label: name };
  }
  if (name !== undefined && DUCKDB_FUNCTIONS.has(name)) {
    const sql = model.argument(call, 'query', 0);
    return sql === undefined ? undefined : { kind: 'execute', sql, label: name };
  }
  if (call.methodName === undefined || !isExecuteMethod(model, call, call.methodName)) {
    return undefined;
  }
  const keyword = EXECUTE_SQL_KEYWORDS.map((key) => call.keywords.get(key)).find(
    (value) => value !== undefined,
  );
  const sql = keyword ?? call.positional[0];
  if (sql === undefined) return undefined;
  const callee = model.textOf(call.callee);
  const label = callee.length <= 40 && !callee.includes('\n') ? callee : call.methodName;
  return { kind: 'execute', sql, label };
}

/**
 * Whether a method runs the SQL text of its first argument: DB-API and SQLAlchemy `execute`, and
 * on a database object of a file that imports the driver, asyncpg's `fetch`/`fetchrow`/`fetchval`/
 * `cursor`/`prepare` (connections and pools) and pg8000's `run`.
 */
function isExecuteMethod(model: SemanticModel, call: CallInfo, method: string): boolean {
  if (EXECUTE_METHODS.has(method)) return true;
  if (ASYNCPG_METHODS.has(method) && model.importsModule('asyncpg')) {
    return isDatabaseReceiver(model, call, true);
  }
  if (isDriverQueryMethod(model, call, method)) return true;
  return (
    method === 'run' && model.importsModule('pg8000') && isDatabaseReceiver(model, call, false)
  );
}

/** `con.sql(q)` in a file that imports duckdb, `database.fetch_all(q)` in one that imports `databases`, and so on. */
function isDriverQueryMethod(model: SemanticModel, call: CallInfo, method: string): boolean {
  for (const [module, methods] of DRIVER_QUERY_METHODS) {
    if (methods.has(method) && model.importsModule(module)) {
      return isDatabaseReceiver(model, call, false);
    }
  }
  return false;
}

/**
 * Whether a sink call is on a database object: `pandas.read_sql`, or an `execute` whose receiver
 * was made by a driver or SQLAlchemy, or is named like a cursor, connection or session.
 */
function isDatabaseCall(model: SemanticModel, call: CallInfo, sink: Sink): boolean {
  return sink.kind !== 'execute' || isDatabaseReceiver(model, call, model.importsModule('asyncpg'));
}

/**
 * Whether a method's receiver was made by a driver or SQLAlchemy, or is named like a cursor,
 * connection or session (or, with `pools`, like an asyncpg pool).
 */
function isDatabaseReceiver(model: SemanticModel, call: CallInfo, pools: boolean): boolean {
  const receiver = receiverOf(call);
  if (receiver === undefined) return false;
  const built = model.constructedBy(receiver);
  if (built !== undefined) return DATABASE_FACTORY.test(built);
  const name = lastName(model, receiver) ?? '';
  return DATABASE_NAME.test(name) || (pools && POOL_NAME.test(name));
}

/** Whether the call also hands values to the driver separately. */
function passesParameters(model: SemanticModel, call: CallInfo, sink: Sink): boolean {
  switch (sink.kind) {
    case 'execute':
      return (
        call.positional.length > 1 ||
        EXECUTE_PARAM_KEYWORDS.some((key) => call.keywords.has(key)) ||
        // pg8000's `run(sql, name=value)` passes parameters by keyword.
        (call.methodName === 'run' && call.keywords.size > (call.keywords.has('sql') ? 1 : 0))
      );
    case 'read_sql':
      return call.keywords.has('params');
    case 'text': {
      // text(...).bindparams(...), or execute(text(...), params)
      const parent = call.node.parent;
      if (parent?.type === 'attribute') {
        const attribute = parent.childForFieldName('attribute');
        return attribute !== null && model.textOf(attribute) === 'bindparams';
      }
      const outer = parent?.type === 'argument_list' ? parent.parent : null;
      if (outer?.type !== 'call') return false;
      const outerCall = model.call(outer);
      const outerSink = sinkOf(model, outerCall);
      return outerSink?.kind === 'execute' && passesParameters(model, outerCall, outerSink);
    }
  }
}

/** The holes that can carry text into the query, split by whether they sit where names go. */
function classifyHoles(
  model: SemanticModel,
  build: StringBuild,
): { values: SyntaxNode[]; identifiers: SyntaxNode[] } {
  const values: SyntaxNode[] = [];
  const identifiers: SyntaxNode[] = [];
  let before = '';
  let since = '';
  let previousIdentifier = false;
  for (const piece of build.pieces) {
    if (piece.kind === 'text') {
      before += piece.text;
      since += piece.text;
      continue;
    }
    const identifier: boolean =
      IDENTIFIER_BEFORE.test(before) || (previousIdentifier && IDENTIFIER_CONTINUATION.test(since));
    if (
      !isInertValue(model, piece.node) &&
      !isSqlPlaceholders(model, piece.node) &&
      !isCheckedValue(model, piece.node)
    ) {
      (identifier ? identifiers : values).push(piece.node);
    }
    previousIdentifier = identifier;
    before += '{}';
    since = '';
  }
  return { values, identifiers };
}
