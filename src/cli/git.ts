/**
 * `pyguard diff` plumbing: which files a git change touches, which of their lines it adds,
 * and their new contents. Runs git with `execFile` (no shell) in the current directory.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';

import { parseUnifiedDiff } from '../engine/diff.js';
import { CliError, errorCode, errorMessage } from './errors.js';
import { checkSize, readSourceFile, type ReadOutcome } from './read-source.js';

export interface GitOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface DiffRequest extends GitOptions {
  /** The old side; default `HEAD`. */
  base: string | undefined;
  /** The new side, a commit; `undefined` means the working tree. */
  head: string | undefined;
  /**
   * Compare from the merge base of `base` and `head` (`HEAD` for the working tree) rather than
   * from `base` itself, so what `base` gained after the branch point is not the change's own.
   */
  mergeBase?: boolean | undefined;
}

/** One file of the change, on its new side. */
export interface ChangedFile {
  /** Path relative to the current directory, with `/` separators. */
  path: string;
  /** Lines the change adds or modifies; `null` when the whole file is new and untracked. */
  addedLines: ReadonlySet<number> | null;
  /** Git reported a binary change: there is no line information. */
  binary: boolean;
}

export interface GitChange {
  files: ChangedFile[];
  /** The new contents of a changed file: from disk for the working tree, else from git. */
  read(path: string, maxBytes: number): Promise<ReadOutcome>;
}

/** Git's diff flags: stable, machine-readable output whatever the user's git configuration. */
const DIFF_FLAGS = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '-M',
  '--relative',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '--ignore-submodules',
];

const MAX_BUFFER = 512 * 1024 * 1024;

/**
 * The files a change touches (deleted files left out) and a reader for their new contents.
 * Paths and the change are limited to the current directory, like `git diff --relative`.
 * @throws CliError when git is missing, the directory is not in a git working tree, or a
 * revision does not name a commit.
 */
export async function readGitChange(request: DiffRequest): Promise<GitChange> {
  try {
    return await collectChange(request);
  } catch (error: unknown) {
    throw error instanceof GitFailure ? new CliError(error.message, { cause: error }) : error;
  }
}

