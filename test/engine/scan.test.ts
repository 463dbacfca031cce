import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yamlUnsafeLoad from '../../rules/deserialization/yaml-unsafe-load.js';
import { allRules } from '../../rules/index.js';
import { defaultConfig } from '../../src/config/schema.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import type { AnyRule } from '../../src/rules-api/types.js';
import { maskCommentLines, parsePython } from '../../src/engine/parse.js';
import { isTestPath, scanSource } from '../../src/engine/scan.js';
import { createScanner } from '../../src/engine/scanner.js';
import type { Confidence, Finding, Severity } from '../../src/engine/types.js';
import { formatSpan } from '../rules/golden.js';

const rules = [yamlUnsafeLoad];
const BAD = 'yaml.load(data)';

function lines(findings: readonly Finding[]): number[] {
  return findings.map((finding) => finding.span.start.line);
}

describe('scanSource', () => {
  it('reports the call with path, span, snippet, metadata and a fingerprint', () => {
    const result = scanSource('app/load.py', `import yaml\n\nx = ${BAD}\n`, { rules });
    expect(result.notices).toEqual([]);
    expect(result.findings).toHaveLength(1);
    const [finding] = result.findings;
    expect(finding).toMatchObject({
      ruleId: 'PGD003',
      slug: 'yaml-unsafe-load',
      severity: 'high',
      confidence: 'high',
      cwe: [502],
      path: 'app/load.py',
      span: { start: { line: 3, column: 5 }, end: { line: 3, column: 20 } },
      snippet: `x = ${BAD}`,
      fix: {
        replacement: 'safe_load',
        span: { start: { line: 3, column: 10 }, end: { line: 3, column: 14 } },
      },
    });
    expect(finding?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('scans files larger than 32 KB completely', () => {
    const filler = '# padding line to make the file large enough\n'.repeat(4000);
    const source = `import yaml\n${filler}${BAD}\n`;
    expect(source.length).toBeGreaterThan(150_000);
    const result = scanSource('big.py', source, { rules });
    expect(lines(result.findings)).toEqual([4002]);
    expect(result.lines).toBe(4002);
  });

  it('handles CRLF and lone CR line endings and a BOM without shifting lines or columns', () => {
    const crlf = scanSource('crlf.py', `\uFEFFimport yaml\r\n\r\nx = ${BAD}\r\n`, { rules });
    expect(crlf.findings[0]?.span.start).toEqual({ line: 3, column: 5 });
    expect(crlf.findings[0]?.snippet).toBe(`x = ${BAD}`);
    const cr = scanSource('cr.py', `import yaml\r\rx = ${BAD}\r`, { rules });
    expect(cr.findings[0]?.span.start).toEqual({ line: 3, column: 5 });
  });

  it('decodes bytes: UTF-8 with BOM, a PEP 263 cookie, and invalid bytes with a notice', () => {
    const encoder = new TextEncoder();
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode(`import yaml\n${BAD}\n`)]);
    expect(lines(scanSource('bom.py', withBom, { rules }).findings)).toEqual([2]);

    const latin1 = new Uint8Array([
      ...encoder.encode('# -*- coding: latin-1 -*-\nimport yaml\nname = "caf'),
      0xe9,
      ...encoder.encode(`"\n${BAD}\n`),
    ]);
    const decoded = scanSource('latin.py', latin1, { rules });
    expect(decoded.notices).toEqual([]);
    expect(lines(decoded.findings)).toEqual([4]);

    const broken = new Uint8Array([
      ...encoder.encode('import yaml\nx = "'),
      0xff,
      0xfe,
      ...encoder.encode(`"\n${BAD}\n`),
    ]);
    const result = scanSource('broken.py', broken, { rules });
    expect(lines(result.findings)).toEqual([3]);
    expect(result.notices).toEqual([
      {
        path: 'broken.py',
        kind: 'decoding',
        message: 'bytes that are not valid utf-8 (first on line 2) were replaced with U+FFFD',
      },
    ]);
  });

  it('scans what it can of a file with syntax errors and says where the error is', () => {
    const source = `import yaml\n\ndef broken(:\n    pass\n\n${BAD}\n`;
    const result = scanSource('broken.py', source, { rules });
    expect(lines(result.findings)).toEqual([6]);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toMatchObject({ kind: 'syntax-error', line: 3 });
  });

  it('keeps only findings that touch added lines when a line set is given', () => {
    const source = `import yaml\n${BAD}\n${BAD}\nyaml.load(\n    data,\n)\n`;
    expect(lines(scanSource('a.py', source, { rules }).findings)).toEqual([2, 3, 4]);
    expect(lines(scanSource('a.py', source, { rules, addedLines: new Set([3]) }).findings)).toEqual(
      [3],
    );
    expect(lines(scanSource('a.py', source, { rules, addedLines: new Set([5]) }).findings)).toEqual(
      [4],
    );
    expect(scanSource('a.py', source, { rules, addedLines: new Set() }).findings).toEqual([]);
  });

  it('drops findings below the minimum confidence', () => {
    const source = 'import yaml\nyaml.load(data, Loader=custom)\n';
    expect(lines(scanSource('a.py', source, { rules }).findings)).toEqual([2]);
    expect(scanSource('a.py', source, { rules, minConfidence: 'high' }).findings).toEqual([]);
  });

  it('applies severity overrides', () => {
    const result = scanSource('a.py', `import yaml\n${BAD}\n`, {
      rules,
      severityOverrides: new Map([['PGD003', 'low']]),
    });
    expect(result.findings[0]?.severity).toBe('low');
  });

  it('keeps fingerprints when lines move and tells identical findings apart by order', () => {
    const before = scanSource('a.py', `import yaml\n${BAD}\n${BAD}\n`, { rules }).findings;
    const after = scanSource('a.py', `import yaml\n\n\n# moved\n    \n${BAD}\n${BAD}\n`, {
      rules,
    }).findings;
    expect(after.map((finding) => finding.fingerprint)).toEqual(
      before.map((finding) => finding.fingerprint),
    );
    expect(new Set(before.map((finding) => finding.fingerprint)).size).toBe(2);
    const otherPath = scanSource('b.py', `import yaml\n${BAD}\n`, { rules }).findings;
    expect(otherPath[0]?.fingerprint).not.toBe(before[0]?.fingerprint);
  });

  it('returns the same sorted findings on every run', () => {
    const source = `import yaml\n${BAD}; ${BAD}\nyaml.unsafe_load(d)\n${BAD}\n`;
    const first = scanSource('a.py', source, { rules }).findings;
    const second = scanSource('a.py', source, { rules }).findings;
    expect(second).toEqual(first);
    expect(first.map((finding) => [finding.span.start.line, finding.span.start.column])).toEqual([
      [2, 1],
      [2, 18],
      [3, 1],
      [4, 1],
    ]);
  });

  it('marks suppressed findings instead of dropping them', () => {
    const source = [
      'import yaml',
      `${BAD}  # pyguard: ignore[PGD003] trusted fixture file`,
      `${BAD}  # pyguard: ignore[yaml-unsafe-load]`,
      `${BAD}  # pyguard: ignore`,
      `${BAD}  # nosec B506`,
      `${BAD}  # nosec`,
      `${BAD}  # noqa: S506`,
      `${BAD}  # noqa: E501`,
      `${BAD}  # nosec B602`,
      `${BAD}  # pyguard: ignore[PGI001]`,
      `x = "# nosec"; ${BAD}`,
      'yaml.load(  # nosec',
      '    data)',
    ].join('\n');
    const findings = scanSource('a.py', source, { rules }).findings;
    expect(
      findings.map((finding) => [finding.span.start.line, finding.suppression?.kind ?? null]),
    ).toEqual([
      [2, 'pyguard'],
      [3, 'pyguard'],
      [4, 'pyguard'],
      [5, 'nosec'],
      [6, 'nosec'],
      [7, 'noqa'],
      [8, null],
      [9, null],
      [10, null],
      [11, null],
      [12, 'nosec'],
    ]);
    expect(findings[0]?.suppression).toEqual({
      kind: 'pyguard',
      comment: '# pyguard: ignore[PGD003] trusted fixture file',
      line: 2,
      reason: 'trusted fixture file',
    });
  });

  it('turns a crashing rule into a notice and keeps the other rules running', () => {
    const crashing = defineRule({
      meta: { ...yamlUnsafeLoad.meta, id: 'PGM999', slug: 'crashing', category: 'misc' },
      messages: { boom: 'boom' },
      create() {
        return {
          call() {
            throw new Error('kaput');
          },
        };
      },
    });
    const result = scanSource('a.py', `import yaml\n${BAD}\n`, {
      rules: [crashing, yamlUnsafeLoad],
    });
    expect(lines(result.findings)).toEqual([2]);
    expect(result.notices.map((notice) => notice.message)).toContain(
      'rule PGM999 (crashing) failed at line 2: kaput',
    );
  });

  it('handles empty and whitespace-only files', () => {
    expect(scanSource('empty.py', '', { rules })).toMatchObject({
      findings: [],
      notices: [],
      lines: 0,
    });
    expect(scanSource('blank.py', '\n\n   \n', { rules })).toMatchObject({
      findings: [],
      notices: [],
    });
  });
});

describe('isTestPath', () => {
  it('recognises common test layouts', () => {
    for (const path of [
      'tests/a.py',
      'pkg/tests/a.py',
      'test_x.py',
      'pkg/test_x.py',
      'x_test.py',
      'conftest.py',
      'test/a.py',
    ]) {
      expect(isTestPath(path), path).toBe(true);
    }
    for (const path of [
      'app.py',
      'contest.py',
      'latest.py',
      'src/testing_utils.py',
      'attestation/a.py',
    ]) {
      expect(isTestPath(path), path).toBe(false);
    }
  });
});

describe('pathological input', () => {
  it('parses long comment blocks after code in linear time', () => {
    const block = '# a long comment line that pads the file out considerably\n'.repeat(20_000);
    const source = `import yaml\n${block}${BAD}  # nosec\n${BAD}\n`;
    const result = scanSource('comments.py', source, { rules });
    expect(lines(result.findings)).toEqual([20_002, 20_003]);
    expect(result.findings[0]?.suppression?.kind).toBe('nosec');
    expect(result.findings[1]?.suppression).toBeUndefined();
  });

  it('keeps strings that contain comment-like lines intact', () => {
    const source = `import yaml\nq = """\n# not a comment """ + "x"\n${BAD}\n`;
    const result = scanSource('strings.py', source, { rules });
    expect(result.notices).toEqual([]);
    expect(lines(result.findings)).toEqual([4]);
  });

  it('keeps interpolations on comment-like lines inside f-strings', () => {
    const source = 'import yaml\nq = f"""\n# {value}\n"""\nyaml.load(q)\n';
    const tree = parsePython(source);
    expect(tree?.rootNode.descendantsOfType('interpolation')).toHaveLength(1);
    expect(maskCommentLines('x = 1\n# plain comment\n')).toBe('x = 1\n               \n');
  });

  it('skips a file whose parse exceeds the time limit, with a notice', () => {
    const source = `x = 1\n${'(\n'.repeat(3000)}${')\n'.repeat(3000)}`;
    const result = scanSource('slow.py', source, { rules, parseTimeoutMs: 0 });
    expect(result.findings).toEqual([]);
    expect(result.notices).toEqual([
      { path: 'slow.py', kind: 'skipped', message: 'not scanned: parsing took longer than 0 s' },
    ]);
  });
});

describe('call names as rules see them', () => {
  const callNames = defineRule({
    meta: {
      ...yamlUnsafeLoad.meta,
      id: 'PGM998',
      slug: 'call-names',
      category: 'misc',
      fixable: false,
    },
    messages: { name: '{{name}} {{method}} {{keywords}}' },
    create(context) {
      return {
        call(node) {
          const call = context.call(node);
          context.report({
            node,
            messageId: 'name',
            data: {
              name: call.qualifiedName ?? '?',
              method: call.methodName ?? '?',
              keywords: [...call.keywords.keys()].join(',') || '-',
            },
          });
        },
      };
    },
  });

  function names(source: string): string[] {
    const result = scanSource('a.py', source, { rules: [callNames] });
    expect(result.notices).toEqual([]);
    return result.findings.map((finding) => finding.message);
  }

  it('reads dotted callees, chained calls and keywords correctly', () => {
    const source = [
      'import hashlib, requests',
      'from yaml import load as l',
      'hashlib.md5(x, usedforsecurity=False).hexdigest()',
      'requests.session().head(u, verify=False)',
      'l(d)',
      'hashlib . sha1 (x)',
      'f(a)(b, c=1)',
      'objs[0].run(debug = True)',
    ].join('\n');
    expect(names(source)).toEqual([
      '? hexdigest -',
      'hashlib.md5 md5 usedforsecurity',
      '? head verify',
      'requests.session session -',
      'yaml.load l -',
      'hashlib.sha1 sha1 -',
      '? ? c',
      '? f -',
      '? run debug',
    ]);
  });
});

describe('after a parse timeout', () => {
  it('parses the next file from scratch', () => {
    scanSource('slow.py', `x = 1\n${'(\n'.repeat(3000)}${')\n'.repeat(3000)}`, {
      rules,
      parseTimeoutMs: 0,
    });
    const next = scanSource('next.py', `import yaml\n${BAD}\n`, { rules });
    expect(next.notices).toEqual([]);
    expect(lines(next.findings)).toEqual([2]);
  });
});

describe('the rules deadline', () => {
  const slow = defineRule({
    meta: {
      id: 'PGX997',
      slug: 'slow-probe',
      title: 'slow',
      category: 'xml',
      severity: 'low',
      confidence: 'high',
      cwe: [],
      description: 'slow',
      why: 'slow',
      fix: 'slow',
      example: { bad: '', good: '' },
      bandit: [],
      ruff: [],
    },
    messages: { seen: 'seen' },
    create(context) {
      return {
        call(node) {
          context.report({ node, messageId: 'seen' });
          const until = performance.now() + 2;
          while (performance.now() < until) {
            // stands for a check that is slow on this input
          }
        },
      };
    },
  });

  it('stops checking a file past the deadline, keeps earlier findings and says where it stopped', () => {
    const source = Array.from({ length: 400 }, (_, index) => `f${String(index)}()`).join('\n');
    const result = scanSource('app/slow.py', `${source}\n`, { rules: [slow], rulesTimeoutMs: 20 });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.length).toBeLessThan(400);
    expect(result.notices).toHaveLength(1);
    expect(result.notices[0]).toMatchObject({ kind: 'skipped', path: 'app/slow.py' });
    expect(result.notices[0]?.message).toMatch(
      /^checks stopped at line \d+ after 0 s; findings before that line are reported/,
    );
  });
});

