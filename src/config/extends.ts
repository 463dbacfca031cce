/**
 * `_extends`: a configuration file that builds on another. The CLI and the GitHub App read the
 * chain the same way and differ only in where a file comes from (a {@link ConfigSource}):
 *
 * - a path (`_extends: ../shared/pyguard.yml`, or any value starting with `./`, `../` or `/`,
 *   or ending in `.yml`/`.yaml` without a `:`) names a file relative to the extending file's
 *   directory, in the same repository;
 * - anything else (`other-repo`, `owner/repo`, `owner/repo:path/file.yml`) names a file in
 *   another repository (its `.github/pyguard.yml` unless a path is given), which only the
 *   GitHub App can read; the CLI refuses it.
 *
 * The extending file wins key by key: mappings are merged, any other value (a list, a scalar)
 * replaces the base's. A chain is at most {@link MAX_EXTENDS_DEPTH} files and may not loop.
 */
import { posix } from 'node:path';

import type { ConfigProblem } from './schema.js';
import { isMapping } from './file-schema.js';
import { parseConfigYaml, previewValue } from './validate.js';

/** The key `_extends` problems are reported under. */
export const EXTENDS_KEY = '_extends';

/** How many files a chain may have, the first included. */
export const MAX_EXTENDS_DEPTH = 5;

/** A chain that cannot be read: the configuration as a whole falls back to the defaults. */
export class ConfigChainError extends Error {
  override readonly name = 'ConfigChainError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
  }
}

/** What `_extends` names, before a source resolves it. */
export type ExtendsTarget =
  | { kind: 'path'; path: string }
  | { kind: 'repository'; owner: string | undefined; repo: string; path: string | undefined };

/** Where the files of a chain come from. */
export interface ConfigSource<Location> {
  /** The file's text, or null when there is none. */
  read(location: Location): Promise<string | null>;
  /**
   * The file `target` names from the file at `from`.
   * @throws ConfigChainError when this source cannot read such a file.
   */
  resolve(target: ExtendsTarget, from: Location): Location;
  /** How messages name a file; equal names are the same file (loops are found by name). */
  describe(location: Location): string;
}

/** A chain read and merged: the value to validate, and problems that did not stop it. */
export interface ComposedConfig {
  raw: unknown;
  warnings: ConfigProblem[];
  /** The files read, the first one first. */
  files: string[];
}

/** GitHub owner and repository names, and an optional path, as Probot's `_extends` reads them. */
const REPOSITORY_TARGET =
  /^(?:([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})\/)?([-_.\w\d]+)(?::([-_./\w\d]+\.ya?ml))?$/i;

/**
 * What an `_extends` value names.
 * @throws ConfigChainError when it is neither a path nor a repository.
 */
export function parseExtendsTarget(value: string): ExtendsTarget {
  const text = value.trim();
  const looksLikePath = /^\.{0,2}\//.test(text) || (/\.ya?ml$/i.test(text) && !text.includes(':'));
  if (looksLikePath) return { kind: 'path', path: text };
  const match = REPOSITORY_TARGET.exec(text);
  if (match === null) {
    throw new ConfigChainError(
      EXTENDS_KEY,
      `${EXTENDS_KEY}: got ${previewValue(value)}, expected a path such as ../shared/pyguard.yml, or repo, owner/repo or owner/repo:path.yml`,
    );
  }
  return { kind: 'repository', owner: match[1], repo: match[2] ?? '', path: match[3] };
}

/**
 * A path named by `_extends`, resolved against the directory of the file at `from` (a posix
 * path from the repository root); null when it leaves the repository.
 */
export function resolveRelativePath(from: string, path: string): string | null {
  const joined = path.startsWith('/') ? path : posix.join(posix.dirname(from), path);
  const normalised = posix.normalize(joined).replace(/^\/+/, '');
  return normalised === '..' || normalised.startsWith('../') ? null : normalised;
}

/**
 * Reads the file at `start` and the files it extends, and merges them. Null when `start` has
 * no file.
 * @throws ConfigChainError when a file of the chain cannot be parsed or read, or `_extends`
 * is invalid, loops or goes deeper than {@link MAX_EXTENDS_DEPTH}.
 */
export async function composeConfigChain<Location>(
  start: Location,
  source: ConfigSource<Location>,
): Promise<ComposedConfig | null> {
  const text = await source.read(start);
  if (text === null) return null;
  const warnings: ConfigProblem[] = [];
  const files = [source.describe(start)];
  const layers: unknown[] = [];
  let current: unknown = parseLayer(text, null, warnings);
  let location = start;
  for (;;) {
    if (!isMapping(current) || !Object.hasOwn(current, EXTENDS_KEY)) {
      layers.push(current);
      break;
    }
    const { [EXTENDS_KEY]: value, ...rest } = current;
    layers.push(rest);
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ConfigChainError(
        EXTENDS_KEY,
        `${EXTENDS_KEY}: got ${previewValue(value)}, expected the path or repository of the configuration to extend`,
      );
    }
    location = source.resolve(parseExtendsTarget(value), location);
    const name = source.describe(location);
    if (files.includes(name)) {
      throw new ConfigChainError(
        EXTENDS_KEY,
        `${EXTENDS_KEY}: ${name} extends itself through ${files.join(' → ')}`,
      );
    }
    if (files.length >= MAX_EXTENDS_DEPTH) {
      throw new ConfigChainError(
        EXTENDS_KEY,
        `${EXTENDS_KEY}: the chain ${[...files, name].join(' → ')} is longer than ${MAX_EXTENDS_DEPTH} files`,
      );
    }
    const baseText = await source.read(location);
    if (baseText === null) {
      throw new ConfigChainError(EXTENDS_KEY, `${EXTENDS_KEY}: ${name} does not exist`);
    }
    files.push(name);
    current = parseLayer(baseText, name, warnings);
  }
  const raw = layers.reduceRight((base: unknown, overlay) => mergeLayers(base, overlay), null);
  return { raw, warnings, files };
}

/** One file of the chain, parsed; `name` is null for the first file. */
function parseLayer(text: string, name: string | null, warnings: ConfigProblem[]): unknown {
  const parsed = parseConfigYaml(text);
  const where = name === null ? '' : `${EXTENDS_KEY} ${name}: `;
  if (!parsed.ok) {
    throw new ConfigChainError(name === null ? '(file)' : EXTENDS_KEY, `${where}${parsed.message}`);
  }
  if (parsed.extraDocuments !== undefined) {
    warnings.push({
      key: name === null ? '(file)' : EXTENDS_KEY,
      message: `${where}${parsed.extraDocuments}`,
    });
  }
  return parsed.value;
}

/** `overlay` over `base`: mappings merged key by key, anything else replaced (null keeps base). */
export function mergeLayers(base: unknown, overlay: unknown): unknown {
  if (overlay === null || overlay === undefined) return base;
  if (!isMapping(base) || !isMapping(overlay)) return overlay;
  const merged: [string, unknown][] = Object.entries(base);
  for (const [key, value] of Object.entries(overlay)) {
    const index = merged.findIndex(([name]) => name === key);
    if (index === -1) merged.push([key, value]);
    else merged[index] = [key, mergeLayers(merged[index]?.[1], value)];
  }
  return Object.fromEntries(merged);
}
