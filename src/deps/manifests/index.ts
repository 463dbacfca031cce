/**
 * Which file is which manifest, and one entry point that parses any of them. Pure.
 */
import type { ManifestKind, ParsedManifest } from '../types.js';
import { parseLockFile } from './lock-files.js';
import { parsePipfile, parsePipfileLock } from './pipfile.js';
import { parsePyproject } from './pyproject.js';
import { parseRequirementsTxt } from './requirements-txt.js';

/** The default `dependencies.paths`: every manifest and lock file PyGuard reads. */
export const DEFAULT_MANIFEST_PATTERNS: readonly string[] = [
  '**/requirements*.txt',
  '**/requirements/*.txt',
  '**/constraints*.txt',
  '**/*.in',
  '**/pyproject.toml',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/poetry.lock',
  '**/uv.lock',
  '**/pylock.toml',
  '**/pylock.*.toml',
];

/** The manifest kind of a path, from its file name; undefined for other files. */
export function manifestKindOf(path: string): ManifestKind | undefined {
  const name = path.split(/[/\\]/).pop() ?? path;
  if (name === 'pyproject.toml') return 'pyproject';
  if (name === 'Pipfile') return 'pipfile';
  if (name === 'Pipfile.lock') return 'pipfile-lock';
  if (name === 'poetry.lock') return 'poetry-lock';
  if (name === 'uv.lock') return 'uv-lock';
  if (/^pylock(?:\.[^.]+)?\.toml$/.test(name)) return 'pylock';
  if (/\.txt$/i.test(name)) return 'requirements';
  if (isRequirementsIn(name)) return 'requirements';
  return undefined;
}

/** `.in` files of other tools: setuptools' MANIFEST.in, autotools' Makefile.in and configure.in. */
const OTHER_IN_FILES = /^(?:manifest|makefile|configure|config)\.in$/i;

/**
 * pip-tools input files (`requirements.in`, `dev.in`): a `.in` name with no other dot
 * (`config.h.in`, `setup.cfg.in` are templates) and not another tool's file.
 */
function isRequirementsIn(name: string): boolean {
  return /^[^.]+\.in$/i.test(name) && !OTHER_IN_FILES.test(name);
}

/**
 * Parses a manifest of the given kind (by default, the kind its name says; other names are read
 * as requirements files). Never throws: unreadable input becomes problems naming their lines.
 */
export function parseManifest(
  path: string,
  text: string,
  kind = manifestKindOf(path),
): ParsedManifest {
  switch (kind) {
    case 'pyproject':
      return parsePyproject(path, text);
    case 'pipfile':
      return parsePipfile(path, text);
    case 'pipfile-lock':
      return parsePipfileLock(path, text);
    case 'poetry-lock':
    case 'uv-lock':
    case 'pylock':
      return parseLockFile(path, text, kind);
    case 'requirements':
    case undefined:
      return parseRequirementsTxt(path, text);
  }
}
