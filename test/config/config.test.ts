import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import {
  ConfigFileError,
  DEFAULT_CONFIG,
  MAX_CONFIG_TEXT_LENGTH,
  createPathFilter,
  defaultConfig,
  findConfigFile,
  loadConfigFile,
  parseByteSize,
  parseConfigText,
  resolveConfig,
  toRepoPath,
  validateConfig,
} from '../../src/config/index.js';
import type { ConfigProblem, PyGuardConfig, ValidateOptions } from '../../src/config/index.js';
import { allRules } from '../../rules/index.js';
import { RuleRegistry } from '../../src/rules-api/registry.js';
import type { RuleOptionSchema } from '../../src/rules-api/types.js';
import { DEFAULT_MANIFEST_PATTERNS } from '../../src/deps/manifests/index.js';

/** The default `paths.include`: Python files and Django/Jinja2 templates. */
const DEFAULT_INCLUDE = ['**/*.py', '**/*.{html,htm,jinja,jinja2,j2,djhtml}'];

const KNOWN_RULES = new Set(['PGI001', 'sql-injection', 'PGI002', 'shell-injection']);
const isKnownRule = (idOrSlug: string): boolean => KNOWN_RULES.has(idOrSlug);

/** Options of the fake rules: `shell-injection` (PGI002) has some, `sql-injection` none. */
const SHELL_OPTIONS: RuleOptionSchema = {
  safe_commands: { kind: 'string-list', default: ['ls'], description: 'Commands never reported.' },
  max_depth: { kind: 'integer', default: 3, min: 1, max: 10, description: 'How far to look.' },
  strict: { kind: 'boolean', default: false, description: 'Report more.' },
};
const withRuleOptions: ValidateOptions = {
  isKnownRule,
  ruleNames: [...KNOWN_RULES],
  ruleOptions: (idOrSlug) =>
    !KNOWN_RULES.has(idOrSlug)
      ? undefined
      : idOrSlug === 'PGI002' || idOrSlug === 'shell-injection'
        ? SHELL_OPTIONS
        : {},
};

function withDefaults(overrides: Partial<PyGuardConfig>): PyGuardConfig {
  return { ...defaultConfig(), ...overrides };
}

function keysOf(problems: readonly ConfigProblem[]): string[] {
  return problems.map((problem) => problem.key);
}

describe('DEFAULT_CONFIG', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_CONFIG).toEqual({
      failOn: 'high',
      minConfidence: 'medium',
      profile: 'default',
      paths: { include: DEFAULT_INCLUDE, exclude: [] },
      rules: { enable: [], disable: [], severity: {}, options: {} },
      comments: { max: 25, drafts: false },
      onError: 'failure',
      maxFileBytes: 1_048_576,
      dependencies: { paths: [...DEFAULT_MANIFEST_PATTERNS], ignore: [] },
    });
  });

  it('is deeply frozen, and defaultConfig() returns independent copies', () => {
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_CONFIG.paths.include)).toBe(true);
    const copy = defaultConfig();
    copy.paths.include.push('x');
    expect(defaultConfig().paths.include).toEqual(DEFAULT_INCLUDE);
  });
});

