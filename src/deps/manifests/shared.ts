/** Building blocks shared by the TOML and JSON manifest parsers. */
import { TomlError, parse as parseToml } from 'smol-toml';

import { normaliseName } from '../names.js';
import type { ManifestProblem, ParsedManifest, Requirement, SourceKind } from '../types.js';
import { parsePep508, pinnedVersion, vcsReference } from './pep508.js';
import type { TextPositions } from './text-position.js';

/** A TOML document as plain values. */
export type TomlDocument = Readonly<Record<string, unknown>>;

/** Parses TOML; a syntax error becomes a problem naming its line. */
export function readToml(text: string): { document: TomlDocument } | { problem: ManifestProblem } {
  try {
    return { document: parseToml(text) };
  } catch (error: unknown) {
    if (error instanceof TomlError) {
      const reason = (error.message.split('\n')[0] ?? error.message).replace(
        /^Invalid TOML document: /,
        '',
      );
      return {
        problem: {
          line: error.line,
          message: `invalid TOML at line ${error.line}, column ${error.column}: ${reason}`,
        },
      };
    }
    return {
      problem: {
        message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

/** Whether a parser result is a problem rather than a requirement. */
export function isProblem(value: Requirement | ManifestProblem): value is ManifestProblem {
  return !('name' in value);
}

export function isTable(value: unknown): value is Readonly<Record<string, unknown>> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

export function stringAt(
  table: Readonly<Record<string, unknown>>,
  key: string,
): string | undefined {
  const value = table[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * A requirement from a PEP 508 string found in the text at `offset` (the string's content);
 * a string that is not PEP 508 becomes a problem.
 */
export function pep508Requirement(
  specification: string,
  offset: number | undefined,
  positions: TextPositions,
  group: string,
  fallbackLine: number,
): Requirement | ManifestProblem {
  const parsed = parsePep508(specification);
  const line = offset === undefined ? fallbackLine : positions.lineOf(offset);
  if ('error' in parsed) return { line, message: parsed.error };
  const span =
    offset === undefined ? positions.lineSpan(line) : positions.spanAt(offset, parsed.end);
  const requirement: Requirement = {
    name: normaliseName(parsed.rawName),
    rawName: parsed.rawName,
    specifier: parsed.specifier,
    span,
    extras: parsed.extras,
    source: 'registry',
    locked: false,
    hashes: [],
    editable: false,
    group,
  };
  if (parsed.markers !== undefined) requirement.markers = parsed.markers;
  if (parsed.url !== undefined) {
    requirement.url = parsed.url;
    const vcs = vcsReference(parsed.url);
    if (vcs !== undefined) requirement.vcs = vcs;
    requirement.source = sourceOfUrl(parsed.url, vcs !== undefined);
    return requirement;
  }
  const version = pinnedVersion(parsed.specifier);
  if (version !== undefined) {
    requirement.version = version;
    if (offset !== undefined) {
      const at = specification.indexOf(version, parsed.specifierStart);
      if (at !== -1) requirement.versionSpan = positions.spanAt(offset + at, version.length);
    }
  }
  return requirement;
}

export function sourceOfUrl(url: string, isVcs: boolean): SourceKind {
  if (isVcs) return 'vcs';
  return url.startsWith('file:') || !url.includes('://') ? 'path' : 'url';
}

/** A locked package: name and exact version on the lines of its block. */
export function lockedRequirement(
  rawName: string,
  version: string | undefined,
  positions: TextPositions,
  blockStart: number,
  blockEnd: number,
): Requirement {
  const nameOffset = positions.findLine(/^[ \t]*name\s*=/, blockStart);
  const versionOffset = positions.findLine(/^[ \t]*version\s*=/, blockStart);
  const versionLine =
    versionOffset !== undefined && versionOffset < blockEnd
      ? positions.lineOf(versionOffset)
      : undefined;
  const line =
    versionLine ??
    (nameOffset !== undefined && nameOffset < blockEnd
      ? positions.lineOf(nameOffset)
      : positions.lineOf(blockStart));
  const requirement: Requirement = {
    name: normaliseName(rawName),
    rawName,
    specifier: version === undefined ? '' : `==${version}`,
    span: positions.lineSpan(line),
    extras: [],
    source: 'registry',
    locked: true,
    hashes: [],
    editable: false,
  };
  if (version !== undefined) {
    requirement.version = version;
    if (versionOffset !== undefined && versionOffset < blockEnd) {
      const at = positions.findQuoted(version, versionOffset, positions.lineEnd(line));
      if (at !== undefined) requirement.versionSpan = positions.spanAt(at, version.length);
    }
  }
  return requirement;
}

/** Offsets where each `[[name]]` block starts, in order, and the end of the last one. */
export function blockOffsets(positions: TextPositions, header: RegExp): number[] {
  const starts: number[] = [];
  let from = 0;
  for (;;) {
    const at = positions.findLine(header, from);
    if (at === undefined) break;
    starts.push(at);
    from = at + 1;
  }
  return starts;
}

/**
 * A manifest read as TOML: its parsed document, or no document and the manifest already holding
 * the syntax problem.
 */
export function tomlManifest(
  path: string,
  kind: ParsedManifest['kind'],
  text: string,
): { manifest: ParsedManifest; document?: TomlDocument } {
  const manifest: ParsedManifest = {
    path,
    kind,
    requirements: [],
    indexes: [],
    includes: [],
    problems: [],
  };
  const read = readToml(text);
  if ('problem' in read) {
    manifest.problems.push(read.problem);
    return { manifest };
  }
  return { manifest, document: read.document };
}

/**
 * A requirement named by a TOML table key (Pipfile packages, Poetry dependencies), on the key's
 * line, with nothing known yet but its name and group.
 */
export function keyedRequirement(
  rawName: string,
  positions: TextPositions,
  keyAt: number | undefined,
  group: string,
): Requirement {
  const line = keyAt === undefined ? 1 : positions.lineOf(keyAt);
  return {
    name: normaliseName(rawName),
    rawName,
    specifier: '',
    span: positions.lineSpan(line),
    extras: [],
    source: 'registry',
    locked: false,
    hashes: [],
    editable: false,
    group,
  };
}

/** Copies a TOML dependency table's `extras` and `markers` onto its requirement. */
export function readExtrasAndMarkers(
  requirement: Requirement,
  table: Readonly<Record<string, unknown>>,
): void {
  const extras = table['extras'];
  if (Array.isArray(extras)) {
    requirement.extras = extras.filter((extra): extra is string => typeof extra === 'string');
  }
  const markers = stringAt(table, 'markers');
  if (markers !== undefined) requirement.markers = markers;
}
