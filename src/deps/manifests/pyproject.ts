/**
 * `pyproject.toml`: PEP 621 `[project] dependencies` and `optional-dependencies`, PEP 735
 * `[dependency-groups]`, and Poetry's `[tool.poetry.*dependencies]` tables and sources. Pure.
 */
import { normaliseName } from '../names.js';
import type { IndexDirective, ManifestProblem, ParsedManifest, Requirement } from '../types.js';
import { pinnedVersion, setVcsSource } from './pep508.js';
import {
  isProblem,
  isTable,
  keyedRequirement,
  readExtrasAndMarkers,
  pep508Requirement,
  sourceOfUrl,
  stringAt,
  tomlManifest,
  type TomlDocument,
} from './shared.js';
import { TextPositions, arrayTableHeader, keyLine, tableHeader } from './text-position.js';

/** Parses a `pyproject.toml`. Never throws: problems name their line. */
export function parsePyproject(path: string, text: string): ParsedManifest {
  const { manifest, document } = tomlManifest(path, 'pyproject', text);
  if (document === undefined) return manifest;
  const positions = new TextPositions(text);
  const add = (entry: Requirement | ManifestProblem): void => {
    if (isProblem(entry)) manifest.problems.push(entry);
    else manifest.requirements.push(entry);
  };
  const project = document['project'];
  if (isTable(project)) {
    const sectionStart = positions.findLine(tableHeader('project')) ?? 0;
    pep508List(
      project['dependencies'],
      'dependencies',
      positions,
      sectionStart,
      'dependencies',
    ).forEach(add);
    const optional = project['optional-dependencies'];
    if (isTable(optional)) {
      const optionalStart =
        positions.findLine(tableHeader('project.optional-dependencies')) ??
        positions.findLine(keyLine('optional-dependencies'), sectionStart) ??
        sectionStart;
      for (const [extra, list] of Object.entries(optional)) {
        const keyAt = positions.findLine(keyLine(extra), optionalStart) ?? optionalStart;
        pep508List(
          list,
          `optional-dependencies.${extra}`,
          positions,
          keyAt,
          `project.optional-dependencies.${extra}`,
        ).forEach(add);
      }
    }
  }
  const groups = document['dependency-groups'];
  if (isTable(groups)) {
    const groupsStart = positions.findLine(tableHeader('dependency-groups')) ?? 0;
    for (const [group, list] of Object.entries(groups)) {
      const keyAt = positions.findLine(keyLine(group), groupsStart) ?? groupsStart;
      const strings = Array.isArray(list) ? list.filter((item) => !isTable(item)) : list;
      pep508List(
        strings,
        `dependency-groups.${group}`,
        positions,
        keyAt,
        `dependency-groups.${group}`,
      ).forEach(add);
    }
  }
  readPoetry(document, positions, manifest);
  return manifest;
}

/** The requirements of a list of PEP 508 strings whose key is at `from`. */
function pep508List(
  value: unknown,
  group: string,
  positions: TextPositions,
  from: number,
  key: string,
): (Requirement | ManifestProblem)[] {
  if (value === undefined) return [];
  const line = positions.lineOf(from);
  if (!Array.isArray(value))
    return [{ line, message: `${key} should be a list of requirement strings` }];
  const entries: (Requirement | ManifestProblem)[] = [];
  let cursor = from;
  for (const item of value) {
    if (typeof item !== 'string') {
      entries.push({ line, message: `${key} has an entry that is not a string` });
      continue;
    }
    const at = positions.findQuoted(item, cursor);
    if (at !== undefined) cursor = at + item.length;
    entries.push(pep508Requirement(item, at, positions, group, line));
  }
  return entries;
}

