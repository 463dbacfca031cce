import { describe, expect, it } from 'vitest';

import { formatJson } from '../../src/report/json.js';
import { fileResult, finding, importingFix } from './findings.js';

describe('formatJson', () => {
  it('separates suppressed findings, lists notices and summarises', () => {
    const suppressed = finding({
      path: 'b.py',
      suppression: { kind: 'noqa', comment: '# noqa: S506', line: 3 },
      fingerprint: 'f'.repeat(32),
    });
    // Keys in an unusual order must come out in the fixed order.
    const { fingerprint, ...rest } = finding({ severity: 'low' });
    const shuffled = { fingerprint, ...rest };
    const text = formatJson(
      [
        fileResult('app.py', [shuffled]),
        fileResult('b.py', [suppressed], {
          notices: [{ path: 'b.py', kind: 'decoding', message: 'invalid UTF-8 replaced' }],
        }),
      ],
      { version: '9.9.9', skipped: [{ path: 'huge.py', kind: 'skipped', message: 'too large' }] },
    );
    expect(text.endsWith('}\n')).toBe(true);
    const report = JSON.parse(text) as {
      version: string;
      findings: Record<string, unknown>[];
      suppressed: Record<string, unknown>[];
      notices: unknown[];
      summary: unknown;
    };
    expect(report.version).toBe('9.9.9');
    expect(Object.keys(report.findings[0] ?? {})).toEqual([
      'ruleId',
      'slug',
      'title',
      'severity',
      'confidence',
      'cwe',
      'message',
      'path',
      'span',
      'snippet',
      'fingerprint',
    ]);
    expect(report.suppressed).toMatchObject([
      { path: 'b.py', suppression: { kind: 'noqa', line: 3 } },
    ]);
    expect(report.notices).toEqual([
      { path: 'b.py', kind: 'decoding', message: 'invalid UTF-8 replaced' },
      { path: 'huge.py', kind: 'skipped', message: 'too large' },
    ]);
    expect(report.summary).toEqual({
      files: 2,
      findings: 1,
      suppressed: 1,
      skipped: 1,
      bySeverity: { high: 0, medium: 0, low: 1 },
    });
  });
});

describe('formatJson with a refused file', () => {
  it('lists the refused notice by kind and counts the file as skipped', () => {
    const notice = { path: 'deep.py', kind: 'refused' as const, message: 'not scanned: deep' };
    const report = JSON.parse(
      formatJson([fileResult('deep.py', [], { notices: [notice] })], { version: '1.0.0' }),
    ) as { notices: unknown[]; summary: { skipped: number } };
    expect(report.notices).toEqual([notice]);
    expect(report.summary.skipped).toBe(1);
  });
});

describe('formatJson and profiles', () => {
  it('shows `profile: audit` on findings only the audit profile reports', () => {
    const text = formatJson(
      [
        fileResult('app.py', [
          finding({ profile: 'audit' }),
          finding({ fingerprint: 'e'.repeat(32) }),
        ]),
      ],
      { version: '9.9.9', skipped: [] },
    );
    const report = JSON.parse(text) as { findings: Record<string, unknown>[] };
    expect(report.findings.map((entry) => entry['profile'])).toEqual(['audit', undefined]);
  });

  it('writes the further edits of a fix after its main edit', () => {
    const text = formatJson(
      [
        fileResult('app.py', [
          finding({
            fix: importingFix(),
          }),
        ]),
      ],
      { version: '9.9.9', skipped: [] },
    );
    const report = JSON.parse(text) as { findings: { fix: unknown }[] };
    expect(report.findings[0]?.fix).toEqual(importingFix());
  });
});
