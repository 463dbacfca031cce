/**
 * The shared analyses of src/engine/analyze as a rule sees them through src/rules-api: a small
 * rule for a made-up code-running sink `run_code(source)` uses the sink opening, the traced-path
 * report and the grading of untraced code, and its findings are checked in app and test files.
 */
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../src/engine/scan.js';
import type { Finding } from '../../src/engine/types.js';
import {
  argvOf,
  argvRisks,
  codeShape,
  defineRule,
  holdsOnlyCheckedValues,
  httpRequestTarget,
  judgeSecretShape,
  loggerCall,
  nameWords,
  reportTaintedSink,
  reportUntracedCode,
  secretConfidence,
  sinkCalls,
  testAdjusted,
  testAdjustedSeverity,
  type CallInfo,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

function runCodeSource(model: SemanticModel, call: CallInfo): SyntaxNode | undefined {
  return call.methodName === 'run_code' ? model.argument(call, 'source', 0) : undefined;
}

const runCodeRule = defineRule({
  meta: {
    id: 'PGI901',
    slug: 'run-code-probe',
    title: 'Code handed to run_code()',
    category: 'injection',
    severity: 'high',
    confidence: 'high',
    cwe: [95],
    description: 'Flags code given to `run_code()`.',
    why: 'It runs the code.',
    fix: 'Do not run code.',
    example: { bad: 'run_code(x)\n', good: 'run_code("1")\n' },
    bandit: [],
    ruff: [],
  },
  messages: {
    tainted: '`{{callee}}` runs code from {{origin}}: {{path}}.',
    built: '`{{callee}}` runs code built with {{how}}.',
    file: '`{{callee}}` runs code read from a file.',
    dynamic: '`{{callee}}` runs `{{code}}`.',
  },
  create(context) {
    const { model } = context;
    return sinkCalls(context, runCodeSource, (node, source) => {
      const shape = codeShape(model, source);
      if (shape.kind === 'literal') return;
      const data = { callee: 'run_code' };
      const tainted = reportTaintedSink(context, {
        node,
        value: shape.source,
        sink: 'code',
        label: 'run_code',
        messageId: 'tainted',
        data,
      });
      if (tainted !== undefined || holdsOnlyCheckedValues(model, shape.source)) return;
      reportUntracedCode(
        context,
        node,
        shape,
        { built: 'built', file: 'file', dynamic: 'dynamic' },
        data,
      );
    });
  },
});

const SOURCE = `from flask import request

def view():
    run_code(request.args["code"])

def build(name):
    run_code("print(" + name + ")")

def helper(text):
    run_code(text)

def fixed():
    run_code("print(1)")
    run_code(open("setup_version.py").read())

def checked(kind):
    if kind in ("a", "b"):
        run_code("x = " + kind)
`;

function findings(path: string): Finding[] {
  return scanSource(path, SOURCE, { rules: [runCodeRule] }).findings;
}

describe('the shared analyses through src/rules-api', () => {
  it('reports the traced path first and grades untraced code by how it is made', () => {
    expect(
      findings('app/views.py').map((finding) => [
        finding.span.start.line,
        finding.messageId,
        finding.severity,
        finding.confidence,
        finding.message,
      ]),
    ).toEqual([
      [
        4,
        'tainted',
        'high',
        'high',
        expect.stringMatching(/^`run_code` runs code from request data: /),
      ],
      [7, 'built', 'high', 'medium', '`run_code` runs code built with string concatenation.'],
      [10, 'dynamic', 'medium', 'medium', '`run_code` runs `text`.'],
      [14, 'file', 'low', 'medium', '`run_code` runs code read from a file.'],
    ]);
    expect(findings('app/views.py')[0]?.flow?.at(-1)?.label).toBe('run_code');
  });

  it('is one step less sure of untraced code in test files', () => {
    const confidences = findings('tests/test_views.py').map((finding) => [
      finding.messageId,
      finding.confidence,
    ]);
    expect(confidences).toContainEqual(['built', 'low']);
    expect(confidences).toContainEqual(['dynamic', 'low']);
  });

  it('steps test-file grades down once, and leaves other files alone', () => {
    expect(testAdjusted('high', true)).toBe('medium');
    expect(testAdjusted('medium', true)).toBe('low');
    expect(testAdjusted('low', true)).toBe('low');
    expect(testAdjusted('high', false)).toBe('high');
    expect(testAdjustedSeverity('high', true)).toBe('medium');
    expect(testAdjustedSeverity('medium', true)).toBe('low');
    expect(testAdjustedSeverity('medium', false)).toBe('medium');
  });
});

/** A probe rule that reports, for every call, what the call analyses make of it. */
const callProbe = defineRule({
  meta: {
    id: 'PGM901',
    slug: 'call-probe',
    title: 'What the call analyses see',
    category: 'misc',
    severity: 'low',
    confidence: 'high',
    cwe: [693],
    description: 'Reports what the call analyses see.',
    why: 'Test rule.',
    fix: 'Test rule.',
    example: { bad: 'logging.info(x)\n', good: 'pass\n' },
    bandit: [],
    ruff: [],
  },
  messages: {
    log: 'log {{label}} message at {{index}}',
    http: 'http {{url}} ({{confidence}})',
    argv: 'argv {{risks}}',
  },
  create(context) {
    const { model } = context;
    return {
      call(node) {
        const call = model.call(node);
        const log = loggerCall(model, call);
        if (log !== undefined) {
          const data = { label: log.label, index: log.messageIndex };
          context.report({ node, messageId: 'log', data });
        }
        const http = httpRequestTarget(model, call);
        if (http !== undefined) {
          const data = { url: model.textOf(http.url), confidence: http.confidence };
          context.report({ node, messageId: 'http', data });
        }
        const args = call.qualifiedName === 'subprocess.run' ? call.positional[0] : undefined;
        if (args !== undefined) {
          const risks = argvRisks(model, argvOf(model, args)).map((risk) => risk.kind);
          context.report({ node, messageId: 'argv', data: { risks: risks.join(',') } });
        }
      },
    };
  },
});

describe('the call analyses through src/rules-api', () => {
  it('recognise log writes, HTTP requests and argument vectors', () => {
    const source = [
      'import logging, requests, subprocess',
      'log = logging.getLogger(__name__)',
      'logging.log(logging.INFO, "a %s", x)',
      'log.warning("b")',
      'session = requests.Session()',
      'session.get(url, timeout=5)',
      'requests.request("GET", "https://example.com")',
      'subprocess.run(["sh", "-c", cmd])',
      'subprocess.run(["ls", "-l", "--", path])',
      'config.get("key")',
      '',
    ].join('\n');
    const messages = scanSource('app/client.py', source, { rules: [callProbe] }).findings.map(
      (finding) => `${finding.span.start.line} ${finding.message}`,
    );
    expect(messages).toEqual([
      '3 log logging.log message at 1',
      '4 log log.warning message at 0',
      '6 http url (high)',
      '7 http "https://example.com" (high)',
      '8 argv code',
      '9 argv ',
    ]);
  });

  it('judge a secret literal by its shape', () => {
    expect(judgeSecretShape('')).toEqual({ secret: false, reason: 'empty' });
    expect(judgeSecretShape('changeme123')).toEqual({ secret: false, reason: 'placeholder' });
    expect(judgeSecretShape('{password}')).toEqual({ secret: false, reason: 'template' });
    expect(judgeSecretShape('access_token')).toEqual({ secret: false, reason: 'label' });
    expect(judgeSecretShape('hunter2', 'password')).toEqual({ secret: true, strength: 'weak' });
    expect(judgeSecretShape('Tr0ub4dor&3x')).toEqual({ secret: true, strength: 'strong' });
    expect(secretConfidence('strong', false)).toBe('high');
    expect(secretConfidence('strong', true)).toBe('low');
    expect(nameWords('apiKey_v2')).toEqual(['api', 'key', 'v']);
  });
});
