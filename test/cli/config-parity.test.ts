import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { UNSAFE_YAML, git, pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

let root: string;

beforeEach(async () => {
  root = await tempDir();
  git(root, 'init', '-q');
});

afterEach(async () => {
  await removeDir(root);
});

interface JsonReport {
  findings: { path: string; ruleId: string }[];
}

/** The files with a finding of `pyguard <args> --format json` run in `cwd`, sorted. */
async function flaggedFiles(cwd: string, args: readonly string[]): Promise<string[]> {
  const outcome = await pyguard(cwd, [...args, '--format', 'json', '--rule', 'yaml-unsafe-load']);
  expect(outcome.stderr).toBe('');
  const report = JSON.parse(outcome.stdout) as JsonReport;
  return [...new Set(report.findings.map((finding) => finding.path))].sort();
}

describe('paths in the configuration are relative to the repository root', () => {
  beforeEach(async () => {
    await writeFiles(root, {
      '.github/pyguard.yml': [
        'paths:',
        "  exclude: ['vendor/**', 'src/gen/**']",
        'rules:',
        '  per_path:',
        "    'src/tests/**': { disable: [yaml-unsafe-load] }",
        '',
      ].join('\n'),
      'vendor/a.py': UNSAFE_YAML,
      'src/app.py': UNSAFE_YAML,
      'src/vendor/b.py': UNSAFE_YAML,
      'src/gen/g.py': UNSAFE_YAML,
      'src/tests/test_a.py': UNSAFE_YAML,
    });
  });

  it('whichever directory the CLI runs in', async () => {
    expect(await flaggedFiles(root, ['scan', '.'])).toEqual(['src/app.py', 'src/vendor/b.py']);
    expect(await flaggedFiles(join(root, 'src'), ['scan', '.'])).toEqual(['app.py', 'vendor/b.py']);
    expect(await flaggedFiles(join(root, 'src', 'tests'), ['scan', '.'])).toEqual([]);
  });

  it('for the files a git change touches too', async () => {
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
    await writeFiles(root, {
      'src/app.py': `${UNSAFE_YAML}\nyaml.load(other)\n`,
      'src/gen/g.py': `${UNSAFE_YAML}\nyaml.load(other)\n`,
      'src/tests/test_a.py': `${UNSAFE_YAML}\nyaml.load(other)\n`,
    });
    expect(await flaggedFiles(join(root, 'src'), ['diff'])).toEqual(['app.py']);
  });

  it('without git, from the directory holding .github/pyguard.yml', async () => {
    await removeDir(join(root, '.git'));
    expect(await flaggedFiles(join(root, 'src'), ['scan', '.'])).toEqual(['app.py', 'vendor/b.py']);
  });
});

describe('.gitignore', () => {
  beforeEach(async () => {
    await writeFiles(root, {
      '.gitignore': 'build/\n*.gen.py\n!keep.gen.py\n',
      'src/.gitignore': 'local_*.py\n!also.gen.py\n',
      'app.py': UNSAFE_YAML,
      'build/out.py': UNSAFE_YAML,
      'src/x.gen.py': UNSAFE_YAML,
      'src/keep.gen.py': UNSAFE_YAML,
      'src/also.gen.py': UNSAFE_YAML,
      'src/local_settings.py': UNSAFE_YAML,
      'src/deep/local_x.py': UNSAFE_YAML,
      'src/deep/mod.py': UNSAFE_YAML,
    });
  });

  it('is honoured when walking directories, nested files and ! included', async () => {
    const expected = ['app.py', 'src/also.gen.py', 'src/deep/mod.py', 'src/keep.gen.py'];
    expect(await flaggedFiles(root, ['scan', '.'])).toEqual(expected);
    expect(await flaggedFiles(join(root, 'src'), ['scan', '.'])).toEqual([
      'also.gen.py',
      'deep/mod.py',
      'keep.gen.py',
    ]);
  });

  it('does not stop a file named on the command line', async () => {
    expect(await flaggedFiles(root, ['scan', 'build/out.py', 'src/x.gen.py'])).toEqual([
      'build/out.py',
      'src/x.gen.py',
    ]);
  });
});

describe('pyguard config schema', () => {
  it('refuses arguments and scan options', async () => {
    const extra = await pyguard(root, ['config', 'schema', 'x']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toBe(
      "pyguard: config schema takes no arguments, got 'x' (see 'pyguard --help')\n",
    );
    const option = await pyguard(root, ['config', 'schema', '--profile', 'audit']);
    expect(option.stderr).toBe(
      "pyguard: option '--profile' does not apply to 'pyguard config schema' (see 'pyguard --help')\n",
    );
    const missing = await pyguard(root, ['config']);
    expect(missing.stderr).toBe(
      "pyguard: missing subcommand: expected 'config schema' (see 'pyguard --help')\n",
    );
  });
});
