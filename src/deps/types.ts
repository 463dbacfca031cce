/**
 * What the dependency audit reads from manifests and lock files. Pure data: parsers fill it,
 * manifest rules read it.
 */

/** The manifest and lock-file formats PyGuard reads. */
export type ManifestKind =
  'requirements' | 'pyproject' | 'pipfile' | 'pipfile-lock' | 'poetry-lock' | 'uv-lock' | 'pylock';

/** Where a requirement's distribution comes from. */
export type SourceKind = 'registry' | 'url' | 'vcs' | 'path';

/** A 1-based line and a column range on it (columns 1-based, end exclusive, UTF-16 units). */
export interface LineSpan {
  line: number;
  column: number;
  endColumn: number;
}

/** A VCS reference such as `git+https://github.com/org/pkg@v1.2#egg=pkg`. */
export interface VcsReference {
  /** `git`, `hg`, `svn` or `bzr`. */
  vcs: string;
  url: string;
  /** The revision after `@` (a tag, branch or commit), if any. */
  revision?: string;
  /** The revision is a full commit hash (40 hex digits for git and hg). */
  pinnedCommit: boolean;
}

/** One requirement (or locked package) of a manifest. */
export interface Requirement {
  /** PEP 503 normalised name: `Jinja2` and `jinja_2` both give `jinja2` and `jinja-2`. */
  name: string;
  /** The name as written. */
  rawName: string;
  /** The version specifier as written (`>=2.10,<3`, `==2.10`, `^1.2` for Poetry), or `''`. */
  specifier: string;
  /** The exact version when the requirement pins one (`==2.10`, `===2.10`) or a lock file locks it. */
  version?: string;
  /** Where the version literal sits, when the manifest writes it on the requirement's line. */
  versionSpan?: LineSpan;
  /** The whole requirement on its line (the place a finding is reported). */
  span: LineSpan;
  extras: string[];
  /** PEP 508 environment markers, as written (`python_version < "3.8"`). */
  markers?: string;
  source: SourceKind;
  /** The URL of a `url`, `vcs` or `path` requirement. */
  url?: string;
  vcs?: VcsReference;
  /** The entry comes from a lock file (its version is what gets installed). */
  locked: boolean;
  /** `--hash` values given for the requirement. */
  hashes: string[];
  /** A `-e`/`--editable` requirement. */
  editable: boolean;
  /** The section that declares it: `dependencies`, `optional-dependencies.dev`, `dev-packages`, ... */
  group?: string;
}

/** A package index or trust setting (`--index-url`, `--extra-index-url`, `--trusted-host`, sources). */
export interface IndexDirective {
  kind: 'index-url' | 'extra-index-url' | 'trusted-host' | 'find-links';
  /** The URL or host as written. */
  value: string;
  span: LineSpan;
}

/** An `-r`/`-c` include of another requirements file. */
export interface IncludeDirective {
  kind: 'requirements' | 'constraints';
  /** The path as written, relative to the including file. */
  target: string;
  line: number;
}

/** A problem that stopped part of a manifest from being read. */
export interface ManifestProblem {
  line?: number;
  message: string;
}

/** Everything read from one manifest or lock file. */
export interface ParsedManifest {
  path: string;
  kind: ManifestKind;
  requirements: Requirement[];
  indexes: IndexDirective[];
  includes: IncludeDirective[];
  problems: ManifestProblem[];
}
