/**
 * The dependency audit as one function the CLI and the GitHub App both call: manifests in
 * (with the lines a change touched), findings and notices out. The only I/O is the advisory
 * source's, asked once per audit for every package version the changed requirements need.
 */
import { posix } from 'node:path';

import type { DependencyIgnore, PyGuardConfig } from '../config/schema.js';
import type { FileNotice, FileResult, Finding } from '../engine/types.js';
import { createPathRuleSelector } from '../rules-api/per-path.js';
import { RuleRegistry, selectRules, type RuleSelection } from '../rules-api/registry.js';
import type { AnyRule, ManifestAdvisory } from '../rules-api/types.js';
import type { AdvisorySource, PackageQuery } from './advisory-source.js';
import { parseManifest } from './manifests/index.js';
import { lowestAllowedVersion, smallestFix, summariseAdvisories } from './matching.js';
import type { OsvRecord } from './osv-record.js';
import { scanManifest } from './scan-manifest.js';
import type { ParsedManifest, Requirement } from './types.js';

/** One manifest or lock file to audit. */
export interface ManifestFile {
  /** Repository-relative posix path. */
  path: string;
  text: string;
  /** Lines the change under review added or changed; null or absent judges every line. */
  changedLines?: ReadonlySet<number> | null;
}

export interface AuditOptions {
  config: Pick<PyGuardConfig, 'rules' | 'minConfidence' | 'dependencies'>;
  /** Every rule (the registry); the configuration selects the manifest rules among them. */
  rules: readonly AnyRule[];
  /** Run only these rules (IDs or slugs), as `--rule` does. */
  only?: readonly string[] | undefined;
  /**
   * The directory manifest paths are relative to, relative to the repository root (the CLI's
   * current directory); `rules.per_path` globs match `pathBase/path`. Default: the root.
   */
  pathBase?: string | undefined;
  /**
   * Reads a requirements file named by `-r`/`-c` that is not among the audited files
   * (repository-relative path); undefined when it cannot be read.
   */
  readInclude?: ((path: string) => Promise<string | undefined>) | undefined;
}

/** A judged requirement that advisories (not ignored by config) affect, for report tables. */
export interface AffectedPackage {
  /** The manifest and line of the requirement. */
  path: string;
  line: number;
  /** The package as written. */
  name: string;
  /** The pinned or locked version, else the lowest version the range allows. */
  version: string;
  /** The version was pinned or locked (not the lowest of a range). */
  pinned: boolean;
  /** The preferred id of each advisory, most severe first. */
  advisories: string[];
  /** The smallest version that fixes every listed advisory, when one does. */
  fixed?: string;
}

export interface AuditResult {
  /** One result per audited file, sorted by path (for the report formatters). */
  results: FileResult[];
  /** Every finding of `results`, suppressed ones included. */
  findings: Finding[];
  /** Problems that did not stop the audit (unreadable manifests, includes outside the repository). */
  notices: FileNotice[];
  /** Set when advisories could not be had: the audit of known vulnerabilities was skipped. */
  skippedReason?: string;
  /** The judged requirements with known vulnerabilities, in result order. */
  affected: AffectedPackage[];
}

const MAX_INCLUDE_DEPTH = 10;

/**
 * Audits manifests: parses each, follows `-r`/`-c` includes inside the repository, asks the
 * advisory source once for every package version the judged requirements need, and runs the
 * manifest rules. When the source fails, the rules that need no advisories still run and
 * `skippedReason` says why the rest did not. Never throws for bad input.
 */
