import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../src/config/index.js';
import type { FailOn } from '../../src/config/schema.js';
import { auditManifests, type AffectedPackage } from '../../src/deps/audit.js';
import { OfflineOsvSource } from '../../src/deps/offline-source.js';
import { scanSource } from '../../src/engine/scan.js';
import type { FileNotice, Finding, Severity } from '../../src/engine/types.js';
import {
  SUMMARY_LIMIT,
  annotationBatches,
  annotationFor,
  conclusionFor,
  renderCancelledCheckRun,
  renderCheckRun,
  renderErrorCheckRun,
  renderRetryingOutput,
  renderSupersededCheckRun,
} from '../../src/report/check-run.js';
import { escapeMarkdown } from '../../src/report/markers.js';
import { ruleMetaById } from '../../src/report/review.js';
import { finding, report, importingFix } from './findings.js';

const SAMPLE = `import hashlib
import subprocess

import yaml

DB_PASSWORD = "hunter2-secret"


def load_config(path):
    with open(path) as handle:
        return yaml.load(handle)


def archive(name):
    subprocess.run(f"tar czf {name}.tgz {name}", shell=True)


def checksum(data):
    return hashlib.md5(data).hexdigest()


def cache_key(data):
    return hashlib.sha1(data).hexdigest()  # pyguard: ignore[PGC001] cache key, not a security control
`;

/** The rules the snapshots were taken with, so adding a rule elsewhere does not change them. */
const SNAPSHOT_RULES = allRules.filter((rule) =>
  ['PGC001', 'PGD003', 'PGI006', 'PGS001'].includes(rule.meta.id),
);

function sample(): { active: Finding[]; suppressed: Finding[] } {
  const { findings } = scanSource('app/service.py', SAMPLE, { rules: SNAPSHOT_RULES });
  return {
    active: findings.filter((f) => f.suppression === undefined),
    suppressed: findings.filter((f) => f.suppression !== undefined),
  };
}

function ofSeverity(severity: Severity, line = 3): Finding {
  return finding({
    severity,
    fingerprint: `${severity}${line}`,
    span: { start: { line, column: 1 }, end: { line, column: 5 } },
  });
}

describe('conclusionFor', () => {
  const cases: [FailOn, Severity[], string][] = [
    ['high', [], 'success'],
    ['high', ['high'], 'failure'],
    ['high', ['medium', 'low'], 'neutral'],
    ['medium', ['medium'], 'failure'],
    ['medium', ['high'], 'failure'],
    ['medium', ['low'], 'neutral'],
    ['low', ['low'], 'failure'],
    ['low', [], 'success'],
    ['never', ['high', 'medium', 'low'], 'neutral'],
    ['never', [], 'success'],
  ];
  it.each(cases)('fail_on %s with %j → %s', (failOn, severities, expected) => {
    expect(
      conclusionFor(
        severities.map((s) => ofSeverity(s)),
        failOn,
      ),
    ).toBe(expected);
  });
});

