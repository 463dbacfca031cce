/**
 * Reading `.github/pyguard.yml` from disk (the CLI; the GitHub App fetches the text itself
 * and calls {@link parseConfigText}).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

import {
  ConfigChainError,
  EXTENDS_KEY,
  composeConfigChain,
  type ConfigSource,
  type ExtendsTarget,
} from './extends.js';
import { defaultConfig } from './schema.js';
import type { ConfigResult, ValidateOptions } from './schema.js';
import { validateConfig } from './validate.js';

/** Where the configuration is looked for, relative to a repository root, in order. */
export const CONFIG_FILE_NAMES: readonly string[] = ['.github/pyguard.yml', '.github/pyguard.yaml'];

/** A configuration file that was asked for but cannot be read. */
export class ConfigFileError extends Error {
  override readonly name = 'ConfigFileError';
  readonly path: string;

  constructor(message: string, path: string, options?: ErrorOptions) {
    super(message, options);
    this.path = path;
  }
}

/** A validated configuration and the file it came from (`null` when defaults were used). */
export interface LoadedConfig extends ConfigResult {
  path: string | null;
}

export interface ResolveConfigOptions extends ValidateOptions {
  /** Directory to start looking for `.github/pyguard.yml` from. */
  cwd: string;
  /** A configuration file given explicitly (for example `--config`); it must exist. */
  configPath?: string | undefined;
}

/**
 * Read and validate a configuration file and the files it `_extends` (paths relative to it;
 * another repository's file is refused). Problems in their content are returned, not thrown:
 * a chain that cannot be read gives the defaults and one problem.
 * @throws ConfigFileError when a file does not exist or cannot be read.
 */
export async function loadConfigFile(
  path: string,
  options: ValidateOptions = {},
): Promise<LoadedConfig & { path: string }> {
  let composed;
  try {
    composed = await composeConfigChain(path, localConfigSource());
  } catch (error: unknown) {
    if (!(error instanceof ConfigChainError)) throw error;
    return {
      path,
      config: defaultConfig(),
      problems: [{ key: error.key, message: error.message }],
    };
  }
  if (composed === null) throw new ConfigFileError(`config file not found: ${path}`, path);
  const result = validateConfig(composed.raw, options);
  result.problems.unshift(...composed.warnings);
  return { path, ...result };
}

/**
 * Configuration files on disk, by absolute path. `_extends` names a path relative to the
 * extending file; a file in another repository (`owner/repo:path.yml`) cannot be read here.
 */
export function localConfigSource(): ConfigSource<string> {
  return {
    describe: (path) => path,
    read: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (error: unknown) {
        if (errorCode(error) === 'ENOENT') return null;
        throw new ConfigFileError(describeReadError(error, path), path, { cause: error });
      }
    },
    resolve: (target, from) => {
      if (target.kind === 'path') return resolve(dirname(from), target.path);
      throw new ConfigChainError(
        EXTENDS_KEY,
        `${EXTENDS_KEY}: "${describeTarget(target)}" is a file in another repository, which only the GitHub App reads; here use a path relative to ${basename(from)}, such as ../shared/pyguard.yml`,
      );
    },
  };
}

function describeTarget(target: ExtendsTarget & { kind: 'repository' }): string {
  const owner = target.owner === undefined ? '' : `${target.owner}/`;
  const path = target.path === undefined ? '' : `:${target.path}`;
  return `${owner}${target.repo}${path}`;
}

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

/**
 * The configuration for a run: the explicit file when given (it must exist), otherwise the
 * nearest `.github/pyguard.yml`, otherwise the defaults.
 * @throws ConfigFileError when the explicit file does not exist or cannot be read.
 */
export async function resolveConfig(options: ResolveConfigOptions): Promise<LoadedConfig> {
  const validateOptions = pickValidateOptions(options);
  if (options.configPath !== undefined) {
    return loadConfigFile(resolve(options.cwd, options.configPath), validateOptions);
  }
  const found = await findConfigFile(options.cwd);
  if (found === null) return { path: null, config: defaultConfig(), problems: [] };
  return loadConfigFile(found, validateOptions);
}

/** The validation settings of `options`, without its other fields. */
function pickValidateOptions(options: ValidateOptions): ValidateOptions {
  const picked: ValidateOptions = {};
  if (options.isKnownRule !== undefined) picked.isKnownRule = options.isKnownRule;
  if (options.ruleNames !== undefined) picked.ruleNames = options.ruleNames;
  if (options.ruleOptions !== undefined) picked.ruleOptions = options.ruleOptions;
  return picked;
}

function describeReadError(error: unknown, path: string): string {
  const code = errorCode(error);
  if (code === 'ENOENT') return `config file not found: ${path}`;
  if (code === 'EISDIR') return `config file is a directory, expected a YAML file: ${path}`;
  const reason = error instanceof Error ? error.message : String(error);
  return `cannot read config file ${path}: ${reason}`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
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