describe('one finding per place', () => {
  /** A rule that reports every call to `name(...)` at the given grade (for `audit` only, if so). */
  function callRule(
    id: string,
    name: string,
    grade: { severity: Severity; confidence: Confidence },
    supersedes?: readonly string[],
    profile?: 'audit',
  ): AnyRule {
    return defineRule({
      meta: {
        id,
        slug: `calls-${id.toLowerCase()}`,
        title: `Calls of ${name}`,
        category: 'misc',
        severity: grade.severity,
        confidence: grade.confidence,
        cwe: [693],
        description: `Flags calls of ${name}.`,
        why: 'Test rule.',
        fix: 'Test rule.',
        example: { bad: `${name}(x)\n`, good: 'pass\n' },
        bandit: id === 'PGM902' ? ['B999'] : [],
        ruff: [],
        ...(supersedes === undefined ? {} : { supersedes }),
      },
      messages: { call: `{{name}} is called (${id}).` },
      create(context) {
        return {
          call(node) {
            const callee = node.childForFieldName('function');
            if (callee === null || context.textOf(callee) !== name) return;
            context.report({ node, messageId: 'call', data: { name }, profile });
          },
        };
      },
    });
  }

  const high = { severity: 'high', confidence: 'high' } as const;
  const medium = { severity: 'medium', confidence: 'high' } as const;
  const source = 'run(x)\nother(y)\n';

  function summary(findings: readonly Finding[]): string[] {
    return findings.map(
      (finding) =>
        `${finding.span.start.line} ${finding.ruleId}${finding.alsoReportedBy === undefined ? '' : ` +${finding.alsoReportedBy.join(',')}`}${finding.alongside === undefined ? '' : ` &${finding.alongside.map((other) => other.ruleId).join(',')}`}`,
    );
  }

  it('shows the rule that supersedes the other, listing the other, whatever their order', () => {
    const specific = callRule('PGM901', 'run', medium, ['PGM902']);
    const general = callRule('PGM902', 'run', high);
    const other = callRule('PGM903', 'other', high);
    for (const rules of [
      [specific, general, other],
      [other, general, specific],
    ]) {
      const result = scanSource('app.py', source, { rules });
      expect(summary(result.findings)).toEqual(['1 PGM901 +PGM902', '2 PGM903']);
      expect(result.findings[0]).toMatchObject({ severity: 'medium', messageId: 'call' });
    }
  });

  it('without a declaration leads by severity, then confidence, then rule id', () => {
    const cases: [AnyRule[], string][] = [
      [[callRule('PGM901', 'run', medium), callRule('PGM902', 'run', high)], 'PGM902 +PGM901'],
      [
        [
          callRule('PGM901', 'run', { severity: 'high', confidence: 'low' }),
          callRule('PGM902', 'run', high),
        ],
        'PGM902 +PGM901',
      ],
      [[callRule('PGM902', 'run', high), callRule('PGM901', 'run', high)], 'PGM901 +PGM902'],
    ];
    for (const [rules, expected] of cases) {
      expect(summary(scanSource('app.py', 'run(x)\n', { rules }).findings)).toEqual([
        `1 ${expected}`,
      ]);
    }
  });

  it('lists a rule that does not run nowhere, and lets it lead nothing', () => {
    const specific = callRule('PGM901', 'run', medium, ['PGM902']);
    const general = callRule('PGM902', 'run', high);
    const config = { ...defaultConfig(), minConfidence: 'low' as const };
    const run = (disable: string[]): string[] => {
      const scanner = createScanner({ ...config, rules: { ...config.rules, disable } }, [
        specific,
        general,
      ]);
      return summary(scanner.scanFile({ path: 'app.py', source: 'run(x)\n' }).findings);
    };
    expect(run([])).toEqual(['1 PGM901 +PGM902']);
    expect(run(['PGM901'])).toEqual(['1 PGM902']);
    expect(run(['PGM902'])).toEqual(['1 PGM901']);
  });

  it('lets a finding below the minimum confidence neither lead nor be listed', () => {
    const unsure = callRule('PGM901', 'run', { severity: 'high', confidence: 'low' }, ['PGM902']);
    const general = callRule('PGM902', 'run', medium);
    const result = scanSource('app.py', 'run(x)\n', {
      rules: [unsure, general],
      minConfidence: 'medium',
    });
    expect(summary(result.findings)).toEqual(['1 PGM902']);
  });

  it('is suppressed by a comment naming the leading rule or any listed rule', () => {
    const rules = [callRule('PGM901', 'run', medium, ['PGM902']), callRule('PGM902', 'run', high)];
    for (const comment of [
      '# pyguard: ignore[PGM901] reviewed',
      '# pyguard: ignore[PGM902] reviewed',
      '# pyguard: ignore[calls-pgm902] reviewed',
      '# nosec B999',
    ]) {
      const [finding, ...rest] = scanSource('app.py', `run(x)  ${comment}\n`, { rules }).findings;
      expect(rest).toEqual([]);
      expect(finding?.ruleId).toBe('PGM901');
      expect(finding?.suppression?.comment, comment).toBe(comment);
    }
    const other = scanSource('app.py', 'run(x)  # pyguard: ignore[PGM903]\n', { rules });
    expect(other.findings[0]?.suppression).toBeUndefined();
  });

  it('groups a finding inside the span of a rule that supersedes it, down a chain', () => {
    const outer = callRule('PGM901', 'run', medium, ['PGM902']);
    const middle = callRule('PGM902', 'wrap', high, ['PGM903']);
    const inner = callRule('PGM903', 'other', high);
    const result = scanSource('app.py', 'run(wrap(other(y)))\nwrap(other(z))\n', {
      rules: [inner, middle, outer],
    });
    expect(summary(result.findings)).toEqual(['1 PGM901 +PGM902,PGM903', '2 PGM902 +PGM903']);
  });

  it('carries findings of other rules on other code of the line in the leading one', () => {
    const rules = [callRule('PGM901', 'run', medium), callRule('PGM902', 'other', high)];
    const [finding, ...rest] = scanSource('app.py', 'run(other(y))\n', { rules }).findings;
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ ruleId: 'PGM902', message: 'other is called (PGM902).' });
    expect(
      formatSpan(finding?.span ?? { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }),
    ).toBe('1:5-1:13');
    expect(finding?.alongside).toEqual([
      {
        ruleId: 'PGM901',
        title: 'Calls of run',
        messageId: 'call',
        severity: 'medium',
        confidence: 'high',
        message: 'run is called (PGM901).',
        span: { start: { line: 1, column: 1 }, end: { line: 1, column: 14 } },
        fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      },
    ]);
    expect(finding?.alsoReportedBy).toBeUndefined();
  });

  it('leads a line by severity, then supersedes, and keeps more reports of the lead apart', () => {
    const run = (rules: AnyRule[], source: string): string[] =>
      summary(scanSource('app.py', source, { rules }).findings);
    const specific = callRule('PGM901', 'run', medium, ['PGM902']);
    const general = callRule('PGM902', 'other', medium);
    expect(run([general, specific], 'other(y); run(z)\n')).toEqual(['1 PGM901 &PGM902']);
    expect(run([general, specific], 'other(x); run(y); other(z); run(w)\n')).toEqual([
      '1 PGM901 &PGM902,PGM902',
      '1 PGM901',
    ]);
    expect(run([general, specific], 'run(y)\nother(z)\n')).toEqual(['1 PGM901', '2 PGM902']);
    // On other code of the line, the more severe problem leads whatever the declaration says.
    const severe = callRule('PGM902', 'other', high);
    expect(run([severe, specific], 'other(y); run(z)\n')).toEqual(['1 PGM902 &PGM901']);
  });

  it('leads a line by a finding the default profile shows, carrying audit-only ones', () => {
    const auditOnly = callRule('PGM902', 'other', high, undefined, 'audit');
    const rules = [callRule('PGM901', 'run', medium), auditOnly];
    const audit = scanSource('app.py', 'other(y); run(z)\n', { rules, profile: 'audit' });
    expect(summary(audit.findings)).toEqual(['1 PGM901 &PGM902']);
    expect(audit.findings[0]?.profile).toBeUndefined();
    expect(audit.findings[0]?.alongside?.[0]?.profile).toBe('audit');
    const shown = scanSource('app.py', 'other(y); run(z)\n', { rules, profile: 'default' });
    expect(summary(shown.findings)).toEqual(['1 PGM901']);
  });

  it('lets a finding carried by another reappear when the leading rule is disabled', () => {
    const source = [
      'from Crypto.Cipher import AES',
      '',
      'ZERO_IV = b"\\x00" * 16',
      '',
      '',
      'def seal(key, data):',
      '    return AES.new(key, AES.MODE_CBC, ZERO_IV).encrypt(data)',
      '',
    ].join('\n');
    const run = (disable: string[]): string[] => {
      const config = defaultConfig();
      const scanner = createScanner({ ...config, rules: { ...config.rules, disable } }, allRules);
      return summary(scanner.scanFile({ path: 'app/seal.py', source }).findings);
    };
    expect(run([])).toEqual(['7 PGC005 &PGC006']);
    expect(run(['PGC005'])).toEqual(['7 PGC006']);
    expect(run(['static-key-iv-nonce'])).toEqual(['7 PGC005']);
  });

  it('groups the suppressed and the shown reports of a line apart', () => {
    const rules = [callRule('PGM901', 'run', high), callRule('PGM902', 'other', medium)];
    const source = 'run(other(y))  # pyguard: ignore[PGM902] checked\n';
    const findings = scanSource('app.py', source, { rules }).findings;
    expect(summary(findings)).toEqual(['1 PGM901', '1 PGM902']);
    expect(findings.map((finding) => finding.suppression?.reason)).toEqual([undefined, 'checked']);
  });

  it('reports a SQLAlchemy statement built from request data once, and still with PGI001 disabled', () => {
    const text = [
      'from flask import Flask, request',
      'from sqlalchemy import text',
      '',
      'app = Flask(__name__)',
      '',
      '@app.route("/users")',
      'def users(session):',
      '    name = request.args["name"]',
      `    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))`,
      '    return "done"',
      '',
    ].join('\n');
    const run = (disable: string[]): string[] => {
      const scanner = createScanner(
        { ...defaultConfig(), rules: { ...defaultConfig().rules, disable } },
        allRules,
      );
      return summary(scanner.scanFile({ path: 'app/views.py', source: text }).findings);
    };
    expect(run([])).toEqual(['9 PGI001 +PGI003']);
    expect(run(['PGI001'])).toEqual(['9 PGI003']);
    expect(run(['sqlalchemy-raw-sql'])).toEqual(['9 PGI001']);
  });

  const supersedes = (outer: string, inner: string): boolean =>
    allRules.find((rule) => rule.meta.id === outer)?.meta.supersedes?.includes(inner) ?? false;
  const offset = (position: { line: number; column: number }): number =>
    position.line * 100_000 + position.column;
  const within = (inner: Finding, outer: Finding): boolean =>
    offset(inner.span.start) >= offset(outer.span.start) &&
    offset(inner.span.end) <= offset(outer.span.end);

  /** Every fixture under rules/ (Python and templates), as repository-relative paths. */
  function ruleFixtures(): string[] {
    const root = new URL('../../rules/', import.meta.url);
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(py|html)$/.test(name) && !name.startsWith('_'))
      .map((name) => `rules/${name.split('\\').join('/')}`)
      .sort();
  }

  it.each(['default', 'audit'] as const)(
    'gives no fixture line findings of two rules under the %s profile',
    (profile) => {
      const config = { ...defaultConfig(), profile };
      const scanner = createScanner(config, allRules);
      const crowded: string[] = [];
      for (const path of ruleFixtures()) {
        const source = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
        const rulesByLine = new Map<number, Set<string>>();
        for (const finding of scanner.scanFile({ path, source }).findings) {
          const line = finding.span.start.line;
          rulesByLine.set(line, (rulesByLine.get(line) ?? new Set()).add(finding.ruleId));
        }
        for (const [line, ids] of rulesByLine) {
          if (ids.size > 1) crowded.push(`${path}:${line} ${[...ids].sort().join(' ')}`);
        }
      }
      expect(crowded).toEqual([]);
    },
  );

  it('leaves no span of the overlapping fixtures with two findings when every rule runs', () => {
    const fixtures = [
      'crypto/broken-cipher.py',
      'crypto/weak-password-hashing.py',
      'injection/server-side-template-injection.py',
      'injection/sqlalchemy-raw-sql.py',
      'injection/subprocess-shell-true.py',
      'injection/subprocess-untrusted-argv.py',
      'injection/wildcard-injection.py',
      'misc/malicious-code-patterns.py',
      'network/urlopen-arbitrary-scheme.py',
    ];
    let grouped = 0;
    for (const fixture of fixtures) {
      const path = `rules/${fixture}`;
      const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
      const { findings } = scanSource(path, text, { rules: allRules });
      const spans = findings.map((finding) => formatSpan(finding.span));
      const repeated = spans.filter((span, index) => spans.indexOf(span) !== index);
      expect(repeated, `${path}: spans with more than one finding`).toEqual([]);
      const nested = findings.flatMap((outer) =>
        findings
          .filter((inner) => supersedes(outer.ruleId, inner.ruleId) && within(inner, outer))
          .map((inner) => `${formatSpan(inner.span)} ${inner.ruleId} in ${outer.ruleId}`),
      );
      expect(nested, `${path}: findings inside a finding of a rule that supersedes them`).toEqual(
        [],
      );
      grouped += findings.filter((finding) => finding.alsoReportedBy !== undefined).length;
    }
    expect(grouped, 'findings that stand for several rules').toBeGreaterThan(20);
  });
});