describe('renderCheckRun title and sections', () => {
  it('names the counts', () => {
    const output = renderCheckRun(
      report({ findings: [ofSeverity('high'), ofSeverity('medium', 4)] }),
    );
    expect(output.title).toBe('2 new findings (1 high, 1 medium)');
    expect(output.conclusion).toBe('failure');
    expect(renderCheckRun(report({ findings: [ofSeverity('low')] })).title).toBe(
      '1 new finding (1 low)',
    );
  });

  it('says when nothing was found or nothing changed', () => {
    const clean = renderCheckRun(report());
    expect(clean.title).toBe('No new findings');
    expect(clean.conclusion).toBe('success');
    expect(clean.annotations).toEqual([]);
    const none = renderCheckRun(report({ filesScanned: 0, pythonFilesChanged: 0 }));
    expect(none.title).toBe('No Python or template files changed');
    expect(none.conclusion).toBe('success');
    expect(none.summary).toContain('changes no Python or template files');
    expect(none.summary).not.toContain('| Severity |');
  });

  it('explains the conclusion against fail_on', () => {
    const neutral = renderCheckRun(report({ findings: [ofSeverity('medium')] }));
    expect(neutral.conclusion).toBe('neutral');
    expect(neutral.summary).toContain('`neutral`, which does not block merging');
    expect(neutral.summary).toContain('`fail_on: high`');
    const never = renderCheckRun(report({ findings: [ofSeverity('high')], failOn: 'never' }));
    expect(never.conclusion).toBe('neutral');
    expect(never.summary).toContain('never fails');
  });

  it('shows only the sections that have something to say', () => {
    const bare = renderCheckRun(report({ findings: [ofSeverity('high')] })).summary;
    expect(bare).toContain('### New findings');
    for (const heading of [
      'Fixed since',
      'Suppressed',
      'Files not fully scanned',
      'File problems',
      'Configuration problems',
    ]) {
      expect(bare).not.toContain(`### ${heading}`);
    }
    const full = renderCheckRun(
      report({
        fixed: [{ ruleId: 'PGD003', title: 'YAML', path: 'old.py', line: 4 }],
        suppressed: [
          finding({
            suppression: { kind: 'nosec', comment: '# nosec', line: 3 },
          }),
        ],
        skipped: [{ path: 'big.py', reason: 'larger than max_file_bytes (1 MB)' }],
        notices: [{ path: 'bad.py', kind: 'syntax-error', message: 'syntax error', line: 2 }],
        configProblems: [
          { key: 'fail_on', message: '`fail_on` must be high, medium, low or never' },
        ],
      }),
    ).summary;
    expect(full).not.toContain('### New findings');
    expect(full).toContain('### Fixed since the last push (1)');
    expect(full).toContain('### Suppressed (1)');
    expect(full).toContain('(no reason given)');
    expect(full).toContain(
      '### Files not fully scanned (1)\n\nPyGuard could not check every line of these files, so findings in them may be missing:\n\n- `big.py` — larger than max\\_file\\_bytes (1 MB)',
    );
    expect(full).toContain('- `bad.py:2` — syntax error');
    expect(full).toContain('the scan used defaults for these keys');
    expect(full).toContain('- `fail_on`: `fail_on` must be high, medium, low or never');
  });

  it('calls out suppressions added by the pull request', () => {
    const { suppressed } = sample();
    const summary = renderCheckRun(report({ suppressed, addedSuppressions: suppressed })).summary;
    expect(summary).toContain('**1 suppression is added by this pull request**');
    expect(summary).toContain('**added by this pull request** · **PGC001**');
    expect(summary).toContain('reason: cache key, not a security control');
  });
});

describe('summary size', () => {
  const many = (count: number, extra: Partial<Finding> = {}): Finding[] =>
    Array.from({ length: count }, (_, index) =>
      finding({
        fingerprint: `fp${index}`,
        path: `pkg/module_${index % 50}/file_${index}.py`,
        span: { start: { line: index + 1, column: 1 }, end: { line: index + 1, column: 9 } },
        ...extra,
      }),
    );

  it('stays under 65,535 characters with 5,000 findings', () => {
    const output = renderCheckRun(report({ findings: many(5000) }));
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(output.summary).toMatch(/\| … \| … and \d+ more \| \| \|/);
    expect(output.annotations).toHaveLength(5000);
    const batches = annotationBatches(output.annotations);
    expect(batches).toHaveLength(100);
    expect(batches.every((batch) => batch.length === 50)).toBe(true);
  });

  it('keeps every section when all of them are huge', () => {
    const output = renderCheckRun(
      report({
        findings: many(5000),
        suppressed: many(5000, {
          suppression: { kind: 'pyguard', comment: '# pyguard: ignore', line: 1 },
        }),
        fixed: Array.from({ length: 5000 }, (_, i) => ({
          ruleId: 'PGD003',
          title: 'YAML loaded with an unsafe loader',
          path: `gone_${i}.py`,
          line: i + 1,
        })),
        skipped: Array.from({ length: 5000 }, (_, i) => ({
          path: `big_${i}.py`,
          reason: 'larger than 1 MB',
        })),
        notices: Array.from({ length: 5000 }, (_, i) => ({
          path: `bad_${i}.py`,
          kind: 'syntax-error' as const,
          message: 'syntax error (invalid syntax) at line 1',
          line: 1,
        })),
        configProblems: Array.from({ length: 500 }, (_, i) => ({
          key: `rules.severity.X${i}`,
          message: 'unknown rule',
        })),
      }),
    );
    const summary = output.summary;
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    for (const heading of [
      '### New findings',
      '### Fixed since the last push (5000)',
      '### Suppressed (5000)',
      '### Files not fully scanned (5000)',
      '### File problems (5000)',
      '### Configuration problems (500)',
    ]) {
      expect(summary).toContain(heading);
    }
    expect(summary.match(/… and \d+ more/g)?.length).toBe(6);
    // The findings table gets the most room.
    expect(
      summary.split('\n').filter((line) => line.startsWith('| high |')).length,
    ).toBeGreaterThan(150);
  });

  it('fits multi-byte text', () => {
    const output = renderCheckRun(
      report({ findings: many(3000, { message: '密码'.repeat(100), path: '日本語/😀.py' }) }),
    );
    expect(Buffer.byteLength(output.summary)).toBeLessThanOrEqual(SUMMARY_LIMIT);
  });
});

