/**
 * Which lines of a file a change touches, from a GitHub `patch`, a full `git diff`, or the
 * old and new texts. Pure functions: no I/O.
 *
 * Line numbers are 1-based and always refer to the new (head) side of the change.
 */
import { createRequire } from 'node:module';

/**
 * The `diff` package, loaded on first use: most scans never compare two texts, and loading it
 * up front would slow every start of the command-line tool.
 */
let lineDiff: typeof import('diff') | undefined;
function diffPackage(): typeof import('diff') {
  lineDiff ??= createRequire(import.meta.url)('diff') as typeof import('diff');
  return lineDiff;
}

/** How a file changed, with git's vocabulary. */
export type FileStatus = 'added' | 'modified' | 'renamed' | 'copied' | 'deleted';

/** One file of a unified diff. */
export interface FileDiff {
  /** Repo-relative path on the new side (the old path for a deleted file), without `a/` / `b/`. */
  path: string;
  /** The source path of a rename or copy; `null` for every other status. */
  oldPath: string | null;
  status: FileStatus;
  /** True when git reported the content as binary (no line information). */
  binary: boolean;
  /** New-side line numbers of the `+` lines. */
  addedLines: Set<number>;
}

interface HunkCursor {
  oldRemaining: number;
  newRemaining: number;
  nextNewLine: number;
}

type HunkLineResult = 'consumed' | 'not-a-hunk-line';

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const DEV_NULL = '/dev/null';

/**
 * Parse a GitHub pull-request-files `patch` (hunks only, no file headers) into the set of
 * new-side line numbers that the patch adds. Context and removed lines are not included;
 * `\ No newline at end of file` markers are ignored. A missing or empty patch gives an empty set.
 */
export function addedLinesFromPatch(patch: string | null | undefined): Set<number> {
  const added = new Set<number>();
  if (patch === null || patch === undefined || patch === '') return added;
  let cursor: HunkCursor | null = null;
  for (const line of splitPatchLines(patch)) {
    if (cursor !== null && consumeHunkLine(cursor, line, added) === 'consumed') continue;
    cursor = startHunk(line);
  }
  return added;
}

/**
 * Parse full `git diff` output (or a plain unified diff with only `---`/`+++` headers) into
 * one entry per file, in the order of the diff. Understands git's extended headers (new,
 * deleted, renamed, copied and binary files) and its C-style quoted paths.
 */
export function parseUnifiedDiff(diff: string): FileDiff[] {
  const files: DraftFile[] = [];
  const lines = splitPatchLines(diff);
  let current: DraftFile | null = null;
  let cursor: HunkCursor | null = null;

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (cursor !== null && current !== null) {
      if (consumeHunkLine(cursor, line, current.addedLines) === 'consumed') continue;
      cursor = null;
    }

    if (line.startsWith('diff --git ')) {
      current = draftFromGitHeader(line.slice('diff --git '.length));
      files.push(current);
      continue;
    }
    if (line.startsWith('--- ') && (lines[index + 1] ?? '').startsWith('+++ ')) {
      if (current === null || !expectsFileHeaders(current)) {
        current = emptyDraft(false);
        files.push(current);
      }
      applyFileHeaders(current, line.slice(4), (lines[index + 1] ?? '').slice(4));
      index++;
      continue;
    }
    const binaryPaths = parseBinaryFilesLine(line);
    if (binaryPaths !== null) {
      if (current === null || !expectsFileHeaders(current)) {
        current = emptyDraft(false);
        files.push(current);
      }
      // A `diff --git` header names the files more reliably than this line (no ` and ` split).
      if (current.oldName === null && current.newName === null) {
        applyFileHeaders(current, binaryPaths[0], binaryPaths[1]);
      }
      current.binary = true;
      continue;
    }
    if (current === null) continue;
    if (line.startsWith('@@')) {
      cursor = startHunk(line);
      continue;
    }
    applyExtendedHeader(current, line);
  }
  return files.map(finishDraft);
}

