import type { FileResult, Finding, Fix } from '../../src/engine/types.js';
import type { CheckRunReport } from '../../src/report/check-run.js';
import type { RuleMeta } from '../../src/rules-api/types.js';

/** A finding with sensible defaults: PGD003 on `yaml.load(data)` at line 3. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'PGD003',
    slug: 'yaml-unsafe-load',
    title: 'YAML loaded with an unsafe loader',
    messageId: 'unsafeLoader',
    severity: 'high',
    confidence: 'high',
    cwe: [502],
    message: '`yaml.load` without a safe `Loader` can construct arbitrary Python objects.',
    path: 'app.py',
    span: { start: { line: 3, column: 8 }, end: { line: 3, column: 23 } },
    snippet: 'conf = yaml.load(data)',
    fingerprint: '0123456789abcdef0123456789abcdef',
    ...overrides,
  };
}

/** A fix that also needs an import: `random.choice` → `secrets.choice` at line 3. */
export function importingFix(startColumn = 9): Fix {
  return {
    description: 'Use `secrets.choice`',
    span: { start: { line: 3, column: startColumn }, end: { line: 3, column: startColumn + 13 } },
    replacement: 'secrets.choice',
    additionalEdits: [
      {
        span: { start: { line: 2, column: 1 }, end: { line: 2, column: 1 } },
        replacement: 'import secrets\n',
        description: "add `import secrets` with the file's imports",
      },
    ],
  };
}

export function fileResult(
  path: string,
  findings: Finding[],
  overrides: Partial<FileResult> = {},
): FileResult {
  return {
    path,
    findings,
    notices: [],
    lines: 10,
    timings: { parseMs: 0, rulesMs: 0 },
    ...overrides,
  };
}

export function ruleMeta(overrides: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id: 'PGD003',
    slug: 'yaml-unsafe-load',
    title: 'YAML loaded with an unsafe loader',
    category: 'deserialization',
    severity: 'high',
    confidence: 'high',
    cwe: [502],
    owasp: [],
    description: 'Flags `yaml.load` without a safe `Loader`.',
    why: 'Unsafe loaders build arbitrary objects.',
    fix: 'Use `yaml.safe_load`.',
    example: { bad: 'yaml.load(data)\n', good: 'yaml.safe_load(data)\n' },
    references: ['https://pyyaml.org/wiki/PyYAMLDocumentation'],
    bandit: ['B506'],
    ruff: ['S506'],
    enabledByDefault: true,
    fixable: true,
    ...overrides,
  };
}

/** A check-run report of one scanned file with nothing found, with `overrides` on top. */
export function report(overrides: Partial<CheckRunReport> = {}): CheckRunReport {
  return {
    findings: [],
    suppressed: [],
    fixed: [],
    notices: [],
    skipped: [],
    configProblems: [],
    filesScanned: 1,
    pythonFilesChanged: 1,
    failOn: 'high',
    onError: 'failure',
    headSha: '9fceb02d0ae598e95dc970b74767f19372d61af8',
    addedSuppressions: [],
    ...overrides,
  };
}
