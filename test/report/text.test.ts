import { describe, expect, it } from 'vitest';

import { clipLine, formatText, summaryLine } from '../../src/report/text.js';
import { fileResult, finding } from './findings.js';

describe('formatText', () => {
  it('renders each finding with a code frame and a summary', () => {
    const results = [
      fileResult('app.py', [
        finding(),
        finding({
          ruleId: 'PGI006',
          severity: 'medium',
          message: 'subprocess call with shell=True',
          span: { start: { line: 9, column: 5 }, end: { line: 11, column: 6 } },
          snippet: '    subprocess.run(\n        cmd,\n        shell=True)',
        }),
        finding({
          message: 'suppressed',
          suppression: { kind: 'pyguard', comment: '# pyguard: ignore', line: 12 },
        }),
      ]),
      fileResult('lib/util.py', [
        finding({
          path: 'lib/util.py',
          severity: 'medium',
          span: { start: { line: 120, column: 2 }, end: { line: 120, column: 5 } },
          snippet: '\tx = 1',
        }),
      ]),
      fileResult('clean.py', []),
    ];
    expect(formatText(results, { color: false })).toMatchInlineSnapshot(`
      "app.py:3:8: PGD003 [high] \`yaml.load\` without a safe \`Loader\` can construct arbitrary Python objects.
        3 | conf = yaml.load(data)
          |        ^^^^^^^^^^^^^^^

      app.py:9:5: PGI006 [medium] subprocess call with shell=True
         9 |     subprocess.run(
           |     ^^^^^^^^^^^^^^^
        10 |         cmd,
        11 |         shell=True)

      lib/util.py:120:2: PGD003 [medium] \`yaml.load\` without a safe \`Loader\` can construct arbitrary Python objects.
        120 | 	x = 1
            | 	^^^

      3 findings (1 high, 2 medium) in 3 files; 1 suppressed
      "
    `);
  });

  it('colours only when asked', () => {
    const results = [fileResult('app.py', [finding()])];
    expect(formatText(results, { color: false })).not.toContain('\u001b[');
    expect(formatText(results, { color: true })).toContain('\u001b[31m');
  });

  it('escapes terminal control characters from the source', () => {
    const text = formatText(
      [
        fileResult('app.py', [
          finding({ snippet: 'conf = yaml.load("\u001b[2J")', message: 'bad \u001b]0;x\u0007' }),
        ]),
      ],
      { color: false },
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
    expect(text).toContain('\u241b[2J');
  });

  it('underlines at least one column for an empty span', () => {
    const text = formatText(
      [
        fileResult('a.py', [
          finding({
            snippet: 'x',
            span: { start: { line: 1, column: 2 }, end: { line: 1, column: 2 } },
          }),
        ]),
      ],
      { color: false },
    );
    expect(text).toContain('  1 | x\n    |  ^\n');
  });
});

describe('clipLine', () => {
  it('keeps short lines whole', () => {
    expect(clipLine('abc', 1, 2)).toEqual({ text: 'abc', start: 1, end: 2 });
  });

  it('shows a window around the span of a long line', () => {
    const line = `${'a'.repeat(300)}TARGET${'b'.repeat(300)}`;
    const clipped = clipLine(line, 300, 306);
    expect(clipped.text.length).toBeLessThanOrEqual(162);
    expect(clipped.text.startsWith('…')).toBe(true);
    expect(clipped.text.endsWith('…')).toBe(true);
    expect(clipped.text.slice(clipped.start, clipped.end)).toBe('TARGET');
  });
});

describe('summaryLine', () => {
  const base = {
    files: 2,
    findings: 0,
    suppressed: 0,
    skipped: 0,
    bySeverity: { high: 0, medium: 0, low: 0 },
  };

  it('counts findings by severity, suppressed and skipped files', () => {
    expect(
      summaryLine({
        ...base,
        findings: 3,
        suppressed: 1,
        bySeverity: { high: 1, medium: 2, low: 0 },
      }),
    ).toBe('3 findings (1 high, 2 medium) in 2 files; 1 suppressed');
    expect(
      summaryLine({
        ...base,
        files: 1,
        findings: 1,
        skipped: 2,
        bySeverity: { high: 0, medium: 0, low: 1 },
      }),
    ).toBe('1 finding (1 low) in 1 file; 2 files skipped');
    expect(summaryLine(base)).toBe('No findings in 2 files');
    expect(summaryLine({ ...base, files: 0 })).toBe('No files scanned');
  });
});

describe('files the engine did not scan', () => {
  it('counts a refused file and a parse that ran out of time as skipped, not a partial check', () => {
    const results = [
      fileResult('deep.py', [], {
        notices: [{ path: 'deep.py', kind: 'refused', message: 'not scanned: indentation' }],
      }),
      fileResult('slow.py', [], {
        notices: [{ path: 'slow.py', kind: 'skipped', message: 'not scanned: parsing took long' }],
      }),
      fileResult('partial.py', [], {
        notices: [{ path: 'partial.py', kind: 'skipped', line: 9, message: 'checks stopped' }],
      }),
    ];
    expect(formatText(results, { color: false })).toBe('No findings in 3 files; 2 files skipped\n');
  });
});

describe('formatText and profiles', () => {
  it('marks findings only the audit profile reports', () => {
    const text = formatText([fileResult('app.py', [finding({ profile: 'audit' })])], {
      color: false,
    });
    expect(text).toContain('PGD003 [high, audit]');
  });
});
