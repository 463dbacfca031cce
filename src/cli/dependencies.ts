/**
 * The dependency audit of `pyguard scan` and `pyguard diff`: which manifests to read, where
 * advisories come from (`--osv-db DIR`, `PYGUARD_OSV_DB`, else the OSV API), and the audit
 * itself, whose failure to get advisories never stops the code scan.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';

import { createPathFilter } from '../config/paths.js';
import type { PyGuardConfig } from '../config/schema.js';
import type { AdvisorySource } from '../deps/advisory-source.js';
import type { AuditResult, ManifestFile } from '../deps/audit.js';
import { manifestKindOf } from '../deps/manifests/index.js';
import type { AnyRule } from '../rules-api/types.js';
import { collectFiles } from './collect-files.js';
import { gitignoreCheck } from './gitignore.js';
import { CliError, describeFsError } from './errors.js';
import type { GitChange } from './git.js';
import { isOutside } from './paths.js';
import { readSourceFile } from './read-source.js';

/** The environment variable naming a directory of OSV records (as `--osv-db` does). */
export const OSV_DB_ENV = 'PYGUARD_OSV_DB';

/** Whether a repository path is a manifest the audit reads (`dependencies.paths`, minus `paths.exclude`). */
export function manifestFilter(config: PyGuardConfig): (path: string) => boolean {
  const matches = createPathFilter({
    include: config.dependencies.paths,
    exclude: config.paths.exclude,
  });
  return (path) => manifestKindOf(path) !== undefined && matches(path);
}

/**
 * Where advisories come from: `--osv-db DIR`, else `PYGUARD_OSV_DB`, else the OSV API.
 * @throws CliError when the named directory does not exist or is not a directory.
 */
export async function advisorySource(
  osvDb: string | undefined,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<AdvisorySource> {
  const fromEnv = env[OSV_DB_ENV]?.trim();
  const directory = osvDb ?? (fromEnv === '' ? undefined : fromEnv);
  if (directory === undefined) {
    const { OsvClient } = await import('../deps/osv-client.js');
    return new OsvClient();
  }
  const where = osvDb === undefined ? `${OSV_DB_ENV}=${directory}` : `--osv-db ${directory}`;
  const absolute = resolve(cwd, directory);
  try {
    if (!(await stat(absolute)).isDirectory()) throw new CliError(`${where}: not a directory`);
  } catch (error: unknown) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${where}: ${describeFsError(error)}`, { cause: error });
  }
  try {
    const { OfflineOsvSource } = await import('../deps/offline-source.js');
    return await OfflineOsvSource.fromDirectory(absolute);
  } catch (error: unknown) {
    throw new CliError(`${where}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** `pyguard scan`: the manifests under the paths named on the command line. */
export async function manifestsToScan(
  paths: readonly string[],
  config: PyGuardConfig,
  cwd: string,
  warn: (message: string) => void,
  skip: (path: string, reason: string) => void,
  where: { root: string; toRepoPath: (path: string) => string } = {
    root: cwd,
    toRepoPath: (path) => path,
  },
): Promise<ManifestFile[]> {
  const isManifest = manifestFilter(config);
  const files = await collectFiles({
    cwd,
    root: where.root,
    isIgnored: gitignoreCheck(where.root),
    paths,
    isScanned: isManifest,
    isExcluded: (path) => !isManifest(path),
    isCandidate: (name) => manifestKindOf(name) !== undefined,
    warn,
  });
  const manifests: ManifestFile[] = [];
  for (const file of files) {
    if (!isManifest(where.toRepoPath(file.path))) continue;
    const outcome = await readSourceFile(file.absolutePath, config.maxFileBytes);
    if (!outcome.ok) {
      skip(file.path, outcome.reason);
      continue;
    }
    manifests.push({ path: file.path, text: outcome.bytes.toString('utf8'), changedLines: null });
  }
  return manifests;
}

/** `pyguard diff`: the manifests a change touches, with the lines it adds or changes. */
export async function changedManifests(
  change: GitChange,
  config: PyGuardConfig,
  skip: (path: string, reason: string) => void,
  toRepoPath: (path: string) => string = (path) => path,
): Promise<ManifestFile[]> {
  const isManifest = manifestFilter(config);
  const manifests: ManifestFile[] = [];
  for (const file of change.files) {
    if (!isManifest(toRepoPath(file.path)) || file.binary) continue;
    if (file.addedLines !== null && file.addedLines.size === 0) continue;
    const outcome = await change.read(file.path, config.maxFileBytes);
    if (!outcome.ok) {
      skip(file.path, outcome.reason);
      continue;
    }
    manifests.push({
      path: file.path,
      text: outcome.bytes.toString('utf8'),
      changedLines: file.addedLines,
    });
  }
  return manifests;
}

/**
 * Runs the audit. Includes (`-r`, `-c`) are read from disk when they lie inside the current
 * directory. The audit's notices go to the manifests they concern; when advisories could not
 * be had, the first manifest's result says so, and the rest of the audit still ran.
 */
export async function runAudit(
  manifests: readonly ManifestFile[],
  source: () => Promise<AdvisorySource>,
  options: {
    config: PyGuardConfig;
    rules: readonly AnyRule[];
    only: readonly string[] | undefined;
    cwd: string;
    /** `cwd` relative to the repository root, for `rules.per_path`. */
    pathBase?: string | undefined;
  },
): Promise<AuditResult> {
  if (manifests.length === 0) return { results: [], findings: [], notices: [], affected: [] };
  // The audit's modules are loaded only when there is a manifest to audit.
  const { auditManifests } = await import('../deps/audit.js');
  const audit = await auditManifests(manifests, await source(), {
    config: options.config,
    rules: options.rules,
    only: options.only,
    pathBase: options.pathBase,
    readInclude: async (path) => {
      if (isOutside(path)) return undefined;
      try {
        return await readFile(resolve(options.cwd, path), 'utf8');
      } catch {
        return undefined;
      }
    },
  });
  for (const notice of audit.notices) {
    audit.results.find((result) => result.path === notice.path)?.notices.push(notice);
  }
  const first = audit.results[0];
  if (audit.skippedReason !== undefined && first !== undefined) {
    first.notices.unshift({
      path: first.path,
      kind: 'skipped',
      message: `dependency audit skipped: known vulnerabilities were not checked because ${audit.skippedReason}; the code scan and the other dependency checks ran`,
    });
  }
  return audit;
}
