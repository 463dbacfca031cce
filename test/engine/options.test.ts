/**
 * Rule options end to end in the engine: declarations and their types, resolution from the
 * configuration (by rule ID or slug), and the scanner passing each rule its values, shown by
 * scanning snippets with non-default options of the three rules that have some.
 */
import { describe, expect, it } from 'vitest';
import weakKeySize from '../../rules/crypto/weak-key-size.js';
import hardcodedTmpPath from '../../rules/filesystem/hardcoded-tmp-path.js';
import markupsafeMarkup from '../../rules/injection/markupsafe-markup.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig, parseConfigText, type PyGuardConfig } from '../../src/config/index.js';
import { createScanner } from '../../src/engine/scanner.js';
import { scanSource } from '../../src/engine/scan.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { defaultRuleOptions, resolveOptions } from '../../src/rules-api/options.js';
import { RuleRegistry, metaProblems, selectRules } from '../../src/rules-api/registry.js';
import type { AnyRule, RuleOptionValue } from '../../src/rules-api/types.js';

const META = {
  id: 'PGM990',
  slug: 'test-options',
  title: 'Test: options',
  category: 'misc',
  severity: 'low',
  confidence: 'high',
  cwe: [710],
  description: 'Reports calls to the functions named in `names`.',
  why: 'Test rule.',
  fix: 'Do not call them.',
  example: { bad: 'f()', good: 'g()' },
  bandit: [],
  ruff: [],
} as const;

/** Reports calls of the names in `names`, with the other option values in the message. */
const optionsRule = defineRule({
  meta: META,
  options: {
    names: { kind: 'string-list', default: ['lib.danger'], description: 'Functions to report.' },
    limit: { kind: 'integer', default: 2, min: 0, max: 5, description: 'Most reports.' },
    loud: { kind: 'boolean', default: false, description: 'Report at high severity.' },
  },
  messages: { called: '`{{name}}` called (limit {{limit}})' },
  create(context) {
    const { names, limit, loud } = context.options;
    // The option types come from the declaration.
    const typed: [readonly string[], number, boolean] = [names, limit, loud];
    const unchecked: unknown[] = [];
    // @ts-expect-error -- an option the rule does not declare
    unchecked.push(context.options.missing);
    // @ts-expect-error -- a string list is not a number
    unchecked.push(Math.abs(context.options.names));
    let reported = 0;
    return {
      call(node) {
        const name = context.call(node).qualifiedName;
        if (name === undefined || !typed[0].includes(name) || reported >= typed[1]) return;
        reported++;
        context.report({
          node,
          messageId: 'called',
          data: { name, limit: typed[1] },
          severity: typed[2] ? 'high' : 'low',
        });
      },
    };
  },
});

/** A rule without options: its context has no option properties. */
const plainRule = defineRule({
  meta: { ...META, id: 'PGM991', slug: 'test-plain' },
  messages: { found: 'found' },
  create(context) {
    const unchecked: unknown[] = [];
    // @ts-expect-error -- no options declared
    unchecked.push(context.options.names);
    return {};
  },
});

function configWith(options: PyGuardConfig['rules']['options']): PyGuardConfig {
  const config = defaultConfig();
  config.rules.options = options;
  return config;
}

/** Findings of one rule on a snippet, as `line: message`, with the given options. */
function scan(
  rule: AnyRule,
  source: string,
  options: Record<string, RuleOptionValue> = {},
): string[] {
  const config = configWith({ [rule.meta.slug]: options });
  config.minConfidence = 'low';
  const scanner = createScanner(config, [rule]);
  return scanner
    .scanFile({ path: 'app/module.py', source })
    .findings.map((finding) => `${finding.span.start.line}: ${finding.message}`);
}

describe('rule option declarations', () => {
  it('are kept on the rule, and a rule without options declares none', () => {
    expect(Object.keys(optionsRule.options)).toEqual(['names', 'limit', 'loud']);
    expect(plainRule.options).toEqual({});
    expect(defaultRuleOptions(optionsRule)).toEqual({
      names: ['lib.danger'],
      limit: 2,
      loud: false,
    });
    expect(defaultRuleOptions(plainRule)).toEqual({});
  });

  it('are checked with the rest of the metadata', () => {
    const bad = defineRule({
      meta: { ...META, id: 'PGM992', slug: 'test-bad-options' },
      options: {
        badName: { kind: 'boolean', default: true, description: 'Camel case.' },
        size: { kind: 'integer', default: 9, max: 5, description: 'Default out of range.' },
        lines: { kind: 'string-list', default: [], description: 'Two\nlines.' },
      },
      messages: { found: 'found' },
      create: () => ({}),
    });
    expect(metaProblems(bad)).toEqual([
      'option "badName" is not snake_case',
      'option "size" has a default that is not an integer of at most 5',
      'option "lines" needs a one-line description',
    ]);
    for (const rule of allRules) expect(metaProblems(rule)).toEqual([]);
  });
});

