/**
 * PEP 508 dependency specifications (`name[extras] (specifier) ; markers`, `name @ url`), the
 * requirement syntax shared by requirements files, PEP 621 and PEP 735. Pure: offsets in, offsets
 * out, so callers can place findings on the exact characters.
 */
import { parse as parseSpecifier } from '@renovatebot/pep440/lib/specifier.js';

import type { Requirement, VcsReference } from '../types.js';

/** A parsed PEP 508 requirement; offsets are relative to the parsed text. */
export interface Pep508Requirement {
  rawName: string;
  extras: string[];
  /** The version specifier without parentheses or spaces around it, or `''`. */
  specifier: string;
  /** Offset of the specifier in the text (when there is one). */
  specifierStart: number;
  url?: string;
  markers?: string;
  /** Offset just after the requirement proper (before `;` markers and trailing spaces). */
  end: number;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;
const EXTRAS = /^\[([^\]]*)\]\s*/;

/**
 * Parses one requirement. Returns an error message instead of throwing when the text is not a
 * valid PEP 508 requirement.
 */
export function parsePep508(text: string): Pep508Requirement | { error: string } {
  const name = NAME.exec(text);
  if (name === null) return { error: `"${text.trim()}" does not start with a package name` };
  let offset = name[0].length;
  let extras: string[] = [];
  const extrasMatch = EXTRAS.exec(text.slice(offset));
  if (extrasMatch !== null) {
    extras = (extrasMatch[1] ?? '')
      .split(',')
      .map((extra) => extra.trim())
      .filter((extra) => extra !== '');
    offset += extrasMatch[0].length;
  }
  const rest = text.slice(offset);
  const base = { rawName: name[1] ?? '', extras };
  if (rest.startsWith('@')) {
    const urlText = rest.slice(1);
    const urlMatch = /^\s*(\S+)/.exec(urlText);
    if (urlMatch === null) return { error: `"${text.trim()}" has "@" but no URL` };
    const url = urlMatch[1] ?? '';
    const urlEnd = offset + 1 + urlMatch[0].length;
    const markers = markersAfter(text.slice(urlEnd));
    if (markers === null) return { error: `unexpected text after the URL in "${text.trim()}"` };
    return withMarkers(
      { ...base, specifier: '', specifierStart: urlEnd, url, end: urlEnd },
      markers,
    );
  }
  const semicolon = rest.indexOf(';');
  const specifierText = semicolon === -1 ? rest : rest.slice(0, semicolon);
  let body = specifierText.trim();
  let bodyStart = specifierText.length - specifierText.trimStart().length;
  if (body.startsWith('(') && body.endsWith(')')) {
    const inner = body.slice(1, -1);
    bodyStart += 1 + inner.length - inner.trimStart().length;
    body = inner.trim();
  }
  if (body !== '' && !isValidSpecifier(body)) {
    return { error: `"${body}" is not a valid version specifier` };
  }
  const requirementEnd =
    body === ''
      ? offset - (text.slice(0, offset).length - text.slice(0, offset).trimEnd().length)
      : offset + specifierText.trimEnd().length;
  const result: Pep508Requirement = {
    ...base,
    specifier: body.replace(/\s+/g, ''),
    specifierStart: offset + bodyStart,
    end: requirementEnd,
  };
  if (semicolon === -1) return result;
  const markers = rest.slice(semicolon + 1).trim();
  if (markers === '') return { error: `"${text.trim()}" has ";" but no environment marker` };
  result.markers = markers;
  return result;
}

/** Markers after a URL: `''` for none, the marker text, or null for other trailing text. */
function markersAfter(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  if (!trimmed.startsWith(';')) return null;
  return trimmed.slice(1).trim();
}

function withMarkers(requirement: Pep508Requirement, markers: string): Pep508Requirement {
  return markers === '' ? requirement : { ...requirement, markers };
}

/** Whether a specifier (`>=1.0,<2`, `==2.*`, `~=1.4`) is valid PEP 440. */
export function isValidSpecifier(specifier: string): boolean {
  const clauses = specifier.split(',').map((clause) => clause.trim());
  if (clauses.some((clause) => clause === '')) return false;
  return clauses.every((clause) => {
    if (!/^(===|==|!=|~=|<=|>=|<|>)\s*\S+$/.test(clause)) return false;
    try {
      return parseSpecifier(clause).length === 1;
    } catch {
      return false;
    }
  });
}

/**
 * The exact version a specifier pins: `==2.10` and `===2.10` give `2.10`; wildcards (`==2.*`),
 * ranges and several clauses pin nothing.
 */
export function pinnedVersion(specifier: string): string | undefined {
  const match = /^(?:===?)\s*([^,*\s]+)$/.exec(specifier.trim());
  return match?.[1];
}

const VCS_PREFIX = /^(git|hg|svn|bzr)\+/i;
const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * Makes `requirement` a VCS requirement of `url` (as written in a table: `git = "…"`), at
 * `revision` when one is given, with the reference of `<vcs>+<url>@<revision>`.
 */
export function setVcsSource(
  requirement: Pick<Requirement, 'source' | 'url' | 'vcs'>,
  vcs: string,
  url: string,
  revision: string | undefined,
): void {
  requirement.source = 'vcs';
  requirement.url = url;
  const reference = vcsReference(`${vcs}+${url}${revision === undefined ? '' : `@${revision}`}`);
  if (reference !== undefined) requirement.vcs = reference;
}

/** The VCS reference of a `git+…`/`hg+…`/`svn+…`/`bzr+…` URL, or undefined for other URLs. */
export function vcsReference(url: string): VcsReference | undefined {
  const prefix = VCS_PREFIX.exec(url);
  if (prefix === null) return undefined;
  const vcs = (prefix[1] ?? '').toLowerCase();
  const withoutFragment = url.split('#')[0] ?? url;
  const schemeEnd = withoutFragment.indexOf('://');
  const pathStart =
    schemeEnd === -1
      ? withoutFragment.indexOf(':') + 1
      : withoutFragment.indexOf('/', schemeEnd + 3);
  const path = pathStart <= 0 ? '' : withoutFragment.slice(pathStart);
  const at = path.lastIndexOf('@');
  const reference: VcsReference = { vcs, url, pinnedCommit: false };
  if (at !== -1) {
    const revision = path.slice(at + 1);
    if (revision !== '') {
      reference.revision = revision;
      // svn revisions are numbers and immutable; git and hg need a full commit hash.
      reference.pinnedCommit = vcs === 'svn' ? /^\d+$/.test(revision) : FULL_COMMIT.test(revision);
    }
  }
  return reference;
}

/** The `#egg=name` of a URL, if any. */
export function eggName(url: string): string | undefined {
  return /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url)?.[1];
}
