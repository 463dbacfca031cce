/**
 * Which files `pyguard scan` reads: files named on the command line, and the Python files and
 * Django/Jinja2 templates under directories named there (see `isScannablePath`), minus tool,
 * cache and virtualenv directories and what `.gitignore` ignores.
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { isScannablePath } from '../engine/scanner.js';
import { CliError, describeFsError, errorCode } from './errors.js';
import type { IgnoreCheck } from './gitignore.js';
import { displayPath, isOutside } from './paths.js';

/** A file to scan. */
export interface SourceFile {
  /** Absolute path on disk. */
  absolutePath: string;
  /** Path relative to the current directory with `/` separators, as reports show it. */
  path: string;
}

export interface CollectOptions {
  cwd: string;
  /**
   * The repository root: `isScanned` and `isExcluded` get paths relative to it (default:
   * `cwd`). A file outside it is matched relative to the directory named on the command line.
   */
  root?: string | undefined;
  /** Paths from the command line, relative to `cwd` or absolute. */
  paths: readonly string[];
  /** Whether a walked file is scanned (config `paths.include` and `paths.exclude`). */
  isScanned: (relativePath: string) => boolean;
  /** Whether a walked file or directory is ignored (`.gitignore`); default: none is. */
  isIgnored?: IgnoreCheck | undefined;
  /**
   * Whether a walked file's name makes it a candidate at all (default: Python files and
   * templates, see `isScannablePath`; dependency manifests for the dependency audit).
   */
  isCandidate?: (fileName: string) => boolean;
  /** Whether a file named on the command line is excluded (config `paths.exclude`). */
  isExcluded: (relativePath: string) => boolean;
  /** Receives one line per directory that could not be read. */
  warn: (message: string) => void;
}

/** Directory names never descended into (caches, tool state, installed packages). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  '.git',
  'node_modules',
  '__pycache__',
  '.tox',
  '.nox',
  '.mypy_cache',
  'site-packages',
  '.venv',
  'venv',
]);

/** A directory that holds this file is a virtualenv. */
const VIRTUALENV_MARKER = 'pyvenv.cfg';

/**
 * The files to scan, sorted by path and without duplicates. A file named explicitly is
 * scanned whatever its extension and even when `paths.include` does not match it, but
 * `paths.exclude` still applies. Symbolic links to directories are not followed while walking.
 * @throws CliError when a path on the command line does not exist or cannot be examined.
 */
export async function collectFiles(options: CollectOptions): Promise<SourceFile[]> {
  const files = new Map<string, SourceFile>();
  const add = (absolutePath: string): void => {
    files.set(absolutePath, { absolutePath, path: displayPath(options.cwd, absolutePath) });
  };
  for (const argument of options.paths) {
    const absolutePath = resolve(options.cwd, argument);
    const kind = await examineArgument(argument, absolutePath);
    if (kind === 'directory') {
      await walk(absolutePath, absolutePath, options, add);
    } else {
      const path = displayPath(options.root ?? options.cwd, absolutePath);
      if (isOutside(path) || !options.isExcluded(path)) add(absolutePath);
    }
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function examineArgument(
  argument: string,
  absolutePath: string,
): Promise<'file' | 'directory'> {
  try {
    const stats = await stat(absolutePath);
    return stats.isDirectory() ? 'directory' : 'file';
  } catch (error: unknown) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new CliError(`no such file or directory: ${argument}`, { cause: error });
    }
    throw new CliError(`cannot read ${argument}: ${describeFsError(error)}`, { cause: error });
  }
}

async function walk(
  root: string,
  directory: string,
  options: CollectOptions,
  add: (absolutePath: string) => void,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch (error: unknown) {
    options.warn(`skipped ${displayPath(options.cwd, directory)}: ${describeFsError(error)}`);
    return;
  }
  if (directory !== root && entries.some((entry) => entry.name === VIRTUALENV_MARKER)) return;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const absolutePath = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (await isIgnored(options, absolutePath, true)) continue;
      await walk(root, absolutePath, options, add);
      continue;
    }
    if (!(options.isCandidate ?? isScannablePath)(entry.name)) continue;
    if (!(entry.isFile() || (entry.isSymbolicLink() && (await isRegularFile(absolutePath)))))
      continue;
    if (!options.isScanned(matchPath(options.root ?? options.cwd, root, absolutePath))) continue;
    if (!(await isIgnored(options, absolutePath, false))) add(absolutePath);
  }
}

/**
 * The path include/exclude patterns are matched against: relative to the repository root, or
 * to the directory named on the command line when that lies outside it.
 */
function matchPath(repositoryRoot: string, walkRoot: string, absolutePath: string): string {
  const path = displayPath(repositoryRoot, absolutePath);
  return isOutside(path) ? displayPath(walkRoot, absolutePath) : path;
}

async function isIgnored(
  options: CollectOptions,
  absolutePath: string,
  isDirectory: boolean,
): Promise<boolean> {
  return options.isIgnored === undefined ? false : options.isIgnored(absolutePath, isDirectory);
}

async function isRegularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
