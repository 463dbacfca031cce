import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ScannerConfig } from '../../src/engine/scanner.js';
import type { ScanOptions } from '../../src/engine/scan.js';
import { pyguard, removeDir, tempDir, writeFiles } from './helpers.js';

/** The configuration of every scanner built, and the options of every file scanned. */
const built: ScannerConfig[] = [];
const scanned: ScanOptions[] = [];

vi.mock('../../src/engine/scan.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engine/scan.js')>();
  return {
    ...original,
    scanSource: (...args: Parameters<typeof original.scanSource>) => {
      scanned.push(args[2]);
      return original.scanSource(...args);
    },
  };
});

vi.mock('../../src/engine/scanner.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/engine/scanner.js')>();
  return {
    ...original,
    createScanner: (...args: Parameters<typeof original.createScanner>) => {
      built.push(args[0]);
      return original.createScanner(...args);
    },
  };
});

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
  built.length = 0;
  scanned.length = 0;
  await writeFiles(dir, { 'app.py': 'print(1)\n' });
});

afterEach(async () => {
  await removeDir(dir);
});

describe('the profile', () => {
  it('is default when neither the file nor the command line sets it', async () => {
    expect((await pyguard(dir, ['scan', 'app.py'])).code).toBe(0);
    expect(built.map((config) => config.profile)).toEqual(['default']);
    expect(scanned.map((options) => options.profile)).toEqual(['default']);
  });

  it('comes from the file, and --profile wins over it', async () => {
    await writeFiles(dir, { '.github/pyguard.yml': 'profile: audit\n' });
    expect((await pyguard(dir, ['scan', 'app.py'])).code).toBe(0);
    expect((await pyguard(dir, ['scan', 'app.py', '--profile', 'default'])).code).toBe(0);
    expect(built.map((config) => config.profile)).toEqual(['audit', 'default']);
    expect(scanned.map((options) => options.profile)).toEqual(['audit', 'default']);
  });

  it('is refused with a suggestion when unknown', async () => {
    const flag = await pyguard(dir, ['scan', 'app.py', '--profile', 'adit']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe(
      "pyguard: invalid value 'adit' for --profile: expected default or audit; did you mean 'audit'? (see 'pyguard --help')\n",
    );
    await writeFiles(dir, { '.github/pyguard.yml': 'profile: adit\n' });
    const file = await pyguard(dir, ['scan', 'app.py']);
    expect(file.code).toBe(2);
    expect(file.stderr).toBe(
      'pyguard: config .github/pyguard.yml: profile: got "adit", expected one of default, audit; did you mean "audit"?\n',
    );
  });
});
