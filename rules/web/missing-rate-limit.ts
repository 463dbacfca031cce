import { defineRule } from '../../src/rules-api/define-rule.js';
import { unwrapParens } from '../../src/engine/model.js';
import { literalString } from '../_shared/target-name.js';
import { testAdjusted } from '../_shared/test-confidence.js';

const THROTTLE_KEYS = ['DEFAULT_THROTTLE_CLASSES', 'DEFAULT_THROTTLE_RATES'] as const;
const LATER_CHANGE = /\bREST_FRAMEWORK\s*(?:\[|\.(?:update|setdefault)\s*\()/;

export default defineRule({
  meta: {
    id: 'PGW012',
    slug: 'missing-rate-limit',
    title: 'Django REST framework settings without throttling',
    category: 'web',
    severity: 'low',
    confidence: 'medium',
    cwe: [770, 400],
    owasp: ['A04:2021 Insecure Design'],
    description:
      'Flags a Django settings `REST_FRAMEWORK = {...}` dictionary that sets neither or only one of `DEFAULT_THROTTLE_CLASSES` and `DEFAULT_THROTTLE_RATES`, leaving the API without a default rate limit.',
    why: 'Without a default throttle every endpoint accepts unlimited requests, which makes password guessing, token brute force, scraping and resource exhaustion cheap. Throttle classes without rates fail at request time, and rates without classes do nothing.',
    fix: 'Add `DEFAULT_THROTTLE_CLASSES` (for example `AnonRateThrottle` and `UserRateThrottle`) and matching `DEFAULT_THROTTLE_RATES` to `REST_FRAMEWORK`, or rate-limit at the proxy and suppress this finding.',
    example: {
      bad: 'REST_FRAMEWORK = {\n    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],\n}\n',
      good: 'REST_FRAMEWORK = {\n    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],\n    "DEFAULT_THROTTLE_CLASSES": [\n        "rest_framework.throttling.AnonRateThrottle",\n        "rest_framework.throttling.UserRateThrottle",\n    ],\n    "DEFAULT_THROTTLE_RATES": {"anon": "100/day", "user": "1000/day"},\n}\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/770.html',
      'https://www.django-rest-framework.org/api-guide/throttling/',
    ],
    bandit: [],
    ruff: [],
    enabledByDefault: false,
    fixable: false,
  },
  messages: {
    missing:
      '`REST_FRAMEWORK` does not set {{missing}}, so API endpoints have no default rate limit; configure throttle classes and rates.',
  },
  create(context) {
    const { model } = context;
    return {
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'identifier' || right === null) return;
        if (context.textOf(left) !== 'REST_FRAMEWORK') return;
        // Module level only: `REST_FRAMEWORK = {...}` in a settings module.
        if (node.parent?.type !== 'expression_statement' || node.parent.parent?.type !== 'module')
          return;
        const value = unwrapParens(right);
        if (value.type !== 'dictionary') return;
        const keys = new Set<string>();
        for (const child of value.namedChildren) {
          // `{**BASE_REST_FRAMEWORK, ...}` may carry the throttle settings.
          if (child.type === 'dictionary_splat') return;
          if (child.type !== 'pair') continue;
          const key = child.childForFieldName('key');
          const name = key === null ? undefined : literalString(model, key);
          if (name !== undefined) keys.add(name);
        }
        // Set later in the module: `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = ...` or `.update(...)`.
        const later = context.text.slice(node.endIndex);
        const amended = LATER_CHANGE.test(later);
        const missing = THROTTLE_KEYS.filter(
          (key) => !keys.has(key) && !(amended && later.includes(key)),
        );
        if (missing.length === 0) return;
        context.report({
          node: left,
          messageId: 'missing',
          data: { missing: missing.map((key) => `\`${key}\``).join(' or ') },
          confidence: testAdjusted(missing.length === 2 ? 'medium' : 'low', context.isTestFile),
        });
      },
    };
  },
});
