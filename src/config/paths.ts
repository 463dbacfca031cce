/**
 * Which files are scanned, from `paths.include` / `paths.exclude`.
 *
 * Patterns are picomatch globs matched against the whole repo-relative posix path (not the
 * basename, unlike `.gitignore`): `*.py` matches only top-level files, `**\/*.py` matches
 * `a.py` and `src/a.py`, and a directory is excluded with `vendor/**`. Dot files and dot
 * directories are matched like any other. A leading `./` or `/` is ignored.
 */
import picomatch from 'picomatch';

import type { PyGuardConfig } from './schema.js';

type Matcher = (path: string) => boolean;

/**
 * A predicate telling whether a repo-relative path is scanned: it must match an include
 * pattern and no exclude pattern (exclude wins). Backslashes in the path count as `/`.
 */
export function createPathFilter(paths: PyGuardConfig['paths']): (relativePath: string) => boolean {
  const isIncluded = compilePatterns(paths.include);
  const isExcluded = compilePatterns(paths.exclude);
  return (relativePath) => {
    const path = toRepoPath(relativePath);
    return isIncluded(path) && !isExcluded(path);
  };
}

/** A path in the form patterns are matched against: `/` separators, no leading `./` or `/`. */
export function toRepoPath(path: string): string {
  return stripLeadingAnchors(path.replace(/\\/g, '/'));
}

function stripLeadingAnchors(text: string): string {
  return text.replace(/^(?:\.\/|\/)+/, '');
}

function compilePatterns(patterns: readonly string[]): Matcher {
  const cleaned = patterns.map(stripLeadingAnchors).filter((pattern) => pattern !== '');
  if (cleaned.length === 0) return () => false;
  return picomatch(cleaned, { dot: true, windows: false });
}
