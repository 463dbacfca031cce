/**
 * The repository's `.github/pyguard.yml`, read through Probot's `context.config` from the
 * default branch (with the organisation's `.github` repository as fallback), never from the
 * pull request, so a pull request cannot loosen its own gate.
 */
import type { ProbotOctokit } from 'probot';

import { FILE_KEY, MAX_CONFIG_TEXT_LENGTH, validateConfig } from '../config/index.js';
import type { ConfigResult, ValidateOptions } from '../config/index.js';
import { CONFIG_FILE } from './constants.js';

/** Reads the parsed configuration file; resolves `null` when there is none. */
export type ReadConfig = () => Promise<unknown>;

const PLUGIN_PREFIX = /^\[@probot\/octokit-plugin-config\]\s*/;

/** Where Probot reads the configuration file, in the repository and the organisation's. */
const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** The configuration file is larger than the cap the CLI applies too; it is not parsed. */
class ConfigTooLargeError extends Error {
  override readonly name = 'ConfigTooLargeError';
  constructor(readonly characters: number) {
    super(
      `the file has ${characters} characters, expected at most ${MAX_CONFIG_TEXT_LENGTH}; the defaults are used`,
    );
  }
}

/**
 * The validated configuration. A file that cannot be parsed, or is larger than the CLI's cap
 * (`octokit` given: the file is then refused before it is parsed), is a config problem and the
 * scan runs with defaults; a failing API request is an error and is thrown.
 */
export async function loadRepoConfig(
  read: ReadConfig,
  options: ValidateOptions,
  octokit?: Pick<ProbotOctokit, 'hook'>,
): Promise<ConfigResult> {
  const release = octokit === undefined ? undefined : capConfigSize(octokit);
  let raw: unknown;
  try {
    raw = await read();
  } catch (error: unknown) {
    if (isHttpError(error)) throw error;
    const result = validateConfig(null, options);
    const message =
      error instanceof ConfigTooLargeError ? error.message : describeParseError(error);
    result.problems.push({ key: FILE_KEY, message });
    return result;
  } finally {
    release?.();
  }
  return validateConfig(raw, options);
}

/**
 * Until the returned function is called, a configuration file the API returns that is larger
 * than {@link MAX_CONFIG_TEXT_LENGTH} fails its request with a {@link ConfigTooLargeError},
 * before Probot parses it.
 */
function capConfigSize(octokit: Pick<ProbotOctokit, 'hook'>): () => void {
  const check = (response: { data: unknown }, options: Record<string, unknown>): void => {
    if (options['path'] !== CONFIG_PATH) return;
    if (typeof options['url'] !== 'string' || !options['url'].includes('/contents/')) return;
    const data = response.data;
    const length =
      typeof data === 'string'
        ? data.length
        : data instanceof ArrayBuffer
          ? data.byteLength
          : undefined;
    if (length !== undefined && length > MAX_CONFIG_TEXT_LENGTH) {
      throw new ConfigTooLargeError(length);
    }
  };
  octokit.hook.after('request', check);
  return () => {
    octokit.hook.remove('request', check);
  };
}

function isHttpError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${message.replace(PLUGIN_PREFIX, '')}; the defaults are used`;
}
