import { describe, expect, it } from 'vitest';
import yamlUnsafeLoad from '../../rules/deserialization/yaml-unsafe-load.js';
import templateFileUnescaped from '../../rules/injection/template-file-unescaped.js';
import { defaultConfig } from '../../src/config/index.js';
import {
  createScanner,
  isPythonPath,
  isScannablePath,
  isTemplatePath,
} from '../../src/engine/scanner.js';
import { scanTemplate } from '../../src/engine/templates.js';
import type { Finding } from '../../src/engine/types.js';
import { defineRule, hasPythonChecks } from '../../src/rules-api/define-rule.js';

/** A template-only rule: reports every `|safe` (the whole `{{ ... }}`), at medium confidence. */
const safeFilter = defineRule({
  meta: {
    id: 'PGI999',
    slug: 'test-safe-filter',
    title: 'Test: |safe',
    category: 'injection',
    severity: 'medium',
    confidence: 'medium',
    cwe: [79],
    description: 'Flags `|safe`.',
    why: 'Test rule.',
    fix: 'Remove it.',
    example: { bad: '{{ x|safe }}', good: '{{ x }}' },
    bandit: ['B703'],
    ruff: [],
  },
  messages: { safe: '`{{value}}` is marked safe.' },
  template(context) {
    const lines = context.text.split('\n');
    lines.forEach((line, index) => {
      for (const match of line.matchAll(/\{\{\s*([\w.]+)\|safe\s*\}\}/g)) {
        context.report({
          line: index + 1,
          column: match.index + 1,
          endColumn: match.index + 1 + match[0].length,
          messageId: 'safe',
          data: { value: match[1] ?? '' },
          confidence: match[1] === 'low' ? 'low' : undefined,
        });
      }
    });
  },
});

/** A template rule that reports once, then fails. */
const broken = defineRule({
  meta: { ...safeFilter.meta, id: 'PGI998', slug: 'test-broken' },
  messages: { found: 'found' },
  template(context) {
    context.report({ line: 1, column: 1, messageId: 'found' });
    throw new Error('boom');
  },
});

/** Reports a line that does not exist. */
const outOfRange = defineRule({
  meta: { ...safeFilter.meta, id: 'PGI997', slug: 'test-out-of-range' },
  messages: { found: 'found' },
  template(context) {
    context.report({ line: 99, column: 1, messageId: 'found' });
  },
});

const rules = [safeFilter];

function lines(findings: readonly Finding[]): number[] {
  return findings.map((finding) => finding.span.start.line);
}

