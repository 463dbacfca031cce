import {
  defineRule,
  type Confidence,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

/** After `scheme://`: `user:password@host`; the user may be empty (`redis://:password@host`). */
const USER_INFO = /([^\s:@/'"`]*):([^\s@/'"`]+)@([^\s/'"`@?#]*)/y;
/** A URL scheme, read backwards from its `://`. */
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;

/** Passwords that documentation, templates and tests write to mean "some password". */
const DOC_PASSWORDS = new Set([
  'foo',
  'bar',
  'baz',
  'test',
  'pass',
  'pw',
  'pwd',
  'password',
  'passwd',
  'secret',
  'changeme',
  'mypassword',
  'mypass',
  'yourpassword',
  'your_password',
  'your-password',
  'pa55word',
]);

/** Hosts that only exist on a developer's machine or in a compose network. */
const LOCAL_HOSTS =
  /^(?:localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1\]|db|database|postgres|postgresql|mysql|mariadb|redis|rabbitmq|rabbit|mongo|mongodb|broker|host|hostname|server)(?::\d+)?$|\.(?:local|localhost|test|internal)(?::\d+)?$/i;
/** Documentation domains (RFC 2606): URLs there are examples by definition. */
const EXAMPLE_HOSTS = /(?:^|\.)example(?:\.(?:com|org|net))?(?::\d+)?$|\.invalid(?::\d+)?$/i;

export default defineRule({
  meta: {
    id: 'PGS006',
    slug: 'credentials-in-url',
    title: 'Password embedded in a URL',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [798, 522],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags string literals holding a URL with a password in its user-info part (`postgresql://app:s3cret@db.prod/app`, `https://user:token@host/`).',
    why: 'A connection string with a password is a credential like any other: it ends up in the repository history, in packages and in every clone, and URLs are also printed in logs, error pages and tracebacks. Anyone who reads it can connect to the database, broker or service it names.',
    fix: 'Build the URL at runtime from a secret (`os.environ["DATABASE_URL"]`, or a password read from a secret manager), or pass the user and password as separate arguments (`requests.get(url, auth=(user, password))`). Rotate a password that was committed.',
    example: {
      bad: 'engine = create_engine("postgresql://app:Xk93!fLq2@db.prod.internal.corp/app")\n',
      good: 'import os\n\nengine = create_engine(os.environ["DATABASE_URL"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://cwe.mitre.org/data/definitions/522.html',
      'https://datatracker.ietf.org/doc/html/rfc3986#section-3.2.1',
      'https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    passwordInUrl:
      'This `{{scheme}}` URL embeds the password of `{{user}}` for `{{host}}`; anyone who can read the code can use it. Read the URL or the password from the environment or a secret manager.',
    passwordOnlyInUrl:
      'This `{{scheme}}` URL embeds a password for `{{host}}`; anyone who can read the code can use it. Read the URL or the password from the environment or a secret manager.',
  },
  create(context) {
    const { model } = context;
    return {
      end() {
        const text = context.text;
        if (!text.includes('://')) return;
        const reported = new Set<number>();
        for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
          USER_INFO.lastIndex = at + 3;
          const match = USER_INFO.exec(text);
          if (match === null) continue;
          let start = at;
          while (start > 0 && SCHEME_CHAR.test(text.charAt(start - 1))) start--;
          const scheme = text.slice(start, at);
          if (!/^[A-Za-z]/.test(scheme)) continue;
          const [, user = '', password = '', rawHost = ''] = match;
          const literal = enclosingLiteral(model.tree.rootNode.descendantForIndex(start));
          if (literal === undefined || reported.has(literal.startIndex)) continue;
          if (isDocstring(literal)) continue;
          // `"…:pw@" "host/db"`: the host is in the next part of an implicit concatenation.
          const host = rawHost !== '' ? rawHost : hostAfterAt(model, literal, password);
          const confidence = judge(user, password, host, context.isTestFile);
          if (confidence === undefined) continue;
          reported.add(literal.startIndex);
          context.report({
            node: literal,
            messageId: user === '' ? 'passwordOnlyInUrl' : 'passwordInUrl',
            data: { scheme, user, host },
            confidence,
          });
        }
      },
    };
  },
});

/**
 * The literal a match lies in, when it lies in literal text (not code, not a comment): the
 * `string`, or the implicit concatenation it is part of.
 */
function enclosingLiteral(node: SyntaxNode): SyntaxNode | undefined {
  if (node.type !== 'string_content' && node.type !== 'string_start') return undefined;
  const literal = node.parent;
  if (literal?.type !== 'string') return undefined;
  return literal.parent?.type === 'concatenated_string' ? literal.parent : literal;
}

/** The host that follows `password@` in the whole value of a literal. */
function hostAfterAt(model: SemanticModel, literal: SyntaxNode, password: string): string {
  const shape = model.stringShape(literal);
  const value =
    shape.kind === 'literal' ? shape.value : shape.kind === 'built' ? shape.template : '';
  const at = value.indexOf(`${password}@`);
  if (at < 0) return 'its host';
  const host = /^[^\s/'"`@?#]*/.exec(value.slice(at + password.length + 1))?.[0] ?? '';
  return host === '' ? 'its host' : host;
}

/** A string that is a statement on its own: a docstring or a block comment in quotes. */
function isDocstring(literal: SyntaxNode): boolean {
  let node: SyntaxNode = literal;
  while (node.parent?.type === 'concatenated_string') node = node.parent;
  return node.parent?.type === 'expression_statement' && node.parent.namedChildCount === 1;
}

/** How sure we are that the password is real, or undefined when it is a placeholder. */
function judge(
  user: string,
  password: string,
  host: string,
  isTestFile: boolean,
): Confidence | undefined {
  if (DOC_PASSWORDS.has(password.toLowerCase()) || EXAMPLE_HOSTS.test(host)) return undefined;
  const verdict = judgeSecretValue(password);
  if (!verdict.secret) {
    // A short password such as `guest` is still a password; the rest are placeholders,
    // templates (`{password}`, `${DB_PASSWORD}`, `%(pw)s`) or provider tokens, which
    // hardcoded-provider-key reports with the provider's name.
    if (verdict.reason !== 'short' && verdict.reason !== 'label') return undefined;
    if (verdict.reason === 'label' && password.length < 4) return undefined;
  }
  // Well-known defaults (`guest:guest`, `postgres:postgres`) and local hosts: development setups.
  if (isTestFile || password === user || LOCAL_HOSTS.test(host)) return 'low';
  if (!verdict.secret) return 'medium';
  return verdict.strength === 'strong' ? 'high' : 'medium';
}
