import { defineRule } from '../../src/rules-api/define-rule.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import { assignedPairs } from '../_shared/assignment-pairs.js';
import { isFrameworkSecretTarget } from '../_shared/framework-secret.js';
import { mayHoldSecretLiteral, secretNameKind } from '../_shared/secret-names.js';
import { judgeSecretValue, secretConfidence } from '../_shared/secret-values.js';
import { literalString, targetName } from '../_shared/target-name.js';

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
    ): void {
      const name = targetName(model, target);
      if (name === undefined) return;
      // SECRET_KEY, app.secret_key and friends are reported by hardcoded-framework-secret.
      if (messageId === 'assigned' && isFrameworkSecretTarget(model, target)) return;
      const kind = secretNameKind(name);
      if (kind === undefined) return;
      const literal = literalString(model, value);
      if (literal === undefined) return;
      const verdict = judgeSecretValue(literal, name);
      if (!verdict.secret) return;
      // Parsers compare `token` with keywords all the time (`token == "lambda"`): for tokens,
      // only a comparison with a secret-shaped value counts.
      if (messageId === 'compared' && kind === 'token' && verdict.strength !== 'strong') return;
      context.report({
        node: reportNode,
        messageId,
        data: { name, kind },
        confidence: secretConfidence(verdict.strength, context.isTestFile),
      });
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
        check(key, value, node, 'assigned');
      },
      comparison_operator(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        const children = node.children;
        for (let index = 1; index + 1 < children.length; index++) {
          const operator = children[index];
          const left = children[index - 1];
          const right = children[index + 1];
          if (operator === undefined || left === undefined || right === undefined) continue;
          if (operator.type !== '==' && operator.type !== '!=') continue;
          const rightIsLiteral = literalString(model, right) !== undefined;
          const leftIsLiteral = literalString(model, left) !== undefined;
          if (rightIsLiteral && !leftIsLiteral) check(left, right, node, 'compared');
          else if (leftIsLiteral && !rightIsLiteral) check(right, left, node, 'compared');
        }
      },
    };
  },
});
