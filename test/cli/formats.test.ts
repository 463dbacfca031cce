import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pyguard, removeDir, tempDir, UNSAFE_YAML, writeFiles } from './helpers.js';

const ONLY_YAML = ['--rule', 'yaml-unsafe-load'];

let dir: string;

beforeEach(async () => {
  dir = await tempDir();
  await writeFiles(dir, {
    'app.py': UNSAFE_YAML,
    'pkg/suppressed.py': 'import yaml\nyaml.load(x)  # nosec B506\n',
    'pkg/broken.py': 'def broken(:\n',
  });
});

afterEach(async () => {
  await removeDir(dir);
});

describe('--format json', () => {
  it('writes one parseable document with a stable key order', async () => {
    const { code, stdout, stderr } = await pyguard(dir, ['scan', '--format', 'json', ...ONLY_YAML]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as Record<string, unknown> & {
      findings: Record<string, unknown>[];
      suppressed: Record<string, unknown>[];
      notices: Record<string, unknown>[];
    };
    expect(Object.keys(report)).toEqual([
      'version',
      'tool',
      'findings',
      'suppressed',
      'notices',
      'summary',
    ]);
    expect(report['tool']).toBe('pyguard');
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
      'fix',
    ]);
    expect(report.suppressed).toMatchObject([
      { path: 'pkg/suppressed.py', suppression: { kind: 'nosec' } },
    ]);
    expect(report.notices).toMatchObject([
      { path: 'pkg/broken.py', kind: 'syntax-error', line: 1 },
    ]);
    expect(report['summary']).toEqual({
      files: 3,
      findings: 1,
      suppressed: 1,
      skipped: 0,
      bySeverity: { high: 1, medium: 0, low: 0 },
    });
  });
});

describe('--format sarif', () => {
  it('writes a SARIF 2.1.0 log that GitHub code scanning accepts', async () => {
    const { code, stdout, stderr } = await pyguard(dir, [
      'scan',
      '--format',
      'sarif',
      ...ONLY_YAML,
    ]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const log = JSON.parse(stdout) as SarifLog;
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    expect(run?.tool.driver.name).toBe('PyGuard');
    expect(run?.originalUriBaseIds['%SRCROOT%']?.uri).toBe(`${pathToFileURL(dir).href}/`);
    expect(run?.automationDetails.id).toBe('pyguard/');
    const version = run?.tool.driver.version ?? '';
    for (const rule of run?.tool.driver.rules ?? []) {
      const page = `https://github.com/OWNER/pyguard/blob/v${version}/docs/rules/${rule.id}.md`;
      expect(rule.helpUri).toBe(page);
      expect(rule.help.markdown).toContain(`(${page})`);
    }
    for (const result of run?.results ?? []) {
      expect(result.ruleId).toMatch(/^PG[A-Z]\d{3}$/);
      expect(run?.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
      expect(result.message.text).not.toBe('');
      expect(result.locations[0]?.physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
      expect(result.locations[0]?.physicalLocation.region.startLine).toBeGreaterThan(0);
      expect(result.partialFingerprints['pyguardFingerprint/v1']).toMatch(/^[0-9a-f]{32}$/);
    }

    const normalised = JSON.parse(
      stdout
        .replaceAll(`${pathToFileURL(dir).href}/`, 'file:///SRCROOT/')
        .replace(/\/blob\/v[^/]+\/docs\/rules\//g, '/blob/vVERSION/docs/rules/'),
    ) as SarifLog;
    for (const { tool } of normalised.runs) {
      tool.driver.version = 'VERSION';
      tool.driver.semanticVersion = 'VERSION';
    }
    expect(normalised).toMatchSnapshot();
  });
});

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: {
      driver: {
        name: string;
        version: string;
        semanticVersion: string;
        rules: { id: string; helpUri?: string; help: { markdown: string } }[];
      };
    };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, { uri: string } | undefined>;
    results: {
      ruleId: string;
      ruleIndex: number;
      message: { text: string };
      locations: {
        physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
      }[];
      partialFingerprints: Record<string, string>;
    }[];
  }[];
}
