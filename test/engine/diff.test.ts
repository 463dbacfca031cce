import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import {
  addedLinesFromPatch,
  changedLinesBetween,
  parseUnifiedDiff,
  spanTouchesLines,
} from '../../src/engine/diff.js';
import type { FileDiff } from '../../src/engine/diff.js';

function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/diffs/${name}`, import.meta.url)), 'utf8');
}

/** Join lines with LF, without a trailing newline. */
function lines(...parts: string[]): string {
  return parts.join('\n');
}

function sorted(set: ReadonlySet<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

function file(
  path: string,
  status: FileDiff['status'],
  added: number[],
  extra: Partial<Pick<FileDiff, 'oldPath' | 'binary'>> = {},
): FileDiff {
  return {
    path,
    oldPath: extra.oldPath ?? null,
    status,
    binary: extra.binary ?? false,
    addedLines: new Set(added),
  };
}

describe('addedLinesFromPatch', () => {
  it('gives an empty set for a missing or empty patch', () => {
    expect(addedLinesFromPatch(null)).toEqual(new Set());
    expect(addedLinesFromPatch(undefined)).toEqual(new Set());
    expect(addedLinesFromPatch('')).toEqual(new Set());
  });

  it('counts only added lines, on the new side', () => {
    const patch = lines(
      '@@ -10,4 +10,5 @@ def handler(request):',
      '     user = request.user',
      '-    query = "SELECT 1"',
      '+    query = f"SELECT * FROM t WHERE id = {user.id}"',
      '+    cursor.execute(query)',
      '     return query',
      '     # end',
    );
    expect(sorted(addedLinesFromPatch(patch))).toEqual([11, 12]);
  });

  it('handles several hunks', () => {
    const patch = lines(
      '@@ -1,3 +1,4 @@',
      ' a',
      '+b',
      ' c',
      ' d',
      '@@ -40,3 +41,2 @@ class X:',
      ' p',
      '-q',
      ' r',
      '@@ -90,0 +90,2 @@',
      '+s',
      '+t',
    );
    expect(sorted(addedLinesFromPatch(patch))).toEqual([2, 90, 91]);
  });

  it('handles a hunk that creates the file', () => {
    expect(sorted(addedLinesFromPatch(lines('@@ -0,0 +1,3 @@', '+a', '+', '+c')))).toEqual([
      1, 2, 3,
    ]);
  });

  it('handles a hunk with an empty new side', () => {
    expect(addedLinesFromPatch(lines('@@ -5,2 +4,0 @@', '-a', '-b'))).toEqual(new Set());
  });

  it('treats omitted counts as one line', () => {
    expect(sorted(addedLinesFromPatch(lines('@@ -1 +1 @@', '-a', '+b')))).toEqual([1]);
    expect(sorted(addedLinesFromPatch(lines('@@ -7 +7,2 @@', ' a', '+b')))).toEqual([8]);
  });

  it('ignores "No newline at end of file" markers', () => {
    const patch = lines(
      '@@ -1,2 +1,3 @@',
      ' a',
      '-b',
      '\\ No newline at end of file',
      '+b',
      '+c',
      '\\ No newline at end of file',
    );
    expect(sorted(addedLinesFromPatch(patch))).toEqual([2, 3]);
  });

  it('counts lines after a marker in the middle of a hunk', () => {
    const patch = lines(
      '@@ -1 +1,3 @@',
      '-x',
      '\\ No newline at end of file',
      '+x',
      '+y',
      '+z',
      '\\ No newline at end of file',
    );
    expect(sorted(addedLinesFromPatch(patch))).toEqual([1, 2, 3]);
  });

  it('accepts CRLF line endings and a trailing newline', () => {
    const lf = lines('@@ -1,2 +1,3 @@', ' a', '+b', ' c');
    const expected = [2];
    expect(sorted(addedLinesFromPatch(lf))).toEqual(expected);
    expect(sorted(addedLinesFromPatch(`${lf}\n`))).toEqual(expected);
    expect(sorted(addedLinesFromPatch(lf.replace(/\n/g, '\r\n')))).toEqual(expected);
    expect(sorted(addedLinesFromPatch(`${lf.replace(/\n/g, '\r\n')}\r\n`))).toEqual(expected);
  });

  it('treats an empty line inside a hunk as a context line whose space was stripped', () => {
    expect(sorted(addedLinesFromPatch(lines('@@ -1,3 +1,4 @@', ' a', '', '+b', ' c')))).toEqual([
      3,
    ]);
  });

  it('uses the hunk counts, so content that looks like a header is a line', () => {
    const patch = lines('@@ -1,2 +1,2 @@', '--- a/x', '-@@ -1 +1 @@', '+++ b/x', '+@@ x @@');
    expect(sorted(addedLinesFromPatch(patch))).toEqual([1, 2]);
  });

  it('ignores anything before the first hunk header', () => {
    expect(sorted(addedLinesFromPatch(lines('+not a hunk', '@@ -1 +1 @@', '-a', '+b')))).toEqual([
      1,
    ]);
  });
});

describe('parseUnifiedDiff', () => {
  it('parses a multi-file git diff with every kind of change', () => {
    expect(parseUnifiedDiff(fixture('git-multi.patch'))).toEqual([
      file('src/app.py', 'modified', [2, 5, 23]),
      file('new_module.py', 'added', [1, 2, 3]),
      file('old.py', 'deleted', []),
      file('lib/b.py', 'renamed', [], { oldPath: 'lib/a.py' }),
      file('pkg/y.py', 'renamed', [4], { oldPath: 'pkg/x.py' }),
      file('copy.py', 'copied', [2], { oldPath: 'base.py' }),
      file('logo.png', 'modified', [], { binary: true }),
      file('img/new.png', 'added', [], { binary: true }),
      file('docs/my file.py', 'modified', [1]),
      file('spécial name.py', 'added', [1]),
      file('script.sh', 'modified', []),
    ]);
  });

  it('gives the same result for CRLF line endings', () => {
    const lf = fixture('git-multi.patch');
    expect(parseUnifiedDiff(lf.replace(/\n/g, '\r\n'))).toEqual(parseUnifiedDiff(lf));
  });

  it('gives an empty list for empty input', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('\n')).toEqual([]);
  });

  it('parses a plain unified diff without git headers', () => {
    expect(parseUnifiedDiff(fixture('plain.patch'))).toEqual([
      file('a.py', 'modified', [2]),
      file('added.py', 'added', [1, 2]),
      file('gone.py', 'deleted', []),
    ]);
  });

  it('parses a single plain file diff without trailing newline', () => {
    const diff = lines('--- x.py', '+++ x.py', '@@ -1,2 +1,2 @@', '-a', '+b', ' c');
    expect(parseUnifiedDiff(diff)).toEqual([file('x.py', 'modified', [1])]);
  });

  it('parses a deleted file whose only header is diff --git', () => {
    const diff = lines(
      'diff --git a/empty.py b/empty.py',
      'deleted file mode 100644',
      'index e69de29..0000000',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('empty.py', 'deleted', [])]);
  });

  it('parses a new empty file', () => {
    const diff = lines(
      'diff --git a/pkg/__init__.py b/pkg/__init__.py',
      'new file mode 100644',
      'index 0000000..e69de29',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('pkg/__init__.py', 'added', [])]);
  });

  it('parses a deleted binary file', () => {
    const diff = lines(
      'diff --git a/data.bin b/data.bin',
      'deleted file mode 100644',
      'index 1234567..0000000',
      'Binary files a/data.bin and /dev/null differ',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('data.bin', 'deleted', [], { binary: true })]);
  });

  it('marks a GIT binary patch as binary', () => {
    const diff = lines(
      'diff --git a/a.bin b/a.bin',
      'index 1234567..89abcde 100644',
      'GIT binary patch',
      'literal 3',
      'KcmZ?wbN~PV00000',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('a.bin', 'modified', [], { binary: true })]);
  });

  it('parses binary files of a plain recursive diff', () => {
    const diff = lines('Binary files old/logo.png and new/logo.png differ');
    expect(parseUnifiedDiff(diff)).toEqual([
      file('new/logo.png', 'modified', [], { binary: true }),
    ]);
  });

  it('takes the names from the Binary files line when the header has none', () => {
    const diff = lines(
      'diff --git unparsable',
      'new file mode 100644',
      'Binary files /dev/null and b/icon.ico differ',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('icon.ico', 'added', [], { binary: true })]);
  });

  it('reads quoted names in rename headers, with escapes', () => {
    const diff = lines(
      'diff --git "a/caf\\303\\251.py" "b/tab\\there \\"q\\".py"',
      'similarity index 100%',
      'rename from "caf\\303\\251.py"',
      'rename to "tab\\there \\"q\\".py"',
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      file('tab\there "q".py', 'renamed', [], { oldPath: 'café.py' }),
    ]);
  });

  it('reads a header where only one name is quoted', () => {
    const diff = lines(
      'diff --git a/plain.py "b/\\346\\227\\245\\346\\234\\254.py"',
      'similarity index 100%',
      'rename from plain.py',
      'rename to "\\346\\227\\245\\346\\234\\254.py"',
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      file('日本.py', 'renamed', [], { oldPath: 'plain.py' }),
    ]);
  });

  it('reads unquoted names with spaces from the diff --git header alone', () => {
    const diff = lines(
      'diff --git a/dir b/x y.py b/dir b/x y.py',
      'old mode 100644',
      'new mode 100755',
    );
    expect(parseUnifiedDiff(diff)).toEqual([file('dir b/x y.py', 'modified', [])]);
  });

  it('takes rename names with spaces from the rename lines', () => {
    const diff = lines(
      'diff --git a/old name.py b/new name.py',
      'similarity index 100%',
      'rename from old name.py',
      'rename to new name.py',
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      file('new name.py', 'renamed', [], { oldPath: 'old name.py' }),
    ]);
  });

  it('keeps header-like content lines inside hunks', () => {
    const diff = lines(
      'diff --git a/a.txt b/a.txt',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      '--- a/other',
      '-diff --git a/x b/x',
      '+++ b/other',
      '+diff --git a/y b/y',
      'diff --git a/b.txt b/b.txt',
      '--- a/b.txt',
      '+++ b/b.txt',
      '@@ -1 +1 @@',
      '-x',
      '+y',
    );
    expect(parseUnifiedDiff(diff)).toEqual([
      file('a.txt', 'modified', [1, 2]),
      file('b.txt', 'modified', [1]),
    ]);
  });

  it('ends a hunk whose counts are too large at the next file header', () => {
    const diff = lines(
      'diff --git a/a.py b/a.py',
      '--- a/a.py',
      '+++ b/a.py',
      '@@ -1,9 +1,9 @@',
      '+x',
      'diff --git a/b.py b/b.py',
      '--- a/b.py',
      '+++ b/b.py',
      '@@ -1 +1 @@',
      '+y',
    );
    expect(parseUnifiedDiff(diff).map((entry) => entry.path)).toEqual(['a.py', 'b.py']);
  });
});

describe('spanTouchesLines', () => {
  const set = new Set([5, 10, 1_000_000]);

  it('is true when a line of the span is in the set', () => {
    expect(spanTouchesLines(5, 5, set)).toBe(true);
    expect(spanTouchesLines(1, 5, set)).toBe(true);
    expect(spanTouchesLines(10, 12, set)).toBe(true);
    expect(spanTouchesLines(6, 10, set)).toBe(true);
  });

  it('is false when no line of the span is in the set', () => {
    expect(spanTouchesLines(6, 9, set)).toBe(false);
    expect(spanTouchesLines(11, 999_999, set)).toBe(false);
    expect(spanTouchesLines(1, 4, set)).toBe(false);
  });

  it('is false for an empty set or a reversed span', () => {
    expect(spanTouchesLines(1, 100, new Set())).toBe(false);
    expect(spanTouchesLines(10, 5, set)).toBe(false);
  });

  it('handles huge spans and huge sets', () => {
    const bigSet = new Set(Array.from({ length: 200_000 }, (_, index) => index * 2 + 1));
    expect(spanTouchesLines(1_000_000, 1_000_000, bigSet)).toBe(false);
    expect(spanTouchesLines(1, 1, bigSet)).toBe(true);
    expect(spanTouchesLines(0, Number.MAX_SAFE_INTEGER, new Set([42]))).toBe(true);
    expect(spanTouchesLines(43, Number.MAX_SAFE_INTEGER, new Set([42]))).toBe(false);
  });
});

describe('changedLinesBetween', () => {
  it('reports nothing for identical texts', () => {
    expect(changedLinesBetween('a\nb\n', 'a\nb\n')).toEqual(new Set());
    expect(changedLinesBetween('', '')).toEqual(new Set());
  });

  it('reports inserted lines', () => {
    expect(sorted(changedLinesBetween('a\nb\nc\n', 'a\nx\ny\nb\nc\n'))).toEqual([2, 3]);
    expect(sorted(changedLinesBetween('a\nb\n', 'z\na\nb\n'))).toEqual([1]);
    expect(sorted(changedLinesBetween('a\nb\n', 'a\nb\nz\n'))).toEqual([3]);
  });

  it('reports modified lines', () => {
    expect(sorted(changedLinesBetween('a\nb\nc\nd\n', 'a\nB\nc\nD\n'))).toEqual([2, 4]);
  });

  it('reports no line for a pure deletion', () => {
    expect(changedLinesBetween('a\nb\nc\n', 'a\nc\n')).toEqual(new Set());
    expect(changedLinesBetween('a\nb\n', '')).toEqual(new Set());
  });

  it('reports every line of a new file', () => {
    expect(sorted(changedLinesBetween('', 'a\nb\nc'))).toEqual([1, 2, 3]);
  });

  it('treats CRLF and LF as equal', () => {
    expect(changedLinesBetween('a\r\nb\r\n', 'a\nb\n')).toEqual(new Set());
    expect(sorted(changedLinesBetween('a\r\nb\r\nc\r\n', 'a\nX\nc\n'))).toEqual([2]);
  });

  it('does not report a change of the final newline alone', () => {
    expect(changedLinesBetween('a\nb', 'a\nb\n')).toEqual(new Set());
    expect(sorted(changedLinesBetween('a\nb', 'a\nb\nc'))).toEqual([3]);
  });

  it('handles blank and repeated lines', () => {
    expect(sorted(changedLinesBetween('x\n\nx\n', 'x\n\n\nx\n'))).toEqual([3]);
    expect(sorted(changedLinesBetween('a\na\na\n', 'a\nb\na\na\n'))).toEqual([2]);
  });

  it('is fast on large files with few changes', () => {
    const original = Array.from({ length: 50_000 }, (_, index) => `line ${index}`);
    const changed = [...original];
    changed[100] = 'changed';
    changed.splice(40_000, 0, 'inserted');
    const result = changedLinesBetween(original.join('\n'), changed.join('\n'));
    expect(sorted(result)).toEqual([101, 40_001]);
  });

  it('falls back to the whole changed region when the diff is too large', () => {
    const before = Array.from({ length: 12_000 }, (_, index) => `old ${index}`);
    const after = Array.from({ length: 12_000 }, (_, index) => `new ${index}`);
    const result = changedLinesBetween(
      ['head', ...before, 'tail'].join('\n'),
      ['head', ...after, 'tail'].join('\n'),
    );
    expect(result.size).toBe(12_000);
    expect(result.has(1)).toBe(false);
    expect(result.has(2)).toBe(true);
    expect(result.has(12_001)).toBe(true);
    expect(result.has(12_002)).toBe(false);
  });
});
