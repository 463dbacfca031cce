/**
 * The `default` and `audit` profiles end to end: which rules run, which reports are kept, and the
 * `profile: 'audit'` mark on the findings only the audit profile reports.
 */
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { scanSource } from '../../src/engine/scan.js';
import { createScanner } from '../../src/engine/scanner.js';
import type { Finding, Profile } from '../../src/engine/types.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { metaProblems, profilesOf } from '../../src/rules-api/registry.js';
import type { AnyRule } from '../../src/rules-api/types.js';

const META = {
  category: 'misc',
  severity: 'low',
  confidence: 'high',
  cwe: [710],
  description: 'Reports calls of `danger`.',
  why: 'Test rule.',
  fix: 'Do not call it.',
  example: { bad: 'danger()', good: 'safe()' },
  bandit: [],
  ruff: [],
} as const;

/** Reports `danger(...)`: constant arguments as audit-only, `low(...)` at low confidence. */
const graded = defineRule({
  meta: { ...META, id: 'PGM991', slug: 'test-graded', title: 'Test: graded' },
  messages: { call: '`{{name}}` called.' },
  create(context) {
    return {
      call(node) {
        const call = context.call(node);
        const name = context.textOf(call.callee);
        if (name !== 'danger' && name !== 'low') return;
        const first = call.positional[0];
        const constant = first !== undefined && context.model.staticString(first) !== undefined;
        context.report({
          node,
          messageId: 'call',
          data: { name },
          confidence: name === 'low' ? 'low' : 'high',
          profile: constant ? 'audit' : undefined,
        });
      },
    };
  },
});

/** Reports every `assert`, as a rule of the audit profile. */
const auditOnly = defineRule({
  meta: { ...META, id: 'PGM992', slug: 'test-audit-only', title: 'Test: audit', profile: 'audit' },
  messages: { assert: 'assert.' },
  create(context) {
    return {
      assert_statement: (node) => {
        context.report({ node, messageId: 'assert' });
      },
    };
  },
});

/** Reports every `pass`, off by default. */
const offByDefault = defineRule({
  meta: { ...META, id: 'PGM993', slug: 'test-off', title: 'Test: off', enabledByDefault: false },
  messages: { call: 'print.' },
  create(context) {
    return {
      call(node) {
        if (context.textOf(context.call(node).callee) === 'print')
          context.report({ node, messageId: 'call' });
      },
    };
  },
});

const RULES: readonly AnyRule[] = [graded, auditOnly, offByDefault];

const SOURCE = [
  'danger(name)', // 1: default
  'danger("ls")', // 2: audit-only report
  'low(name)', // 3: below the confidence threshold
  'assert name', // 4: audit-only rule
  'print(name)', // 5: rule off by default
].join('\n');

function scan(profile: Profile | undefined, enable: string[] = []): Finding[] {
  const config = {
    rules: { ...defaultConfig().rules, enable },
    minConfidence: 'medium' as const,
    ...(profile === undefined ? {} : { profile }),
  };
  return createScanner(config, RULES).scanFile({ path: 'app.py', source: SOURCE }).findings;
}

const lines = (findings: readonly Finding[]): number[] =>
  findings.map((finding) => finding.span.start.line);

describe('profiles', () => {
  it('default reports only what a precise review shows, unmarked', () => {
    const findings = scan(undefined);
    expect(lines(findings)).toEqual([1]);
    expect(findings[0]?.profile).toBeUndefined();
    expect(lines(scan('default'))).toEqual([1]);
  });

  it('audit adds audit-only reports and rules, low confidence and rules off by default', () => {
    const findings = scan('audit');
    expect(lines(findings)).toEqual([1, 2, 3, 4, 5]);
    expect(findings.map((finding) => finding.profile)).toEqual([
      undefined,
      'audit',
      'audit',
      'audit',
      'audit',
    ]);
  });

  it('default runs an audit-only or off rule that the configuration enables', () => {
    expect(lines(scan('default', ['test-audit-only', 'PGM993']))).toEqual([1, 4, 5]);
  });

  it('drops audit-only reports under default even with no confidence threshold', () => {
    const result = scanSource('app.py', SOURCE, { rules: [graded], profile: 'default' });
    expect(lines(result.findings)).toEqual([1, 3]);
  });

  it('shows a place by default when any rule reporting it does', () => {
    const twin = defineRule({
      meta: { ...META, id: 'PGM994', slug: 'test-twin', title: 'Test: twin' },
      messages: { call: 'twin.' },
      create(context) {
        return {
          call(node) {
            if (context.textOf(context.call(node).callee) === 'danger')
              context.report({ node, messageId: 'call', severity: 'high' });
          },
        };
      },
    });
    const result = scanSource('app.py', 'danger("ls")\n', {
      rules: [graded, twin],
      profile: 'audit',
    });
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.profile).toBeUndefined();
  });

  it('tells the profiles of each rule and rejects contradictory metadata', () => {
    expect(profilesOf(graded)).toEqual(['default', 'audit']);
    expect(profilesOf(auditOnly)).toEqual(['audit']);
    expect(profilesOf(offByDefault)).toEqual(['audit']);
    const contradictory = defineRule({
      meta: { ...auditOnly.meta, enabledByDefault: false },
      messages: { assert: 'assert.' },
      create: () => ({}),
    });
    expect(metaProblems(contradictory)).toContain(
      'an audit-only rule is off by default too (the audit profile runs both)',
    );
  });
});
