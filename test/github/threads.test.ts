import { describe, expect, it } from 'vitest';

import { unpostedFindings } from '../../src/github/review.js';
import { reportedFingerprints, someCommentGone } from '../../src/github/threads.js';
import { fileResult, finding } from '../report/findings.js';

describe('the fingerprints a scan still reports', () => {
  const carrying = finding({
    fingerprint: 'a'.repeat(32),
    alongside: [
      {
        ruleId: 'PGC006',
        title: 'Static key, IV or nonce',
        messageId: 'constantIv',
        severity: 'medium',
        confidence: 'high',
        message: 'The IV `ZERO_IV` is a constant.',
        span: { start: { line: 3, column: 30 }, end: { line: 3, column: 37 } },
        fingerprint: 'b'.repeat(32),
      },
    ],
  });
  const suppressed = finding({
    fingerprint: 'c'.repeat(32),
    suppression: { kind: 'pyguard', comment: '# pyguard: ignore[PGD003] test data', line: 3 },
  });

  it('include the findings a finding carries on its line, and suppressed ones', () => {
    const current = reportedFingerprints([fileResult('app.py', [carrying, suppressed])]);
    expect([...current].sort()).toEqual(['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)]);
  });

  it('leave no thread to look for while every commented finding is still there', () => {
    const current = reportedFingerprints([fileResult('app.py', [carrying])]);
    expect(someCommentGone(new Set(['b'.repeat(32)]), current)).toBe(false);
    expect(someCommentGone(new Set(['b'.repeat(32), 'd'.repeat(32)]), current)).toBe(true);
    expect(someCommentGone(new Set(), current)).toBe(false);
  });

  it('make a finding new when a finding it carries was never posted', () => {
    const commented = new Set(['a'.repeat(32)]);
    expect(unpostedFindings([carrying], commented)).toEqual([carrying]);
    expect(unpostedFindings([carrying], commented, new Set(['b'.repeat(32)]))).toEqual([]);
    expect(unpostedFindings([suppressed], new Set(), new Set(['c'.repeat(32)]))).toEqual([]);
  });
});