describe('resolving option values', () => {
  it('takes valid values from the overrides in order and ignores the rest', () => {
    const values = resolveOptions(optionsRule.options, [
      { names: ['a'], limit: 4, other: 1 },
      { limit: 'three', loud: true, names: ['b', 'c'] },
      { limit: 9 },
    ]);
    expect(values).toEqual({ names: ['b', 'c'], limit: 4, loud: true });
    expect(Object.isFrozen(values)).toBe(true);
    expect(Object.isFrozen(values['names'])).toBe(true);
  });

  it('selectRules resolves the options of every selected rule, by ID or slug', () => {
    const registry = new RuleRegistry([optionsRule, plainRule]);
    const selection = selectRules(registry, {
      enable: [],
      disable: [],
      severity: {},
      options: { 'test-options': { names: ['x'], limit: 1 }, pgm990: { limit: 3 }, nope: {} },
    });
    expect(selection.options.get('PGM990')).toEqual({ names: ['x'], limit: 3, loud: false });
    expect(selection.options.get('PGM991')).toEqual({});
    const defaults = selectRules(registry, { enable: [], disable: [], severity: {} });
    expect(defaults.options.get('PGM990')).toBe(defaultRuleOptions(optionsRule));
  });
});

describe('the scanner passes each rule its options', () => {
  const SOURCE = 'from lib import danger, other\n\ndanger()\nother()\ndanger()\ndanger()\n';

  it('uses the declared defaults without configuration', () => {
    const result = scanSource('a.py', SOURCE, { rules: [optionsRule] });
    expect(result.findings.map((finding) => finding.span.start.line)).toEqual([3, 5]);
  });

  it('uses the configured values, for the rule given by slug', () => {
    const config = configWith({ 'test-options': { names: ['lib.other'], loud: true } });
    const scanner = createScanner(config, [optionsRule, plainRule]);
    const findings = scanner.scanFile({ path: 'a.py', source: SOURCE }).findings;
    expect(findings.map((finding) => [finding.span.start.line, finding.severity])).toEqual([
      [4, 'high'],
    ]);
  });

  it('reads options from a parsed configuration file', () => {
    const { config, problems } = parseConfigText(
      'rules:\n  options:\n    PGM990: { names: [lib.danger], limit: 3 }\n',
      new RuleRegistry([optionsRule]).validateOptions(),
    );
    expect(problems).toEqual([]);
    const findings = createScanner(config, [optionsRule]).scanFile({
      path: 'a.py',
      source: SOURCE,
    }).findings;
    expect(findings.map((finding) => finding.message)).toEqual([
      '`lib.danger` called (limit 3)',
      '`lib.danger` called (limit 3)',
      '`lib.danger` called (limit 3)',
    ]);
  });

  it('gives template checks their options too', () => {
    const templateRule = defineRule({
      meta: { ...META, id: 'PGM993', slug: 'test-template-options' },
      options: {
        word: { kind: 'string-list', default: ['TODO'], description: 'Words to report.' },
      },
      messages: { found: 'found {{word}}' },
      template(context) {
        context.text.split('\n').forEach((line, index) => {
          for (const word of context.options.word) {
            const column = line.indexOf(word);
            if (column !== -1)
              context.report({
                line: index + 1,
                column: column + 1,
                messageId: 'found',
                data: { word },
              });
          }
        });
      },
    });
    const source = '<p>TODO</p>\n<p>FIXME</p>\n';
    const messages = (config: PyGuardConfig): string[] =>
      createScanner(config, [templateRule])
        .scanFile({ path: 'page.html', source })
        .findings.map((finding) => finding.message);
    expect(messages(defaultConfig())).toEqual(['found TODO']);
    expect(messages(configWith({ PGM993: { word: ['FIXME'] } }))).toEqual(['found FIXME']);
  });
});

describe('PGF002 hardcoded-tmp-path: tmp_dirs', () => {
  const SOURCE = [
    'def save(data):',
    '    open("/scratch/cache.bin", "wb").write(data)',
    '    open("/var/tmp/cache.bin", "wb").write(data)',
    '    open("/tmp/cache.bin", "wb").write(data)',
    '    open("/scratchpad/cache.bin", "wb").write(data)',
    '',
  ].join('\n');

  it('reports /tmp, /var/tmp and /dev/shm by default', () => {
    expect(scan(hardcodedTmpPath, SOURCE).map((line) => line.slice(0, 1))).toEqual(['3', '4']);
  });

  it('reports exactly the configured directories (a trailing slash is ignored)', () => {
    const findings = scan(hardcodedTmpPath, SOURCE, { tmp_dirs: ['/tmp', '/scratch/'] });
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^2: `\/scratch\/cache\.bin` is a predictable name/);
    expect(findings[1]).toMatch(/^4: `\/tmp\/cache\.bin`/);
  });

  it('reports nothing with an empty list', () => {
    expect(scan(hardcodedTmpPath, SOURCE, { tmp_dirs: [] })).toEqual([]);
  });
});