/**
 * True when any line in the inclusive range [startLine, endLine] is in `lines`. Iterates
 * whichever side is smaller, so a huge span against a small set (or the reverse) stays cheap.
 */
export function spanTouchesLines(
  startLine: number,
  endLine: number,
  lines: ReadonlySet<number>,
): boolean {
  if (endLine < startLine || lines.size === 0) return false;
  if (endLine - startLine + 1 <= lines.size) {
    for (let line = startLine; line <= endLine; line++) {
      if (lines.has(line)) return true;
    }
    return false;
  }
  for (const line of lines) {
    if (line >= startLine && line <= endLine) return true;
  }
  return false;
}

/** Above this many edits the line diff gives up and reports the whole changed region. */
const MAX_EDIT_LENGTH = 2_000;

/**
 * The new-side lines that are added or modified between two versions of a file, for when
 * GitHub omits the patch. Uses a line diff (Myers); CRLF and LF line endings compare equal,
 * and a missing final newline is not a change. Pure deletions mark no line. When the diff is
 * too large to compute exactly, every line between the common prefix and suffix is reported.
 */
export function changedLinesBetween(oldText: string, newText: string): Set<number> {
  const oldLines = splitTextLines(oldText);
  const newLines = splitTextLines(newText);
  const prefix = commonPrefixLength(oldLines, newLines);
  const suffix = commonSuffixLength(oldLines, newLines, prefix);
  const oldMiddle = oldLines.slice(prefix, oldLines.length - suffix);
  const newMiddle = newLines.slice(prefix, newLines.length - suffix);
  const firstMiddleLine = prefix + 1;

  if (newMiddle.length === 0) return new Set();
  if (oldMiddle.length === 0) return lineRange(firstMiddleLine, newMiddle.length);

  const changes = diffPackage().diffArrays(oldMiddle, newMiddle, {
    maxEditLength: MAX_EDIT_LENGTH,
  });
  if (changes === undefined) return lineRange(firstMiddleLine, newMiddle.length);

  const changed = new Set<number>();
  let nextNewLine = firstMiddleLine;
  for (const change of changes) {
    if (change.removed) continue;
    if (change.added) {
      for (let offset = 0; offset < change.count; offset++) changed.add(nextNewLine + offset);
    }
    nextNewLine += change.count;
  }
  return changed;
}

// ---------------------------------------------------------------------------------------
// Hunks

function splitPatchLines(text: string): string[] {
  return text.split(/\r?\n/);
}

function startHunk(line: string): HunkCursor | null {
  const match = HUNK_HEADER.exec(line);
  if (match === null) return null;
  return {
    oldRemaining: hunkCount(match[2]),
    newRemaining: hunkCount(match[4]),
    nextNewLine: Number(match[3]),
  };
}

/** An omitted hunk count means one line. */
function hunkCount(text: string | undefined): number {
  return text === undefined ? 1 : Number(text);
}

function hunkIsFinished(cursor: HunkCursor): boolean {
  return cursor.oldRemaining <= 0 && cursor.newRemaining <= 0;
}

/**
 * Account for one line of a hunk body. A line that cannot belong to the hunk (the hunk's
 * counts are used up, or it does not start with ` `, `+`, `-`) ends the hunk.
 */
function consumeHunkLine(cursor: HunkCursor, line: string, added: Set<number>): HunkLineResult {
  if (line.startsWith('\\')) return 'consumed';
  if (hunkIsFinished(cursor)) return 'not-a-hunk-line';
  const marker = line.charAt(0);
  if (marker === '+') {
    added.add(cursor.nextNewLine);
    cursor.nextNewLine++;
    cursor.newRemaining--;
    return 'consumed';
  }
  if (marker === '-') {
    cursor.oldRemaining--;
    return 'consumed';
  }
  // An empty line is a context line whose leading space was stripped (editors do this).
  if (marker === ' ' || marker === '') {
    cursor.nextNewLine++;
    cursor.newRemaining--;
    cursor.oldRemaining--;
    return 'consumed';
  }
  return 'not-a-hunk-line';
}