describe('validateConfig', () => {
  it('gives the defaults for null, undefined and empty input', () => {
    for (const raw of [null, undefined, '', {}]) {
      expect(validateConfig(raw)).toEqual({ config: DEFAULT_CONFIG, problems: [] });
    }
  });

  it('reads a complete valid configuration', () => {
    const raw = {
      fail_on: 'medium',
      min_confidence: 'low',
      profile: 'audit',
      paths: { include: ['src/**/*.py', 'scripts/*.py'], exclude: ['src/vendor/**'] },
      rules: {
        enable: ['PGI001'],
        disable: ['shell-injection'],
        severity: { PGI002: 'low', 'sql-injection': 'medium' },
        options: { PGI001: { names: ['a', 'b'], limit: 3, strict: true } },
      },
      comments: { max: 10, drafts: true },
      on_error: 'neutral',
      max_file_bytes: 2048,
      dependencies: {
        paths: ['requirements.txt'],
        ignore: [{ id: 'GHSA-462w-v97r-4m45', reason: 'templates are trusted' }],
      },
    };
    expect(validateConfig(raw, { isKnownRule })).toEqual({
      config: {
        failOn: 'medium',
        minConfidence: 'low',
        profile: 'audit',
        paths: { include: ['src/**/*.py', 'scripts/*.py'], exclude: ['src/vendor/**'] },
        rules: {
          enable: ['PGI001'],
          disable: ['shell-injection'],
          severity: { PGI002: 'low', 'sql-injection': 'medium' },
          options: { PGI001: { names: ['a', 'b'], limit: 3, strict: true } },
        },
        comments: { max: 10, drafts: true },
        onError: 'neutral',
        maxFileBytes: 2048,
        dependencies: {
          paths: ['requirements.txt'],
          ignore: [{ id: 'GHSA-462w-v97r-4m45', reason: 'templates are trusted' }],
        },
      },
      problems: [],
    });
  });

  it('accepts enum values in any case and with surrounding spaces', () => {
    const { config, problems } = validateConfig({
      fail_on: 'NEVER',
      min_confidence: ' High ',
      on_error: 'Neutral',
      rules: { severity: { PGI001: 'LOW' } },
    });
    expect(problems).toEqual([]);
    expect(config.failOn).toBe('never');
    expect(config.minConfidence).toBe('high');
    expect(config.onError).toBe('neutral');
    expect(config.rules.severity).toEqual({ PGI001: 'low' });
  });

  it('reports a bad enum value and keeps the other keys', () => {
    expect(validateConfig({ fail_on: 'hgh', min_confidence: 'low' })).toEqual({
      config: withDefaults({ minConfidence: 'low' }),
      problems: [
        { key: 'fail_on', message: 'fail_on: got "hgh", expected one of high, medium, low, never' },
      ],
    });
  });

  it('reports wrongly typed enum values', () => {
    const { config, problems } = validateConfig({ min_confidence: 3, on_error: null });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([
      {
        key: 'min_confidence',
        message: 'min_confidence: got 3, expected one of high, medium, low',
      },
      { key: 'on_error', message: 'on_error: got null, expected one of failure, neutral' },
    ]);
  });

  it('reports unknown top-level keys and suggests the closest one', () => {
    const { config, problems } = validateConfig({ fial_on: 'low', failOn: 'low', colour: 'red' });
    expect(config).toEqual(DEFAULT_CONFIG);
    const expected =
      'expected one of fail_on, min_confidence, profile, paths, rules, comments, on_error, max_file_bytes, dependencies';
    expect(problems).toEqual([
      { key: 'fial_on', message: `unknown key "fial_on", ${expected}; did you mean "fail_on"?` },
      { key: 'failOn', message: `unknown key "failOn", ${expected}; did you mean "fail_on"?` },
      { key: 'colour', message: `unknown key "colour", ${expected}` },
    ]);
  });

  it('reports unknown nested keys with their dotted path', () => {
    const { config, problems } = validateConfig({
      paths: { inclde: ['x/**'], exclude: ['y/**'] },
      rules: { disabled: ['PGI001'] },
      comments: { maximum: 5 },
    });
    expect(config.paths).toEqual({ include: DEFAULT_INCLUDE, exclude: ['y/**'] });
    expect(problems).toEqual([
      {
        key: 'paths.inclde',
        message:
          'unknown key "paths.inclde", expected one of include, exclude; did you mean "include"?',
      },
      {
        key: 'rules.disabled',
        message:
          'unknown key "rules.disabled", expected one of enable, disable, severity, options, per_path; did you mean "disable"?',
      },
      {
        key: 'comments.maximum',
        message: 'unknown key "comments.maximum", expected one of max, drafts',
      },
    ]);
  });

  it('reports a top level that is not a mapping once and uses the defaults', () => {
    for (const raw of [['fail_on', 'high'], 'fail_on high', 42, true]) {
      const { config, problems } = validateConfig(raw);
      expect(config).toEqual(DEFAULT_CONFIG);
      expect(keysOf(problems)).toEqual(['(file)']);
    }
    expect(validateConfig([1, 2]).problems[0]?.message).toBe(
      'top level: got [1, 2], expected a mapping of settings such as "fail_on: high"',
    );
  });

  it('keeps the defaults of an empty section without a problem', () => {
    expect(validateConfig({ paths: null, rules: null, comments: null })).toEqual({
      config: DEFAULT_CONFIG,
      problems: [],
    });
    expect(validateConfig({ rules: { severity: null } }).problems).toEqual([]);
  });

  it('reports a section that is not a mapping', () => {
    const { config, problems } = validateConfig({ paths: ['src/**'], comments: 5 });
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toEqual([
      {
        key: 'paths',
        message: 'paths: got ["src/**"], expected a mapping with keys include, exclude',
      },
      { key: 'comments', message: 'comments: got 5, expected a mapping with keys max, drafts' },
    ]);
  });

  describe('paths', () => {
    it('accepts a single pattern as a list of one', () => {
      const { config, problems } = validateConfig({
        paths: { include: 'src/**', exclude: 'a/**' },
      });
      expect(problems).toEqual([]);
      expect(config.paths).toEqual({ include: ['src/**'], exclude: ['a/**'] });
    });

    it('drops invalid patterns and keeps the valid ones', () => {
      const { config, problems } = validateConfig({
        paths: { include: ['src/**', 7, '  ', 'lib/**'], exclude: [null] },
      });
      expect(config.paths).toEqual({ include: ['src/**', 'lib/**'], exclude: [] });
      expect(problems).toEqual([
        {
          key: 'paths.include[1]',
          message: 'paths.include[1]: got 7, expected a non-empty glob pattern',
        },
        {
          key: 'paths.include[2]',
          message: 'paths.include[2]: got "  ", expected a non-empty glob pattern',
        },
        {
          key: 'paths.exclude[0]',
          message: 'paths.exclude[0]: got null, expected a non-empty glob pattern',
        },
      ]);
    });

    it('rejects an empty include list but accepts an empty exclude list', () => {
      const { config, problems } = validateConfig({ paths: { include: [], exclude: [] } });
      expect(config.paths).toEqual({ include: DEFAULT_INCLUDE, exclude: [] });
      expect(problems).toEqual([
        {
          key: 'paths.include',
          message: 'paths.include: got [], expected at least one glob pattern',
        },
      ]);
    });

    it('falls back to the default when no include pattern is valid', () => {
      const { config, problems } = validateConfig({ paths: { include: [1] } });
      expect(config.paths.include).toEqual(DEFAULT_INCLUDE);
      expect(keysOf(problems)).toEqual(['paths.include[0]']);
    });

    it('reports a pattern list of the wrong type', () => {
      const { problems } = validateConfig({ paths: { exclude: { a: 1 } } });
      expect(problems).toEqual([
        {
          key: 'paths.exclude',
          message: 'paths.exclude: got {a: 1}, expected a list of glob patterns',
        },
      ]);
    });
  });

  describe('rules', () => {
    it('accepts any rule without isKnownRule', () => {
      const { config, problems } = validateConfig({
        rules: { enable: ['anything'], disable: 'XYZ999', severity: { whatever: 'high' } },
      });
      expect(problems).toEqual([]);
      expect(config.rules).toEqual({
        enable: ['anything'],
        disable: ['XYZ999'],
        severity: { whatever: 'high' },
        options: {},
      });
    });

    it('reports unknown rules when isKnownRule is given', () => {
      const { config, problems } = validateConfig(
        {
          rules: {
            enable: ['PGI001', 'PGI999'],
            disable: ['no-such-rule'],
            severity: { PGI998: 'low', 'sql-injection': 'high' },
          },
        },
        { isKnownRule },
      );
      expect(config.rules).toEqual({
        enable: ['PGI001'],
        disable: [],
        severity: { 'sql-injection': 'high' },
        options: {},
      });
      expect(problems).toEqual([
        {
          key: 'rules.enable[1]',
          message: 'rules.enable[1]: got "PGI999", expected a known rule ID or slug',
        },
        {
          key: 'rules.disable[0]',
          message: 'rules.disable[0]: got "no-such-rule", expected a known rule ID or slug',
        },
        {
          key: 'rules.severity.PGI998',
          message: 'rules.severity.PGI998: got "PGI998", expected a known rule ID or slug',
        },
      ]);
    });

    it('reports an invalid severity and keeps the other overrides', () => {
      const { config, problems } = validateConfig(
        { rules: { severity: { PGI001: 'critical', PGI002: 'medium' } } },
        { isKnownRule },
      );
      expect(config.rules.severity).toEqual({ PGI002: 'medium' });
      expect(problems).toEqual([
        {
          key: 'rules.severity.PGI001',
          message: 'rules.severity.PGI001: got "critical", expected one of high, medium, low',
        },
      ]);
    });

    it('reports a severity section that is not a mapping', () => {
      const { problems } = validateConfig({ rules: { severity: ['PGI001'] } });
      expect(problems).toEqual([
        {
          key: 'rules.severity',
          message:
            'rules.severity: got ["PGI001"], expected a mapping from rule ID or slug to one of high, medium, low',
        },
      ]);
    });

    it('keeps a rule named like an Object.prototype property as plain data', () => {
      const raw: unknown = JSON.parse(
        '{"rules":{"severity":{"__proto__":"low","toString":"high"}}}',
      );
      const { config, problems } = validateConfig(raw);
      expect(problems).toEqual([]);
      expect(Object.keys(config.rules.severity).sort()).toEqual(['__proto__', 'toString']);
      expect(Object.getPrototypeOf(config.rules.severity)).toBe(Object.prototype);
    });
  });

  describe('rules.options', () => {
    it('keeps valid option values by rule ID or slug; a single string is a list of one', () => {
      const { config, problems } = validateConfig(
        {
          rules: {
            options: {
              'shell-injection': { safe_commands: ['ls', ' git '], max_depth: 5 },
              PGI002: { strict: true, safe_commands: 'make' },
            },
          },
        },
        withRuleOptions,
      );
      expect(problems).toEqual([]);
      expect(config.rules.options).toEqual({
        'shell-injection': { safe_commands: ['ls', 'git'], max_depth: 5 },
        PGI002: { strict: true, safe_commands: ['make'] },
      });
    });

    it('reports an unknown rule with the closest name and keeps the other rules', () => {
      const { config, problems } = validateConfig(
        {
          fail_on: 'low',
          rules: {
            options: {
              'shell-injections': { strict: true },
              PGI002: { strict: true },
            },
          },
        },
        withRuleOptions,
      );
      expect(problems).toEqual([
        {
          key: 'rules.options.shell-injections',
          message:
            'rules.options.shell-injections: got "shell-injections", expected a known rule ID or slug; did you mean "shell-injection"?',
        },
      ]);
      expect(config.rules.options).toEqual({ PGI002: { strict: true } });
      expect(config.failOn).toBe('low');
    });

    it('reports an unknown option with the closest name and keeps the other options', () => {
      const { config, problems } = validateConfig(
        { rules: { options: { PGI002: { safe_command: ['make'], max_depth: 2, colour: 1 } } } },
        withRuleOptions,
      );
      expect(problems).toEqual([
        {
          key: 'rules.options.PGI002.safe_command',
          message:
            'unknown key "rules.options.PGI002.safe_command", expected one of safe_commands, max_depth, strict; did you mean "safe_commands"?',
        },
        {
          key: 'rules.options.PGI002.colour',
          message:
            'unknown key "rules.options.PGI002.colour", expected one of safe_commands, max_depth, strict',
        },
      ]);
      expect(config.rules.options).toEqual({ PGI002: { max_depth: 2 } });
    });

    it('reports values of the wrong type or out of range, naming the key, value and expectation', () => {
      const { config, problems } = validateConfig(
        {
          rules: {
            options: {
              PGI002: { safe_commands: ['ls', 3, ''], max_depth: '5', strict: 'yes' },
              'shell-injection': { safe_commands: { a: 1 }, max_depth: 11 },
            },
          },
        },
        withRuleOptions,
      );
      expect(problems.map((problem) => problem.message)).toEqual([
        'rules.options.PGI002.safe_commands[1]: got 3, expected a non-empty string',
        'rules.options.PGI002.safe_commands[2]: got "", expected a non-empty string',
        'rules.options.PGI002.max_depth: got "5", expected an integer from 1 to 10',
        'rules.options.PGI002.strict: got "yes", expected true or false',
        'rules.options.shell-injection.safe_commands: got {a: 1}, expected a list of strings',
        'rules.options.shell-injection.max_depth: got 11, expected an integer from 1 to 10',
      ]);
      expect(config.rules.options).toEqual({
        PGI002: { safe_commands: ['ls'] },
        'shell-injection': {},
      });
    });

    it('reports options for a rule that has none, and sections that are not mappings', () => {
      const { config, problems } = validateConfig(
        { rules: { options: { PGI001: { x: 1 }, PGI002: ['strict'] } } },
        withRuleOptions,
      );
      expect(problems.map((problem) => problem.message)).toEqual([
        'rules.options.PGI001: got {x: 1}, expected nothing: this rule has no options',
        'rules.options.PGI002: got ["strict"], expected a mapping with keys safe_commands, max_depth, strict',
      ]);
      expect(config.rules.options).toEqual({});
      expect(validateConfig({ rules: { options: ['PGI002'] } }).problems[0]?.message).toBe(
        'rules.options: got ["PGI002"], expected a mapping from rule ID or slug to its options, such as "weak-key-size: {min_rsa_bits: 3072}"',
      );
      expect(validateConfig({ rules: { options: null } }).problems).toEqual([]);
      expect(validateConfig({ rules: { options: { PGI002: null } } }).problems).toEqual([]);
    });

    it('without rule declarations keeps lists, integers and booleans and reports the rest', () => {
      const { config, problems } = validateConfig({
        rules: { options: { anything: { a: ['x'], b: 'y', c: 7, d: false, e: 1.5, f: { g: 1 } } } },
      });
      expect(config.rules.options).toEqual({ anything: { a: ['x'], b: ['y'], c: 7, d: false } });
      expect(problems.map((problem) => problem.message)).toEqual([
        'rules.options.anything.e: got 1.5, expected a list of strings, an integer, or true or false',
        'rules.options.anything.f: got {g: 1}, expected a list of strings, an integer, or true or false',
      ]);
    });

    it('suggests the closest rule for unknown rules in enable, disable and severity too', () => {
      const { problems } = validateConfig(
        { rules: { disable: ['PGI01'], severity: { 'sql-injektion': 'low' } } },
        withRuleOptions,
      );
      expect(problems.map((problem) => problem.message)).toEqual([
        'rules.disable[0]: got "PGI01", expected a known rule ID or slug; did you mean "PGI001"?',
        'rules.severity.sql-injektion: got "sql-injektion", expected a known rule ID or slug; did you mean "sql-injection"?',
      ]);
    });

    it('checks the options of the real rules (the README example)', () => {
      const text = [
        'rules:',
        '  options:',
        "    hardcoded-tmp-path: { tmp_dirs: ['/tmp', '/scratch'] }",
        '    weak-key-size: { min_rsa_bits: 3072 }',
        '    PGC007: { min_rsa_bit: 4096, min_ec_bits: big }',
        '    markupsafe-markup:',
        '      extra_markup_names: [webhelpers.html.literal]',
        '      allowed_calls: [bleach.clean, myapp.html.sanitize]',
        '',
      ].join('\n');
      const { config, problems } = parseConfigText(
        text,
        new RuleRegistry(allRules).validateOptions(),
      );
      expect(config.rules.options).toEqual({
        'hardcoded-tmp-path': { tmp_dirs: ['/tmp', '/scratch'] },
        'weak-key-size': { min_rsa_bits: 3072 },
        PGC007: {},
        'markupsafe-markup': {
          extra_markup_names: ['webhelpers.html.literal'],
          allowed_calls: ['bleach.clean', 'myapp.html.sanitize'],
        },
      });
      expect(problems.map((problem) => problem.message)).toEqual([
        'unknown key "rules.options.PGC007.min_rsa_bit", expected one of min_rsa_bits, min_ec_bits; did you mean "min_rsa_bits"?',
        'rules.options.PGC007.min_ec_bits: got "big", expected an integer from 160 to 571',
      ]);
    });
  });

  describe('comments', () => {
    it('accepts the limits 0 and 100', () => {
      expect(validateConfig({ comments: { max: 0 } }).config.comments.max).toBe(0);
      expect(validateConfig({ comments: { max: 100 } }).config.comments.max).toBe(100);
    });

    it('reports a max outside 0..100, fractional or not a number', () => {
      for (const max of [101, -1, 2.5, '10', null]) {
        const { config, problems } = validateConfig({ comments: { max, drafts: true } });
        expect(config.comments).toEqual({ max: 25, drafts: true });
        expect(problems).toHaveLength(1);
        expect(problems[0]?.key).toBe('comments.max');
        expect(problems[0]?.message).toMatch(/expected an integer from 0 to 100$/);
      }
      expect(validateConfig({ comments: { max: 500 } }).problems[0]?.message).toBe(
        'comments.max: got 500, expected an integer from 0 to 100',
      );
    });

    it('requires a boolean for drafts', () => {
      expect(validateConfig({ comments: { drafts: 'yes' } })).toEqual({
        config: DEFAULT_CONFIG,
        problems: [
          { key: 'comments.drafts', message: 'comments.drafts: got "yes", expected true or false' },
        ],
      });
    });
  });

  describe('max_file_bytes', () => {
    it.each([
      [1000, 1000],
      ['500KB', 512_000],
      ['2MB', 2_097_152],
      ['1 MiB', 1_048_576],
      ['1.5mb', 1_572_864],
      ['64k', 65_536],
      ['1G', 1_073_741_824],
      ['300 bytes', 300],
      ['4096', 4096],
      ['1_000_000', 1_000_000],
    ])('accepts %j as %d bytes', (value, bytes) => {
      expect(validateConfig({ max_file_bytes: value })).toEqual({
        config: withDefaults({ maxFileBytes: bytes }),
        problems: [],
      });
    });

    it.each([0, -5, 1.5, '5 parsecs', 'MB', '0KB', '', true, null])('rejects %j', (value) => {
      const { config, problems } = validateConfig({ max_file_bytes: value });
      expect(config.maxFileBytes).toBe(1_048_576);
      expect(keysOf(problems)).toEqual(['max_file_bytes']);
    });

    it('names the expected forms in its message', () => {
      expect(validateConfig({ max_file_bytes: '5 parsecs' }).problems[0]?.message).toBe(
        'max_file_bytes: got "5 parsecs", expected a positive number of bytes or a size such as "500KB", "2MB", "1 MiB"',
      );
    });

    it('parses sizes with parseByteSize', () => {
      expect(parseByteSize(' 2 GiB ')).toBe(2 * 1024 ** 3);
      expect(parseByteSize('2 TB')).toBeNull();
      expect(parseByteSize('0.0001KB')).toBeNull();
    });
  });

  it('truncates long values in messages to about 60 characters', () => {
    const long = 'x'.repeat(200);
    const message = validateConfig({ fail_on: long }).problems[0]?.message ?? '';
    const preview = `"${'x'.repeat(56)}...`;
    expect(message).toBe(`fail_on: got ${preview}, expected one of high, medium, low, never`);
    expect(preview).toHaveLength(60);
  });

  it('renders nested values compactly', () => {
    const { problems } = validateConfig({ fail_on: { a: [1, { b: 'c' }], d: true } });
    expect(problems[0]?.message).toBe(
      'fail_on: got {a: [1, {...}], d: true}, expected one of high, medium, low, never',
    );
  });
});

