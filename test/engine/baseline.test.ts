import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../src/config/index.js';
import {
  BaselineError,
  applyBaseline,
  createBaseline,
  formatBaseline,
  parseBaseline,
} from '../../src/engine/baseline.js';
import { createScanner } from '../../src/engine/scanner.js';
import type { FileResult } from '../../src/engine/types.js';

const SOURCE = `import yaml


def load(text):
    return yaml.load(text)


def load_again(text):
    return yaml.load(text)  # pyguard: ignore[PGD003] trusted file
`;

function scan(path: string, source: string): FileResult {
  return createScanner(defaultConfig(), allRules).scanFile({
    path,
    source: Buffer.from(source),
    addedLines: null,
  });
}

describe('a baseline', () => {
  it('lists the unsuppressed findings, sorted, one entry each, in a stable text', () => {
    const results = [scan('b.py', SOURCE), scan('a.py', SOURCE)];
    const baseline = createBaseline(results);
    expect(baseline.findings.map((entry) => [entry.path, entry.ruleId])).toEqual([
      ['a.py', 'PGD003'],
      ['b.py', 'PGD003'],
    ]);
    const text = formatBaseline(baseline);
    expect(text).toMatch(/^\{\n {2}"version": 1,\n {2}"tool": "pyguard",\n {2}"findings": \[\n/);
    expect(formatBaseline(createBaseline([...results].reverse()))).toBe(text);
    expect(parseBaseline(text)).toEqual(baseline);
    expect(formatBaseline(createBaseline([]))).toBe(
      '{\n  "version": 1,\n  "tool": "pyguard",\n  "findings": []\n}\n',
    );
  });

  it('still hides a finding after lines are added above it, and not a new one', () => {
    const baseline = createBaseline([scan('app.py', SOURCE)]);
    const shifted = `"""Module docs."""\n\nimport os\n${SOURCE}\n\ndef fresh(text):\n    return yaml.load(text, Loader=yaml.Loader)\n`;
    const { results, hidden } = applyBaseline([scan('app.py', shifted)], baseline);
    expect(hidden).toBe(1);
    const left = results.flatMap((result) => result.findings);
    // The new finding is reported; the suppressed one stays suppressed (not counted as hidden).
    expect(left.filter((f) => f.suppression === undefined).map((f) => f.span.start.line)).toEqual([
      16,
    ]);
    expect(left.filter((f) => f.suppression !== undefined)).toHaveLength(1);
  });

  it('refuses a file of another version or with a malformed entry', () => {
    expect(() => parseBaseline('[')).toThrow(BaselineError);
    expect(() => parseBaseline('{"version": 2, "findings": []}')).toThrow(
      /unsupported version 2: this PyGuard reads version 1/,
    );
    expect(() =>
      parseBaseline('{"version": 1, "findings": [{"ruleId": "PGD003", "path": "a.py"}]}'),
    ).toThrow(/findings\[0\] must have a ruleId, a path and a 32-digit hex fingerprint/);
  });
});