describe('Markdown escaping', () => {
  it('keeps a crafted path and message from breaking the table or injecting HTML', () => {
    const crafted = finding({
      path: 'a|b`<img>.py',
      message: 'bad <img src=x onerror=alert(1)> | `x|y` @team',
    });
    const summary = renderCheckRun(report({ findings: [crafted] })).summary;
    const row = summary.split('\n').find((line) => line.startsWith('| high |'));
    expect(row).toBe(
      '| high | **PGD003** YAML loaded with an unsafe loader | ``a\\|b`<img>.py:3`` | bad \\<img src=x onerror=alert(1)\\> \\| `x\\|y` @&#8203;team |',
    );
    // Four cells: only the delimiters are unescaped pipes.
    expect(row?.match(/(?<!\\)\|/g)).toHaveLength(5);
  });

  it('escapes suppression comments and reasons', () => {
    const summary = renderCheckRun(
      report({
        suppressed: [
          finding({
            suppression: {
              kind: 'pyguard',
              comment: '# pyguard: ignore <script>',
              line: 3,
              reason: '<b>trust me</b>',
            },
          }),
        ],
      }),
    ).summary;
    expect(summary).toContain('`# pyguard: ignore <script>`');
    expect(summary).toContain('reason: \\<b\\>trust me\\</b\\>');
  });
});

describe('annotations', () => {
  it('maps severities to levels and sends columns only for one-line findings', () => {
    const single = annotationFor(finding(), undefined, ruleMetaById(allRules));
    expect(single).toMatchObject({
      path: 'app.py',
      start_line: 3,
      end_line: 3,
      start_column: 8,
      end_column: 22,
      annotation_level: 'failure',
      title: 'PGD003 yaml-unsafe-load',
      raw_details: 'conf = yaml.load(data)',
    });
    // Plain text: GitHub shows annotation text as it is, so no Markdown backticks.
    expect(single.message).toContain('yaml.load without a safe Loader');
    expect(single.message).toContain('How to fix: Use yaml.safe_load(data)');
    expect(single.message).not.toContain('`');
    const multi = annotationFor(
      finding({
        severity: 'medium',
        span: { start: { line: 3, column: 8 }, end: { line: 5, column: 2 } },
      }),
    );
    expect(multi).toMatchObject({ start_line: 3, end_line: 5, annotation_level: 'warning' });
    expect(multi).not.toHaveProperty('start_column');
    expect(multi).not.toHaveProperty('end_column');
    expect(annotationFor(finding({ severity: 'low' })).annotation_level).toBe('notice');
  });

  it('names the import a suggested change needs', () => {
    const annotation = annotationFor(
      finding({
        fix: importingFix(8),
      }),
    );
    expect(annotation.message).toContain(
      "Suggested change: Use secrets.choice; also add import secrets with the file's imports",
    );
  });

  it('keeps titles within 255 characters and makes control characters visible', () => {
    const long = annotationFor(finding({ slug: 'x'.repeat(400), snippet: 'a\u202eb' }));
    expect(long.title.length).toBeLessThanOrEqual(255);
    expect(long.raw_details).toBe('a\ufffdb');
  });
});

