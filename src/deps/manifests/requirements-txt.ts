/**
 * pip requirements files (`requirements*.txt`, `constraints*.txt`, `*.in`): one requirement per
 * logical line, `\` continuations, comments, `-r`/`-c` includes, `-e`, per-requirement options
 * such as `--hash`, and global options such as `--index-url` and `--trusted-host`. Pure.
 */
import { normaliseName } from '../names.js';
import type {
  IncludeDirective,
  IndexDirective,
  LineSpan,
  ManifestProblem,
  ParsedManifest,
  Requirement,
} from '../types.js';
import { eggName, parsePep508, pinnedVersion, vcsReference } from './pep508.js';

/** One logical line: continuations joined, with where its text starts on its first line. */
interface LogicalLine {
  /** 1-based number of the first physical line. */
  line: number;
  /** The joined text, comment removed. */
  text: string;
  /** Length of the part of `text` that lies on the first physical line. */
  firstLineLength: number;
}

/** Splits text into logical lines: `\` at the end of a line continues it; `#` comments go. */
export function logicalLines(text: string): LogicalLine[] {
  const physical = text.split(/\r?\n/);
  const lines: LogicalLine[] = [];
  let current: LogicalLine | undefined;
  physical.forEach((raw, index) => {
    const continued = /\\\s*$/.test(raw) && !isComment(raw);
    const content = continued ? raw.replace(/\\\s*$/, '') : raw;
    if (current === undefined) {
      current = { line: index + 1, text: content, firstLineLength: content.length };
    } else {
      current.text += content;
    }
    if (!continued) {
      lines.push(current);
      current = undefined;
    }
  });
  if (current !== undefined) lines.push(current);
  for (const line of lines) {
    line.text = stripComment(line.text);
    line.firstLineLength = Math.min(line.firstLineLength, line.text.length);
  }
  return lines;
}

function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

/** pip's rule: `#` at the start of a line or after whitespace starts a comment. */
function stripComment(text: string): string {
  return text.replace(/(^|\s)#.*$/, '').trimEnd();
}

const INCLUDE = /^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)$/;
const INDEX_OPTION =
  /^(-i|--index-url|--extra-index-url|--trusted-host|-f|--find-links)(?:\s*=\s*|\s+)(\S+)/;
const EDITABLE = /^(-e|--editable)(?:\s*=\s*|\s+)(\S+.*)$/;
/** Options that take no part in what gets installed from where. */
const OTHER_OPTION = /^--?[a-z][\w-]*/i;

const INDEX_KINDS: Readonly<Record<string, IndexDirective['kind']>> = {
  '-i': 'index-url',
  '--index-url': 'index-url',
  '--extra-index-url': 'extra-index-url',
  '--trusted-host': 'trusted-host',
  '-f': 'find-links',
  '--find-links': 'find-links',
};

/** Parses a requirements or constraints file. Never throws: problems name their line. */
export function parseRequirementsTxt(path: string, text: string): ParsedManifest {
  const requirements: Requirement[] = [];
  const indexes: IndexDirective[] = [];
  const includes: IncludeDirective[] = [];
  const problems: ManifestProblem[] = [];
  const physical = text.split(/\r?\n/);
  for (const logical of logicalLines(text)) {
    const leading = logical.text.length - logical.text.trimStart().length;
    const body = logical.text.trim();
    if (body === '') continue;
    const lineText = physical[logical.line - 1] ?? '';
    const spanOf = (start: number, length: number): LineSpan => {
      const from = leading + start;
      const to = Math.min(from + length, Math.max(logical.firstLineLength, from));
      return { line: logical.line, column: from + 1, endColumn: Math.max(to, from) + 1 };
    };

    const include = INCLUDE.exec(body);
    if (include !== null) {
      const flag = include[1] ?? '';
      includes.push({
        kind: flag === '-c' || flag === '--constraint' ? 'constraints' : 'requirements',
        target: include[2] ?? '',
        line: logical.line,
      });
      continue;
    }
    const index = INDEX_OPTION.exec(body);
    if (index !== null) {
      const value = index[2] ?? '';
      const kind = INDEX_KINDS[index[1] ?? ''];
      if (kind !== undefined) {
        indexes.push({
          kind,
          value,
          span: spanOf(body.indexOf(value, index[1]?.length), value.length),
        });
      }
      continue;
    }
    const editable = EDITABLE.exec(body);
    if (editable !== null) {
      const target = (editable[2] ?? '').trim();
      const start = body.indexOf(target);
      requirements.push(urlRequirement(target, spanOf(start, target.length), true));
      continue;
    }
    if (OTHER_OPTION.test(body)) continue;

    const { requirementText, hashes } = splitOptions(body);
    const parsed = parseRequirementText(requirementText, spanOf, hashes);
    if ('error' in parsed) {
      problems.push({
        line: logical.line,
        message: `${parsed.error} (line ${logical.line}: ${lineText.trim()})`,
      });
      continue;
    }
    requirements.push(parsed);
  }
  return { path, kind: 'requirements', requirements, indexes, includes, problems };
}

