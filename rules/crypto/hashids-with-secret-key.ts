import { callVisitors, defineRule, mentions, shortText } from '../../src/rules-api/index.js';

const HASHIDS = new Set(['hashids.Hashids']);

/**
 * The framework's signing key: Django's `settings.SECRET_KEY`, Flask's `app.secret_key` or
 * `app.config["SECRET_KEY"]`, and the `SECRET_KEY` environment variable that feeds them.
 */
const FRAMEWORK_SECRET = /\bSECRET_KEY\b|\.secret_key\b/;

export default defineRule({
  meta: {
    id: 'PGC013',
    slug: 'hashids-with-secret-key',
    title: 'Hashids salted with the framework secret key',
    category: 'crypto',
    severity: 'high',
    confidence: 'high',
    cwe: [327, 200],
    owasp: ['A02:2021 Cryptographic Failures'],
    description:
      "Flags `Hashids(salt=...)` whose salt is Django's `SECRET_KEY` or Flask's `secret_key`.",
    why: 'Hashids is an obfuscation scheme, not encryption: given a handful of ids and their hashes, the salt can be recovered. When the salt is the framework secret key, recovering it hands the attacker the key that signs sessions, password-reset tokens and CSRF tokens, so they can forge any of them.',
    fix: 'Give Hashids its own salt (`Hashids(salt=settings.HASHIDS_SALT)`) that is used for nothing else, and treat the ids it produces as public. Never reuse the framework secret key for another purpose.',
    example: {
      bad: 'from django.conf import settings\nfrom hashids import Hashids\n\nhashids = Hashids(salt=settings.SECRET_KEY, min_length=8)\n',
      good: 'from django.conf import settings\nfrom hashids import Hashids\n\nhashids = Hashids(salt=settings.HASHIDS_SALT, min_length=8)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/327.html',
      'https://github.com/davidaurelio/hashids-python',
      'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    secretSalt:
      '`{{callee}}` is salted with the framework secret key (`{{salt}}`); Hashids salts can be recovered from a few ids, which would expose the key that signs sessions. Use a separate salt.',
  },
  select: { calls: [...HASHIDS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      const callee = call.qualifiedName;
      if (callee === undefined || !HASHIDS.has(callee)) return;
      const salt = model.argument(call, 'salt', 0);
      if (salt === undefined || !mentions(model, salt, FRAMEWORK_SECRET)) return;
      context.report({
        node,
        messageId: 'secretSalt',
        data: { callee: context.textOf(call.callee), salt: shortText(context.textOf(salt)) },
      });
    });
  },
});
