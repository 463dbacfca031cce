import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { defaultConfig, type PyGuardConfig } from '../../src/config/schema.js';
import {
  AdvisoryUnavailableError,
  type AdvisorySource,
  type PackageQuery,
} from '../../src/deps/advisory-source.js';
import { auditManifests, type ManifestFile } from '../../src/deps/audit.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';
import { OsvClient } from '../../src/deps/osv-client.js';
import type { OsvRecord } from '../../src/deps/osv-record.js';

const offline = await OfflineOsvSource.fromDirectory(
  fileURLToPath(new URL('./fixtures/osv', import.meta.url)),
);

/** The offline records, remembering every batch of queries it was asked. */
class RecordingSource implements AdvisorySource {
  readonly description = 'recording source';
  readonly asked: PackageQuery[][] = [];
  advisoriesFor(queries: readonly PackageQuery[]): Promise<OsvRecord[][]> {
    this.asked.push([...queries]);
    return offline.advisoriesFor(queries);
  }
}

class FailingSource implements AdvisorySource {
  readonly description = 'OSV (https://api.osv.dev)';
  advisoriesFor(): Promise<OsvRecord[][]> {
    return Promise.reject(new AdvisoryUnavailableError('no answer within 10000 ms'));
  }
}

function config(change: (config: PyGuardConfig) => void = () => undefined): PyGuardConfig {
  const value = defaultConfig();
  change(value);
  return value;
}

async function audit(
  files: ManifestFile[],
  source: AdvisorySource = offline,
  options: {
    config?: PyGuardConfig;
    readInclude?: (path: string) => Promise<string | undefined>;
  } = {},
) {
  return auditManifests(files, source, {
    config: options.config ?? config(),
    rules: allRules,
    readInclude: options.readInclude,
  });
}

const REQUIREMENTS = [
  '--extra-index-url https://pypi.internal.example/simple',
  'jinja2==2.10',
  'pyyaml==5.3.1',
  'requests>=2.25',
  'django==3.0.1',
].join('\n');

