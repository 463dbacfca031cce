import { describe, expect, it } from 'vitest';

import { applyFixes } from '../../src/engine/fixes.js';
import type { Finding } from '../../src/engine/types.js';
import { finding } from '../report/findings.js';

const TEXT = 'import yaml\r\nconf = yaml.load(data)\r\nother = 1\n';

/** A finding on line 2 whose fix replaces columns `from`–`to` of that line. */
function fixAt(
  from: number,
  to: number,
  replacement: string,
  snippet = 'conf = yaml.load(data)',
): Finding {
  return finding({
    span: { start: { line: 2, column: 8 }, end: { line: 2, column: 23 } },
    snippet,
    fix: {
      description: 'fix',
      span: { start: { line: 2, column: from }, end: { line: 2, column: to } },
      replacement,
    },
  });
}

describe('applyFixes', () => {
  it('replaces exact ranges, keeping line endings', () => {
    const outcome = applyFixes(TEXT, [fixAt(13, 17, 'safe_load')]);
    expect(outcome.text).toBe('import yaml\r\nconf = yaml.safe_load(data)\r\nother = 1\n');
    expect(outcome.applied).toHaveLength(1);
  });

  it('applies the first of two overlapping fixes and defers the other', () => {
    const first = fixAt(13, 17, 'safe_load');
    const inside = fixAt(14, 16, 'XX');
    const after = fixAt(18, 22, 'text');
    const outcome = applyFixes(TEXT, [after, inside, first]);
    expect(outcome.text).toBe('import yaml\r\nconf = yaml.safe_load(text)\r\nother = 1\n');
    expect(outcome.applied).toEqual([first, after]);
    expect(outcome.deferred).toEqual([inside]);
  });

  it('defers a second insertion at the same place', () => {
    const outcome = applyFixes(TEXT, [fixAt(23, 23, ' # a'), fixAt(23, 23, ' # b')]);
    expect(outcome.text).toBe('import yaml\r\nconf = yaml.load(data) # a\r\nother = 1\n');
    expect(outcome.deferred).toHaveLength(1);
  });

  it('skips a fix whose line is no longer what was scanned, and suppressed findings', () => {
    const changed = fixAt(13, 17, 'safe_load', 'conf = yaml.load(other)');
    const suppressed = {
      ...fixAt(13, 17, 'safe_load'),
      suppression: { kind: 'pyguard' as const, comment: '# pyguard: ignore', line: 2 },
    };
    const outcome = applyFixes(TEXT, [changed, suppressed, fixAt(40, 41, 'x')]);
    expect(outcome.text).toBe(TEXT);
    expect(outcome.skipped).toHaveLength(2);
    expect(outcome.applied).toEqual([]);
  });
});
