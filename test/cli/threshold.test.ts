import { describe, expect, it } from 'vitest';

import { exitCodeFor, failsThreshold } from '../../src/cli/threshold.js';
import { fileResult, finding } from '../report/findings.js';

describe('failsThreshold', () => {
  const medium = finding({ severity: 'medium' });

  it('fails at or above the severity', () => {
    expect(failsThreshold([medium], 'high')).toBe(false);
    expect(failsThreshold([medium], 'medium')).toBe(true);
    expect(failsThreshold([medium], 'low')).toBe(true);
  });

  it('never fails for never', () => {
    expect(failsThreshold([finding()], 'never')).toBe(false);
  });

  it('ignores suppressed findings', () => {
    const suppressed = finding({ suppression: { kind: 'nosec', comment: '# nosec', line: 3 } });
    expect(failsThreshold([suppressed], 'low')).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it('is 1 when any file fails, else 0', () => {
    expect(exitCodeFor([fileResult('a.py', []), fileResult('b.py', [finding()])], 'high')).toBe(1);
    expect(exitCodeFor([fileResult('a.py', [])], 'low')).toBe(0);
    expect(exitCodeFor([], 'low')).toBe(0);
  });
});