describe('scanTemplate', () => {
  it('reports with path, span, snippet, metadata and a fingerprint', () => {
    const text = '<div>\n  <p>{{ comment|safe }}</p>\n</div>\n';
    const result = scanTemplate('blog/templates/post.html', text, { rules });
    expect(result.notices).toEqual([]);
    expect(result.lines).toBe(3);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({
      ruleId: 'PGI999',
      slug: 'test-safe-filter',
      severity: 'medium',
      confidence: 'medium',
      cwe: [79],
      message: '`comment` is marked safe.',
      path: 'blog/templates/post.html',
      span: { start: { line: 2, column: 6 }, end: { line: 2, column: 24 } },
      snippet: '  <p>{{ comment|safe }}</p>',
    });
    expect(result.findings[0]?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps fingerprints when lines move, and tells identical findings apart by ordinal', () => {
    const before = scanTemplate('t.html', '{{ a|safe }}\n{{ a|safe }}\n', { rules });
    const after = scanTemplate('t.html', '<h1>x</h1>\n\n{{ a|safe }}\n{{ a|safe }}\n', { rules });
    const prints = (findings: readonly Finding[]): string[] => findings.map((f) => f.fingerprint);
    expect(prints(after.findings)).toEqual(prints(before.findings));
    expect(new Set(prints(before.findings)).size).toBe(2);
  });

  it('ends a report without an end column at the end of its line', () => {
    const result = scanTemplate('t.html', '{{ x }}\nabc\n', { rules: [broken] });
    expect(result.findings[0]?.span).toEqual({
      start: { line: 1, column: 1 },
      end: { line: 1, column: 8 },
    });
  });

  it('honours {# pyguard: ignore #} and <!-- pyguard: ignore --> on the line or the line above', () => {
    const text = [
      '{# pyguard: ignore[PGI999] sanitised by bleach in the view #}',
      '{{ a|safe }}',
      '{{ b|safe }} {# pyguard: ignore[test-safe-filter] #}',
      '<!-- pyguard: ignore[PGI999] -->',
      '{{ c|safe }}',
      '{# pyguard: ignore[PGI001] #}',
      '{{ d|safe }}',
      '<p>pyguard: ignore[PGI999]</p>',
      '{{ e|safe }}',
      '{# pyguard: ignore #}',
      '',
      '{{ f|safe }}',
      '{# nosec B703 #}',
      '{{ g|safe }}',
    ].join('\n');
    const result = scanTemplate('t.html', text, { rules });
    const suppressed = result.findings.filter((finding) => finding.suppression !== undefined);
    const open = result.findings.filter((finding) => finding.suppression === undefined);
    expect(lines(suppressed)).toEqual([2, 3, 5]);
    expect(lines(open)).toEqual([7, 9, 12, 14]);
    expect(suppressed[0]?.suppression).toEqual({
      kind: 'pyguard',
      comment: '{# pyguard: ignore[PGI999] sanitised by bleach in the view #}',
      line: 1,
      reason: 'sanitised by bleach in the view',
    });
  });

  it('keeps only findings on added lines, above the minimum confidence, with severity overrides', () => {
    const text = '{{ a|safe }}\n{{ low|safe }}\n{{ b|safe }}\n';
    const result = scanTemplate('t.html', text, {
      rules,
      addedLines: new Set([2, 3]),
      minConfidence: 'medium',
      severityOverrides: new Map([['PGI999', 'high' as const]]),
    });
    expect(lines(result.findings)).toEqual([3]);
    expect(result.findings[0]?.severity).toBe('high');
  });

  it('turns a failing rule into a notice and keeps what it reported before failing', () => {
    const result = scanTemplate('t.html', '{{ a|safe }}\n', { rules: [broken, outOfRange] });
    expect(lines(result.findings)).toEqual([1]);
    expect(result.notices).toEqual([
      {
        path: 't.html',
        kind: 'rule-error',
        message: 'rule PGI998 (test-broken) failed: boom',
      },
      {
        path: 't.html',
        kind: 'rule-error',
        message:
          'rule PGI997 (test-out-of-range) failed: reported line 99, but the file has 2 lines',
      },
    ]);
  });

  it('decodes bytes, notes undecodable ones, and normalises line endings', () => {
    const encoder = new TextEncoder();
    const bytes = new Uint8Array([
      ...encoder.encode('<p>caf'),
      0xff,
      ...encoder.encode('</p>\r\n{{ a|safe }}\r\n'),
    ]);
    const result = scanTemplate('t.html', bytes, { rules });
    expect(lines(result.findings)).toEqual([2]);
    expect(result.findings[0]?.snippet).toBe('{{ a|safe }}');
    expect(result.notices.map((notice) => notice.kind)).toEqual(['decoding']);
  });

  it('ignores rules without template checks', () => {
    const result = scanTemplate('t.html', '{{ a|safe }}\nyaml.load(x)\n', {
      rules: [yamlUnsafeLoad],
    });
    expect(result).toMatchObject({ findings: [], notices: [] });
  });
});

describe('template rules and file names', () => {
  it('leaves text templates (config files, e-mails) to themselves for escaping checks', () => {
    const rule = templateFileUnescaped;
    const text = '{{ server_name|safe }}\n';
    const count = (path: string): number =>
      scanTemplate(path, text, { rules: [rule] }).findings.length;
    expect(count('roles/web/templates/nginx.conf.j2')).toBe(0);
    expect(count('mail/welcome.txt.jinja')).toBe(0);
    expect(count('blog/templates/post.html.j2')).toBe(1);
    expect(count('blog/templates/post.html')).toBe(1);
    expect(count('blog/templates/post.jinja2')).toBe(1);
  });
});

describe('scanner dispatch', () => {
  const scanner = createScanner(defaultConfig(), [yamlUnsafeLoad, safeFilter]);
  const PYTHON = 'import yaml\nyaml.load(x)  # {{ a|safe }}\n';

  it('scans .py and .pyi files with the Python rules and templates with the template rules', () => {
    for (const path of ['app.py', 'stubs/app.pyi']) {
      expect(scanner.scanFile({ path, source: PYTHON }).findings.map((f) => f.ruleId)).toEqual([
        'PGD003',
      ]);
    }
    for (const path of ['t/a.html', 't/a.HTM', 't/a.jinja', 't/a.jinja2', 't/a.j2', 't/a.djhtml']) {
      expect(
        scanner.scanFile({ path, source: PYTHON }).findings.map((f) => f.ruleId),
        path,
      ).toEqual(['PGI999']);
    }
  });

  it('scans a file of any other name as Python (files named on the command line)', () => {
    const result = scanner.scanFile({ path: 'bin/tool', source: PYTHON });
    expect(result.findings.map((f) => f.ruleId)).toEqual(['PGD003']);
  });

  it('knows which paths are Python, templates, or neither', () => {
    expect(['a.py', 'a.pyi', 'a.PY'].map(isPythonPath)).toEqual([true, true, true]);
    expect(['a.html', 'a.html.j2', 'a.Jinja2', 'a.py'].map(isTemplatePath)).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(['a.py', 'a.htm', 'a.js', 'a.css', 'a.pyc', 'README.md'].map(isScannablePath)).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  it('tells template-only rules from rules with Python checks', () => {
    expect(hasPythonChecks(safeFilter)).toBe(false);
    expect(safeFilter.create({} as never)).toEqual({});
    expect(hasPythonChecks(yamlUnsafeLoad)).toBe(true);
  });
});
