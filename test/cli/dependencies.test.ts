/**
 * The dependency audit end to end: `pyguard scan --osv-db DIR` on a repository with a
 * vulnerable pin (no network), `PYGUARD_OSV_DB`, `pyguard diff` on a changed requirement line,
 * a manifest that cannot be read, and OSV out of reach.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { git, offlineWorkDir, pyguard, testEnv, writeFiles } from './helpers.js';

const OSV_DB = fileURLToPath(new URL('../deps/fixtures/osv', import.meta.url));

interface JsonReport {
  findings: {
    ruleId: string;
    path: string;
    severity: string;
    message: string;
    span: { start: { line: number } };
    fix?: { replacement: string; span: { start: { line: number; column: number } } };
  }[];
  notices: { path: string; kind: string; line?: number; message: string }[];
}

const work = offlineWorkDir();

const APP = 'import yaml\n\ndef load(body):\n    return yaml.load(body)\n';

describe('pyguard scan with dependency manifests', () => {
  it('reports a vulnerable pin from an offline OSV directory, with the fixed version', async () => {
    await writeFiles(work.path, {
      'app.py': APP,
      'requirements.txt': '# web\nflask==3.0.3\njinja2==2.10\n',
      'services/api/pyproject.toml':
        '[project]\nname = "api"\ndependencies = [\n  "PyYAML==5.3.1",\n]\n',
    });
    const { code, stdout, stderr } = await pyguard(work.path, [
      'scan',
      '--osv-db',
      OSV_DB,
      '--format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    expect(
      report.findings.map((finding) => [
        finding.path,
        finding.span.start.line,
        finding.ruleId,
        finding.severity,
      ]),
    ).toEqual([
      ['app.py', 4, 'PGD003', 'high'],
      ['requirements.txt', 3, 'PGV001', 'high'],
      ['services/api/pyproject.toml', 4, 'PGV001', 'high'],
    ]);
    const jinja = report.findings[1];
    expect(jinja?.message).toContain(
      'GHSA-462w-v97r-4m45 (CVE-2019-10906, PYSEC-2019-217; high, CVSS 8.6)',
    );
    expect(jinja?.fix).toMatchObject({
      replacement: '2.11.3',
      span: { start: { line: 3, column: 9 } },
    });
    expect(report.findings[2]?.fix?.replacement).toBe('5.4');
  });

  it('prints the finding on its requirement line in the text report', async () => {
    await writeFiles(work.path, { 'requirements.txt': 'requests==2.25.1\n' });
    const { code, stdout } = await pyguard(work.path, ['scan', '--osv-db', OSV_DB]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'requirements.txt:1:1: PGV001 [medium] `requests` 2.25.1 has 1 known vulnerability: GHSA-j8r2-6x86-q33q (CVE-2023-32681, PYSEC-2023-74; medium, CVSS 6.1): Unintended leak of Proxy-Authorization header in requests. Upgrade to 2.31.0, the smallest version that fixes it.',
        '  1 | requests==2.25.1',
        '    | ^^^^^^^^^^^^^^^^',
        '',
        '1 finding (1 medium) in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('reads the OSV directory from PYGUARD_OSV_DB, and audits a manifest named on the command line', async () => {
    await writeFiles(work.path, { 'requirements-dev.txt': 'django==2.2.0\n' });
    const { code, stdout } = await pyguard(
      work.path,
      ['scan', 'requirements-dev.txt', '--format', 'json'],
      {
        env: testEnv({ PYGUARD_OSV_DB: OSV_DB }),
      },
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.notices).toEqual([]);
    expect(report.findings.map((finding) => [finding.ruleId, finding.fix?.replacement])).toEqual([
      ['PGV001', '2.2.9'],
    ]);
  });

  it('gives a notice naming the file and line of a manifest it cannot read, and scans on', async () => {
    await writeFiles(work.path, {
      'app.py': APP,
      Pipfile: '[packages]\njinja2 = "==2.10"\nflask = \n',
      'requirements.txt': 'pyyaml==5.3.1\n',
    });
    const { code, stdout, stderr } = await pyguard(work.path, [
      'scan',
      '--osv-db',
      OSV_DB,
      '--format',
      'json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.notices).toHaveLength(1);
    expect(report.notices[0]).toMatchObject({ path: 'Pipfile', kind: 'syntax-error', line: 3 });
    expect(report.notices[0]?.message).toMatch(
      /^cannot read this Pipfile at line 3: invalid TOML at line 3/,
    );
    expect(report.findings.map((finding) => finding.path)).toEqual(['app.py', 'requirements.txt']);
    expect(stderr).toBe('');
  });

  it('completes the code scan and says the audit was skipped when OSV cannot be reached', async () => {
    await writeFiles(work.path, {
      'app.py': APP,
      'requirements.txt': 'jinja2==2.10\n--trusted-host pypi.internal.example\n',
    });
    const { code, stdout, stderr } = await pyguard(work.path, ['scan']);
    expect(code).toBe(1);
    expect(stdout).toContain('app.py:4:12: PGD003');
    expect(stdout).toContain('requirements.txt:2:16: PGV003');
    expect(stdout).not.toContain('PGV001');
    expect(stderr).toMatch(
      /^pyguard: warning: requirements\.txt: dependency audit skipped: known vulnerabilities were not checked because advisories could not be read from OSV \(https:\/\/api\.osv\.dev\): POST https:\/\/api\.osv\.dev\/v1\/querybatch failed after 3 attempts: .+; the code scan and the other dependency checks ran\n$/,
    );
  });

  it('stops with exit code 2 when --osv-db is not a directory', async () => {
    await writeFiles(work.path, { 'requirements.txt': 'jinja2==2.10\n' });
    const { code, stderr } = await pyguard(work.path, ['scan', '--osv-db', 'missing']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pyguard: --osv-db missing: /);
  });

  it('refuses --osv-db for pyguard rules', async () => {
    const { code, stderr } = await pyguard(work.path, ['rules', '--osv-db', OSV_DB]);
    expect(code).toBe(2);
    expect(stderr).toContain("option '--osv-db' does not apply to 'pyguard rules'");
  });
});

describe('pyguard diff with dependency manifests', () => {
  it('judges only the requirement lines the change adds', async () => {
    git(work.path, 'init', '-q');
    await writeFiles(work.path, { 'requirements.txt': 'pyyaml==5.3.1\nrequests==2.31.0\n' });
    git(work.path, 'add', '.');
    git(work.path, 'commit', '-q', '-m', 'first');
    await writeFiles(work.path, {
      'requirements.txt': 'pyyaml==5.3.1\nrequests==2.25.1\njinja2==2.11.3\n',
    });
    const { code, stdout } = await pyguard(work.path, [
      'diff',
      '--osv-db',
      OSV_DB,
      '--format',
      'json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as JsonReport;
    expect(
      report.findings.map((finding) => [
        finding.path,
        finding.span.start.line,
        finding.ruleId,
        finding.fix?.replacement,
      ]),
    ).toEqual([['requirements.txt', 2, 'PGV001', '2.31.0']]);
  });
});
