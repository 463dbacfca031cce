/**
 * The repository's `.github/pyguard.yml`, read from the default branch (with the
 * organisation's `.github` repository as fallback), never from the pull request, so a pull
 * request cannot loosen its own gate. The file and the files it `_extends` are parsed and
 * merged as the CLI does (`src/config/extends.ts`); only where they come from differs.
 */
import type { ProbotOctokit } from 'probot';

import {
  ConfigChainError,
  EXTENDS_KEY,
  composeConfigChain,
  resolveRelativePath,
  type ComposedConfig,
  type ConfigSource,
} from '../config/extends.js';
import { FILE_KEY, validateConfig } from '../config/index.js';
import type { ConfigResult, ValidateOptions } from '../config/index.js';
import { CONFIG_FILE } from './constants.js';
import type { RepoRef } from './fetch.js';

/** Reads the configuration chain; resolves `null` when there is no file. */
export type ReadConfig = () => Promise<ComposedConfig | null>;

/** Where the configuration file is, in the repository and in the organisation's `.github`. */
const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** The organisation-wide fallback repository. */
const ORG_REPOSITORY = '.github';

/** A file in a repository, on its default branch unless `ref` is given. */
interface RepoFile {
  owner: string;
  repo: string;
  path: string;
  ref?: string | undefined;
}

/**
 * The validated configuration. A chain that cannot be read (a file that does not parse, is
 * larger than the cap, or an invalid `_extends`) is a config problem and the scan runs with
 * defaults; a failing API request is an error and is thrown.
 */
export async function loadRepoConfig(
  read: ReadConfig,
  options: ValidateOptions,
): Promise<ConfigResult> {
  let composed: ComposedConfig | null;
  try {
    composed = await read();
  } catch (error: unknown) {
    if (!(error instanceof ConfigChainError)) throw error;
    const result = validateConfig(null, options);
    result.problems.push({ key: error.key, message: `${error.message}; the defaults are used` });
    return result;
  }
  if (composed === null) return validateConfig(null, options);
  const result = validateConfig(composed.raw, options);
  result.problems.unshift(...composed.warnings);
  return result;
}

/**
 * `.github/pyguard.yml` of the repository's default branch, else of the organisation's
 * `.github` repository, with the files it extends.
 */
export function repoConfigReader(
  octokit: Pick<ProbotOctokit, 'request'>,
  ref: RepoRef,
): ReadConfig {
  const source = githubConfigSource(octokit);
  return async () => {
    const own = await composeConfigChain({ ...ref, path: CONFIG_PATH }, source);
    if (own !== null || ref.repo === ORG_REPOSITORY) return own;
    return composeConfigChain(
      { owner: ref.owner, repo: ORG_REPOSITORY, path: CONFIG_PATH },
      source,
    );
  };
}

/** Configuration files read through the contents API. */
export function githubConfigSource(
  octokit: Pick<ProbotOctokit, 'request'>,
): ConfigSource<RepoFile> {
  const describe = (file: RepoFile): string => `${file.owner}/${file.repo}:${file.path}`;
  return {
    describe,
    read: async (file) => {
      let response: { data: unknown };
      try {
        response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
          owner: file.owner,
          repo: file.repo,
          path: file.path,
          ...(file.ref === undefined ? {} : { ref: file.ref }),
          mediaType: { format: 'raw' },
        });
      } catch (error: unknown) {
        if (statusOf(error) === 404) return null;
        throw error;
      }
      if (typeof response.data === 'string') return response.data;
      if (response.data instanceof ArrayBuffer) return new TextDecoder().decode(response.data);
      throw new ConfigChainError(
        FILE_KEY,
        `${describe(file)} is a directory or a submodule, expected a YAML file`,
      );
    },
    resolve: (target, from) => {
      if (target.kind === 'repository') {
        return {
          owner: target.owner ?? from.owner,
          repo: target.repo,
          path: target.path ?? CONFIG_PATH,
        };
      }
      const path = resolveRelativePath(from.path, target.path);
      if (path === null) {
        throw new ConfigChainError(
          EXTENDS_KEY,
          `${EXTENDS_KEY}: "${target.path}" leaves the repository of ${describe(from)}`,
        );
      }
      return { ...from, path };
    },
  };
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  return typeof error.status === 'number' ? error.status : undefined;
}