async function collectChange(request: DiffRequest): Promise<GitChange> {
  await ensureWorkTree(request);
  const head = request.head === undefined ? undefined : await resolveCommit(request, request.head);
  const base = await resolveBase(request, head);
  const diffText = await git(request, [
    'diff',
    ...DIFF_FLAGS,
    base,
    ...(head === undefined ? [] : [head]),
    '--',
  ]);
  const files: ChangedFile[] = parseUnifiedDiff(diffText.toString('utf8'))
    .filter((file) => file.status !== 'deleted' && file.path !== '')
    .map((file) => ({ path: file.path, addedLines: file.addedLines, binary: file.binary }));
  if (head === undefined) {
    const known = new Set(files.map((file) => file.path));
    for (const path of await untrackedFiles(request)) {
      if (!known.has(path)) files.push({ path, addedLines: null, binary: false });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    files,
    read: (path, maxBytes) =>
      head === undefined
        ? readSourceFile(resolve(request.cwd, path), maxBytes)
        : readBlob(request, head, path, maxBytes),
  };
}

async function ensureWorkTree(options: GitOptions): Promise<void> {
  let output: string;
  try {
    output = (await git(options, ['rev-parse', '--is-inside-work-tree'])).toString('utf8').trim();
  } catch (error: unknown) {
    if (error instanceof GitFailure)
      throw new CliError(`not a git repository: ${options.cwd}`, { cause: error });
    throw error;
  }
  if (output !== 'true') throw new CliError(`not inside a git working tree: ${options.cwd}`);
}

/**
 * The commit the change is read from: `base`, or its merge base with the head when asked; an
 * unborn `HEAD` (no commit yet) in the default mode is the empty tree.
 */
async function resolveBase(request: DiffRequest, head: string | undefined): Promise<string> {
  if (request.base !== undefined) {
    const base = await resolveCommit(request, request.base);
    if (request.mergeBase !== true) return base;
    return findMergeBase(request, base, head ?? (await resolveCommit(request, 'HEAD')), {
      base: request.base,
      head: request.head ?? 'HEAD',
    });
  }
  const current = await verifyCommit(request, 'HEAD');
  if (current !== undefined) return current;
  return (await git(request, ['hash-object', '-t', 'tree', '--stdin'])).toString('utf8').trim();
}

async function resolveCommit(options: GitOptions, revision: string): Promise<string> {
  const sha = await verifyCommit(options, revision);
  if (sha === undefined)
    throw new CliError(`unknown revision '${revision}': not a commit in this repository`);
  return sha;
}

/** The best common ancestor of two commits, as `git merge-base` finds it. */
async function findMergeBase(
  options: GitOptions,
  base: string,
  head: string,
  names: { base: string; head: string },
): Promise<string> {
  try {
    return (await git(options, ['merge-base', base, head])).toString('utf8').trim();
  } catch (error: unknown) {
    if (!(error instanceof GitFailure)) throw error;
    throw new CliError(
      `'${names.base}' and '${names.head}' have no common history; compare them directly with ${names.base}..${names.head}`,
      { cause: error },
    );
  }
}

async function verifyCommit(options: GitOptions, revision: string): Promise<string | undefined> {
  try {
    const output = await git(options, ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`]);
    return output.toString('utf8').trim();
  } catch (error: unknown) {
    if (error instanceof GitFailure) return undefined;
    throw error;
  }
}

async function untrackedFiles(options: GitOptions): Promise<string[]> {
  const output = await git(options, ['ls-files', '--others', '--exclude-standard', '-z']);
  return output
    .toString('utf8')
    .split('\0')
    .filter((path) => path !== '');
}

async function readBlob(
  options: GitOptions,
  commit: string,
  path: string,
  maxBytes: number,
): Promise<ReadOutcome> {
  try {
    const bytes = await git(options, ['cat-file', 'blob', `${commit}:./${path}`], maxBytes + 1);
    return checkSize(bytes, maxBytes);
  } catch (error: unknown) {
    if (error instanceof OutputTooLarge) {
      return { ok: false, reason: `larger than max_file_bytes (${maxBytes} bytes)` };
    }
    return { ok: false, reason: `cannot read it from git: ${errorMessage(error)}` };
  }
}

// ---------------------------------------------------------------------------------------
// Running git

/** Git ran and exited with an error. */
class GitFailure extends Error {
  override readonly name = 'GitFailure';
}

/** Git wrote more than the buffer allows. */
class OutputTooLarge extends Error {
  override readonly name = 'OutputTooLarge';
}

/**
 * Runs `git -c core.quotepath=off <args>` and returns its stdout. Stdin is closed at once so
 * git never waits for input.
 * @throws CliError when git is not installed; GitFailure when it exits with an error.
 */
function git(
  options: GitOptions,
  args: readonly string[],
  maxBuffer = MAX_BUFFER,
): Promise<Buffer> {
  const argv = ['-c', 'core.quotepath=off', ...args];
  const env = { ...options.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      'git',
      argv,
      { cwd: options.cwd, env, encoding: 'buffer', maxBuffer, windowsHide: true },
      (error, stdout, stderr) => {
        if (error === null) {
          resolvePromise(stdout);
          return;
        }
        reject(describeGitError(error, args, stderr));
      },
    );
    child.stdin?.end();
  });
}

function describeGitError(error: Error, args: readonly string[], stderr: Buffer): Error {
  if (errorCode(error) === 'ENOENT') {
    return new CliError('git not found: install git or add it to PATH', { cause: error });
  }
  if (errorCode(error) === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
    return new OutputTooLarge(`git ${args[0] ?? ''} wrote more output than allowed`, {
      cause: error,
    });
  }
  const detail = firstLine(stderr.toString('utf8')).replace(/^(fatal|error): /, '');
  const what = `git ${args[0] ?? ''} failed`;
  return new GitFailure(detail === '' ? what : `${what}: ${detail}`, { cause: error });
}

function firstLine(text: string): string {
  return (text.split('\n').find((line) => line.trim() !== '') ?? '').trim();
}