describe('a changed file not fully scanned', () => {
  const incomplete: [FileNotice['kind'], string][] = [
    ['skipped', 'not scanned: parsing took longer than 20 s'],
    ['decoding', 'not valid UTF-8; undecodable bytes were replaced'],
    ['refused', 'indentation 600 levels deep; the parser is not run on it'],
    ['rule-error', 'rule PGI001 (sql-string-built-query) failed at line 3: timeout'],
  ];

  it.each(incomplete)('(%s) makes the check follow on_error and names the file', (kind, why) => {
    const notices: FileNotice[] = [{ path: 'app/slow.py', kind, message: why }];
    const failing = renderCheckRun(report({ notices }));
    expect(failing.conclusion).toBe('failure');
    expect(failing.title).toBe('No new findings; 1 file not fully scanned');
    expect(failing.summary).toContain('**Conclusion: `failure`.** 1 changed file was not fully');
    expect(failing.summary).toContain('### Files not fully scanned (1)');
    expect(failing.summary).toContain(`- \`app/slow.py\` — ${escapeMarkdown(why)}`);
    const neutral = renderCheckRun(report({ notices, onError: 'neutral' }));
    expect(neutral.conclusion).toBe('neutral');
    expect(neutral.summary).toContain('**Conclusion: `neutral`.** 1 changed file');
  });

  it('counts files GitHub could not give, and keeps a failure the findings already cause', () => {
    const skipped = [{ path: 'gone.py', reason: 'could not be read from GitHub (HTTP 403)' }];
    expect(renderCheckRun(report({ skipped, onError: 'neutral' })).conclusion).toBe('neutral');
    const failing = renderCheckRun(
      report({ skipped, onError: 'neutral', findings: [ofSeverity('high')] }),
    );
    expect(failing.conclusion).toBe('failure');
    expect(failing.summary).toContain('1 new finding is at or above the `fail_on` threshold');
  });

  it('leaves a syntax error scanned as far as possible out of it', () => {
    const notices: FileNotice[] = [
      { path: 'bad.py', kind: 'syntax-error', message: 'syntax error', line: 2 },
    ];
    const output = renderCheckRun(report({ notices }));
    expect(output.conclusion).toBe('success');
    expect(output.summary).toContain('### File problems (1)');
    expect(output.summary).not.toContain('not fully scanned');
  });
});

describe('error and superseded runs', () => {
  it('explains a failed scan without stack traces or secrets', () => {
    const output = renderErrorCheckRun({
      reason:
        'fetch failed: https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123@github.com/o/r token=s3cr3t\n    at fetch (/app/dist/src/github/fetch.js:10:5)',
      onError: 'failure',
    });
    expect(output.conclusion).toBe('failure');
    expect(output.title).toBe('PyGuard could not finish the scan');
    expect(output.summary).not.toContain('ghs_');
    expect(output.summary).not.toContain('s3cr3t');
    expect(output.summary).not.toContain('fetch.js');
    expect(output.summary).toContain('/pyguard rescan');
    expect(output.summary).toContain('`on_error: failure`');
    expect(renderErrorCheckRun({ reason: '', onError: 'neutral' }).conclusion).toBe('neutral');
  });

  it('says how many attempts failed and how to retry', () => {
    const output = renderErrorCheckRun({
      reason: 'the GitHub API answered 502 to GET /repos/o/r/pulls/2/files',
      onError: 'neutral',
      attempts: 3,
    });
    expect(output.summary).toMatchSnapshot();
  });

  it('completes a scan stopped with its worker as cancelled, with the rescan hint', () => {
    const output = renderCancelledCheckRun('the PyGuard worker was stopped while scanning');
    expect(output.conclusion).toBe('cancelled');
    expect(output.summary).toMatchSnapshot();
  });

  it('leaves a retried scan pending with what failed', () => {
    expect(
      renderRetryingOutput({ reason: 'the GitHub API answered 502 to GET /x', attempt: 2 }),
    ).toEqual({
      title: 'Retrying',
      summary:
        'Attempt 2 could not finish: the GitHub API answered 502 to GET /x. PyGuard is retrying after this temporary failure; this check completes when the scan does.',
    });
  });

  it('points a superseded run at the newer commit', () => {
    const output = renderSupersededCheckRun('1234567890abcdef1234567890abcdef12345678');
    expect(output.conclusion).toBe('neutral');
    expect(output.summary).toContain('1234567');
  });
});

