/**
 * The configuration for a CLI run. Unlike the GitHub App, which falls back to the defaults,
 * the CLI stops on any problem in a configuration file it reads.
 */
import { resolve } from 'node:path';

import { configurationRoot, findConfigFile } from '../config/find.js';
import type { LoadedConfig } from '../config/load.js';
import { defaultConfig, type PyGuardConfig, type ValidateOptions } from '../config/schema.js';
import { CliError } from './errors.js';
import { displayPath } from './paths.js';

export interface CliConfigOptions {
  cwd: string;
  /** `--config`: this file must exist; otherwise the nearest `.github/pyguard.yml` is used. */
  configPath: string | undefined;
  /** Which rules exist and the options they declare (`RuleRegistry.validateOptions()`). */
  rules: ValidateOptions;
}

/** A CLI run's configuration and the root its paths are relative to. */
export interface CliConfig {
  config: PyGuardConfig;
  /** The configuration file (absolute), or null when the defaults are used. */
  path: string | null;
  /**
   * The repository root (absolute): `paths.*`, `dependencies.paths` and `rules.per_path` are
   * matched against paths relative to it, and `.gitignore` files are read from it down.
   */
  root: string;
}

/**
 * Loads and validates the configuration (and the files it `_extends`); the defaults when there
 * is no file.
 * @throws CliError with one `config <file>: <message>` line per problem, or when the file
 * given with `--config` cannot be read.
 */
export async function loadCliConfiguration(options: CliConfigOptions): Promise<CliConfig> {
  const path =
    options.configPath === undefined
      ? await findConfigFile(options.cwd)
      : resolve(options.cwd, options.configPath);
  const root = await configurationRoot(options.cwd, path);
  if (path === null) return { config: defaultConfig(), path, root };
  // The loader (YAML parser, schema library) is loaded only when there is a file to read.
  const { ConfigFileError, loadConfigFile } = await import('../config/load.js');
  let loaded: LoadedConfig;
  try {
    loaded = await loadConfigFile(path, options.rules);
  } catch (error: unknown) {
    if (error instanceof ConfigFileError) throw new CliError(error.message, { cause: error });
    throw error;
  }
  if (loaded.problems.length > 0) {
    const shown = displayPath(options.cwd, path);
    throw new CliError(loaded.problems.map((problem) => `config ${shown}: ${problem.message}`));
  }
  return { config: loaded.config, path, root };
}

/** {@link loadCliConfiguration}, the configuration only. */
export async function loadCliConfig(options: CliConfigOptions): Promise<PyGuardConfig> {
  return (await loadCliConfiguration(options)).config;
}
