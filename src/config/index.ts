export {
  DEFAULT_CONFIG,
  FAIL_ON_VALUES,
  MAX_COMMENTS_LIMIT,
  ON_ERROR_VALUES,
  PROFILE_VALUES,
  defaultConfig,
} from './schema.js';
export type {
  ConfigProblem,
  ConfigResult,
  DependencyIgnore,
  FailOn,
  OnError,
  PerPathRules,
  Profile,
  PyGuardConfig,
  ValidateOptions,
} from './schema.js';
export {
  FILE_KEY,
  MAX_CONFIG_TEXT_LENGTH,
  parseByteSize,
  parseConfigText,
  parseConfigYaml,
  validateConfig,
} from './validate.js';
export type { ParsedYaml } from './validate.js';
export { configFileSchema, configJsonSchema } from './file-schema.js';
export {
  ConfigChainError,
  EXTENDS_KEY,
  MAX_EXTENDS_DEPTH,
  composeConfigChain,
  mergeLayers,
  parseExtendsTarget,
} from './extends.js';
export type { ComposedConfig, ConfigSource, ExtendsTarget } from './extends.js';
export {
  CONFIG_FILE_NAMES,
  configurationRoot,
  findConfigFile,
  findRepositoryRoot,
} from './find.js';
export { ConfigFileError, loadConfigFile, localConfigSource, resolveConfig } from './load.js';
export type { LoadedConfig, ResolveConfigOptions } from './load.js';
export { createPathFilter, toRepoPath } from './paths.js';