/** The requirement text and its `--hash` values, other per-requirement options dropped. */
function splitOptions(body: string): { requirementText: string; hashes: string[] } {
  const optionStart = body.search(/\s--?[a-z]/i);
  const requirementText = optionStart === -1 ? body : body.slice(0, optionStart);
  const hashes = [...body.matchAll(/--hash(?:\s*=\s*|\s+)(\S+)/g)].map((match) => match[1] ?? '');
  return { requirementText, hashes };
}

/**
 * One requirement: a PEP 508 specification, or a bare URL or path (`./pkg`, `git+https://…`,
 * `https://…/pkg.whl`) whose name comes from `#egg=` or the file name.
 */
function parseRequirementText(
  text: string,
  spanOf: (start: number, length: number) => LineSpan,
  hashes: string[],
): Requirement | { error: string } {
  if (looksLikeUrlOrPath(text)) return urlRequirement(text, spanOf(0, text.length), false);
  const parsed = parsePep508(text);
  if ('error' in parsed) return parsed;
  const requirement: Requirement = {
    name: normaliseName(parsed.rawName),
    rawName: parsed.rawName,
    specifier: parsed.specifier,
    span: spanOf(0, parsed.end),
    extras: parsed.extras,
    source: 'registry',
    locked: false,
    hashes,
    editable: false,
  };
  if (parsed.markers !== undefined) requirement.markers = parsed.markers;
  if (parsed.url !== undefined) {
    requirement.url = parsed.url;
    const vcs = vcsReference(parsed.url);
    requirement.source = vcs !== undefined ? 'vcs' : isLocalPath(parsed.url) ? 'path' : 'url';
    if (vcs !== undefined) requirement.vcs = vcs;
    return requirement;
  }
  const version = pinnedVersion(parsed.specifier);
  if (version !== undefined) {
    requirement.version = version;
    const at = text.indexOf(version, parsed.specifierStart);
    if (at !== -1) requirement.versionSpan = spanOf(at, version.length);
  }
  return requirement;
}

function looksLikeUrlOrPath(text: string): boolean {
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ||
    /^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(text) ||
    /^(git|hg|svn|bzr)\+/i.test(text)
  );
}

function isLocalPath(url: string): boolean {
  return url.startsWith('file:') || /^(?:\.{0,2}\/|~\/)/.test(url);
}

/**
 * A requirement given as a URL or path. Its name comes from `#egg=`, the archive's file name, the
 * repository or the directory; when none tells it (`-e .`), the URL stands for the name and the
 * normalised name is empty (such requirements are never looked up in advisories).
 */
function urlRequirement(url: string, span: LineSpan, editable: boolean): Requirement {
  const vcs = vcsReference(url);
  const rawName =
    eggName(url) ??
    archiveName(url) ??
    (vcs === undefined ? directoryName(url) : repositoryName(url));
  const requirement: Requirement = {
    name: rawName === undefined ? '' : normaliseName(rawName),
    rawName: rawName ?? url,
    specifier: '',
    span,
    extras: [],
    source: vcs !== undefined ? 'vcs' : isLocalPath(url) || !url.includes('://') ? 'path' : 'url',
    url,
    locked: false,
    hashes: [],
    editable,
  };
  if (vcs !== undefined) requirement.vcs = vcs;
  return requirement;
}

/** `git+https://github.com/org/tool.git@main` → `tool`. */
function repositoryName(url: string): string | undefined {
  const path = (url.split('#')[0] ?? url).replace(/@[^/@]*$/, '');
  const last =
    path
      .replace(/\/+$/, '')
      .split('/')
      .pop()
      ?.replace(/\.git$/, '') ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(last) ? last : undefined;
}

/** `pkg-1.0-py3-none-any.whl` or `pkg-1.0.tar.gz` → `pkg`. */
function archiveName(url: string): string | undefined {
  const file = (url.split(/[?#]/)[0] ?? '').split('/').pop() ?? '';
  const match = /^([A-Za-z0-9][A-Za-z0-9._]*?)-\d[^/]*\.(?:whl|tar\.gz|zip|tar\.bz2)$/.exec(file);
  return match?.[1];
}

/** A local directory such as `./packages/mylib` → `mylib`. */
function directoryName(url: string): string | undefined {
  if (url.includes('://') && !url.startsWith('file:')) return undefined;
  const last =
    url
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(last) && last !== '.' && last !== '..'
    ? last
    : undefined;
}
