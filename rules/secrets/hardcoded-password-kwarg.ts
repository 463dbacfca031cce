import {
  callVisitors,
  defineRule,
  literalString,
  secretConfidence,
} from '../../src/rules-api/index.js';
import { awsCredentialName, awsSdkCredentialPositions } from '../_shared/provider-tokens.js';
import { mayNameSecret, secretNameKind } from '../_shared/secret-names.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

export default defineRule({
  meta: {
    id: 'PGS002',
    slug: 'hardcoded-password-kwarg',
    title: 'Hardcoded password passed as a keyword argument',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [259, 798],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags a call that passes a string literal to a keyword named like a password, token, secret or API key, such as `connect(password="...")`.',
    why: 'A credential passed as a literal lives in the source code: everyone with read access to the repository, its history or its packages can use it, and changing it needs a code change and a release.',
    fix: 'Pass a value read at runtime instead: `connect(password=os.environ["DB_PASSWORD"])`, or a value from a secret manager or a credentials file outside the repository.',
    example: {
      bad: 'import psycopg\n\nconn = psycopg.connect(host="db", user="app", password="s3cr3t-Pa55!")\n',
      good: 'import os\nimport psycopg\n\nconn = psycopg.connect(host="db", user="app", password=os.environ["DB_PASSWORD"])\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/259.html',
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://docs.python.org/3/library/os.html#os.environ',
      'https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
    ],
    bandit: ['B106'],
    ruff: ['S106'],
  },
  messages: {
    hardcodedKeyword:
      '`{{name}}=` receives a hardcoded {{kind}}; pass a value loaded at runtime from the environment or a secret manager.',
  },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      if (!mayNameSecret(context.textOf(node))) return;
      for (const name of call.keywords.keys()) {
        const kind = secretNameKind(name);
        if (kind === undefined) continue;
        const value = call.keywords.get(name);
        const literal = value === undefined ? undefined : literalString(model, value);
        if (value === undefined || literal === undefined) continue;
        // AWS SDK credentials are reported by hardcoded-provider-key, which names the provider.
        if (
          awsCredentialName(name) !== undefined &&
          awsSdkCredentialPositions(model, call) !== undefined
        )
          continue;
        const verdict = judgeSecretValue(literal, name);
        if (!verdict.secret) continue;
        context.report({
          node: value.parent ?? value,
          messageId: 'hardcodedKeyword',
          data: { name, kind },
          confidence: secretConfidence(verdict.strength, context.isTestFile),
        });
      }
    });
  },
});
