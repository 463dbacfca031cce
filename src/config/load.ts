/**
 * Reading `.github/pyguard.yml` from disk (the CLI; the GitHub App fetches the text itself
 * and calls {@link parseConfigText}).
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';

import {
  ConfigChainError,
  EXTENDS_KEY,
  composeConfigChain,
  type ConfigSource,
  type ExtendsTarget,
} from './extends.js';
import { findConfigFile } from './find.js';
import { defaultConfig } from './schema.js';
import type { ConfigResult, ValidateOptions } from './schema.js';
import { validateConfig } from './validate.js';

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
