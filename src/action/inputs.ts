/**
 * The Action's inputs, read from the `INPUT_*` environment variables the runner (or the
 * composite step in action.yml) sets. Pure: no I/O.
 */
import { FAIL_ON_VALUES, type FailOn } from '../config/schema.js';

/** What the Action publishes: the App's review and check run, a SARIF file, or both. */
export type ActionMode = 'review' | 'sarif' | 'both';

export const ACTION_MODES: readonly ActionMode[] = ['review', 'sarif', 'both'];

export interface ActionInputs {
  mode: ActionMode;
  /** Where the SARIF log is written, relative to the workspace. */
  sarifFile: string;
  /** Overrides `fail_on` from the configuration file. */
  failOn: FailOn | undefined;
  /** A configuration file relative to the workspace; default: the nearest `.github/pyguard.yml`. */
  config: string | undefined;
  /** The token used for the GitHub API (the workflow's `GITHUB_TOKEN` by default). */
  token: string;
  /**
   * A baseline file relative to the workspace; default: `.pyguard-baseline.json` of the pull
   * request's base commit, when it has one.
   */
  baseline: string | undefined;
  /** The SARIF run's category (`runs[].automationDetails.id` is `<category>/`). */
  sarifCategory: string;
}

/** An input that cannot be used as given. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export const DEFAULT_SARIF_FILE = 'pyguard.sarif';
export const DEFAULT_SARIF_CATEGORY = 'pyguard';

/** A SARIF category: no spaces or control characters, at most 200 characters. */
function sarifCategory(value: string): string {
  if (!/^[^\s\p{Cc}]{1,200}$/u.test(value)) {
    throw new InputError(
      `input 'sarif-category' is '${value}': expected a name without spaces, such as pyguard/backend`,
    );
  }
  return value;
}

/**
 * The inputs, validated. The runner names an input `INPUT_<NAME>` with the name upper-cased and
 * spaces replaced by `_` (hyphens are kept: `INPUT_SARIF-FILE`); action.yml passes them with
 * underscores (`INPUT_SARIF_FILE`), which are read too.
 * @throws InputError for an unknown mode or severity, or a missing token.
 */
export function readInputs(env: Readonly<Record<string, string | undefined>>): ActionInputs {
  const input = (name: string): string | undefined => {
    const key = `INPUT_${name.toUpperCase().replace(/ /g, '_')}`;
    const value = (env[key] ?? env[key.replace(/-/g, '_')])?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const token = input('token');
  if (token === undefined) {
    throw new InputError(
      "input 'token' is empty: pass ${{ github.token }} (the default) or a token that can read the repository",
    );
  }
  return {
    mode: oneOf('mode', input('mode'), ACTION_MODES) ?? 'review',
    sarifFile: input('sarif-file') ?? DEFAULT_SARIF_FILE,
    failOn: oneOf('fail-on', input('fail-on'), FAIL_ON_VALUES),
    config: input('config'),
    token,
    baseline: input('baseline'),
    sarifCategory: sarifCategory(input('sarif-category') ?? DEFAULT_SARIF_CATEGORY),
  };
}

function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  const match = allowed.find((candidate) => candidate === value.toLowerCase());
  if (match === undefined) {
    throw new InputError(`input '${name}' is '${value}': expected one of ${allowed.join(', ')}`);
  }
  return match;
}
