/**
 * `pyguard scan --fix` on temporary directories: mechanical fixes are written to the files,
 * reported on standard error, and the report is that of the fixed files.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

afterEach(async () => {
  await removeDir(dir);
});

const CLIENT = `import requests
import yaml


def fetch(url):
    return requests.get(url, verify=False)


def settings(text):
    return yaml.load(text)
`;

describe('pyguard scan --fix', () => {
  it('applies the fixes round by round, and reports the fixed files', async () => {
    await writeFiles(dir, { 'client.py': CLIENT });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color']);

    expect(await readFile(join(dir, 'client.py'), 'utf8')).toBe(
      CLIENT.replace(
        'requests.get(url, verify=False)',
        'requests.get(url, verify=True, timeout=30)',
      ).replace('yaml.load(text)', 'yaml.safe_load(text)'),
    );
    expect(outcome.stderr).toBe(
      [
        // Both rules report the same call: the missing timeout is reported (and fixed) once
        // verify=False is gone.
        'pyguard: fixed client.py:6:12 PGT001: Verify certificates',
        'pyguard: fixed client.py:10:12 PGD003: Use safe_load',
        'pyguard: fixed 2 findings in 1 file; scanning again',
        'pyguard: fixed client.py:6:12 PGT014: Add `timeout=30`',
        'pyguard: fixed 1 finding in 1 file; scanning again',
        '',
      ].join('\n'),
    );
    expect(outcome.stdout).toBe('No findings in 1 file\n');
    expect(outcome.code).toBe(0);
  });

  it('leaves files without a fixable finding alone, and reports what remains', async () => {
    const source = 'def run(expr):\n    return eval(expr)\n';
    await writeFiles(dir, { 'calc.py': source });

    const outcome = await pyguard(dir, ['scan', '--fix', '--no-color', '--fail-on', 'low']);

    expect(await readFile(join(dir, 'calc.py'), 'utf8')).toBe(source);
    expect(outcome.stderr).toBe('pyguard: fixed 0 findings in 0 files; scanning again\n');
    expect(outcome.stdout).toContain('calc.py:2:12: PGI016');
    expect(outcome.code).toBe(1);
  });

  it('does not touch a file that is not plain UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('import yaml\nconf = yaml.load(text)\n'),
    ]);
    await writeFiles(dir, { 'bom.py': bytes });

    const outcome = await pyguard(dir, ['scan', '--fix']);

    expect(await readFile(join(dir, 'bom.py'))).toEqual(bytes);
    expect(outcome.stderr).toContain('pyguard: not fixed: bom.py is not plain UTF-8 text\n');
    expect(outcome.code).toBe(1);
  });
});
