/**
 * Reading `.github/pyguard.yml` from disk (the CLI; the GitHub App fetches the text itself
 * and calls {@link parseConfigText}).
 */
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { defaultConfig } from './schema.js';
import type { ConfigResult, ValidateOptions } from './schema.js';
import { parseConfigText } from './validate.js';

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
 * Read and validate a configuration file. Problems in its content are returned, not thrown.
 * @throws ConfigFileError when the file does not exist or cannot be read.
 */
export async function loadConfigFile(
  path: string,
  options: ValidateOptions = {},
): Promise<LoadedConfig & { path: string }> {
  const text = await readConfigText(path);
  return { path, ...parseConfigText(text, options) };
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

async function readConfigText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new ConfigFileError(describeReadError(error, path), path, { cause: error });
  }
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
