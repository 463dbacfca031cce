/**
 * Baseline files for the CLI and the Action: reading the one given with `--baseline`, finding
 * `.pyguard-baseline.json` at the repository root when none is given, writing a new one.
 */
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { BASELINE_FILE, BaselineError, parseBaseline, type Baseline } from '../engine/baseline.js';
import { CliError, describeFsError } from './errors.js';

/**
 * Reads the baseline at `absolutePath` (`shown` is how messages name it).
 * @throws CliError when the file cannot be read or is not a PyGuard baseline.
 */
export async function readBaselineFile(absolutePath: string, shown: string): Promise<Baseline> {
  let text: string;
  try {
    text = await readFile(absolutePath, 'utf8');
  } catch (error: unknown) {
    throw new CliError(`cannot read baseline ${shown}: ${describeFsError(error)}`, {
      cause: error,
    });
  }
  try {
    return parseBaseline(text);
  } catch (error: unknown) {
    if (error instanceof BaselineError) {
      throw new CliError(`baseline ${shown} cannot be used: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/**
 * The directory holding `.git` (a directory, or a file in a worktree) at or above `cwd`, else
 * `cwd` itself.
 */
export async function repositoryRoot(cwd: string): Promise<string> {
  for (let directory = cwd; ; directory = dirname(directory)) {
    if (await exists(join(directory, '.git'))) return directory;
    if (dirname(directory) === directory) return cwd;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Where `.pyguard-baseline.json` would be: the repository root (see {@link repositoryRoot}). */
export async function defaultBaselinePath(cwd: string): Promise<string> {
  return join(await repositoryRoot(cwd), BASELINE_FILE);
}

/**
 * The repository's `.pyguard-baseline.json`, when it has one (a file that exists but cannot be
 * used is an error, so findings never reappear or vanish silently).
 */
export async function findDefaultBaseline(cwd: string): Promise<Baseline | undefined> {
  const path = await defaultBaselinePath(cwd);
  try {
    if (!(await stat(path)).isFile()) return undefined;
  } catch {
    return undefined;
  }
  return readBaselineFile(path, path);
}
