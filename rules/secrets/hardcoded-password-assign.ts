import {
  assignedPairs,
  characterClasses,
  defineRule,
  labelShape,
  literalString,
  nameWords,
  secretConfidence,
  targetName,
  testAdjusted,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { isFrameworkSecretTarget } from '../_shared/framework-secret.js';
import { mayHoldSecretLiteral, secretNameKind } from '../_shared/secret-names.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

/** Words that make a label-shaped password value a sentinel (`"not_set"`), not a password. */
const SENTINEL_WORDS = new Set(
  'not no none unset unknown empty disabled default missing invalid unusable blank null nil'.split(
    ' ',
  ),
);

/** Label words that are also the classic weak secrets: `HMAC_SECRET = "secret"`. */
const WEAK_WORD_SECRETS = new Set(['secret', 'password', 'passwd']);

/** CONSTANT_CASE names: settings, which the application really uses. */
const SETTING_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;

/** Words of a name that holds a credential presented by a client (`auth_header`, `X-Custom-Auth`). */
const CREDENTIAL_WORDS = new Set([
  'auth',
  'authorization',
  'authentication',
  'credential',
  'credentials',
  'apikey',
]);
/** Words that make such a name describe the credential rather than hold it (`auth_type`). */
const CREDENTIAL_QUALIFIERS = new Set(
  (
    'type types method methods mode scheme schemes provider providers backend backends kind ' +
    'status state level url uri endpoint name names flow version header_name source class'
  ).split(' '),
);
/** The scheme in front of an `Authorization` value. */
const AUTH_SCHEME = /^(?:bearer|token|basic|digest|apikey|api-key)\s+/i;
/** Lower-case identifiers (`google_oauth2`, `ldap-v3`): names of things, not secrets. */
const LOWER_IDENTIFIER = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

/** Dictionary keys that can name a credential: identifiers, dotted or dashed settings, headers. */
const SETTING_KEY = /^[\w.-]+$/;

export default defineRule({
  meta: {
    id: 'PGS001',
    slug: 'hardcoded-password-assign',
    title: 'Hardcoded password assigned or compared',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [259, 798],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags a string literal assigned to, stored under, or compared with a name, attribute or dictionary key that holds a password, token, secret or API key.',
    why: 'A credential written into source code is copied into every clone, fork, package and log of the repository, cannot be rotated without a release, and is usually shared by every deployment. Comparing input with a literal password also builds a backdoor that anyone who reads the code can use.',
    fix: 'Read the secret at runtime from the environment (`os.environ["DB_PASSWORD"]`) or a secret manager, and compare passwords against a stored salted hash (`hmac.compare_digest` on the hash) rather than a literal.',
    example: {
      bad: 'DB_PASSWORD = "s3cr3t-Pa55!"\n\nif password == "letmein-2024":\n    grant_access()\n',
      good: 'import os\n\nDB_PASSWORD = os.environ["DB_PASSWORD"]\n\nif check_password_hash(user.password_hash, password):\n    grant_access()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/259.html',
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://docs.python.org/3/library/os.html#os.environ',
      'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    ],
    bandit: ['B105'],
    ruff: ['S105'],
    auditAdds:
      'comparisons of a secret-like name with any non-empty literal, however little it looks like a secret (`token == "lambda"`, `password == safe == "x"`)',
  },
  messages: {
    assigned:
      '`{{name}}` is set to a hardcoded {{kind}}; load it at runtime from the environment or a secret manager.',
    compared:
      '`{{name}}` is compared with a hardcoded {{kind}}; compare against a stored hash or a value loaded at runtime instead.',
  },
  create(context) {
    const { model } = context;

    function check(
      target: SyntaxNode,
      value: SyntaxNode,
      reportNode: SyntaxNode,
      messageId: 'assigned' | 'compared',
    ): boolean {
      const name = targetName(model, target);
      if (name === undefined) return false;
      // SECRET_KEY, app.secret_key and friends are reported by hardcoded-framework-secret.
      if (messageId === 'assigned' && isFrameworkSecretTarget(model, target)) return false;
      const kind = secretNameKind(name);
      if (kind === undefined) return false;
      const literal = literalString(model, value);
      if (literal === undefined) return false;
      const verdict = judgeSecretValue(literal, name);
      const passwordKind = kind === 'password' || kind === 'passphrase';
      if (!verdict.secret) {
        if (verdict.reason !== 'label') return false;
        const shape = labelShape(literal.trim(), name);
        const words = nameWords(literal);
        // `password == "admin_pass"`: a login check against a literal, whatever its shape.
        const comparedWords =
          messageId === 'compared' &&
          passwordKind &&
          shape === 'words' &&
          !words.some((word) => SENTINEL_WORDS.has(word));
        // `HMAC_SECRET = "secret"`: the weakest key there is, under a name that is not its own.
        const weakWord =
          messageId === 'assigned' &&
          (kind === 'secret' || passwordKind) &&
          shape === 'vocabulary' &&
          WEAK_WORD_SECRETS.has(literal.trim().toLowerCase()) &&
          nameWords(name).length >= 2;
        // `password == "secret"`: a login that accepts the weakest secret there is.
        const weakCompared =
          messageId === 'compared' &&
          (kind === 'secret' || passwordKind) &&
          WEAK_WORD_SECRETS.has(literal.trim().toLowerCase());
        if (!comparedWords && !weakWord && !weakCompared) return false;
        context.report({
          node: reportNode,
          messageId,
          data: { name, kind },
          confidence: testAdjusted('medium', context.isTestFile),
        });
        return true;
      }
      // Parsers compare `token` with keywords all the time (`token == "lambda"`): for tokens,
      // only a comparison with a secret-shaped value counts.
      if (messageId === 'compared' && kind === 'token' && verdict.strength !== 'strong')
        return false;
      let confidence = secretConfidence(verdict.strength, context.isTestFile);
      // A short password checked at login, or held by a setting, is in use: not a sample value.
      const inUse =
        (messageId === 'compared' && passwordKind) ||
        (messageId === 'assigned' && SETTING_NAME.test(name));
      if (inUse && confidence === 'low' && !context.isTestFile) confidence = 'medium';
      context.report({
        node: reportNode,
        messageId,
        data: { name, kind },
        confidence,
      });
      return true;
    }

    /** The name a compared value is known by: `auth`, `headers["Authorization"]`, `headers.get("X-Auth")`. */
    function comparedName(node: SyntaxNode): string | undefined {
      const name = targetName(model, node);
      if (name !== undefined || node.type !== 'call') return name;
      const call = model.call(node);
      const key = call.methodName === 'get' ? call.positional[0] : undefined;
      return key === undefined ? undefined : literalString(model, key);
    }

    /**
     * `auth_header == "SecretKey123"`: a credential sent by the client checked against a
     * secret-shaped literal (mixed case and digits, not a lower-case identifier).
     */
    function checkCredentialCompare(side: SyntaxNode, value: SyntaxNode, reportNode: SyntaxNode) {
      const name = comparedName(side);
      if (name === undefined || secretNameKind(name) !== undefined) return;
      const words = nameWords(name);
      if (!words.some((word) => CREDENTIAL_WORDS.has(word))) return;
      if (words.some((word) => CREDENTIAL_QUALIFIERS.has(word))) return;
      // `"Bearer <token>"`: judge the token, not the scheme in front of it.
      const literal = literalString(model, value)?.trim().replace(AUTH_SCHEME, '');
      if (literal === undefined || LOWER_IDENTIFIER.test(literal)) return;
      const verdict = judgeSecretValue(literal, name);
      if (!verdict.secret || verdict.strength !== 'strong' || characterClasses(literal) < 3) return;
      context.report({
        node: reportNode,
        messageId: 'compared',
        data: { name, kind: 'credential' },
        confidence: testAdjusted('medium', context.isTestFile),
      });
    }

    /**
     * `token == "s3cr3t"`, `password == "x"`: a secret-like name compared with any non-empty
     * literal, which bandit and ruff report whatever the literal looks like. Audit only: most
     * such literals are keywords, sentinels or labels (`token == "lambda"`).
     */
    function auditCompare(side: SyntaxNode, value: SyntaxNode, reportNode: SyntaxNode): boolean {
      const name = targetName(model, side);
      const kind = name === undefined ? undefined : secretNameKind(name);
      const literal = literalString(model, value);
      if (name === undefined || kind === undefined || !literal) return false;
      context.report({
        node: reportNode,
        messageId: 'compared',
        data: { name, kind },
        severity: 'low',
        confidence: 'low',
        profile: 'audit',
      });
      return true;
    }

    /**
     * `password == safe == "s3cr3t"`: in a chain of equality tests every operand is compared
     * with the literal, not only its neighbour. Audit only, as for `auditCompare`.
     */
    function auditChainedCompare(node: SyntaxNode): void {
      const children = node.children;
      if (children.length < 5) return;
      const operators = children.filter((_, index) => index % 2 === 1);
      if (!operators.every((operator) => operator.type === '==' || operator.type === '!=')) return;
      const operands = children.filter((_, index) => index % 2 === 0);
      const literals = operands.filter((operand) => literalString(model, operand) !== undefined);
      for (const [index, side] of operands.entries()) {
        if (literalString(model, side) !== undefined) continue;
        const distant = literals.filter(
          (literal) => Math.abs(operands.indexOf(literal) - index) > 1,
        );
        if (distant.some((literal) => auditCompare(side, literal, node))) return;
      }
    }

    return {
      assignment(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        for (const [target, value] of assignedPairs(node)) check(target, value, node, 'assigned');
      },
      pair(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (
          key === null ||
          value === null ||
          (key.type !== 'string' && key.type !== 'concatenated_string')
        )
          return;
        // A key that names a setting or a header (`"db_password"`, `"X-Api-Key"`), not a label or
        // a type name such as `"AWS::IAM::AccessKey"` mapped to its schema hash.
        const keyText = context.model.staticString(key);
        if (keyText !== undefined && !SETTING_KEY.test(keyText)) return;
        check(key, value, node, 'assigned');
      },
      comparison_operator(node) {
        const text = context.textOf(node);
        const credential = /auth|credential/i.test(text);
        if (!mayHoldSecretLiteral(text) && !(credential && /["']/.test(text))) return;
        const children = node.children;
        for (let index = 1; index + 1 < children.length; index++) {
          const operator = children[index];
          const left = children[index - 1];
          const right = children[index + 1];
          if (operator === undefined || left === undefined || right === undefined) continue;
          if (operator.type !== '==' && operator.type !== '!=') continue;
          const rightIsLiteral = literalString(model, right) !== undefined;
          const leftIsLiteral = literalString(model, left) !== undefined;
          if (rightIsLiteral === leftIsLiteral) continue;
          const [side, value] = rightIsLiteral ? [left, right] : [right, left];
          if (!check(side, value, node, 'compared')) auditCompare(side, value, node);
          if (credential) checkCredentialCompare(side, value, node);
        }
        auditChainedCompare(node);
      },
    };
  },
});