// ---------------------------------------------------------------------------------------
// File headers

interface DraftFile {
  /** Old-side path without prefix; `null` for `/dev/null` or not yet known. */
  oldName: string | null;
  /** New-side path without prefix; `null` for `/dev/null` or not yet known. */
  newName: string | null;
  status: FileStatus;
  binary: boolean;
  addedLines: Set<number>;
  /** Started by `diff --git`, so its `---`/`+++` lines are still to come. */
  fromGitHeader: boolean;
  sawFileHeaders: boolean;
}

function emptyDraft(fromGitHeader: boolean): DraftFile {
  return {
    oldName: null,
    newName: null,
    status: 'modified',
    binary: false,
    addedLines: new Set(),
    fromGitHeader,
    sawFileHeaders: false,
  };
}

/** A `diff --git` section still waiting for its `---`/`+++` (or `Binary files`) lines. */
function expectsFileHeaders(draft: DraftFile): boolean {
  return draft.fromGitHeader && !draft.sawFileHeaders;
}

function draftFromGitHeader(rest: string): DraftFile {
  const draft = emptyDraft(true);
  const names = parseGitHeaderNames(rest);
  if (names !== null) {
    draft.oldName = stripPrefix(names[0], 'a/');
    draft.newName = stripPrefix(names[1], 'b/');
  }
  return draft;
}

/** Apply a `--- old` / `+++ new` pair (also used for the two paths of `Binary files`). */
function applyFileHeaders(draft: DraftFile, minusValue: string, plusValue: string): void {
  draft.sawFileHeaders = true;
  const oldName = parseFileHeaderPath(minusValue);
  const newName = parseFileHeaderPath(plusValue);
  if (oldName === DEV_NULL) {
    if (draft.status === 'modified') draft.status = 'added';
  } else {
    draft.oldName = stripPrefix(oldName, 'a/');
  }
  if (newName === DEV_NULL) {
    draft.status = 'deleted';
  } else {
    draft.newName = stripPrefix(newName, 'b/');
  }
}

const MOVE_HEADER = /^(rename|copy) (from|to) (.+)$/;

/** Git's extended header lines; anything else (`index`, `similarity index`, modes) is ignored. */
function applyExtendedHeader(draft: DraftFile, line: string): void {
  if (line.startsWith('new file mode ')) {
    draft.status = 'added';
  } else if (line.startsWith('deleted file mode ')) {
    draft.status = 'deleted';
  } else if (line.startsWith('GIT binary patch')) {
    draft.binary = true;
  } else {
    applyMoveHeader(draft, line);
  }
}

/** `rename from`/`rename to`/`copy from`/`copy to`: the exact, possibly quoted, paths. */
function applyMoveHeader(draft: DraftFile, line: string): void {
  const match = MOVE_HEADER.exec(line);
  if (match === null) return;
  draft.status = match[1] === 'rename' ? 'renamed' : 'copied';
  const path = unquoteIfQuoted(match[3] ?? '');
  if (match[2] === 'from') {
    draft.oldName = path;
  } else {
    draft.newName = path;
  }
}

function finishDraft(draft: DraftFile): FileDiff {
  const isMove = draft.status === 'renamed' || draft.status === 'copied';
  const path =
    draft.status === 'deleted'
      ? (draft.oldName ?? draft.newName ?? '')
      : (draft.newName ?? draft.oldName ?? '');
  return {
    path,
    oldPath: isMove ? draft.oldName : null,
    status: draft.status,
    binary: draft.binary,
    addedLines: draft.addedLines,
  };
}

const BINARY_FILES = /^Binary files (.+) and (.+) differ$/;

function parseBinaryFilesLine(line: string): [string, string] | null {
  const match = BINARY_FILES.exec(line);
  if (match === null) return null;
  return [match[1] ?? '', match[2] ?? ''];
}

