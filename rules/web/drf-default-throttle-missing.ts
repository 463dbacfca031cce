/**
 * A Django settings `REST_FRAMEWORK` dictionary without DRF's default throttle classes or rates.
 */
import { defineRule, testAdjusted, unwrapParens } from '../../src/rules-api/index.js';
import { LATER_CHANGE, THROTTLE_KEYS, dictionaryKeys } from '../_shared/drf-throttle-settings.js';

export default defineRule({
  meta: {
    id: 'PGW014',
    slug: 'drf-default-throttle-missing',
    title: 'DRF settings without default throttle classes and rates',
    category: 'web',
    severity: 'low',
    confidence: 'medium',
    cwe: [770, 400],
    owasp: ['A04:2021 Insecure Design'],
    description:
      'Flags a module-level Django settings `REST_FRAMEWORK = {...}` dictionary that sets neither or only one of `DEFAULT_THROTTLE_CLASSES` and `DEFAULT_THROTTLE_RATES` (also counting keys set later in the module; a `**splat` may set them and is not flagged).',
    why: 'Without a default throttle every API endpoint accepts unlimited requests, which makes password guessing, token brute force, scraping and resource exhaustion cheap. Throttle classes without rates fail at request time, and rates without classes do nothing.',
    fix: 'Add `DEFAULT_THROTTLE_CLASSES` (for example `AnonRateThrottle` and `UserRateThrottle`) and matching `DEFAULT_THROTTLE_RATES` to `REST_FRAMEWORK`. If a proxy or gateway rate-limits the API, suppress the finding with that reason.',
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
    replaces: [{ id: 'PGW012', slug: 'missing-rate-limit' }],
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
        // `{**BASE_REST_FRAMEWORK, ...}` may carry the throttle settings.
        const keys = dictionaryKeys(model, value);
        if (keys === undefined) return;
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
