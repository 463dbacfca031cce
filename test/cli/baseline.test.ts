/**
 * `pyguard baseline` and `--baseline` on temporary repositories: existing findings are recorded,
 * and scan and diff report only the findings not in the baseline, even after code moves.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { git, pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

const LEGACY = 'import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n';

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
  await writeFiles(dir, { 'app/legacy.py': LEGACY });
});

afterEach(async () => {
  await removeDir(dir);
});

describe('pyguard baseline', () => {
  it('writes the findings to .pyguard-baseline.json, and scan then reports none of them', async () => {
    const written = await pyguard(dir, ['baseline']);
    expect(written).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'pyguard: wrote 1 finding to .pyguard-baseline.json; scan and diff now report only findings not in it\n',
    });
    const file = JSON.parse(await readFile(join(dir, '.pyguard-baseline.json'), 'utf8')) as {
      version: number;
      findings: { ruleId: string; path: string; fingerprint: string }[];
    };
    expect(file.version).toBe(1);
    expect(file.findings.map((entry) => [entry.ruleId, entry.path])).toEqual([
      ['PGD003', 'app/legacy.py'],
    ]);
    expect(file.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);

    // Lines added above the old finding, and a new finding below it.
    await writeFiles(dir, {
      'app/legacy.py': `"""Legacy loaders."""\nimport os\n${LEGACY}\n\ndef read(text):\n    return yaml.unsafe_load(text)\n`,
    });
    const scanned = await pyguard(dir, ['scan', '--no-color']);
    expect(scanned.code).toBe(1);
    expect(scanned.stdout).toContain('app/legacy.py:11:');
    expect(scanned.stdout).not.toContain('app/legacy.py:7:');
    expect(scanned.stdout).toContain('1 finding (1 high) in 1 file; 1 in the baseline');

    const json = await pyguard(dir, ['scan', '--format', 'json']);
    const report = JSON.parse(json.stdout) as { summary: Record<string, unknown> };
    expect(report.summary['baselined']).toBe(1);

    const everything = await pyguard(dir, ['scan', '--no-baseline', '--no-color']);
    expect(everything.stdout).toContain('2 findings (2 high) in 1 file');
  });

  it('writes to --output, which --baseline then reads', async () => {
    expect((await pyguard(dir, ['baseline', 'app', '-o', 'ci/known.json'])).code).toBe(2);
    await writeFiles(dir, { 'ci/.keep': '' });
    const written = await pyguard(dir, ['baseline', 'app', '-o', 'ci/known.json']);
    expect(written.stderr).toContain('wrote 1 finding to ci/known.json');
    expect((await pyguard(dir, ['scan'])).code).toBe(1);
    expect((await pyguard(dir, ['scan', '--baseline', 'ci/known.json'])).code).toBe(0);
  });

  it('is read by diff too', async () => {
    git(dir, 'init', '-q');
    await pyguard(dir, ['baseline']);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'legacy');
    await writeFiles(dir, {
      'app/legacy.py': `# touched\n${LEGACY.replace('(text)\n', '(text) \n')}`,
    });
    const diff = await pyguard(dir, ['diff', '--no-color']);
    expect(diff.stdout).toContain('No findings in 1 file; 1 in the baseline');
    expect(diff.code).toBe(0);
  });

  it('refuses a baseline it cannot use, with one clear line', async () => {
    await writeFiles(dir, { '.pyguard-baseline.json': '{"version": 9, "findings": []}' });
    const outcome = await pyguard(dir, ['scan']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /^pyguard: baseline .*\.pyguard-baseline\.json cannot be used: unsupported version 9/,
    );
    const missing = await pyguard(dir, ['scan', '--baseline', 'nope.json']);
    expect(missing.stderr).toBe(
      'pyguard: cannot read baseline nope.json: no such file or directory\n',
    );
  });
});
