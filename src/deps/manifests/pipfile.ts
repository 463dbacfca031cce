/**
 * Pipenv's `Pipfile` (TOML: `[packages]`, `[dev-packages]`, `[[source]]`) and `Pipfile.lock`
 * (JSON: `default` and `develop` with locked `==` versions). Pure.
 */
import { normaliseName } from '../names.js';
import type { IndexDirective, ParsedManifest, Requirement } from '../types.js';
import { pinnedVersion, setVcsSource } from './pep508.js';
import {
  isTable,
  keyedRequirement,
  readExtrasAndMarkers,
  stringAt,
  tomlManifest,
} from './shared.js';
import {
  TextPositions,
  arrayTableHeader,
  escapeRegExp,
  keyLine,
  tableHeader,
} from './text-position.js';

const VCS_KEYS = ['git', 'hg', 'svn', 'bzr'] as const;

/** Parses a `Pipfile`. Never throws: problems name their line. */
export function parsePipfile(path: string, text: string): ParsedManifest {
  const { manifest, document } = tomlManifest(path, 'pipfile', text);
  if (document === undefined) return manifest;
  const positions = new TextPositions(text);
  for (const section of ['packages', 'dev-packages'] as const) {
    const table = document[section];
    if (!isTable(table)) continue;
    const start = positions.findLine(tableHeader(section)) ?? 0;
    for (const [rawName, value] of Object.entries(table)) {
      const keyAt = positions.findLine(keyLine(rawName), start);
      manifest.requirements.push(pipfileRequirement(rawName, value, positions, keyAt, section));
    }
  }
  manifest.indexes.push(...pipfileSources(document['source'], positions));
  return manifest;
}

function pipfileRequirement(
  rawName: string,
  value: unknown,
  positions: TextPositions,
  keyAt: number | undefined,
  group: string,
): Requirement {
  const requirement = keyedRequirement(rawName, positions, keyAt, group);
  let specifier: string | undefined;
  if (typeof value === 'string') specifier = value;
  else if (isTable(value)) {
    specifier = stringAt(value, 'version');
    readExtrasAndMarkers(requirement, value);
    requirement.editable = value['editable'] === true;
    for (const vcs of VCS_KEYS) {
      const url = stringAt(value, vcs);
      if (url === undefined) continue;
      setVcsSource(requirement, vcs, url, stringAt(value, 'ref'));
      return requirement;
    }
    const file = stringAt(value, 'file') ?? stringAt(value, 'path');
    if (file !== undefined) {
      requirement.url = file;
      requirement.source = stringAt(value, 'path') !== undefined ? 'path' : 'url';
      return requirement;
    }
  }
  if (specifier === undefined || specifier.trim() === '*') return requirement;
  requirement.specifier = specifier.replace(/\s+/g, '');
  const version = pinnedVersion(requirement.specifier);
  if (version !== undefined) {
    requirement.version = version;
    const at = positions.findQuoted(
      specifier,
      keyAt ?? 0,
      positions.lineEnd(requirement.span.line),
    );
    if (at !== undefined)
      requirement.versionSpan = positions.spanAt(at + specifier.indexOf(version), version.length);
  }
  return requirement;
}

/** `[[source]]`: the first is the index, later ones are extra indexes; `verify_ssl = false` trusts the host. */
function pipfileSources(value: unknown, positions: TextPositions): IndexDirective[] {
  if (!Array.isArray(value)) return [];
  const directives: IndexDirective[] = [];
  let from = 0;
  value.forEach((source, index) => {
    const blockAt = positions.findLine(arrayTableHeader('source'), from) ?? from;
    from = blockAt + 1;
    if (!isTable(source)) return;
    const url = stringAt(source, 'url');
    if (url === undefined) return;
    const at = positions.findQuoted(url, blockAt);
    const span =
      at === undefined
        ? positions.lineSpan(positions.lineOf(blockAt))
        : positions.spanAt(at, url.length);
    directives.push({ kind: index === 0 ? 'index-url' : 'extra-index-url', value: url, span });
    if (source['verify_ssl'] === false) {
      const verifyAt = positions.findLine(/^[ \t]*verify_ssl\s*=/, blockAt);
      const host = hostOf(url);
      directives.push({
        kind: 'trusted-host',
        value: host,
        span: verifyAt === undefined ? span : positions.lineSpan(positions.lineOf(verifyAt)),
      });
    }
  });
  return directives;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Parses a `Pipfile.lock`. Never throws: problems name their line. */
export function parsePipfileLock(path: string, text: string): ParsedManifest {
  const manifest: ParsedManifest = {
    path,
    kind: 'pipfile-lock',
    requirements: [],
    indexes: [],
    includes: [],
    problems: [],
  };
  const positions = new TextPositions(text);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    manifest.problems.push(jsonProblem(error, positions));
    return manifest;
  }
  if (!isTable(document)) {
    manifest.problems.push({
      line: 1,
      message: 'expected a JSON object with "default" and "develop"',
    });
    return manifest;
  }
  for (const section of ['default', 'develop'] as const) {
    const packages = document[section];
    if (!isTable(packages)) continue;
    const sectionAt = positions.findLine(new RegExp(`^[ \\t]*"${section}"[ \\t]*:`)) ?? 0;
    for (const [rawName, entry] of Object.entries(packages)) {
      if (!isTable(entry)) continue;
      const nameAt =
        positions.findLine(new RegExp(`^[ \\t]*"${escapeRegExp(rawName)}"[ \\t]*:`), sectionAt) ??
        sectionAt;
      const locked = stringAt(entry, 'version');
      const version = locked === undefined ? undefined : pinnedVersion(locked);
      const versionAt = positions.findLine(/^[ \t]*"version"\s*:/, nameAt);
      const line = positions.lineOf(versionAt ?? nameAt);
      const requirement: Requirement = {
        name: normaliseName(rawName),
        rawName,
        specifier: locked ?? '',
        span: positions.lineSpan(line),
        extras: [],
        source: 'registry',
        locked: true,
        hashes: Array.isArray(entry['hashes'])
          ? entry['hashes'].filter((hash): hash is string => typeof hash === 'string')
          : [],
        editable: entry['editable'] === true,
        group: section,
      };
      const markers = stringAt(entry, 'markers');
      if (markers !== undefined) requirement.markers = markers;
      const git = stringAt(entry, 'git');
      if (git !== undefined) setVcsSource(requirement, 'git', git, stringAt(entry, 'ref'));
      if (version !== undefined) {
        requirement.version = version;
        if (versionAt !== undefined) {
          const at = positions.findQuoted(locked ?? '', versionAt, positions.lineEnd(line));
          if (at !== undefined)
            requirement.versionSpan = positions.spanAt(
              at + (locked ?? '').indexOf(version),
              version.length,
            );
        }
      }
      manifest.requirements.push(requirement);
    }
  }
  return manifest;
}

/** A JSON syntax error with the line it happened at (from the position in V8's message). */
function jsonProblem(error: unknown, positions: TextPositions): { line?: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  const position = /position (\d+)/.exec(message);
  const line =
    lineColumn !== null
      ? Number(lineColumn[1])
      : position !== null
        ? positions.lineOf(Number(position[1]))
        : undefined;
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, '');
  return line === undefined
    ? { message: `invalid JSON: ${reason}` }
    : { line, message: `invalid JSON at line ${line}: ${reason}` };
}
