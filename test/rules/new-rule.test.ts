/**
 * `npm run new-rule`: the scaffold picks the next free ID, refuses taken slugs and unknown
 * categories, and writes a rule that type-checks, loads, passes its own fixture and page
 * examples, and fails the metadata test until its placeholders are replaced.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRules } from '../../rules/index.js';
import { REPO_ROOT } from '../../scripts/docs-files.js';
import { scanExample } from '../../scripts/examples.js';
import {
  nextRuleId,
  parseTarget,
  placeholderProblems,
  planRule,
  readUsedNames,
  writePlan,
  type RulePlan,
} from '../../scripts/scaffold.js';
import { scanSource } from '../../src/engine/scan.js';
import { metaProblems } from '../../src/rules-api/registry.js';
import type { AnyRule } from '../../src/rules-api/types.js';
import { readFixture } from './fixture.js';

describe('new-rule arguments', () => {
  it('take <category>/<slug> and refuse anything else with one line', () => {
    expect(parseTarget('web/session-fixation')).toEqual({
      category: 'web',
      slug: 'session-fixation',
    });
    for (const [argument, error] of [
      ['session-fixation', /expected <category>\/<slug>/],
      ['webby/session-fixation', /unknown category "webby"; use one of injection, /],
      ['web/Session_Fixation', /slug "Session_Fixation" is not kebab-case/],
    ] as const) {
      const result = parseTarget(argument);
      expect('error' in result && result.error, argument).toMatch(error);
      expect('error' in result && result.error.includes('\n')).toBe(false);
    }
  });
});

describe('the next free ID', () => {
  it('is one above the highest ever used in the category, gaps and retired IDs left alone', () => {
    const used = {
      ids: new Set(['PGM001', 'PGM003', 'PGM006', 'PGW020']),
      slugs: new Set<string>(),
    };
    expect(nextRuleId('misc', used)).toBe('PGM007');
    expect(nextRuleId('xml', used)).toBe('PGX001');
  });

  it('counts the built-in rules, the rules they replace and the pages in docs/rules', () => {
    const used = readUsedNames(REPO_ROOT);
    for (const rule of allRules) {
      expect(used.ids.has(rule.meta.id)).toBe(true);
      expect(used.slugs.has(rule.meta.slug)).toBe(true);
      for (const retired of rule.meta.replaces ?? []) {
        expect(used.ids.has(retired.id)).toBe(true);
        expect(used.slugs.has(retired.slug)).toBe(true);
      }
    }
    const next = nextRuleId('misc', used);
    const taken = [...used.ids].filter((id) => id.startsWith('PGM'));
    expect(
      taken.every((id) => id < next),
      `${next} after ${taken.join(', ')}`,
    ).toBe(true);
  });

  it('is not given to a slug in use, current or retired', () => {
    const used = readUsedNames(REPO_ROOT);
    for (const slug of ['eval-used', 'authz-idor-heuristics']) {
      const plan = planRule({ category: 'misc', slug }, used);
      expect('error' in plan && plan.error).toBe(
        `a rule named "${slug}" exists already (or did: slugs are not reused)`,
      );
    }
  });
});

describe('a scaffolded rule', () => {
  let root = '';
  let plan: RulePlan;
  let rule: AnyRule;

  beforeAll(async () => {
    // A checkout of its own (an ES module package) whose src/ and node_modules/ are the repository's.
    root = mkdtempSync(join(tmpdir(), 'pyguard-new-rule-'));
    symlinkSync(join(REPO_ROOT, 'src'), join(root, 'src'), 'dir');
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
    writeFileSync(join(root, 'package.json'), '{ "type": "module" }\n');
    mkdirSync(join(root, 'rules', 'misc'), { recursive: true });
    const planned = planRule({ category: 'misc', slug: 'scaffold-probe' }, readUsedNames(root));
    if ('error' in planned) throw new Error(planned.error);
    plan = planned;
    writePlan(root, plan);
    const module = (await import(
      pathToFileURL(join(root, 'rules/misc/scaffold-probe.ts')).href
    )) as {
      default: AnyRule;
    };
    rule = module.default;
  });

  afterAll(() => {
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('gets the first ID of an empty category and writes the rule and its fixture', () => {
    expect(plan.id).toBe('PGM001');
    expect(plan.files.map((file) => file.path)).toEqual([
      'rules/misc/scaffold-probe.ts',
      'rules/misc/scaffold-probe.py',
    ]);
    expect(() => {
      writePlan(root, plan);
    }).toThrow(/exists already/);
  });

  it('type-checks with the project settings', () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(REPO_ROOT, 'tsconfig.json'),
      { noEmit: true },
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
    );
    if (config === undefined) throw new Error('cannot read tsconfig.json');
    const program = ts.createProgram({
      rootNames: [join(root, 'rules/misc/scaffold-probe.ts')],
      options: { ...config.options, rootDir: root, noEmit: true },
    });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('has valid metadata that still fails the placeholder check', () => {
    expect(rule.meta.id).toBe('PGM001');
    expect(rule.meta.slug).toBe('scaffold-probe');
    expect(metaProblems(rule)).toEqual([]);
    expect(placeholderProblems(rule)).toContain('description still has a TODO placeholder');
  });

  it('reports exactly the fixture line marked ruleid, not the one marked ok', () => {
    const text = readFileSync(join(root, 'rules/misc/scaffold-probe.py'), 'utf8');
    const fixture = readFixture(text, 'scaffold-probe');
    expect(fixture.foreign).toEqual([]);
    expect(fixture.expected.size).toBe(1);
    expect(fixture.ok.size).toBe(1);
    const result = scanSource('rules/misc/scaffold-probe.py', text, { rules: [rule] });
    expect(result.notices).toEqual([]);
    expect(new Set(result.findings.map((finding) => finding.span.start.line))).toEqual(
      fixture.expected,
    );
  });

  it('has page examples the executed-examples test accepts', () => {
    expect(scanExample(rule, rule.meta.example.bad).findings.length).toBeGreaterThan(0);
    expect(scanExample(rule, rule.meta.example.good).findings).toEqual([]);
  });
});
