import {
  callsWhenInputPossible,
  defineRule,
  importsModule,
  lastName,
  receiverOf,
  taintedSink,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

type Library = 'python-ldap' | 'ldap3';

/** What built a connection object, and which library it belongs to. */
const CONNECTIONS: ReadonlyMap<string, Library> = new Map([
  ['ldap.initialize', 'python-ldap'],
  ['ldap.ldapobject.LDAPObject', 'python-ldap'],
  ['ldap.ldapobject.SimpleLDAPObject', 'python-ldap'],
  ['ldap.ldapobject.ReconnectLDAPObject', 'python-ldap'],
  ['ldap3.Connection', 'ldap3'],
  ['ldap3.core.connection.Connection', 'ldap3'],
]);

/** python-ldap search methods; `search` is shared with ldap3 and told apart below. */
const PYTHON_LDAP_SEARCH = new Set([
  'search_s',
  'search_st',
  'search_ext',
  'search_ext_s',
  'search_subtree_s',
]);

/** Where each library takes the base DN and the filter: [keyword, position]. */
const ARGUMENTS: Readonly<Record<Library, { base: [string, number]; filter: [string, number] }>> = {
  'python-ldap': { base: ['base', 0], filter: ['filterstr', 2] },
  ldap3: { base: ['search_base', 0], filter: ['search_filter', 1] },
};

/** Names a connection object usually has, when what built it is not visible. */
const CONNECTION_NAME = /(?:^|_)(?:conn|connection|ldap|ld|l|client|directory|server)$/i;

export default defineRule({
  meta: {
    id: 'PGI022',
    slug: 'ldap-injection',
    title: 'LDAP search filter or DN built from request data',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [90],
    owasp: ['A03:2021 Injection'],
    description:
      'Flags request data (or command-line input) that reaches the filter or the base DN of a python-ldap (`search_s`, `search_ext_s`, ...) or ldap3 (`Connection.search`) search without `escape_filter_chars`/`escape_dn_chars`.',
    why: 'LDAP filters are a small language: `*`, `(`, `)`, `&`, `|` and `\\` in a value change its meaning. A user name of `*)(uid=*))(|(uid=*` turns a lookup for one account into a match on every entry, which can bypass a login check or dump the directory; a crafted DN component moves the search to another part of the tree.',
    fix: 'Escape every outside value for where it goes: `ldap.filter.escape_filter_chars(value)` (ldap3: `ldap3.utils.conv.escape_filter_chars`) inside filters, `ldap.dn.escape_dn_chars(value)` (ldap3: `ldap3.utils.dn.escape_rdn`) inside DNs, or build the filter with `ldap.filter.filter_format("(uid=%s)", [value])`, which escapes for you.',
    example: {
      bad: 'import ldap\nfrom flask import request\n\n@app.route("/user")\ndef user():\n    conn = ldap.initialize("ldap://directory")\n    name = request.args["name"]\n    return str(conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={name})"))\n',
      good: 'import ldap\nfrom ldap.filter import escape_filter_chars\nfrom flask import request\n\n@app.route("/user")\ndef user():\n    conn = ldap.initialize("ldap://directory")\n    name = escape_filter_chars(request.args["name"])\n    return str(conn.search_s("ou=people,dc=example,dc=com", ldap.SCOPE_SUBTREE, f"(uid={name})"))\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/90.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html',
      'https://www.python-ldap.org/en/latest/reference/ldap-filter.html',
      'https://www.python-ldap.org/en/latest/reference/ldap-dn.html',
      'https://ldap3.readthedocs.io/en/latest/searches.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedFilter:
      'The LDAP search filter of `{{sink}}` is built from {{origin}}: {{path}}. `*`, `(` and `)` in the value rewrite the filter; escape it with `escape_filter_chars()` or build the filter with `ldap.filter.filter_format()`.',
    taintedBase:
      'The base DN of `{{sink}}` is built from {{origin}}: {{path}}. A crafted component moves the search elsewhere in the directory; escape it with `escape_dn_chars()` (ldap3: `escape_rdn()`) or search by filter under a fixed base.',
  },
  select: { methods: ['search', ...PYTHON_LDAP_SEARCH] },
  create(context) {
    const { model } = context;
    return callsWhenInputPossible(context, (node, call) => {
      const method = call.methodName;
      if (method === undefined || (method !== 'search' && !PYTHON_LDAP_SEARCH.has(method))) {
        return;
      }
      const library = libraryOf(model, call, method);
      if (library === undefined) return;
      const sink = `.${method}()`;
      const { base, filter } = ARGUMENTS[library];
      const checks = [
        ['taintedFilter', model.argument(call, filter[0], filter[1])],
        ['taintedBase', model.argument(call, base[0], base[1])],
      ] as const;
      for (const [messageId, value] of checks) {
        if (value === undefined) continue;
        const tainted = taintedSink(context, value, 'ldap', node, sink);
        if (tainted === undefined) continue;
        context.report({
          node,
          messageId,
          data: { origin: tainted.origin, path: tainted.path, sink },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
    });
  },
});

/** Which LDAP library a search call belongs to, or undefined when it is no LDAP search. */
function libraryOf(model: SemanticModel, call: CallInfo, method: string): Library | undefined {
  const receiver = receiverOf(call);
  if (receiver === undefined) return undefined;
  const built = model.constructedBy(receiver);
  const known = built === undefined ? undefined : CONNECTIONS.get(built);
  if (known !== undefined) return known;
  const pythonLdap = importsModule(model, 'ldap');
  const ldap3 = importsModule(model, 'ldap3');
  if (PYTHON_LDAP_SEARCH.has(method)) return pythonLdap ? 'python-ldap' : undefined;
  // `search` on an object of unknown origin: `re.search`, a search index... need more evidence.
  if ((!pythonLdap && !ldap3) || !CONNECTION_NAME.test(lastName(model, receiver) ?? '')) {
    return undefined;
  }
  if (call.keywords.has('search_filter') || call.keywords.has('search_base')) return 'ldap3';
  if (call.keywords.has('filterstr') || isScope(model, call.positional[1])) return 'python-ldap';
  return ldap3 ? 'ldap3' : 'python-ldap';
}

/** `ldap.SCOPE_SUBTREE` and friends: the second argument of a python-ldap search. */
function isScope(model: SemanticModel, node: SyntaxNode | undefined): boolean {
  if (node === undefined) return false;
  return /^ldap\.SCOPE_/.test(model.qualifiedName(node) ?? '');
}
