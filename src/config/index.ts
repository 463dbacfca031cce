export {
  DEFAULT_CONFIG,
  FAIL_ON_VALUES,
  MAX_COMMENTS_LIMIT,
  ON_ERROR_VALUES,
  defaultConfig,
} from './schema.js';
export type {
  ConfigProblem,
  ConfigResult,
  DependencyIgnore,
  FailOn,
  OnError,
  PyGuardConfig,
  ValidateOptions,
} from './schema.js';
export {
  FILE_KEY,
  MAX_CONFIG_TEXT_LENGTH,
  parseByteSize,
  parseConfigText,
  validateConfig,
} from './validate.js';
export {
  CONFIG_FILE_NAMES,
  ConfigFileError,
  findConfigFile,
  loadConfigFile,
  resolveConfig,
} from './load.js';
export type { LoadedConfig, ResolveConfigOptions } from './load.js';
export { createPathFilter, toRepoPath } from './paths.js';
