/**
 * A rule split into several keeps working under its old ID and slug: `replaces` on each successor
 * makes the retired name stand for all of them in suppression comments, configuration and
 * `--rule`.
 */
import { describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { parseConfigText } from '../../src/config/index.js';
import { createScanner } from '../../src/engine/scanner.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { RuleRegistry, metaProblems, selectRules } from '../../src/rules-api/registry.js';
import type { AnyRule } from '../../src/rules-api/types.js';

const RETIRED = { id: 'PGM980', slug: 'test-retired' } as const;

const META = {
  title: 'Test: successor',
  category: 'misc',
  severity: 'low',
  confidence: 'high',
  cwe: [710],
  description: 'Reports calls to one function.',
  why: 'Test rule.',
  fix: 'Do not call it.',
  example: { bad: 'f()', good: 'g()' },
  bandit: [],
  ruff: [],
} as const;

/** A rule reporting every call of `name`, replacing the retired test rule. */
function successor(id: string, slug: string, name: string, enabledByDefault = true): AnyRule {
  return defineRule({
    meta: { ...META, id, slug, enabledByDefault, replaces: [RETIRED] },
    options: {
      loud: { kind: 'boolean', default: false, description: 'Report at medium severity.' },
    },
    messages: { called: `\`${name}\` called` },
    create(context) {
      return {
        call(node) {
          if (context.textOf(context.call(node).callee) !== name) return;
          context.report({
            node,
            messageId: 'called',
            severity: context.options.loud ? 'medium' : undefined,
          });
        },
      };
    },
  });
}

const first = successor('PGM981', 'test-first', 'alpha');
const second = successor('PGM982', 'test-second', 'beta', false);
const other = defineRule({
  meta: { ...META, id: 'PGM983', slug: 'test-other' },
  messages: { called: '`gamma` called' },
  create(context) {
    return {
      call(node) {
        if (context.textOf(context.call(node).callee) === 'gamma')
          context.report({ node, messageId: 'called' });
      },
    };
  },
});
const RULES = [first, second, other];

/** The findings of the test rules on one line of each call, as `rule line [severity]`. */
function scan(yaml: string, source: string, only?: readonly string[]): string[] {
  const { config, problems } = parseConfigText(yaml, new RuleRegistry(RULES).validateOptions());
  expect(problems).toEqual([]);
  config.minConfidence = 'low';
  return createScanner(config, RULES, only)
    .scanFile({ path: 'app/module.py', source })
    .findings.filter((finding) => finding.suppression === undefined)
    .map((finding) => `${finding.ruleId} ${finding.span.start.line} [${finding.severity}]`);
}

const SOURCE = 'alpha()\nbeta()\ngamma()\n';
const ENABLE_ALL = 'rules:\n  enable: [PGM982]\n';

describe('a retired rule name in the registry', () => {
  const registry = new RuleRegistry(RULES);

  it('resolves to every successor, by ID or slug in any case', () => {
    for (const name of ['PGM980', 'pgm980', 'test-retired', 'TEST-RETIRED']) {
      expect(registry.resolve(name).map((rule) => rule.meta.id)).toEqual(['PGM981', 'PGM982']);
      expect(registry.has(name)).toBe(true);
    }
    expect(registry.get('PGM980'), 'get() knows current rules only').toBeUndefined();
    expect(registry.resolve('PGM981').map((rule) => rule.meta.id)).toEqual(['PGM981']);
    expect(registry.resolve('PGM999')).toEqual([]);
  });

  it('is offered in "did you mean" hints, once', () => {
    expect(registry.names().filter((name) => name === 'test-retired')).toEqual(['test-retired']);
    const { problems } = parseConfigText(
      'rules:\n  disable: [test-retird]\n',
      registry.validateOptions(),
    );
    expect(problems.map((problem) => problem.message).join('\n')).toContain('"test-retired"');
  });

  it('may not name a current rule, nor be given two slugs', () => {
    const clash = successor('PGM984', 'test-clash', 'delta');
    const retiredAsCurrent = defineRule({
      meta: { ...META, id: 'PGM980', slug: 'test-retired' },
      messages: { m: 'm' },
      create: () => ({}),
    });
    expect(() => new RuleRegistry([clash, retiredAsCurrent])).toThrow(/names a current rule/);
    const renamed = defineRule({
      meta: {
        ...META,
        id: 'PGM985',
        slug: 'test-renamed',
        replaces: [{ id: 'PGM980', slug: 'x' }],
      },
      messages: { m: 'm' },
      create: () => ({}),
    });
    expect(() => new RuleRegistry([first, renamed])).toThrow(/replaces PGM980 as "x"/);
  });

  it('is checked with the rest of the metadata', () => {
    const bad = defineRule({
      meta: {
        ...META,
        id: 'PGM986',
        slug: 'test-bad',
        replaces: [
          { id: 'M6', slug: 'Not_Kebab' },
          { id: 'PGM986', slug: 'old' },
        ],
      },
      messages: { m: 'm' },
      create: () => ({}),
    });
    expect(metaProblems(bad)).toEqual([
      'replaces "M6", which is not a rule id',
      'replaces slug "Not_Kebab", which is not kebab-case',
      'replaces itself',
    ]);
  });
});

describe('a retired rule name in configuration', () => {
  it('disables every successor', () => {
    expect(scan(`${ENABLE_ALL}  disable: [PGM980]\n`, SOURCE)).toEqual(['PGM983 3 [low]']);
    expect(scan(`${ENABLE_ALL}  disable: [test-retired]\n`, SOURCE)).toEqual(['PGM983 3 [low]']);
  });

  it('enables every successor that is off by default', () => {
    expect(scan('', SOURCE)).toEqual(['PGM981 1 [low]', 'PGM983 3 [low]']);
    expect(scan('rules:\n  enable: [test-retired]\n', SOURCE)).toEqual([
      'PGM981 1 [low]',
      'PGM982 2 [low]',
      'PGM983 3 [low]',
    ]);
  });

  it('sets the severity of every successor', () => {
    expect(scan(`${ENABLE_ALL}  severity:\n    PGM980: high\n`, SOURCE)).toEqual([
      'PGM981 1 [high]',
      'PGM982 2 [high]',
      'PGM983 3 [low]',
    ]);
  });

  it('sets the options of every successor, and its unknown options are reported', () => {
    expect(scan(`${ENABLE_ALL}  options:\n    test-retired: { loud: true }\n`, SOURCE)).toEqual([
      'PGM981 1 [medium]',
      'PGM982 2 [medium]',
      'PGM983 3 [low]',
    ]);
    const { problems } = parseConfigText(
      'rules:\n  options:\n    PGM980: { quiet: true }\n',
      new RuleRegistry(RULES).validateOptions(),
    );
    expect(problems.map((problem) => problem.key)).toEqual(['rules.options.PGM980.quiet']);
  });

  it('restricts a run to every successor (`--rule`)', () => {
    const selection = selectRules(
      new RuleRegistry(RULES),
      { enable: [], disable: [], severity: {} },
      ['test-retired'],
    );
    expect(selection.rules.map((rule) => rule.meta.id)).toEqual(['PGM981', 'PGM982']);
  });
});

describe('a retired rule name in a suppression comment', () => {
  it('suppresses every successor and no other rule', () => {
    const source = [
      'alpha()  # pyguard: ignore[PGM980] checked by hand',
      'beta()  # pyguard: ignore[test-retired] checked by hand',
      'gamma()  # pyguard: ignore[PGM980] names another rule',
      '',
    ].join('\n');
    expect(scan(ENABLE_ALL, source)).toEqual(['PGM983 3 [low]']);
  });
});

describe('the built-in rules split from PGM006 and PGW012', () => {
  const IDOR = [
    'from django.shortcuts import get_object_or_404',
    '',
    'def invoice(request, pk):',
    '    return get_object_or_404(Invoice, pk=pk)  # pyguard: ignore[{{name}}] reviewed',
    '',
  ].join('\n');

  const findings = (yaml: string, source: string): string[] => {
    const registry = new RuleRegistry(allRules);
    const { config, problems } = parseConfigText(yaml, registry.validateOptions());
    expect(problems).toEqual([]);
    return createScanner(config, allRules)
      .scanFile({ path: 'app/views.py', source })
      .findings.map((finding) => `${finding.ruleId}${finding.suppression ? ' suppressed' : ''}`);
  };

  it('are suppressed by the old ID and slug', () => {
    expect(findings('', IDOR.replace('{{name}}', 'PGI001'))).toEqual(['PGM012']);
    expect(findings('', IDOR.replace('{{name}}', 'PGM006'))).toEqual(['PGM012 suppressed']);
    expect(findings('', IDOR.replace('{{name}}', 'authz-idor-heuristics'))).toEqual([
      'PGM012 suppressed',
    ]);
  });

  it('are configured by the old ID and slug', () => {
    const registry = new RuleRegistry(allRules);
    const selected = (yaml: string): string[] => {
      const { config } = parseConfigText(yaml, registry.validateOptions());
      return selectRules(registry, config.rules).rules.map((rule) => rule.meta.id);
    };
    const successorsOf = (id: string): string[] =>
      allRules
        .filter((rule) => rule.meta.replaces?.some((old) => old.id === id))
        .map((rule) => rule.meta.id);
    expect(successorsOf('PGM006')).toEqual([
      'PGM012',
      'PGM013',
      'PGM014',
      'PGM015',
      'PGM016',
      'PGM017',
    ]);
    expect(successorsOf('PGW012')).toEqual(['PGW014', 'PGW015']);
    const byDefault = selected('');
    expect(byDefault).toEqual(expect.arrayContaining(successorsOf('PGM006')));
    expect(byDefault).not.toEqual(expect.arrayContaining(['PGW014']));
    const withoutIdor = selected('rules:\n  disable: [authz-idor-heuristics]\n');
    expect(withoutIdor.filter((id) => successorsOf('PGM006').includes(id))).toEqual([]);
    expect(withoutIdor.length).toBe(byDefault.length - 6);
    expect(selected('rules:\n  enable: [PGW012]\n')).toEqual(
      expect.arrayContaining(['PGW014', 'PGW015']),
    );
    expect(findings('rules:\n  disable: [PGM006]\n', IDOR.replace('{{name}}', 'x'))).toEqual([]);
  });
});
