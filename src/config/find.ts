/**
 * Finding `.github/pyguard.yml` and the repository root on disk, without reading the file: kept
 * apart from the loader so a run without a configuration file never loads the YAML parser or
 * the schema library.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** Where the configuration is looked for, relative to a repository root, in order. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.github/pyguard.yml', '.github/pyguard.yaml'];

/**
 * The repository root for a directory: the nearest one (itself or a parent) that contains
 * `.git`, or null outside a repository.
 */
export async function findRepositoryRoot(startDir: string): Promise<string | null> {
  let directory = resolve(startDir);
  for (;;) {
    if (await exists(join(directory, '.git'))) return directory;
    const parent = dirname(directory);
    if (parent === directory) return null;
    directory = parent;
  }
}

/**
 * The root configuration paths are relative to: the repository's (the directory holding
 * `.git`), else the directory holding `.github/pyguard.yml` when that is the configuration,
 * else `cwd`.
 */
export async function configurationRoot(cwd: string, configPath: string | null): Promise<string> {
  const repository = await findRepositoryRoot(cwd);
  if (repository !== null) return repository;
  if (configPath !== null) {
    const directory = dirname(resolve(cwd, configPath));
    const name = `${basename(directory)}/${basename(configPath)}`;
    const holder = dirname(directory);
    const fromHolder = relative(holder, resolve(cwd));
    const cwdInside = !fromHolder.startsWith('..') && !isAbsolute(fromHolder);
    if (CONFIG_FILE_NAMES.includes(name) && cwdInside) return holder;
  }
  return resolve(cwd);
}

/**
 * Find `.github/pyguard.yml` (or `.yaml`) in `startDir` or the nearest parent that has one,
 * stopping after the first directory that contains `.git` (the repository root) or at the
 * filesystem root. Returns the absolute path, or null.
 */
export async function findConfigFile(startDir: string): Promise<string | null> {
  let directory = resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name);
      if (await isFile(candidate)) return candidate;
    }
    const parent = dirname(directory);
    if (parent === directory || (await exists(join(directory, '.git')))) return null;
    directory = parent;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
