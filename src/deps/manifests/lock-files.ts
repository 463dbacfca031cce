/**
 * TOML lock files: `poetry.lock` and `uv.lock` (`[[package]]` with `name` and `version`) and
 * PEP 751 `pylock.toml` (`[[packages]]`). Each locked package is judged on its `version` line.
 */
import type { IndexDirective, ManifestKind, ParsedManifest, Requirement } from '../types.js';
import { vcsReference } from './pep508.js';
import { blockOffsets, isTable, lockedRequirement, stringAt, tomlManifest } from './shared.js';
import { TextPositions, arrayTableHeader } from './text-position.js';

type LockKind = Extract<ManifestKind, 'poetry-lock' | 'uv-lock' | 'pylock'>;

/** Parses `poetry.lock`, `uv.lock` or `pylock.toml`. Never throws: problems name their line. */
export function parseLockFile(path: string, text: string, kind: LockKind): ParsedManifest {
  const { manifest, document } = tomlManifest(path, kind, text);
  if (document === undefined) return manifest;
  const key = kind === 'pylock' ? 'packages' : 'package';
  const packages = document[key];
  if (packages === undefined) return manifest;
  if (!Array.isArray(packages)) {
    manifest.problems.push({ message: `"${key}" should be an array of tables ([[${key}]])` });
    return manifest;
  }
  const positions = new TextPositions(text);
  const starts = blockOffsets(positions, arrayTableHeader(key));
  const seenIndexes = new Set<string>();
  packages.forEach((entry: unknown, index) => {
    if (!isTable(entry)) return;
    const blockStart = starts[index] ?? 0;
    const blockEnd = starts[index + 1] ?? text.length;
    const rawName = stringAt(entry, 'name');
    if (rawName === undefined) {
      manifest.problems.push({
        line: positions.lineOf(blockStart),
        message: `[[${key}]] entry without a name`,
      });
      return;
    }
    const requirement = lockedRequirement(
      rawName,
      stringAt(entry, 'version'),
      positions,
      blockStart,
      blockEnd,
    );
    applySource(requirement, entry, kind);
    manifest.requirements.push(requirement);
    const indexUrl = indexOf(entry, kind);
    if (indexUrl !== undefined && !seenIndexes.has(indexUrl)) {
      seenIndexes.add(indexUrl);
      const at = positions.findQuoted(indexUrl, blockStart, blockEnd);
      manifest.indexes.push(indexDirective(indexUrl, at, positions, requirement));
    }
  });
  return manifest;
}

function indexDirective(
  url: string,
  at: number | undefined,
  positions: TextPositions,
  requirement: Requirement,
): IndexDirective {
  return {
    kind: 'index-url',
    value: url,
    span: at === undefined ? requirement.span : positions.spanAt(at, url.length),
  };
}

/** The index a locked package came from: uv `source.registry`, pylock `index`, poetry `legacy` sources. */
function indexOf(entry: Readonly<Record<string, unknown>>, kind: LockKind): string | undefined {
  if (kind === 'pylock') return stringAt(entry, 'index');
  const source = entry['source'];
  if (!isTable(source)) return undefined;
  if (kind === 'uv-lock') return stringAt(source, 'registry');
  return stringAt(source, 'type') === 'legacy' ? stringAt(source, 'url') : undefined;
}

/** Marks VCS, URL and path packages, with the commit a lock file resolved them to. */
function applySource(
  requirement: Requirement,
  entry: Readonly<Record<string, unknown>>,
  kind: LockKind,
): void {
  if (kind === 'pylock') {
    const vcs = entry['vcs'];
    if (isTable(vcs)) {
      const url = stringAt(vcs, 'url') ?? '';
      const commit = stringAt(vcs, 'commit-id');
      setVcs(
        requirement,
        `${stringAt(vcs, 'type') ?? 'git'}+${url}${commit === undefined ? '' : `@${commit}`}`,
        url,
      );
    }
    return;
  }
  const source = entry['source'];
  if (!isTable(source)) return;
  if (kind === 'uv-lock') {
    const git = stringAt(source, 'git');
    if (git !== undefined) {
      // uv writes the resolved commit after `#`: git+https://…?rev=main#<sha>.
      const [base = git, commit] = git.split('#');
      setVcs(
        requirement,
        `git+${base.split('?')[0] ?? base}${commit === undefined ? '' : `@${commit}`}`,
        git,
      );
    } else if (stringAt(source, 'url') !== undefined) {
      requirement.source = 'url';
      requirement.url = stringAt(source, 'url') ?? '';
    } else if (
      stringAt(source, 'path') !== undefined ||
      stringAt(source, 'directory') !== undefined ||
      stringAt(source, 'editable') !== undefined
    ) {
      requirement.source = 'path';
    }
    return;
  }
  const type = stringAt(source, 'type');
  const url = stringAt(source, 'url') ?? '';
  if (type === 'git') {
    const commit = stringAt(source, 'resolved_reference') ?? stringAt(source, 'reference');
    setVcs(requirement, `git+${url}${commit === undefined ? '' : `@${commit}`}`, url);
  } else if (type === 'url') {
    requirement.source = 'url';
    requirement.url = url;
  } else if (type === 'directory' || type === 'file') {
    requirement.source = 'path';
    requirement.url = url;
  }
}

function setVcs(requirement: Requirement, vcsUrl: string, url: string): void {
  requirement.source = 'vcs';
  requirement.url = url;
  const reference = vcsReference(vcsUrl);
  if (reference !== undefined) requirement.vcs = reference;
}
