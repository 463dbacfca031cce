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

  it('lists the findings a finding carries, and shows it again when one of them is new', () => {
    const cipher = (iv: string): string =>
      `import os\nfrom Crypto.Cipher import AES\n\nIV = ${iv}\n\n\ndef seal(key, data):\n    return AES.new(key, AES.MODE_CBC, IV).encrypt(data)\n`;
    const both = scan('app.py', cipher('b"\\x00" * 16'));
    expect(both.findings.map((f) => [f.ruleId, f.alongside?.map((o) => o.ruleId)])).toEqual([
      ['PGC005', ['PGC006']],
    ]);
    expect(createBaseline([both]).findings.map((entry) => entry.ruleId)).toEqual([
      'PGC005',
      'PGC006',
    ]);
    expect(applyBaseline([both], createBaseline([both])).hidden).toBe(1);
    // Baselined when only the mode was reported: the constant IV added later still shows.
    const modeOnly = createBaseline([scan('app.py', cipher('os.urandom(16)'))]);
    expect(modeOnly.findings.map((entry) => entry.ruleId)).toEqual(['PGC005']);
    expect(modeOnly.findings[0]?.fingerprint).toBe(both.findings[0]?.fingerprint);
    const { results, hidden } = applyBaseline([both], modeOnly);
    expect(hidden).toBe(0);
    expect(results[0]?.findings.map((f) => f.ruleId)).toEqual(['PGC005']);
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