describe('snapshot of what people read', () => {
  it('summary of a realistic scan', () => {
    const { active, suppressed } = sample();
    const output = renderCheckRun(
      report({
        findings: active,
        suppressed,
        addedSuppressions: suppressed,
        fixed: [
          {
            ruleId: 'PGI001',
            title: 'SQL built from strings',
            path: 'app/db.py',
            line: 42,
          },
        ],
        skipped: [{ path: 'assets/logo.png', reason: 'binary file' }],
        notices: [
          {
            path: 'app/legacy.py',
            kind: 'syntax-error',
            line: 7,
            message:
              'syntax error (invalid syntax) at line 7; the rest of the file was scanned as far as it could be parsed',
          },
        ],
        configProblems: [
          {
            key: 'comments.max',
            message: '`comments.max` is "lots"; expected a number from 0 to 100',
          },
        ],
        filesScanned: 2,
        pythonFilesChanged: 3,
        docsUrl: (id) => `https://github.com/acme/pyguard/blob/main/docs/rules/${id}.md`,
        rules: ruleMetaById(allRules),
      }),
    );
    expect(output.title).toBe('4 new findings (3 high, 1 low); 1 file not fully scanned');
    expect(output.conclusion).toBe('failure');
    expect(output.summary).toMatchSnapshot();
  });
});

describe('renderCheckRun with files not fully scanned', () => {
  it('lists refused and partly checked files apart from syntax errors, and says so up front', () => {
    const output = renderCheckRun(
      report({
        filesScanned: 3,
        pythonFilesChanged: 3,
        notices: [
          {
            path: 'deep.py',
            kind: 'refused',
            message: 'not scanned: indentation nested 600 levels deep',
          },
          { path: 'long.py', kind: 'skipped', line: 40, message: 'checks stopped at line 40' },
          { path: 'bad.py', kind: 'syntax-error', line: 2, message: 'syntax error at line 2' },
        ],
      }),
    );
    expect(output.summary).toContain('2 files not fully scanned (listed below)');
    const incomplete = output.summary.indexOf('### Files not fully scanned (2)');
    const problems = output.summary.indexOf('### File problems (1)');
    expect(incomplete).toBeGreaterThan(0);
    expect(problems).toBeGreaterThan(incomplete);
    const between = output.summary.slice(incomplete, problems);
    expect(between).toContain('`deep.py` — not scanned: indentation nested 600 levels deep');
    expect(between).toContain('`long.py:40` — checks stopped at line 40');
    expect(output.summary.slice(problems)).toContain('`bad.py:2` — syntax error at line 2');
  });
});

describe('renderCheckRun with the dependency audit', () => {
  /** The audit of a requirements file whose lines 1 and 2 changed, against the fixture records. */
  async function audited(): Promise<{ findings: Finding[]; affected: AffectedPackage[] }> {
    const source = await OfflineOsvSource.fromDirectory(
      fileURLToPath(new URL('../deps/fixtures/osv', import.meta.url)),
    );
    const audit = await auditManifests(
      [
        {
          path: 'requirements.txt',
          text: 'jinja2==2.10\nDjango>=2.2.8,<3\nrequests==2.25.0\n',
          changedLines: new Set([1, 2]),
        },
      ],
      source,
      {
        config: defaultConfig(),
        rules: allRules.filter((rule) => rule.meta.category === 'dependencies'),
      },
    );
    return { findings: audit.findings, affected: audit.affected };
  }

  it('lists the affected packages of new findings in a table', async () => {
    const { findings, affected } = await audited();
    const output = renderCheckRun(
      report({
        findings,
        pythonFilesChanged: 0,
        dependencies: { manifestsChanged: 1, affected },
      }),
    );
    expect(output.summary).toContain('### Vulnerable dependencies (2)');
    expect(output.summary).not.toContain('`requests`');
    expect(output.summary).toMatchSnapshot();
  });

  it('leaves out packages whose finding is not new, and says why advisories were not checked', async () => {
    const { affected } = await audited();
    const output = renderCheckRun(
      report({
        pythonFilesChanged: 0,
        dependencies: {
          manifestsChanged: 1,
          affected,
          skippedReason:
            'advisories could not be read from OSV (https://api.osv.dev): HTTP 503\nsecond line',
        },
      }),
    );
    expect(output.conclusion).toBe('success');
    expect(output.title).toBe('No new findings');
    expect(output.summary).not.toContain('Vulnerable dependencies');
    expect(output.summary).toMatchSnapshot();
  });
});