describe('parseConfigText', () => {
  it('parses and validates YAML', () => {
    const text = [
      '# PyGuard settings',
      'fail_on: medium',
      'paths:',
      '  include: ["app/**/*.py"]',
      '  exclude:',
      '    - app/migrations/**',
      'rules:',
      '  severity:',
      '    PGI001: low',
      'comments:',
      '  max: 5',
      'max_file_bytes: 500KB',
      '',
    ].join('\n');
    expect(parseConfigText(text, { isKnownRule })).toEqual({
      config: withDefaults({
        failOn: 'medium',
        paths: { include: ['app/**/*.py'], exclude: ['app/migrations/**'] },
        rules: { enable: [], disable: [], severity: { PGI001: 'low' }, options: {} },
        comments: { max: 5, drafts: false },
        maxFileBytes: 512_000,
      }),
      problems: [],
    });
  });

  it('gives the defaults for an empty file, a comment-only file and an empty document', () => {
    for (const text of ['', '\n\n', '# nothing yet\n', '---\n', '\uFEFF']) {
      expect(parseConfigText(text)).toEqual({ config: DEFAULT_CONFIG, problems: [] });
    }
  });

  it('uses YAML 1.2 core scalars: yes is a string, not a boolean', () => {
    expect(parseConfigText('comments:\n  drafts: yes\n').problems).toEqual([
      { key: 'comments.drafts', message: 'comments.drafts: got "yes", expected true or false' },
    ]);
    expect(parseConfigText('comments:\n  drafts: true\n').config.comments.drafts).toBe(true);
  });

  it('turns a syntax error into one (file) problem with the line number', () => {
    const { config, problems } = parseConfigText('fail_on: low\npaths:\n  include: [a,\n');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.key).toBe('(file)');
    expect(problems[0]?.message).toMatch(/^invalid YAML at line 4, column 1: /);
  });

  it('reports a duplicated key as a syntax error with its line', () => {
    const { problems } = parseConfigText('fail_on: low\nfail_on: high\n');
    expect(problems).toEqual([
      { key: '(file)', message: 'invalid YAML at line 2, column 1: duplicated mapping key' },
    ]);
  });

  it('reports bad indentation with its line', () => {
    const { problems } = parseConfigText('fail_on: high\n  min_confidence: low\n');
    expect(keysOf(problems)).toEqual(['(file)']);
    expect(problems[0]?.message).toMatch(/^invalid YAML at line 2, column \d+: /);
  });

  it('does not construct JavaScript-specific tags', () => {
    const { problems } = parseConfigText('fail_on: !!js/function "function () {}"\n');
    expect(keysOf(problems)).toEqual(['(file)']);
    expect(problems[0]?.message).toMatch(/^invalid YAML at line 1, column \d+: unknown/);
  });

  it('uses the first of several documents and says so', () => {
    const { config, problems } = parseConfigText('fail_on: low\n---\nfail_on: medium\n');
    expect(config.failOn).toBe('low');
    expect(problems).toEqual([
      {
        key: '(file)',
        message: 'the file has 2 YAML documents, expected one; only the first is used',
      },
    ]);
  });

  it('refuses very large files', () => {
    const text = `# ${'x'.repeat(MAX_CONFIG_TEXT_LENGTH)}\n`;
    const { config, problems } = parseConfigText(text);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(keysOf(problems)).toEqual(['(file)']);
  });

  it('reports a top-level scalar', () => {
    const { problems } = parseConfigText('high\n');
    expect(problems).toEqual([
      {
        key: '(file)',
        message: 'top level: got "high", expected a mapping of settings such as "fail_on: high"',
      },
    ]);
  });
});

