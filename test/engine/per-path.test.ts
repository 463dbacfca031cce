import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { defaultConfig, validateConfig, type PyGuardConfig } from '../../src/config/index.js';
import { createScanner } from '../../src/engine/scanner.js';
import { auditManifests } from '../../src/deps/audit.js';
import { createPathRuleSelector } from '../../src/rules-api/per-path.js';
import { RuleRegistry, selectRules } from '../../src/rules-api/registry.js';

/** MD5 (PGC001 weak-hash, medium) on line 5 and an unsafe YAML load (PGD003, high) on line 6. */
const SOURCE = [
  'import hashlib',
  'import yaml',
  '',
  'def load(data):',
  '    hashlib.md5(data)',
  '    return yaml.load(data)',
  '',
].join('\n');

function configFrom(raw: unknown): PyGuardConfig {
  const { config, problems } = validateConfig(raw, new RuleRegistry(allRules).validateOptions());
  expect(problems).toEqual([]);
  return config;
}

function findingsAt(config: PyGuardConfig, path: string, pathBase?: string): string[] {
  const scanner = createScanner({ ...config, pathBase }, allRules);
  return scanner
    .scanFile({ path, source: SOURCE })
    .findings.map((finding) => `${finding.ruleId}:${finding.severity}`)
    .sort();
}

describe('rules.per_path in the scanner', () => {
  const config = configFrom({
    rules: {
      disable: ['PGD003'],
      per_path: {
        'tests/**': { disable: ['weak-hash'] },
        'tests/integration/**': { enable: ['PGD003'], severity: { 'yaml-unsafe-load': 'low' } },
        '**/legacy/*.py': { severity: { PGC001: 'high' } },
      },
    },
  });

  it('uses the top-level settings where no entry matches', () => {
    expect(findingsAt(config, 'app/a.py')).toEqual(['PGC001:medium']);
  });

  it('applies every matching entry in file order on top of the top level', () => {
    expect(findingsAt(config, 'tests/test_a.py')).toEqual([]);
    expect(findingsAt(config, 'tests/integration/test_a.py')).toEqual(['PGD003:low']);
    expect(findingsAt(config, 'app/legacy/a.py')).toEqual(['PGC001:high']);
  });

  it('matches the path from the repository root when the paths start below it', () => {
    expect(findingsAt(config, 'test_a.py', 'tests')).toEqual([]);
    expect(findingsAt(config, 'a.py', 'app/legacy')).toEqual(['PGC001:high']);
    expect(findingsAt(config, './a.py', 'app')).toEqual(['PGC001:medium']);
  });

  it('is the same scanner as before for a configuration without per_path', () => {
    expect(findingsAt(defaultConfig(), 'tests/test_a.py')).toEqual([
      'PGC001:medium',
      'PGD003:high',
    ]);
  });

  it('cannot turn on a rule that --rule leaves out', () => {
    const enabling = configFrom({
      rules: { disable: ['PGD003'], per_path: { 'app/**': { enable: ['PGD003'] } } },
    });
    const scanner = createScanner(enabling, allRules, ['PGC001']);
    const findings = scanner.scanFile({ path: 'app/a.py', source: SOURCE }).findings;
    expect(findings.map((finding) => finding.ruleId)).toEqual(['PGC001']);
    const all = createScanner(enabling, allRules).scanFile({ path: 'app/a.py', source: SOURCE });
    expect(all.findings.map((finding) => finding.ruleId).sort()).toEqual(['PGC001', 'PGD003']);
  });
});

describe('createPathRuleSelector', () => {
  const registry = new RuleRegistry(allRules);

  it('reads a retired rule name as the rules that replaced it', () => {
    const rules = configFrom({
      rules: {
        enable: ['PGW014', 'PGW015'],
        per_path: { 'api/**': { disable: ['missing-rate-limit'], severity: { PGW012: 'high' } } },
      },
    }).rules;
    const base = selectRules(registry, rules);
    const select = createPathRuleSelector(registry, rules, base);
    const ids = (path: string): string[] =>
      select(path)
        .rules.map((rule) => rule.meta.id)
        .filter((id) => id === 'PGW014' || id === 'PGW015');
    expect(ids('web/views.py')).toEqual(['PGW014', 'PGW015']);
    expect(ids('api/views.py')).toEqual([]);
    const overrides = select('api/views.py').severityOverrides;
    expect([overrides.get('PGW014'), overrides.get('PGW015')]).toEqual(['high', 'high']);
    expect(select('web/views.py')).toBe(base);
    expect(select('api/a.py')).toBe(select('api/b.py'));
  });
});

describe('rules.per_path in the dependency audit', () => {
  it('turns off a manifest rule for the manifests an entry matches', async () => {
    const config = configFrom({
      rules: { per_path: { 'legacy/**': { disable: ['PGV003'] } } },
    });
    const text = '--index-url http://pypi.example.com/simple\nrequests==2.31.0\n';
    const audit = await auditManifests(
      [
        { path: 'requirements.txt', text },
        { path: 'legacy/requirements.txt', text },
      ],
      undefined,
      { config, rules: allRules },
    );
    const byPath = audit.results.map((result) => [
      result.path,
      result.findings.map((finding) => finding.ruleId),
    ]);
    expect(byPath).toEqual([
      ['legacy/requirements.txt', []],
      ['requirements.txt', ['PGV003']],
    ]);
  });
});
