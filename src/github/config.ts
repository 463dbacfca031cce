/**
 * The repository's `.github/pyguard.yml`, read through Probot's `context.config` from the
 * default branch (with the organisation's `.github` repository as fallback), never from the
 * pull request, so a pull request cannot loosen its own gate.
 */
import { FILE_KEY, validateConfig } from '../config/index.js';
import type { ConfigResult, ValidateOptions } from '../config/index.js';

/** Reads the parsed configuration file; resolves `null` when there is none. */
export type ReadConfig = () => Promise<unknown>;

const PLUGIN_PREFIX = /^\[@probot\/octokit-plugin-config\]\s*/;

/**
 * The validated configuration. A file that cannot be parsed is a config problem (the scan
 * runs with defaults); a failing API request is an error and is thrown.
 */
export async function loadRepoConfig(
  read: ReadConfig,
  options: ValidateOptions,
): Promise<ConfigResult> {
  let raw: unknown;
  try {
    raw = await read();
  } catch (error: unknown) {
    if (isHttpError(error)) throw error;
    const result = validateConfig(null, options);
    result.problems.push({ key: FILE_KEY, message: describeParseError(error) });
    return result;
  }
  return validateConfig(raw, options);
}

function isHttpError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${message.replace(PLUGIN_PREFIX, '')}; the defaults are used`;
}
