import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { run } from '../../src/cli/run.js';
import {
  DEFAULT_CONFIG,
  configJsonSchema,
  parseConfigText,
  validateConfig,
} from '../../src/config/index.js';
import type { ValidateOptions } from '../../src/config/index.js';
import { RuleRegistry } from '../../src/rules-api/registry.js';

const KNOWN = new Set(['PGI001', 'sql-injection', 'PGI002', 'shell-injection']);
const rules: ValidateOptions = {
  isKnownRule: (name) => KNOWN.has(name),
  ruleNames: [...KNOWN],
  ruleOptions: () => ({}),
};

type Json = Record<string, unknown>;

/** The object schema of a nullable section (`anyOf: [object, null]`) or of an object. */
function objectOf(schema: unknown): Json {
  const json = schema as Json;
  const anyOf = json['anyOf'] as Json[] | undefined;
  return anyOf?.find((member) => member['type'] === 'object') ?? json;
}

function propertiesOf(schema: unknown): Record<string, Json> {
  return objectOf(schema)['properties'] as Record<string, Json>;
}

describe('profile', () => {
  it('is default unless set, and accepts default and audit in any case', () => {
    expect(DEFAULT_CONFIG.profile).toBe('default');
    expect(validateConfig({ profile: ' Audit ' })).toEqual({
      config: { ...DEFAULT_CONFIG, profile: 'audit' },
      problems: [],
    });
  });

  it('reports an unknown profile with the closest one', () => {
    expect(validateConfig({ profile: 'adit', fail_on: 'low' })).toEqual({
      config: { ...DEFAULT_CONFIG, failOn: 'low' },
      problems: [
        {
          key: 'profile',
          message: 'profile: got "adit", expected one of default, audit; did you mean "audit"?',
        },
      ],
    });
    expect(validateConfig({ profile: 3 }).problems[0]?.message).toBe(
      'profile: got 3, expected one of default, audit',
    );
  });
});

describe('rules.per_path', () => {
  it('keeps the entries in file order, trimmed, with empty settings filled in', () => {
    const { config, problems } = parseConfigText(
      [
        'rules:',
        '  per_path:',
        '    "tests/**":',
        '      disable: [PGI001]',
        '    " scripts/*.py ":',
        '      enable: shell-injection',
        '      severity: { PGI001: LOW }',
        '    "empty/**":',
        '',
      ].join('\n'),
      rules,
    );
    expect(problems).toEqual([]);
    expect(config.rules.perPath).toEqual([
      { pattern: 'tests/**', enable: [], disable: ['PGI001'], severity: {} },
      {
        pattern: 'scripts/*.py',
        enable: ['shell-injection'],
        disable: [],
        severity: { PGI001: 'low' },
      },
    ]);
  });

  it('is absent from the configuration when the file does not set it', () => {
    expect(validateConfig({ rules: { disable: ['x'] } }).config.rules.perPath).toBeUndefined();
  });

  it('reports unknown keys, unknown rules and bad values with their path, keeping the rest', () => {
    const { config, problems } = validateConfig(
      {
        rules: {
          per_path: {
            'tests/**': { disabled: ['PGI001'], disable: ['PGI01', 'PGI002'] },
            'a/**': { severity: { PGI001: 'critical', 'sql-injektion': 'low' } },
            'b/**': ['PGI001'],
          },
        },
      },
      rules,
    );
    expect(problems).toEqual([
      {
        key: 'rules.per_path.tests/**.disabled',
        message:
          'unknown key "rules.per_path.tests/**.disabled", expected one of enable, disable, severity; did you mean "disable"?',
      },
      {
        key: 'rules.per_path.tests/**.disable[0]',
        message:
          'rules.per_path.tests/**.disable[0]: got "PGI01", expected a known rule ID or slug; did you mean "PGI001"?',
      },
      {
        key: 'rules.per_path.a/**.severity.PGI001',
        message:
          'rules.per_path.a/**.severity.PGI001: got "critical", expected one of high, medium, low',
      },
      {
        key: 'rules.per_path.a/**.severity.sql-injektion',
        message:
          'rules.per_path.a/**.severity.sql-injektion: got "sql-injektion", expected a known rule ID or slug; did you mean "sql-injection"?',
      },
      {
        key: 'rules.per_path.b/**',
        message:
          'rules.per_path.b/**: got ["PGI001"], expected a mapping with keys enable, disable, severity',
      },
    ]);
    expect(config.rules.perPath).toEqual([
      { pattern: 'tests/**', enable: [], disable: ['PGI002'], severity: {} },
      { pattern: 'a/**', enable: [], disable: [], severity: {} },
    ]);
  });

  it('reports a per_path that is not a mapping', () => {
    expect(validateConfig({ rules: { per_path: ['tests/**'] } }).problems).toEqual([
      {
        key: 'rules.per_path',
        message:
          'rules.per_path: got ["tests/**"], expected a mapping from a glob pattern to rule settings, such as "tests/**: {disable: [PGS001]}"',
      },
    ]);
  });
});