describe('loading from disk', () => {
  let root = '';

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'pyguard-config-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function write(relativePath: string, text: string): Promise<string> {
    const path = join(root, relativePath);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    return path;
  }

  describe('loadConfigFile', () => {
    it('reads and validates a file', async () => {
      const path = await write('.github/pyguard.yml', 'fail_on: low\nbogus: 1\n');
      const loaded = await loadConfigFile(path);
      expect(loaded.path).toBe(path);
      expect(loaded.config).toEqual(withDefaults({ failOn: 'low' }));
      expect(keysOf(loaded.problems)).toEqual(['bogus']);
    });

    it('passes isKnownRule on', async () => {
      const path = await write('c.yml', 'rules:\n  enable: [PGI404]\n');
      const loaded = await loadConfigFile(path, { isKnownRule });
      expect(keysOf(loaded.problems)).toEqual(['rules.enable[0]']);
    });

    it('passes the rule names and option declarations on', async () => {
      const path = await write(
        'c.yml',
        'rules:\n  options:\n    PGI003: {}\n    PGI002: { strict: true, strikt: true }\n',
      );
      const loaded = await loadConfigFile(path, withRuleOptions);
      expect(keysOf(loaded.problems)).toEqual([
        'rules.options.PGI003',
        'rules.options.PGI002.strikt',
      ]);
      expect(loaded.problems[0]?.message).toContain('did you mean "PGI001"?');
      expect(loaded.config.rules.options).toEqual({ PGI002: { strict: true } });
    });

    it('throws ConfigFileError for a missing file', async () => {
      const path = join(root, 'missing.yml');
      const error: unknown = await loadConfigFile(path).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigFileError);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({
        name: 'ConfigFileError',
        message: `config file not found: ${path}`,
        path,
      });
    });

    it('throws ConfigFileError for a directory', async () => {
      await expect(loadConfigFile(root)).rejects.toThrow(
        `config file is a directory, expected a YAML file: ${root}`,
      );
    });
  });

  describe('findConfigFile', () => {
    it('finds the file in the start directory', async () => {
      const path = await write('.github/pyguard.yml', '');
      expect(await findConfigFile(root)).toBe(path);
    });

    it('finds the .yaml spelling and prefers .yml when both exist', async () => {
      const yaml = await write('.github/pyguard.yaml', '');
      expect(await findConfigFile(root)).toBe(yaml);
      const yml = await write('.github/pyguard.yml', '');
      expect(await findConfigFile(root)).toBe(yml);
    });

    it('looks in parent directories up to the repository root', async () => {
      const path = await write('.github/pyguard.yml', '');
      await mkdir(join(root, '.git'));
      await mkdir(join(root, 'src', 'pkg'), { recursive: true });
      expect(await findConfigFile(join(root, 'src', 'pkg'))).toBe(path);
    });

    it('stops at a directory containing .git', async () => {
      await write('.github/pyguard.yml', '');
      await write('repo/.git', 'gitdir: elsewhere\n');
      await mkdir(join(root, 'repo', 'src'), { recursive: true });
      expect(await findConfigFile(join(root, 'repo', 'src'))).toBeNull();
    });

    it('ignores a directory named like the config file', async () => {
      await mkdir(join(root, '.git'));
      await mkdir(join(root, '.github', 'pyguard.yml'), { recursive: true });
      expect(await findConfigFile(root)).toBeNull();
    });

    it('accepts a relative start directory', async () => {
      await mkdir(join(root, '.git'));
      const path = await write('.github/pyguard.yml', '');
      await mkdir(join(root, 'src'));
      expect(await findConfigFile(relative(process.cwd(), join(root, 'src')))).toBe(path);
    });
  });

  describe('resolveConfig', () => {
    it('uses the defaults when there is no file', async () => {
      await mkdir(join(root, '.git'));
      expect(await resolveConfig({ cwd: root })).toEqual({
        path: null,
        config: DEFAULT_CONFIG,
        problems: [],
      });
    });

    it('uses the nearest file', async () => {
      await mkdir(join(root, '.git'));
      const path = await write('.github/pyguard.yml', 'on_error: neutral\n');
      const resolved = await resolveConfig({ cwd: root, isKnownRule });
      expect(resolved).toEqual({
        path,
        config: withDefaults({ onError: 'neutral' }),
        problems: [],
      });
    });

    it('checks rule options of the file it finds', async () => {
      await mkdir(join(root, '.git'));
      await write('.github/pyguard.yml', 'rules:\n  options:\n    PGI002: { max_depth: 0 }\n');
      const resolved = await resolveConfig({ cwd: root, ...withRuleOptions });
      expect(resolved.problems.map((problem) => problem.message)).toEqual([
        'rules.options.PGI002.max_depth: got 0, expected an integer from 1 to 10',
      ]);
    });

    it('resolves an explicit path against cwd and requires it to exist', async () => {
      const path = await write('custom.yml', 'fail_on: never\n');
      const resolved = await resolveConfig({ cwd: root, configPath: 'custom.yml' });
      expect(resolved.path).toBe(path);
      expect(resolved.config.failOn).toBe('never');
      await expect(resolveConfig({ cwd: root, configPath: 'nope.yml' })).rejects.toBeInstanceOf(
        ConfigFileError,
      );
    });
  });
});

