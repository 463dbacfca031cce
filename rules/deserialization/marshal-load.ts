import {
  callVisitors,
  defineRule,
  isNetworkRead,
  taintedSink,
  testAdjusted,
} from '../../src/rules-api/index.js';

const LOADERS = new Set(['marshal.load', 'marshal.loads']);

export default defineRule({
  meta: {
    id: 'PGD002',
    slug: 'marshal-load',
    title: 'Data deserialised with marshal',
    category: 'deserialization',
    severity: 'medium',
    confidence: 'high',
    cwe: [502],
    owasp: ['A08:2021 Software and Data Integrity Failures'],
    description: 'Flags `marshal.load` and `marshal.loads`.',
    why: "`marshal` is CPython's internal format for compiled bytecode. It can rebuild code objects, is not hardened against malformed or malicious input (crafted data can crash the interpreter), and its format changes between Python versions, so it is unsafe for anything you did not write yourself.",
    fix: 'Exchange data as JSON (`json.loads`) or another plain-data format. Keep `marshal` for caches of your own bytecode that nobody else can write.',
    example: {
      bad: 'import marshal\n\n\ndef restore(blob):\n    return marshal.loads(blob)\n',
      good: 'import json\n\n\ndef restore(blob):\n    return json.loads(blob)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/502.html',
      'https://docs.python.org/3/library/marshal.html',
    ],
    bandit: ['B302'],
    ruff: ['S302'],
  },
  messages: {
    taintedLoad:
      '`{{callee}}` deserialises {{origin}} with marshal: {{path}}. marshal is not safe against crafted data; accept `json` or another plain-data format instead.',
    marshalLoad:
      '`{{callee}}` deserialises with marshal, which is not safe against crafted data; use `json` or another plain-data format for data you did not write.',
  },
  select: { calls: [...LOADERS] },
  create(context) {
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === undefined || !LOADERS.has(call.qualifiedName)) return;
      const callee = context.textOf(call.callee);
      const data = context.model.argument(call, 'file', 0) ?? call.keywords.get('bytes');
      const tainted =
        data === undefined
          ? undefined
          : taintedSink(context, data, 'deserialization', node, callee);
      if (tainted !== undefined) {
        context.report({
          node,
          messageId: 'taintedLoad',
          data: { callee, origin: tainted.origin, path: tainted.path },
          severity: tainted.severity,
          confidence: tainted.confidence,
          flow: tainted.flow,
        });
        return;
      }
      // Not traced to input: an audit finding; data read off a socket is likely hostile.
      context.report({
        node,
        messageId: 'marshalLoad',
        data: { callee },
        severity: data !== undefined && isNetworkRead(context.model, data) ? 'high' : 'medium',
        confidence: testAdjusted('medium', context.isTestFile),
      });
    });
  },
});
