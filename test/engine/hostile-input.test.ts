import { describe, expect, it } from 'vitest';
import osShellCall from '../../rules/injection/os-shell-call.js';
import yamlUnsafeLoad from '../../rules/deserialization/yaml-unsafe-load.js';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  indentationProfile,
  indentationRefusal,
  MAX_INDENT_DEPTH,
  SCANNER_CRASH_DEPTH,
} from '../../src/engine/indentation.js';
import { maskCommentLines, parseRefusal, parseSource } from '../../src/engine/parse.js';
import { scanSource } from '../../src/engine/scan.js';
import { linesInsideStrings } from '../../src/engine/string-lines.js';
import { findSuppressions } from '../../src/engine/suppressions.js';
import { isIncompleteScan, type FileNotice } from '../../src/engine/types.js';

const rules = [yamlUnsafeLoad, osShellCall];

/** `if x:` nested `depth` levels with `unit` per level, and a call at the bottom. */
function nested(depth: number, unit = ' ', body = 'yaml.load(data)'): string {
  const lines = ['import yaml'];
  for (let level = 0; level < depth; level++) lines.push(`${unit.repeat(level)}if x:`);
  lines.push(`${unit.repeat(depth)}${body}`);
  return `${lines.join('\n')}\n`;
}

describe('deep indentation', () => {
  it('refuses a file indented 600 levels deep before parsing, with a notice', () => {
    // Parsing this would abort the process (tree-sitter-python's scanner state overflows).
    const result = scanSource('deep.py', nested(600, ' ', 'y = "s"'), { rules });
    expect(result.findings).toEqual([]);
    expect(result.notices).toEqual([
      {
        path: 'deep.py',
        kind: 'refused',
        message:
          'not scanned: indentation nested 600 levels deep; Python accepts at most 100, and tree-sitter cannot parse more than 383 safely',
      },
    ]);
    expect(result.timings.rulesMs).toBe(0);
  });

  it('still scans legal code nested 60 levels deep', () => {
    const result = scanSource('nested.py', nested(60, '    '), { rules });
    expect(result.notices).toEqual([]);
    expect(result.findings.map((finding) => finding.span.start.line)).toEqual([62]);
  });

  it('accepts the deepest nesting Python accepts and refuses one level more', () => {
    expect(parseRefusal(nested(MAX_INDENT_DEPTH))).toBeUndefined();
    expect(parseRefusal(nested(MAX_INDENT_DEPTH + 1))).toMatch(/nested 101 levels deep/);
    expect(parseSource(nested(MAX_INDENT_DEPTH + 1)).kind).toBe('refused');
  });

  it('measures levels as the scanner does: tabs, form feeds, dedents, blank and comment lines', () => {
    expect(indentationProfile(nested(5, '\t')).depth).toBe(5);
    expect(indentationProfile(nested(5, ' \t')).depth).toBe(5);
    expect(indentationProfile('if a:\n\f    if b:\n\f        c\n').depth).toBe(2);
    const sawtooth = `${nested(40)}${nested(40)}`.replace(/import yaml\n/g, '');
    expect(indentationProfile(sawtooth).depth).toBe(40);
    const spaced = 'if a:\n\n        # deep comment\n    if b:\n        c\n';
    expect(indentationProfile(spaced).depth).toBe(2);
  });

  it('does not count bracket continuation lines, strings or backslash continuations', () => {
    const bracket = `x = (\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}${String(i)},`).join('\n')}\n)\n`;
    expect(indentationProfile(bracket).depth).toBe(0);
    expect(indentationRefusal(bracket)).toBeUndefined();
    const text = `x = """\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 1)}line`).join('\n')}\n"""\n`;
    expect(indentationProfile(text).depth).toBe(0);
    expect(indentationProfile('x = 1 + \\\n        2\ny = 3\n').depth).toBe(0);
  });

  it('refuses lines at so many widths that any stack of them could overflow the scanner', () => {
    const bracket = `x = (\n${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 1)}${String(i)},`).join('\n')}\n)\n`;
    expect(indentationProfile(bracket)).toEqual({ depth: 0, widths: 401 });
    expect(indentationRefusal(bracket)).toMatch(/401 different indentation widths/);
  });

  it('skips the full measure only where neither limit can be reached', () => {
    // Whether the full profile refuses the text, which the short way must always agree with.
    const refusedByProfile = (text: string): boolean => {
      const { depth, widths } = indentationProfile(text);
      return depth > MAX_INDENT_DEPTH || widths >= SCANNER_CRASH_DEPTH;
    };
    const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
    const fixtures = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.py'))
      .map((path) => readFileSync(rulesDir + path, 'utf8'));
    const carried = `if a:\n${'          \\\n'.repeat(11)}  b = 1\n`;
    // 384 widths in lines of at most 101 characters: whitespace lines carried into the next.
    const carriedWide = Array.from(
      { length: SCANNER_CRASH_DEPTH },
      (_, width) =>
        `${`${' '.repeat(100)}\\\n`.repeat(Math.floor(width / 100))}${' '.repeat(width % 100)}x`,
    ).join('\n');
    // 101 levels in at most 51 characters a line: tabs and spaces, 1, 8, 9, 16, 17, … columns.
    const tabbed = Array.from(
      { length: MAX_INDENT_DEPTH + 2 },
      (_, level) => `${'\t'.repeat(level >> 1)}${' '.repeat(level & 1)}if x:`,
    ).join('\n');
    const texts = [
      ...fixtures,
      nested(MAX_INDENT_DEPTH),
      nested(MAX_INDENT_DEPTH + 1),
      nested(MAX_INDENT_DEPTH + 1, '\t'),
      nested(13, '\t'),
      nested(MAX_INDENT_DEPTH + 1, '\f '),
      nested(MAX_INDENT_DEPTH + 1, ' ').replace(/\n/g, '\r\n'),
      carried,
      carriedWide,
      tabbed,
      `x = (\n${Array.from({ length: 400 }, (_, i) => `${'\t'.repeat(i + 1)}${String(i)},`).join('\n')}\n)\n`,
    ];
    expect(fixtures.length).toBeGreaterThan(100);
    for (const text of texts) {
      expect(indentationRefusal(text) !== undefined).toBe(refusedByProfile(text));
    }
    // Eleven whitespace lines of 10 columns carried into `b = 1` put it 112 columns deep.
    expect(indentationProfile(carried)).toEqual({ depth: 0, widths: 2 });
    expect(indentationRefusal(tabbed)).toMatch(/nested 101 levels/);
    expect(indentationRefusal(carriedWide)).toMatch(/384 different indentation widths/);
  });
});