describe('createPathFilter', () => {
  it('matches **/*.py at any depth, including the top level and dot directories', () => {
    const filter = createPathFilter(DEFAULT_CONFIG.paths);
    expect(filter('a.py')).toBe(true);
    expect(filter('src/pkg/a.py')).toBe(true);
    expect(filter('.github/scripts/x.py')).toBe(true);
    expect(filter('.hidden.py')).toBe(true);
    expect(filter('a.pyc')).toBe(false);
    expect(filter('README.md')).toBe(false);
  });

  it('matches patterns against the whole path', () => {
    const filter = createPathFilter({ include: ['*.py', 'src/**'], exclude: [] });
    expect(filter('setup.py')).toBe(true);
    expect(filter('pkg/setup.py')).toBe(false);
    expect(filter('src/deep/er/file.txt')).toBe(true);
  });

  it('lets exclude win over include', () => {
    const filter = createPathFilter({
      include: ['**/*.py'],
      exclude: ['tests/**', '**/migrations/*.py'],
    });
    expect(filter('app/models.py')).toBe(true);
    expect(filter('tests/test_a.py')).toBe(false);
    expect(filter('app/migrations/0001_initial.py')).toBe(false);
    expect(filter('app/migrations/sub/x.py')).toBe(true);
  });

  it('converts backslashes and ignores a leading ./ or /', () => {
    const filter = createPathFilter({ include: ['./src/**/*.py'], exclude: ['/src/gen/**'] });
    expect(filter('src\\pkg\\a.py')).toBe(true);
    expect(filter('./src/pkg/a.py')).toBe(true);
    expect(filter('src\\gen\\a.py')).toBe(false);
    expect(toRepoPath('.\\src\\a.py')).toBe('src/a.py');
  });

  it('includes Python files and templates by default, and nothing else', () => {
    const filter = createPathFilter(DEFAULT_CONFIG.paths);
    for (const path of ['app.py', 'pkg/mod.py', 'templates/base.html', 'a/b.htm', 'x.jinja'])
      expect(filter(path), path).toBe(true);
    for (const path of ['t/page.jinja2', 't/page.html.j2', 't/page.djhtml'])
      expect(filter(path), path).toBe(true);
    for (const path of ['setup.cfg', 'static/app.js', 'README.md', 'stub.pyi'])
      expect(filter(path), path).toBe(false);
  });

  it('matches nothing with an empty include list', () => {
    expect(createPathFilter({ include: [], exclude: [] })('a.py')).toBe(false);
  });
});
