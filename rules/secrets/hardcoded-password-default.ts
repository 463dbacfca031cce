import { defineRule, literalString, secretConfidence } from '../../src/rules-api/index.js';
import { secretNameKind } from '../_shared/secret-names.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

const DEFAULT_PARAMETERS = new Set(['default_parameter', 'typed_default_parameter']);

export default defineRule({
  meta: {
    id: 'PGS003',
    slug: 'hardcoded-password-default',
    title: 'Hardcoded password as a parameter default',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [259, 798],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags a function parameter named like a password, token, secret or API key whose default value is a non-empty string literal.',
    why: 'A default credential is used silently whenever a caller omits the argument, so every deployment that forgets to configure it shares one password that anyone who can read the code knows.',
    fix: 'Default the parameter to `None` and load the value at runtime when it is missing (`password = password or os.environ["DB_PASSWORD"]`), or make the parameter required.',
    example: {
      bad: 'def connect(user, password="letmein99!"):\n    return Client(user, password)\n',
      good: 'import os\n\n\ndef connect(user, password=None):\n    return Client(user, password or os.environ["DB_PASSWORD"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/259.html',
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    ],
    bandit: ['B107'],
    ruff: ['S107'],
  },
  messages: {
    hardcodedDefault:
      'Parameter `{{name}}` defaults to a hardcoded {{kind}}; default to `None` and load the value at runtime, or make it required.',
  },
  create(context) {
    const { model } = context;
    return {
      function_definition(node) {
        const parameters = node.childForFieldName('parameters');
        if (parameters === null) return;
        for (const parameter of parameters.namedChildren) {
          if (!DEFAULT_PARAMETERS.has(parameter.type)) continue;
          const nameNode = parameter.childForFieldName('name');
          const value = parameter.childForFieldName('value');
          if (nameNode === null || value === null) continue;
          const name = context.textOf(nameNode);
          const kind = secretNameKind(name);
          if (kind === undefined) continue;
          const literal = literalString(model, value);
          if (literal === undefined) continue;
          const verdict = judgeSecretValue(literal, name);
          if (!verdict.secret) continue;
          context.report({
            node: parameter,
            messageId: 'hardcodedDefault',
            data: { name, kind },
            confidence: secretConfidence(verdict.strength, context.isTestFile),
          });
        }
      },
    };
  },
});
