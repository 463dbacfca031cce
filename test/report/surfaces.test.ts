/**
 * One surface per finding on a pull request: a finding with an inline comment is not also an
 * annotation; annotations are plain text; the dataflow path is written once; every comment,
 * the summary and SARIF link to the rule's page by default.
 */
import { describe, expect, it } from 'vitest';

import { checkAnnotations, renderCheckRun } from '../../src/report/check-run.js';
import { actionDocsSource, ruleDocsUrl } from '../../src/report/docs-links.js';
import { plainText } from '../../src/report/markers.js';
import { commentBody, planReview } from '../../src/report/review.js';
import { buildSarif } from '../../src/report/sarif.js';
import { finding, report, ruleMeta } from './findings.js';

const at = (line: number, fingerprint: string) =>
  finding({ fingerprint, span: { start: { line, column: 1 }, end: { line, column: 5 } } });

describe('annotations', () => {
  it('leave out findings with an inline comment and keep the rest, refused files included', () => {
    const commented = at(3, 'a'.repeat(32));
    const overflow = at(7, 'b'.repeat(32));
    const annotations = checkAnnotations(
      report({
        findings: [commented, overflow],
        commented: new Set([commented.fingerprint]),
        notices: [
          { path: 'deep.py', kind: 'refused', message: 'nesting too deep to parse safely' },
          { path: 'app.py', kind: 'syntax-error', line: 2, message: 'syntax error' },
        ],
      }),
    );
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level, a.title])).toEqual([
      ['app.py', 7, 'failure', 'PGD003 yaml-unsafe-load'],
      ['deep.py', 1, 'warning', 'PyGuard did not scan this file'],
    ]);
  });

  it('annotate every finding when none is commented (a draft, a failed review)', () => {
    const findings = [at(3, 'a'.repeat(32)), at(7, 'b'.repeat(32))];
    expect(renderCheckRun(report({ findings })).annotations).toHaveLength(2);
  });

  it('are plain text: code spans, bold and links lose their Markdown', () => {
    expect(plainText('Use `yaml.safe_load` or ``a`b``, **not** [this](https://x.test/a).')).toBe(
      'Use yaml.safe_load or a`b, not this (https://x.test/a).',
    );
  });

  it('say how many findings the baseline hid', () => {
    expect(renderCheckRun(report({ baselined: 3 })).summary).toContain(
      '3 findings on the changed lines are in the baseline file and not reported',
    );
    expect(renderCheckRun(report({ baselined: 0 })).summary).not.toContain('baseline');
  });
});

describe('a dataflow comment', () => {
  const flow = [
    { line: 8, column: 5, label: 'request.args["q"]' },
    { line: 9, column: 5, label: 'query' },
    { line: 10, column: 5, label: 'eval' },
  ];

  it('writes the path once when the message already walks it', () => {
    const body = commentBody(
      finding({
        flow,
        message:
          '`eval` runs request data: `request.args["q"]` (line 8) → `query` (line 9) → `eval` (line 10).',
      }),
      { withSuggestion: false },
    );
    expect(body.split('`query` (line 9)')).toHaveLength(2);
    expect(body).not.toContain('How the value gets here');
  });

  it('lists the steps when the message does not show them', () => {
    const body = commentBody(finding({ flow, message: '`eval` runs request data.' }), {
      withSuggestion: false,
    });
    expect(body).toContain('**How the value gets here:**\n1. line 8: `request.args["q"]`');
  });
});