describe('PGC007 weak-key-size: min_rsa_bits and min_ec_bits', () => {
  const SOURCE = [
    'import paramiko',
    'from cryptography.hazmat.primitives.asymmetric import ec, rsa, dh',
    '',
    'a = rsa.generate_private_key(public_exponent=65537, key_size=2048)',
    'b = dh.generate_parameters(generator=2, key_size=1024)',
    'c = ec.generate_private_key(ec.SECP224R1())',
    'd = ec.generate_private_key(ec.SECP256R1())',
    'e = paramiko.DSSKey.generate()',
    '',
  ].join('\n');

  it('uses 2048 and 224 bits by default', () => {
    expect(scan(weakKeySize, SOURCE).map((line) => line.split(':')[0])).toEqual(['5', '8']);
  });

  it('reports keys below the configured sizes, and says so in the message', () => {
    const findings = scan(weakKeySize, SOURCE, { min_rsa_bits: 3072, min_ec_bits: 256 });
    expect(findings).toEqual([
      '4: `rsa.generate_private_key` generates a 2048-bit RSA key; use at least 3072 bits.',
      '5: `dh.generate_parameters` generates a 1024-bit Diffie-Hellman key; use at least 3072 bits.',
      '6: `ec.generate_private_key` uses the 224-bit curve SECP224R1; use a curve of at least 256 bits, such as SECP256R1 or Ed25519.',
      '8: `paramiko.DSSKey.generate` generates a 1024-bit DSA key by default, and SSH DSA keys cannot be larger; generate an Ed25519, ECDSA or 3072-bit RSA key instead.',
    ]);
  });

  it('accepts smaller keys when the minimum is lowered', () => {
    expect(scan(weakKeySize, SOURCE, { min_rsa_bits: 1024 })).toEqual([]);
  });

  it('suggests a large enough curve for a high minimum', () => {
    const findings = scan(weakKeySize, SOURCE, { min_ec_bits: 384 });
    expect(findings.filter((line) => line.includes('curve'))).toEqual([
      '6: `ec.generate_private_key` uses the 224-bit curve SECP224R1; use a curve of at least 384 bits, such as SECP384R1.',
      '7: `ec.generate_private_key` uses the 256-bit curve SECP256R1; use a curve of at least 384 bits, such as SECP384R1.',
    ]);
  });
});

describe('PGI042 markupsafe-markup: extra_markup_names and allowed_calls', () => {
  const SOURCE = [
    'import bleach',
    'from markupsafe import Markup',
    'from webhelpers.html import literal',
    'from myapp.html import sanitize',
    '',
    'def render(name, html):',
    '    a = literal(f"<b>{name}</b>")',
    '    b = literal("<b>{}</b>").format(name)',
    '    c = Markup(sanitize(html))',
    '    d = Markup(bleach.clean(html))',
    '    return a, b, c, d',
    '',
  ].join('\n');
  const lines = (findings: string[]): string[] => findings.map((line) => line.split(':')[0] ?? '');

  it('knows only Markup and the default sanitisers by default', () => {
    expect(lines(scan(markupsafeMarkup, SOURCE))).toEqual(['9']);
  });

  it('checks extra names like Markup, including their escaping format()', () => {
    const findings = scan(markupsafeMarkup, SOURCE, {
      extra_markup_names: ['webhelpers.html.literal'],
    });
    expect(lines(findings)).toEqual(['7', '9']);
    expect(findings[0]).toContain('`webhelpers.html.literal` wraps HTML built with');
  });

  it('trusts exactly the configured sanitisers', () => {
    expect(
      lines(scan(markupsafeMarkup, SOURCE, { allowed_calls: ['myapp.html.sanitize'] })),
    ).toEqual(['10']);
    expect(
      scan(markupsafeMarkup, SOURCE, { allowed_calls: ['bleach.clean', 'myapp.html.sanitize'] }),
    ).toEqual([]);
  });

  it('trusts methods of objects made by a configured class', () => {
    const source = [
      'from markupsafe import Markup',
      'from myapp.html import Sanitizer',
      '',
      'def render(html):',
      '    cleaner = Sanitizer()',
      '    return Markup(cleaner.scrub(html))',
      '',
    ].join('\n');
    expect(lines(scan(markupsafeMarkup, source))).toEqual(['6']);
    expect(
      scan(markupsafeMarkup, source, { allowed_calls: ['myapp.html.Sanitizer.scrub'] }),
    ).toEqual([]);
  });
});