export async function auditManifests(
  files: readonly ManifestFile[],
  source: AdvisorySource | undefined,
  options: AuditOptions,
): Promise<AuditResult> {
  const registry = new RuleRegistry(options.rules);
  const selection = selectRules(registry, options.config.rules, options.only);
  const selectFor = createPathRuleSelector(registry, options.config.rules, selection, options.only);
  const manifestRules = (chosen: RuleSelection): AnyRule[] =>
    chosen.rules.filter((rule) => rule.manifest !== undefined);
  const someEntryEnables = (options.config.rules.perPath ?? []).some(
    (entry) => entry.enable.length > 0,
  );
  const notices: FileNotice[] = [];
  if ((manifestRules(selection).length === 0 && !someEntryEnables) || files.length === 0)
    return { results: [], findings: [], notices, affected: [] };

  const parsed = await parseWithIncludes(files, options.readInclude, notices);
  const queries = advisoryQueries(parsed);
  let lookup: ((name: string, version: string) => readonly ManifestAdvisory[]) | undefined;
  let skippedReason: string | undefined;
  if (queries.length > 0) {
    if (source === undefined) {
      skippedReason = 'no advisory source is configured';
    } else {
      try {
        const answers = await source.advisoriesFor(queries);
        lookup = advisoryLookup(queries, answers, options.config.dependencies.ignore);
      } catch (error: unknown) {
        const reason = error instanceof Error ? error.message : String(error);
        skippedReason = `advisories could not be read from ${source.description}: ${reason}`;
      }
    }
  }
  const results = parsed
    .map(({ manifest, text, changedLines }) => {
      const base = options.pathBase ?? '';
      const chosen = selectFor(base === '' ? manifest.path : posix.join(base, manifest.path));
      return scanManifest(manifest, text, {
        rules: manifestRules(chosen),
        severityOverrides: chosen.severityOverrides,
        ruleOptions: chosen.options,
        addedLines: changedLines,
        minConfidence: options.config.minConfidence,
        advisories: lookup,
      });
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const result: AuditResult = {
    results,
    findings: results.flatMap((file) => file.findings),
    notices,
    affected: lookup === undefined ? [] : affectedPackages(parsed, lookup),
  };
  if (skippedReason !== undefined) result.skippedReason = skippedReason;
  return result;
}

interface ParsedFile {
  manifest: ParsedManifest;
  text: string;
  changedLines: ReadonlySet<number> | null;
}

/** Parses the files, then the requirements files they include that are not among them. */
async function parseWithIncludes(
  files: readonly ManifestFile[],
  readInclude: AuditOptions['readInclude'],
  notices: FileNotice[],
): Promise<ParsedFile[]> {
  const parsed: ParsedFile[] = [];
  const seen = new Set(files.map((file) => file.path));
  const queue = files.map((file) => ({ file, depth: 0 }));
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
    const { file, depth } = item;
    const manifest = parseManifest(file.path, file.text);
    const changedLines = file.changedLines ?? null;
    parsed.push({ manifest, text: file.text, changedLines });
    for (const include of manifest.includes) {
      const target = posix.normalize(posix.join(posix.dirname(file.path), include.target));
      const where = { path: file.path, line: include.line };
      if (
        posix.isAbsolute(include.target) ||
        target.startsWith('../') ||
        target === '..' ||
        /^[a-z][a-z0-9+.-]*:/i.test(include.target)
      ) {
        notices.push({
          ...where,
          kind: 'skipped',
          message: `not read: ${include.target} (line ${include.line}) is outside the repository`,
        });
        continue;
      }
      if (seen.has(target)) continue;
      seen.add(target);
      // An unchanged included file has nothing to judge in a diff: only a full scan reads it.
      if (changedLines !== null || readInclude === undefined) continue;
      if (depth >= MAX_INCLUDE_DEPTH) {
        notices.push({
          ...where,
          kind: 'skipped',
          message: `not read: ${include.target} (line ${include.line}) is included more than ${MAX_INCLUDE_DEPTH} levels deep`,
        });
        continue;
      }
      const text = await readInclude(target);
      if (text === undefined) {
        notices.push({
          ...where,
          kind: 'skipped',
          message: `cannot read ${include.target}, included at line ${include.line}`,
        });
        continue;
      }
      queue.push({ file: { path: target, text, changedLines: null }, depth: depth + 1 });
    }
  }
  return parsed;
}

/** Whether a requirement's line is judged (every line when there is no change). */
function isJudged(requirement: Requirement, changedLines: ReadonlySet<number> | null): boolean {
  return changedLines === null || changedLines.has(requirement.span.line);
}

/** The version of a requirement the audit looks up: the pinned or locked one, else the lowest allowed. */
export function versionToAudit(requirement: Requirement): string | undefined {
  if (requirement.source !== 'registry') return undefined;
  return requirement.version ?? lowestAllowedVersion(requirement.specifier);
}

/** One query per distinct package version of the judged requirements. */
function advisoryQueries(parsed: readonly ParsedFile[]): PackageQuery[] {
  const queries = new Map<string, PackageQuery>();
  for (const { manifest, changedLines } of parsed) {
    for (const requirement of manifest.requirements) {
      if (!isJudged(requirement, changedLines)) continue;
      const version = versionToAudit(requirement);
      if (version !== undefined)
        queries.set(`${requirement.name}@${version}`, { name: requirement.name, version });
    }
  }
  return [...queries.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1,
  );
}

/** The judged requirements that advisories not ignored by config affect, sorted by path and line. */
function affectedPackages(
  parsed: readonly ParsedFile[],
  lookup: (name: string, version: string) => readonly ManifestAdvisory[],
): AffectedPackage[] {
  const affected: AffectedPackage[] = [];
  for (const { manifest, changedLines } of parsed) {
    for (const requirement of manifest.requirements) {
      if (!isJudged(requirement, changedLines)) continue;
      const version = versionToAudit(requirement);
      if (version === undefined) continue;
      const active = lookup(requirement.name, version).filter(
        (advisory) => advisory.ignoreReason === undefined,
      );
      if (active.length === 0) continue;
      const entry: AffectedPackage = {
        path: manifest.path,
        line: requirement.span.line,
        name: requirement.rawName,
        version,
        pinned: requirement.version !== undefined,
        advisories: active.map((advisory) => advisory.id),
      };
      const fixed = smallestFix(
        active.flatMap((advisory) => advisory.records),
        requirement.name,
        version,
      );
      if (fixed !== undefined) entry.fixed = fixed;
      affected.push(entry);
    }
  }
  return affected.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
}

/** Advisories by package and version, merged per vulnerability, marked when config ignores them. */
function advisoryLookup(
  queries: readonly PackageQuery[],
  answers: readonly (readonly OsvRecord[])[],
  ignores: readonly DependencyIgnore[],
): (name: string, version: string) => readonly ManifestAdvisory[] {
  const byKey = new Map<string, ManifestAdvisory[]>();
  queries.forEach((query, index) => {
    const summaries = summariseAdvisories(answers[index] ?? []).map((summary): ManifestAdvisory => {
      const ids = new Set([summary.id, ...summary.aliases].map((id) => id.toUpperCase()));
      const ignore = ignores.find((entry) => ids.has(entry.id.toUpperCase()));
      return ignore === undefined
        ? summary
        : { ...summary, ignoreReason: `${ignore.id}: ${ignore.reason}` };
    });
    byKey.set(`${query.name}@${query.version}`, summaries);
  });
  return (name, version) => byKey.get(`${name}@${version}`) ?? [];
}
