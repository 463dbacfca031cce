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

  describe('a fix of several edits', () => {
    const SOURCE = 'import random\n\ntoken = random.choice(A)\ncode = random.choice(B)\n';
    const IMPORT = {
      span: { start: { line: 2, column: 1 }, end: { line: 2, column: 1 } },
      replacement: 'import secrets\n',
      description: "add `import secrets` with the file's imports",
    };
    /** A finding on `line` whose fix swaps `random.choice` (columns from-to) and adds the import. */
    const secretsFix = (line: number, from: number, snippet: string, also = [IMPORT]): Finding =>
      finding({
        span: { start: { line, column: from }, end: { line, column: from + 16 } },
        snippet,
        fix: {
          description: 'Use `secrets.choice`',
          span: { start: { line, column: from }, end: { line, column: from + 13 } },
          replacement: 'secrets.choice',
          additionalEdits: also,
        },
      });

    it('applies the main edit and the import together, the shared import once', () => {
      const token = secretsFix(3, 9, 'token = random.choice(A)');
      const code = secretsFix(4, 8, 'code = random.choice(B)');
      const outcome = applyFixes(SOURCE, [code, token]);
      expect(outcome.text).toBe(
        'import random\nimport secrets\n\ntoken = secrets.choice(A)\ncode = secrets.choice(B)\n',
      );
      expect(outcome.applied).toEqual([token, code]);
      expect(outcome.deferred).toEqual([]);
    });

    it('defers the whole fix when one of its edits overlaps an applied fix', () => {
      const token = secretsFix(3, 9, 'token = random.choice(A)');
      const otherImport = { ...IMPORT, replacement: 'import hmac\n' };
      const code = secretsFix(4, 8, 'code = random.choice(B)', [otherImport]);
      const outcome = applyFixes(SOURCE, [token, code]);
      expect(outcome.text).toBe(
        'import random\nimport secrets\n\ntoken = secrets.choice(A)\ncode = random.choice(B)\n',
      );
      expect(outcome.deferred).toEqual([code]);
    });

    it('skips the whole fix when one of its edits is not in the text', () => {
      const outside = {
        ...IMPORT,
        span: { start: { line: 9, column: 1 }, end: { line: 9, column: 1 } },
      };
      const token = secretsFix(3, 9, 'token = random.choice(A)', [outside]);
      const outcome = applyFixes(SOURCE, [token]);
      expect(outcome.text).toBe(SOURCE);
      expect(outcome.skipped).toEqual([token]);
    });

    it('puts an insertion before a replacement that starts at the same place', () => {
      const text = 'import hmac\na == b\n';
      const compare = finding({
        span: { start: { line: 2, column: 1 }, end: { line: 2, column: 7 } },
        snippet: 'a == b',
        fix: {
          description: 'Compare with `hmac.compare_digest()`',
          span: { start: { line: 2, column: 1 }, end: { line: 2, column: 7 } },
          replacement: 'hmac.compare_digest(a, b)',
          additionalEdits: [{ ...IMPORT, replacement: 'import os\n' }],
        },
      });
      expect(applyFixes(text, [compare]).text).toBe(
        'import hmac\nimport os\nhmac.compare_digest(a, b)\n',
      );
    });
  });
});