describe('auditManifests', () => {
  it('judges every line of a manifest without a change, asking once for all versions', async () => {
    const source = new RecordingSource();
    const result = await audit([{ path: 'requirements.txt', text: REQUIREMENTS }], source);
    expect(result.skippedReason).toBeUndefined();
    expect(source.asked).toEqual([
      [
        { name: 'django', version: '3.0.1' },
        { name: 'jinja2', version: '2.10' },
        { name: 'pyyaml', version: '5.3.1' },
        { name: 'requests', version: '2.25' },
      ],
    ]);
    expect(
      result.findings.map((finding) => [finding.span.start.line, finding.ruleId, finding.severity]),
    ).toEqual([
      [1, 'PGV004', 'medium'],
      [2, 'PGV001', 'high'],
      [3, 'PGV001', 'high'],
      [4, 'PGV002', 'medium'],
    ]);
    const jinja = result.findings[1];
    expect(jinja?.fix).toEqual({
      description: 'Upgrade jinja2 to 2.11.3',
      span: { start: { line: 2, column: 9 }, end: { line: 2, column: 13 } },
      replacement: '2.11.3',
    });
  });

  it('judges only the changed lines of a change, and asks only for them', async () => {
    const source = new RecordingSource();
    const result = await audit(
      [{ path: 'requirements.txt', text: REQUIREMENTS, changedLines: new Set([3]) }],
      source,
    );
    expect(source.asked).toEqual([[{ name: 'pyyaml', version: '5.3.1' }]]);
    expect(result.findings.map((finding) => [finding.span.start.line, finding.ruleId])).toEqual([
      [3, 'PGV001'],
    ]);
  });

  it('asks nothing when no changed line needs advisories', async () => {
    const source = new RecordingSource();
    const result = await audit(
      [{ path: 'requirements.txt', text: REQUIREMENTS, changedLines: new Set([1]) }],
      source,
    );
    expect(source.asked).toEqual([]);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['PGV004']);
  });

  it('still runs the checks that need no advisories when advisories cannot be had', async () => {
    const result = await audit(
      [{ path: 'requirements.txt', text: REQUIREMENTS }],
      new FailingSource(),
    );
    expect(result.skippedReason).toBe(
      'advisories could not be read from OSV (https://api.osv.dev): no answer within 10000 ms',
    );
    expect(result.findings.map((finding) => finding.ruleId)).toEqual(['PGV004']);
  });

  it('suppresses findings on lines with a pyguard comment, with the reason', async () => {
    const result = await audit([
      {
        path: 'requirements.txt',
        text: 'jinja2==2.10  # pyguard: ignore[PGV001] sandbox unused\n',
      },
    ]);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]?.suppression).toMatchObject({
      kind: 'pyguard',
      line: 1,
      reason: 'sandbox unused',
    });
  });

  it('counts a suppression comment on a continuation line for the requirement it continues', async () => {
    const result = await audit([
      {
        path: 'requirements.txt',
        text: 'requests==2.25.1 \\\n    --hash=sha256:c210  # pyguard: ignore[vulnerable-dependency] no proxies\njinja2==2.10\n',
      },
    ]);
    expect(
      result.findings.map((finding) => [finding.span.start.line, finding.suppression?.reason]),
    ).toEqual([
      [1, 'no proxies'],
      [3, undefined],
    ]);
  });

  it('leaves out advisories accepted in the configuration, and suppresses a finding left with none', async () => {
    const accepting = config((value) => {
      value.dependencies.ignore = [
        { id: 'CVE-2020-28493', reason: 'urlize is not used' },
        { id: 'ghsa-8q59-q68h-6hv4', reason: 'only safe_load is used' },
      ];
    });
    const result = await audit(
      [{ path: 'requirements.txt', text: 'jinja2==2.10\npyyaml==5.3.1\n' }],
      offline,
      { config: accepting },
    );
    const [jinja, yaml] = result.findings;
    expect(jinja?.suppression).toBeUndefined();
    expect(jinja?.message).toContain('GHSA-462w-v97r-4m45');
    expect(jinja?.message).not.toContain('GHSA-g3rq-g295-4j3m');
    expect(jinja?.fix?.replacement).toBe('2.10.1');
    expect(yaml?.suppression).toEqual({
      kind: 'pyguard',
      comment: 'dependencies.ignore: GHSA-8q59-q68h-6hv4',
      line: 2,
      reason: 'ghsa-8q59-q68h-6hv4: only safe_load is used',
    });
  });

  it('gives a notice naming the file and line for a manifest it cannot read, and audits the others', async () => {
    const result = await audit([
      {
        path: 'pyproject.toml',
        text: '[project]\ndependencies = [\n  "jinja2==2.10",\n  oops\n]\n',
      },
      { path: 'requirements.txt', text: 'pyyaml==5.3.1\n' },
    ]);
    expect(result.results.map((file) => file.path)).toEqual(['pyproject.toml', 'requirements.txt']);
    const [notice] = result.results[0]?.notices ?? [];
    expect(notice).toMatchObject({ path: 'pyproject.toml', kind: 'syntax-error', line: 4 });
    expect(notice?.message).toMatch(/^cannot read this file at line 4: invalid TOML at line 4/);
    expect(result.findings.map((finding) => finding.path)).toEqual(['requirements.txt']);
  });

  it('follows -r includes inside the repository and refuses those outside it', async () => {
    const read: string[] = [];
    const result = await audit(
      [
        {
          path: 'requirements/prod.txt',
          text: '-r base.txt\n-r ../../etc/shared.txt\n-c https://example.org/c.txt\n',
        },
      ],
      offline,
      {
        readInclude: (path) => {
          read.push(path);
          return Promise.resolve(path === 'requirements/base.txt' ? 'jinja2==2.10\n' : undefined);
        },
      },
    );
    expect(read).toEqual(['requirements/base.txt']);
    expect(result.findings.map((finding) => [finding.path, finding.ruleId])).toEqual([
      ['requirements/base.txt', 'PGV001'],
    ]);
    expect(result.notices.map((notice) => [notice.line, notice.message])).toEqual([
      [2, 'not read: ../../etc/shared.txt (line 2) is outside the repository'],
      [3, 'not read: https://example.org/c.txt (line 3) is outside the repository'],
    ]);
  });

  it('judges lock files on the version line, and applies severity overrides', async () => {
    const overriding = config((value) => {
      value.rules.severity = { 'vulnerable-dependency': 'low' };
    });
    const text =
      '[[package]]\nname = "PyYAML"\nversion = "5.3.1"\n\n[[package]]\nname = "jinja2"\nversion = "2.11.3"\n';
    const result = await audit([{ path: 'poetry.lock', text }], offline, { config: overriding });
    expect(
      result.findings.map((finding) => [
        finding.span.start.line,
        finding.severity,
        finding.fix?.replacement,
      ]),
    ).toEqual([[3, 'low', '5.4']]);
  });
});

describe('auditManifests with the OSV API', () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    expect(nock.pendingMocks()).toEqual([]);
    nock.cleanAll();
  });

  it('reports a vulnerable pin from the answers of one querybatch and the advisory details', async () => {
    const record = await offline.advisoriesFor([{ name: 'requests', version: '2.25.1' }]);
    nock('https://api.osv.dev')
      .post('/v1/querybatch', {
        queries: [{ package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.25.1' }],
      })
      .reply(200, {
        results: [{ vulns: [{ id: 'GHSA-j8r2-6x86-q33q', modified: '2024-09-13T19:20:00Z' }] }],
      })
      .get('/v1/vulns/GHSA-j8r2-6x86-q33q')
      .reply(200, {
        id: record[0]?.[0]?.id,
        summary: record[0]?.[0]?.summary,
        aliases: record[0]?.[0]?.aliases,
        severity: record[0]?.[0]?.severity,
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'requests' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }],
          },
        ],
      });
    const result = await audit(
      [{ path: 'requirements.txt', text: 'requests==2.25.1\n' }],
      new OsvClient({ sleep: () => Promise.resolve() }),
    );
    expect(result.findings.map((finding) => finding.message)).toEqual([
      '`requests` 2.25.1 has 1 known vulnerability: GHSA-j8r2-6x86-q33q (CVE-2023-32681, PYSEC-2023-74; medium, CVSS 6.1): Unintended leak of Proxy-Authorization header in requests. Upgrade to 2.31.0, the smallest version that fixes it.',
    ]);
  });
});