/** Poetry's dependency tables (`tool.poetry.dependencies`, groups, dev-dependencies) and sources. */
function readPoetry(
  document: TomlDocument,
  positions: TextPositions,
  manifest: ParsedManifest,
): void {
  const tool = document['tool'];
  const poetry = isTable(tool) ? tool['poetry'] : undefined;
  if (!isTable(poetry)) return;
  const tables: { name: string; group: string; value: unknown }[] = [
    { name: 'tool.poetry.dependencies', group: 'dependencies', value: poetry['dependencies'] },
    {
      name: 'tool.poetry.dev-dependencies',
      group: 'dev-dependencies',
      value: poetry['dev-dependencies'],
    },
  ];
  const groups = poetry['group'];
  if (isTable(groups)) {
    for (const [name, group] of Object.entries(groups)) {
      if (isTable(group)) {
        tables.push({
          name: `tool.poetry.group.${name}.dependencies`,
          group: `group.${name}`,
          value: group['dependencies'],
        });
      }
    }
  }
  for (const table of tables) {
    if (!isTable(table.value)) continue;
    const start = positions.findLine(tableHeader(table.name)) ?? 0;
    for (const [rawName, constraint] of Object.entries(table.value)) {
      if (normaliseName(rawName) === 'python') continue;
      const keyAt = positions.findLine(keyLine(rawName), start);
      const entry = poetryRequirement(rawName, constraint, positions, keyAt, table.group);
      if (entry !== undefined) manifest.requirements.push(entry);
    }
  }
  manifest.indexes.push(...poetrySources(poetry['source'], positions));
}

/**
 * One Poetry dependency: `"^2.10"`, `"2.10"` (exact), `{version = "…", extras = […]}`,
 * `{git = "…", rev = "…"}`, `{url = "…"}` or `{path = "…"}`. A list of constraints (one per
 * Python version) is read by its first entry.
 */
function poetryRequirement(
  rawName: string,
  constraint: unknown,
  positions: TextPositions,
  keyAt: number | undefined,
  group: string,
): Requirement | undefined {
  const first = Array.isArray(constraint) ? (constraint as unknown[])[0] : constraint;
  const requirement = keyedRequirement(rawName, positions, keyAt, group);
  let specifier: string | undefined;
  if (typeof first === 'string') specifier = first;
  else if (isTable(first)) {
    specifier = stringAt(first, 'version');
    readExtrasAndMarkers(requirement, first);
    const git = stringAt(first, 'git');
    if (git !== undefined) {
      const revision =
        stringAt(first, 'rev') ?? stringAt(first, 'tag') ?? stringAt(first, 'branch');
      setVcsSource(requirement, 'git', git, revision);
      return requirement;
    }
    const url = stringAt(first, 'url') ?? stringAt(first, 'path');
    if (url !== undefined) {
      requirement.url = url;
      requirement.source = stringAt(first, 'path') !== undefined ? 'path' : sourceOfUrl(url, false);
      return requirement;
    }
  } else return undefined;
  if (specifier === undefined) return requirement;
  requirement.specifier = specifier.trim();
  const version = /^\d[\w.!+-]*$/.test(requirement.specifier)
    ? requirement.specifier
    : pinnedVersion(requirement.specifier);
  if (version !== undefined) {
    requirement.version = version;
    const at = positions.findQuoted(
      specifier,
      keyAt ?? 0,
      positions.lineEnd(requirement.span.line),
    );
    if (at !== undefined) {
      const inner = specifier.indexOf(version);
      requirement.versionSpan = positions.spanAt(at + inner, version.length);
    }
  }
  return requirement;
}

/** `[[tool.poetry.source]]`: the default/primary index, supplemental and secondary extra indexes. */
function poetrySources(value: unknown, positions: TextPositions): IndexDirective[] {
  if (!Array.isArray(value)) return [];
  const directives: IndexDirective[] = [];
  let from = 0;
  for (const source of value) {
    const blockAt = positions.findLine(arrayTableHeader('tool.poetry.source'), from) ?? from;
    from = blockAt + 1;
    if (!isTable(source)) continue;
    const url = stringAt(source, 'url');
    if (url === undefined) continue;
    const at = positions.findQuoted(url, blockAt);
    const priority =
      stringAt(source, 'priority') ?? (source['secondary'] === true ? 'secondary' : 'primary');
    const kind =
      priority === 'supplemental' || priority === 'secondary' ? 'extra-index-url' : 'index-url';
    directives.push({
      kind,
      value: url,
      span:
        at === undefined
          ? positions.lineSpan(positions.lineOf(blockAt))
          : positions.spanAt(at, url.length),
    });
  }
  return directives;
}