describe('rule links', () => {
  const installed = { version: '1.4.2', informationUri: 'https://github.com/acme/pyguard' };

  it('point at the rule page of the installed version by default', () => {
    const url = ruleDocsUrl(undefined, installed);
    expect(url?.('PGD003')).toBe(
      'https://github.com/acme/pyguard/blob/v1.4.2/docs/rules/PGD003.md',
    );
    // Only PyGuard's own rule ids have a page.
    expect(url?.('custom-rule')).toBeUndefined();
  });

  it('use PYGUARD_DOCS_URL when it is set', () => {
    expect(ruleDocsUrl('https://docs.example.com/rules/', installed)?.('PGD003')).toBe(
      'https://docs.example.com/rules/PGD003.md',
    );
  });

  it('read the repository from a package.json repository or homepage address', () => {
    for (const informationUri of [
      'https://github.com/acme/pyguard.git',
      'https://github.com/acme/pyguard#readme',
    ]) {
      expect(ruleDocsUrl('', { version: '1.4.2', informationUri })?.('PGD003')).toBe(
        'https://github.com/acme/pyguard/blob/v1.4.2/docs/rules/PGD003.md',
      );
    }
  });

  it('are left out when neither gives a page', () => {
    expect(ruleDocsUrl(undefined, { version: '1.4.2', informationUri: undefined })).toBeUndefined();
    expect(
      ruleDocsUrl(undefined, { version: '1.4.2', informationUri: 'https://example.com/' }),
    ).toBeUndefined();
    // Not a release version: there is no tag to link to.
    expect(ruleDocsUrl(undefined, { ...installed, version: 'dev build' })).toBeUndefined();
  });

  it('point at the Action repository and ref a workflow runs', () => {
    const source = actionDocsSource(
      {
        GITHUB_ACTION_PATH: '/home/runner/work/_actions/acme/pyguard/v2',
        GITHUB_SERVER_URL: 'https://ghe.example.com/',
      },
      '1.4.2',
    );
    expect(ruleDocsUrl(undefined, source)?.('PGD003')).toBe(
      'https://ghe.example.com/acme/pyguard/blob/v2/docs/rules/PGD003.md',
    );
    const windows = actionDocsSource(
      { GITHUB_ACTION_PATH: 'D:\\a\\_actions\\acme\\pyguard\\0123abc' },
      '1.4.2',
    );
    expect(ruleDocsUrl(undefined, windows)?.('PGD003')).toBe(
      'https://github.com/acme/pyguard/blob/0123abc/docs/rules/PGD003.md',
    );
    // Checked out in the workspace (`uses: ./`) or in a subfolder: the path names no ref.
    expect(actionDocsSource({ GITHUB_ACTION_PATH: '/home/runner/work/app/app' }, '1.4.2')).toBe(
      undefined,
    );
    expect(
      actionDocsSource({ GITHUB_ACTION_PATH: '/w/_actions/acme/tools/v1/pyguard' }, '1.4.2'),
    ).toBeUndefined();
    expect(actionDocsSource({}, '1.4.2')).toBeUndefined();
  });

  it('end every inline comment and each listed finding of the review', () => {
    const docsUrl = ruleDocsUrl(undefined, installed);
    const plan = planReview({
      findings: [at(3, 'a'.repeat(32)), at(7, 'b'.repeat(32))],
      addedLines: new Map([['app.py', new Set([3, 7])]]),
      rules: new Map(),
      maxComments: 1,
      headSha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
      docsUrl,
    });
    const page = 'https://github.com/acme/pyguard/blob/v1.4.2/docs/rules/PGD003.md';
    expect(plan?.comments[0]?.body).toContain(`[PGD003 documentation](${page})`);
    expect(plan?.commented.map((f) => f.span.start.line)).toEqual([3]);
    expect(plan?.body).toContain(`[PGD003](${page})`);
  });
});

describe('SARIF for code scanning', () => {
  it('gives each rule a helpUri and a help text that links to it, and the run a category', () => {
    const docsUrl = ruleDocsUrl(undefined, {
      version: '1.4.2',
      informationUri: 'https://github.com/acme/pyguard',
    });
    const log = buildSarif([], { version: '1.4.2', cwd: '/repo', rules: [ruleMeta()], docsUrl });
    const [run] = log.runs;
    const page = 'https://github.com/acme/pyguard/blob/v1.4.2/docs/rules/PGD003.md';
    expect(run.automationDetails).toEqual({ id: 'pyguard/' });
    expect(run.tool.driver.rules[0]?.helpUri).toBe(page);
    expect(run.tool.driver.rules[0]?.help.text).toContain(`Rule documentation: ${page}`);
    expect(run.tool.driver.rules[0]?.help.markdown).toContain(`[PGD003 documentation](${page})`);
    const categorised = buildSarif([], {
      version: '1.4.2',
      cwd: '/repo',
      rules: [ruleMeta()],
      category: 'pyguard/backend',
    });
    expect(categorised.runs[0].automationDetails).toEqual({ id: 'pyguard/backend/' });
    expect(categorised.runs[0].tool.driver.rules[0]).not.toHaveProperty('helpUri');
  });
});