describe('lenient validation', () => {
  it('reports items by their index in the file after dropping earlier bad items', () => {
    const { config, problems } = validateConfig(
      { rules: { enable: ['nope', 'PGI001', 7, 'PGI02'] } },
      rules,
    );
    expect(config.rules.enable).toEqual(['PGI001']);
    expect(problems.map((problem) => problem.key)).toEqual([
      'rules.enable[0]',
      'rules.enable[2]',
      'rules.enable[3]',
    ]);
  });

  it('drops a dependency ignore entry whose id is invalid, keeping the entries after it', () => {
    const { config, problems } = validateConfig({
      dependencies: {
        ignore: [
          { id: 'nope', reason: 'x' },
          { id: 'PYSEC-2021-142', reason: 'only safe_load' },
        ],
      },
    });
    expect(problems.map((problem) => problem.key)).toEqual(['dependencies.ignore[0].id']);
    expect(config.dependencies.ignore).toEqual([
      { id: 'PYSEC-2021-142', reason: 'only safe_load' },
    ]);
  });

  it('orders problems as the keys appear in the file, whichever is found first', () => {
    const { problems } = validateConfig({
      comments: { maximum: 1 },
      fail_on: 'x',
      paths: { include: [3] },
    });
    expect(problems.map((problem) => problem.key)).toEqual([
      'comments.maximum',
      'fail_on',
      'paths.include[0]',
    ]);
  });
});

describe('the JSON Schema', () => {
  const schema = configJsonSchema(new RuleRegistry(allRules).validateOptions());
  const top = propertiesOf(schema);

  it('describes every key of the file, and no other', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toBe(false);
    expect(Object.keys(top)).toEqual([
      '_extends',
      'fail_on',
      'min_confidence',
      'profile',
      'paths',
      'rules',
      'comments',
      'on_error',
      'max_file_bytes',
      'dependencies',
    ]);
    expect(top['profile']).toMatchObject({ type: 'string', enum: ['default', 'audit'] });
    expect(top['fail_on']).toMatchObject({ enum: ['high', 'medium', 'low', 'never'] });
    expect(objectOf(top['rules'])['additionalProperties']).toBe(false);
    expect(Object.keys(propertiesOf(top['rules']))).toEqual([
      'enable',
      'disable',
      'severity',
      'options',
      'per_path',
    ]);
    expect(propertiesOf(top['comments'])['max']).toMatchObject({
      type: 'integer',
      minimum: 0,
      maximum: 100,
    });
  });

  it('lists the rules once and every rule option with its type, range and description', () => {
    const rule = (schema['$defs'] as Record<string, Json>)['rule'];
    expect(rule?.['enum']).toContain('PGC007');
    expect(rule?.['enum']).toContain('weak-key-size');
    expect(rule?.['enum']).toContain('missing-rate-limit'); // a retired slug still works
    const options = objectOf(propertiesOf(top['rules'])['options']);
    expect(options['additionalProperties']).toBe(false);
    const weakKey = propertiesOf((options['properties'] as Record<string, Json>)['PGC007']);
    expect(weakKey['min_rsa_bits']).toMatchObject({
      type: 'integer',
      minimum: 512,
      maximum: 16384,
    });
    expect(typeof weakKey['min_rsa_bits']?.['description']).toBe('string');
  });

  it('describes a per_path entry like the top-level rule settings', () => {
    const perPath = objectOf(propertiesOf(top['rules'])['per_path']);
    const entry = perPath['additionalProperties'] as Json;
    expect(Object.keys(propertiesOf(entry))).toEqual(['enable', 'disable', 'severity']);
    expect(entry['additionalProperties']).toBe(false);
  });

  it('is what `pyguard config schema` prints', async () => {
    let stdout = '';
    const code = await run(['config', 'schema'], {
      cwd: process.cwd(),
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: () => true },
      env: {},
    });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(schema);
  });
});
