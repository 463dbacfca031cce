import { describe, expect, it } from 'vitest';

import { buildSarif } from '../../src/report/sarif.js';
import { fileResult, finding, ruleMeta, importingFix } from './findings.js';
import { sarifSchemaViolations } from './sarif-validator.js';

const options = { version: '1.2.3', cwd: '/repo', rules: [ruleMeta()] };

describe('buildSarif', () => {
  it('describes each rule for GitHub: level, precision, security severity and CWE tags', () => {
    const log = buildSarif([], {
      ...options,
      informationUri: 'https://example.com/pyguard',
      rules: [
        ruleMeta({
          id: 'PGX001',
          slug: 'xml',
          severity: 'medium',
          confidence: 'low',
          cwe: [611, 776],
        }),
        ruleMeta(),
      ],
      severityOverrides: new Map([['PGD003', 'low']]),
    });
    const [run] = log.runs;
    expect(run.tool.driver).toMatchObject({
      name: 'PyGuard',
      version: '1.2.3',
      semanticVersion: '1.2.3',
      informationUri: 'https://example.com/pyguard',
    });
    expect(run.tool.driver.rules.map((rule) => rule.id)).toEqual(['PGD003', 'PGX001']);
    expect(run.tool.driver.rules[0]).toMatchObject({
      name: 'yaml-unsafe-load',
      shortDescription: { text: 'YAML loaded with an unsafe loader' },
      defaultConfiguration: { level: 'note' },
      properties: {
        tags: ['security', 'external/cwe/cwe-502'],
        precision: 'high',
        'security-severity': '3.0',
      },
    });
    expect(run.tool.driver.rules[1]?.properties).toEqual({
      tags: ['security', 'external/cwe/cwe-611', 'external/cwe/cwe-776'],
      precision: 'low',
      'security-severity': '5.5',
    });
    expect(run.tool.driver.rules[0]?.help.markdown).toContain('```python\nyaml.load(data)\n```');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('omits informationUri when it is unknown', () => {
    expect(buildSarif([], options).runs[0].tool.driver).not.toHaveProperty('informationUri');
  });

  it('maps a finding to a result with location, fingerprint, fix, flow and suppression', () => {
    const log = buildSarif(
      [
        fileResult('dir with space/app.py', [
          finding({
            path: 'dir with space/app.py',
            severity: 'medium',
            fix: {
              description: 'Use safe_load',
              span: { start: { line: 3, column: 13 }, end: { line: 3, column: 17 } },
              replacement: 'safe_load',
            },
            flow: [
              { line: 1, column: 8, label: 'data comes from request.args' },
              { line: 3, column: 8, label: 'reaches yaml.load' },
            ],
            suppression: {
              kind: 'pyguard',
              comment: '# pyguard: ignore[PGD003] trusted',
              line: 3,
              reason: 'trusted',
            },
          }),
        ]),
      ],
      options,
    );
    expect(sarifSchemaViolations(log)).toEqual([]);
    const [result] = log.runs[0].results;
    expect(result).toMatchObject({
      ruleId: 'PGD003',
      ruleIndex: 0,
      level: 'warning',
      partialFingerprints: { 'pyguardFingerprint/v1': '0123456789abcdef0123456789abcdef' },
      suppressions: [{ kind: 'inSource', justification: 'trusted' }],
    });
    expect(result?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'dir%20with%20space/app.py', uriBaseId: '%SRCROOT%' },
      region: {
        startLine: 3,
        startColumn: 8,
        endLine: 3,
        endColumn: 23,
        snippet: { text: 'yaml.load(data)' },
      },
      contextRegion: { startLine: 3, endLine: 3, snippet: { text: 'conf = yaml.load(data)' } },
    });
    expect(result?.fixes?.[0]?.artifactChanges[0]?.replacements[0]).toEqual({
      deletedRegion: { startLine: 3, startColumn: 13, endLine: 3, endColumn: 17 },
      insertedContent: { text: 'safe_load' },
    });
    expect(
      result?.codeFlows?.[0]?.threadFlows[0]?.locations.map((step) => step.location.message.text),
    ).toEqual(['data comes from request.args', 'reaches yaml.load']);
  });

  it('gives every edit of a fix as a replacement of the one file, in file order', () => {
    const log = buildSarif(
      [
        fileResult('app.py', [
          finding({
            fix: importingFix(),
          }),
        ]),
      ],
      options,
    );
    const [result] = log.runs[0].results;
    expect(result?.fixes).toEqual([
      {
        description: { text: 'Use `secrets.choice`' },
        artifactChanges: [
          {
            artifactLocation: { uri: 'app.py', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 },
                insertedContent: { text: 'import secrets\n' },
              },
              {
                deletedRegion: { startLine: 3, startColumn: 9, endLine: 3, endColumn: 22 },
                insertedContent: { text: 'secrets.choice' },
              },
            ],
          },
        ],
      },
    ]);
  });

  it('gives the exact text of a multi-line region, and none when the snippet is cut short', () => {
    const multi = finding({
      span: { start: { line: 2, column: 5 }, end: { line: 3, column: 7 } },
      snippet: 'x = f(\n    a, b)',
    });
    const long = finding({
      span: { start: { line: 1, column: 1 }, end: { line: 9, column: 2 } },
      snippet: 'a\nb\nc\nd\ne',
    });
    const log = buildSarif([fileResult('app.py', [multi, long])], options);
    expect(sarifSchemaViolations(log)).toEqual([]);
    const results = log.runs[0].results;
    expect(results[0]?.locations[0]?.physicalLocation.region?.snippet).toEqual({
      text: 'f(\n    a,',
    });
    expect(results[1]?.locations[0]?.physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: 1,
      endLine: 9,
      endColumn: 2,
    });
  });

  it('reports notices and skipped files as tool execution notifications', () => {
    const log = buildSarif(
      [
        fileResult('a.py', [], {
          notices: [{ path: 'a.py', kind: 'rule-error', message: 'boom', line: 4 }],
        }),
      ],
      { ...options, skipped: [{ path: 'big.py', kind: 'skipped', message: 'too large' }] },
    );
    expect(sarifSchemaViolations(log)).toEqual([]);
    expect(log.runs[0].invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'boom' },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: 'a.py', uriBaseId: '%SRCROOT%' },
              region: { startLine: 4 },
            },
          },
        ],
        properties: { kind: 'rule-error' },
      },
      {
        level: 'warning',
        message: { text: 'too large' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'big.py', uriBaseId: '%SRCROOT%' } } },
        ],
        properties: { kind: 'skipped' },
      },
    ]);
  });
});

describe('buildSarif with a refused file', () => {
  it('reports the refusal as an error notification of kind refused', () => {
    const log = buildSarif(
      [
        fileResult('deep.py', [], {
          notices: [{ path: 'deep.py', kind: 'refused', message: 'not scanned: deep' }],
        }),
      ],
      options,
    );
    expect(log.runs[0].invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'error',
        message: { text: 'not scanned: deep' },
        locations: [
          { physicalLocation: { artifactLocation: { uri: 'deep.py', uriBaseId: '%SRCROOT%' } } },
        ],
        properties: { kind: 'refused' },
      },
    ]);
  });
});