describe('comment masking', () => {
  it('blanks comment lines holding braces, quotes and suppressions outside strings', () => {
    const first = '# {note} """ nosec';
    const second = '# pyguard: ignore';
    const source = `x = 1\n${first}\n  ${second}\n`;
    expect(maskCommentLines(source)).toBe(
      `x = 1\n${' '.repeat(first.length)}\n  ${' '.repeat(second.length)}\n`,
    );
  });

  it('keeps comment-like lines inside strings that could interpolate or close them', () => {
    const source = 'q = f"""\n# {value}\n# plain\n"""\nr = f"{a:{\n# {b}\n}}"\n';
    const masked = maskCommentLines(source);
    expect(masked).toContain('# {value}\n');
    expect(masked).not.toContain('# plain');
    expect(masked.length).toBe(source.length);
  });

  it('finds the lines that begin inside strings and f-string fields', () => {
    const source = 'a = """\nx\n"""\nb = f"{c:\'}" + \'\'\'\ny\'\'\'\nd = 1\n';
    const starts = [...linesInsideStrings(source)].map((offset) =>
      source.slice(offset, offset + 1),
    );
    expect(starts).toEqual(['x', '"', 'y']);
  });

  it('scans a file with 20,000 comment lines holding braces instead of skipping it', () => {
    const source = `from flask import request\nimport os\nc = request.args["c"]\n${'# {note}\n'.repeat(20_000)}os.system("ls " + c)\n`;
    const result = scanSource('braces.py', source, { rules, parseTimeoutMs: 20_000 });
    expect(result.notices).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId)).toContain('PGI005');
  });

  it('still honours a suppression on a whole-line comment the parser reads blanked', () => {
    const source = 'import yaml\nx = yaml.load(  # first\n    # nosec\n    data)\ns = "# nosec"\n';
    const parsed = parseSource(source);
    if (parsed.kind !== 'parsed') throw new Error('not parsed');
    const found = findSuppressions(source, parsed.tree.rootNode);
    expect([...found.keys()]).toEqual([3]);
    const result = scanSource('s.py', source, { rules });
    expect(result.findings.map((finding) => finding.suppression?.line)).toEqual([3]);
  });

  it('reads a suppression after a long run of # on the same line', () => {
    const source = `import yaml\nyaml.load(data)  ${'#'.repeat(5000)} nosec\n`;
    const result = scanSource('hashes.py', source, { rules });
    expect(result.findings.map((finding) => finding.suppression?.kind)).toEqual(['nosec']);
  });
});

describe('isIncompleteScan', () => {
  const notice = (kind: FileNotice['kind']): FileNotice => ({ path: 'a.py', kind, message: 'm' });

  it('marks every notice but a syntax error as an incomplete scan', () => {
    expect(isIncompleteScan(notice('refused'))).toBe(true);
    expect(isIncompleteScan(notice('skipped'))).toBe(true);
    expect(isIncompleteScan(notice('decoding'))).toBe(true);
    expect(isIncompleteScan(notice('rule-error'))).toBe(true);
    expect(isIncompleteScan(notice('syntax-error'))).toBe(false);
  });
});
