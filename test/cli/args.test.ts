import { describe, expect, it } from 'vitest';

import { parseCliArgs } from '../../src/cli/args.js';
import { CliError } from '../../src/cli/errors.js';

function usageMessage(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error: unknown) {
    if (error instanceof CliError && error.usage) return error.lines.join('\n');
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCliArgs', () => {
  it('parses scan with defaults', () => {
    expect(parseCliArgs(['scan'])).toEqual({
      kind: 'scan',
      paths: ['.'],
      options: {
        format: 'text',
        output: undefined,
        noColor: false,
        quiet: false,
        failOn: undefined,
        minConfidence: undefined,
        config: undefined,
        rules: [],
        stdinFilename: undefined,
        baseline: undefined,
        noBaseline: false,
        sarifCategory: undefined,
        fix: false,
      },
    });
  });

  it('parses every option', () => {
    expect(
      parseCliArgs([
        'scan',
        'src',
        '--format=sarif',
        '-o',
        'out.sarif',
        '--fail-on',
        'MEDIUM',
        '--min-confidence',
        'low',
        '--config',
        'c.yml',
        '--rule',
        'PGD003',
        '--rule',
        'eval-used',
        '--no-color',
        '--quiet',
        '--stdin-filename',
        'std.py',
        '--baseline',
        'base.json',
        '--sarif-category',
        'pyguard/backend',
        '--',
        '-odd.py',
        '-',
      ]),
    ).toEqual({
      kind: 'scan',
      paths: ['src', '-odd.py', '-'],
      options: {
        format: 'sarif',
        output: 'out.sarif',
        noColor: true,
        quiet: true,
        failOn: 'medium',
        minConfidence: 'low',
        config: 'c.yml',
        rules: ['PGD003', 'eval-used'],
        stdinFilename: 'std.py',
        baseline: 'base.json',
        noBaseline: false,
        sarifCategory: 'pyguard/backend',
        fix: false,
      },
    });
  });

  it('parses diff revisions', () => {
    expect(parseCliArgs(['diff'])).toMatchObject({
      kind: 'diff',
      base: undefined,
      head: undefined,
    });
    expect(parseCliArgs(['diff', 'main'])).toMatchObject({
      kind: 'diff',
      base: 'main',
      head: undefined,
    });
    expect(parseCliArgs(['diff', 'HEAD~1', 'HEAD'])).toMatchObject({
      kind: 'diff',
      base: 'HEAD~1',
      head: 'HEAD',
      mergeBase: true,
    });
  });

  it('parses diff ranges as git does', () => {
    expect(parseCliArgs(['diff'])).toMatchObject({ mergeBase: false });
    expect(parseCliArgs(['diff', 'main'])).toMatchObject({ base: 'main', mergeBase: true });
    expect(parseCliArgs(['diff', 'main...topic'])).toMatchObject({
      base: 'main',
      head: 'topic',
      mergeBase: true,
    });
    expect(parseCliArgs(['diff', 'main..topic'])).toMatchObject({
      base: 'main',
      head: 'topic',
      mergeBase: false,
    });
    expect(parseCliArgs(['diff', 'main...'])).toMatchObject({ base: 'main', head: 'HEAD' });
    expect(parseCliArgs(['diff', '..topic'])).toMatchObject({ base: 'HEAD', head: 'topic' });
  });

  it('puts --help and --version first', () => {
    expect(parseCliArgs(['scan', '--help'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['-h'])).toEqual({ kind: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('reports usage errors on one line', () => {
    expect(usageMessage(['scan', '--nope'])).toBe("unknown option '--nope'");
    expect(usageMessage(['scan', '--format'])).toBe("option '--format <value>' argument missing");
    expect(usageMessage(['scan', '--no-color=yes'])).toBe(
      "option '--no-color' does not take an argument",
    );
    expect(usageMessage(['scan', '--fail-on', 'critical'])).toBe(
      "invalid value 'critical' for --fail-on: expected high, medium, low or never",
    );
    expect(usageMessage(['lint'])).toBe(
      "unknown command 'lint': expected scan, diff, baseline, rules or config",
    );
    expect(usageMessage([])).toBe(
      'missing command: expected scan, diff, baseline, rules or config',
    );
    expect(usageMessage(['rules', '--fail-on', 'high'])).toBe(
      "option '--fail-on' does not apply to 'pyguard rules'",
    );
    expect(usageMessage(['rules', '--format', 'sarif'])).toBe(
      "'pyguard rules' supports --format text or json, not sarif",
    );
    expect(usageMessage(['diff', '--', '-x'])).toBe("invalid revision '-x'");
    expect(usageMessage(['scan', '--baseline', 'b.json', '--no-baseline'])).toBe(
      "options '--baseline' and '--no-baseline' cannot be used together",
    );
    expect(usageMessage(['scan', '--sarif-category', 'x'])).toBe(
      "option '--sarif-category' applies to '--format sarif' only",
    );
    expect(usageMessage(['baseline', '--format', 'json'])).toBe(
      "option '--format' does not apply to 'pyguard baseline'",
    );
    expect(usageMessage(['diff', '--fix'])).toBe("option '--fix' applies to 'pyguard scan' only");
    expect(usageMessage(['scan', '-', '--fix'])).toBe(
      "option '--fix' edits files and cannot be used with '-' (standard input)",
    );
    expect(usageMessage(['baseline', '-'])).toBe(
      "'pyguard baseline' reads files, not standard input",
    );
  });

  it('parses baseline with its paths and output', () => {
    expect(parseCliArgs(['baseline', 'src', '-o', 'b.json'])).toMatchObject({
      kind: 'baseline',
      paths: ['src'],
      options: { output: 'b.json' },
    });
    expect(parseCliArgs(['baseline'])).toMatchObject({ kind: 'baseline', paths: ['.'] });
  });
});

describe('--profile', () => {
  it('reads default or audit, in any case', () => {
    const audit = parseCliArgs(['scan', '--profile', 'AUDIT']);
    expect(audit.kind === 'scan' ? audit.options.profile : undefined).toBe('audit');
    const plain = parseCliArgs(['diff', '--profile=default']);
    expect(plain.kind === 'diff' ? plain.options.profile : undefined).toBe('default');
    const none = parseCliArgs(['scan']);
    expect(none.kind === 'scan' ? none.options.profile : 'set').toBeUndefined();
  });

  it('refuses other values and the rules command', () => {
    expect(usageMessage(['scan', '--profile', 'strict'])).toContain(
      "invalid value 'strict' for --profile: expected default or audit",
    );
    expect(usageMessage(['rules', '--profile', 'audit'])).toContain(
      "option '--profile' does not apply to 'pyguard rules'",
    );
  });
});