/**
 * The path of a `---`/`+++` line (without the marker). Git appends a tab to names with
 * spaces and plain `diff -u` appends a tab and a timestamp, so an unquoted name ends at a tab.
 */
function parseFileHeaderPath(value: string): string {
  if (value.startsWith('"')) return readQuoted(value, 0)?.value ?? value;
  const tab = value.indexOf('\t');
  return tab === -1 ? value : value.slice(0, tab);
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/**
 * The two names of `diff --git <a> <b>`. Either may be quoted. Two unquoted names are
 * ambiguous when they contain spaces; the usual case of equal names is resolved exactly,
 * otherwise the split is at the first ` b/` (rename headers later give the exact names).
 */
function parseGitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (first === null || rest.charAt(first.end) !== ' ') return null;
    return [first.value, unquoteIfQuoted(rest.slice(first.end + 1))];
  }
  if (rest.endsWith('"')) {
    for (let space = rest.indexOf(' "'); space !== -1; space = rest.indexOf(' "', space + 1)) {
      const second = readQuoted(rest, space + 1);
      if (second?.end === rest.length) return [rest.slice(0, space), second.value];
    }
  }
  return splitUnquotedNames(rest);
}

function splitUnquotedNames(rest: string): [string, string] | null {
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const first = rest.slice(0, half);
    const second = rest.slice(half + 1);
    if (rest.charAt(half) === ' ' && first.slice(2) === second.slice(2)) return [first, second];
  }
  const split = rest.indexOf(' b/');
  return split === -1 ? null : [rest.slice(0, split), rest.slice(split + 1)];
}

function unquoteIfQuoted(value: string): string {
  if (!value.startsWith('"')) return value;
  return readQuoted(value, 0)?.value ?? value;
}

const SIMPLE_ESCAPES: ReadonlyMap<string, number> = new Map([
  ['a', 0x07],
  ['b', 0x08],
  ['t', 0x09],
  ['n', 0x0a],
  ['v', 0x0b],
  ['f', 0x0c],
  ['r', 0x0d],
  ['"', 0x22],
  ['\\', 0x5c],
]);

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * Read a git C-style quoted string starting at `start` (which must be `"`). Octal escapes
 * are raw bytes, decoded together as UTF-8. Returns the value and the index after the
 * closing quote, or null when the string is not closed.
 */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  if (text.charAt(start) !== '"') return null;
  const bytes: number[] = [];
  let index = start + 1;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '"') {
      return { value: utf8Decoder.decode(new Uint8Array(bytes)), end: index + 1 };
    }
    if (char !== '\\') {
      bytes.push(...utf8Encoder.encode(char));
      index++;
      continue;
    }
    const octal = /^[0-7]{1,3}/.exec(text.slice(index + 1, index + 4));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      index += 1 + octal[0].length;
      continue;
    }
    const escapedByte = SIMPLE_ESCAPES.get(text.charAt(index + 1));
    if (escapedByte === undefined) {
      bytes.push(0x5c); // not an escape git writes: keep the backslash literally
      index++;
    } else {
      bytes.push(escapedByte);
      index += 2;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Text line diff

/** Lines of a text; CRLF counts as LF and a final newline does not start another line. */
function splitTextLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function commonPrefixLength(a: readonly string[], b: readonly string[]): number {
  const limit = Math.min(a.length, b.length);
  let length = 0;
  while (length < limit && a[length] === b[length]) length++;
  return length;
}

/** Common suffix that does not overlap the already matched prefix. */
function commonSuffixLength(a: readonly string[], b: readonly string[], prefix: number): number {
  const limit = Math.min(a.length, b.length) - prefix;
  let length = 0;
  while (length < limit && a[a.length - 1 - length] === b[b.length - 1 - length]) length++;
  return length;
}

function lineRange(first: number, count: number): Set<number> {
  const lines = new Set<number>();
  for (let offset = 0; offset < count; offset++) lines.add(first + offset);
  return lines;
}
