import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

import { run } from '../../src/cli/run.js';

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** An environment without colour switches, with a git that ignores the user's configuration. */
export function testEnv(
  extra: Readonly<Record<string, string>> = {},
): Record<string, string | undefined> {
  return {
    PATH: process.env['PATH'],
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    ...extra,
  };
}

/** Runs the CLI in-process in `cwd` and captures its output. */
export async function pyguard(
  cwd: string,
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; isTTY?: boolean } = {},
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd,
    stdout: {
      write: (chunk: string) => (stdout += chunk),
      isTTY: options.isTTY ?? false,
    },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? testEnv(),
  });
  return { code, stdout, stderr };
}

/** A fresh temporary directory (real path, so macOS /private/var and /var agree). */
export async function tempDir(): Promise<string> {
  return realpath(await mkdtemp(join(tmpdir(), 'pyguard-cli-')));
}

/**
 * For a test file: the network closed to everything nock does not answer, and a fresh
 * temporary directory for each test (`work.path`), removed after it.
 */
export function offlineWorkDir(): { readonly path: string } {
  let path = '';
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
  beforeEach(async () => {
    path = await tempDir();
  });
  afterEach(async () => {
    await removeDir(path);
  });
  return {
    get path() {
      return path;
    },
  };
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}

/** Writes files (paths relative to `root`), creating directories as needed. */
export async function writeFiles(
  root: string,
  files: Readonly<Record<string, string | Buffer>>,
): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const absolute = join(root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }
}

/** Runs git in `cwd` with the test environment. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    {
      cwd,
      env: testEnv(),
      encoding: 'utf8',
    },
  );
}

/** `import yaml`, then an unsafe load on line 5, column 12. */
export const UNSAFE_YAML = 'import yaml\n\n\ndef load(data):\n    return yaml.load(data)\n';
export const SAFE_YAML = 'import yaml\n\n\ndef load(data):\n    return yaml.safe_load(data)\n';
