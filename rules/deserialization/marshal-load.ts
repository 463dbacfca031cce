import { defineRule } from '../../src/rules-api/define-rule.js';
import { mentions } from '../_shared/mentions.js';

const LOADERS = new Set(['marshal.load', 'marshal.loads']);

/** The data arrives over the network or from a user. */
const UNTRUSTED = /request|recv|socket|upload/i;

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
    marshalLoad:
      '`{{callee}}` deserialises with marshal, which is not safe against crafted data; use `json` or another plain-data format for data you did not write.',
  },
  create(context) {
    return {
      call(node) {
        const call = context.call(node);
        if (call.qualifiedName === undefined || !LOADERS.has(call.qualifiedName)) return;
        const data = context.model.argument(call, 'file', 0) ?? call.keywords.get('bytes');
        context.report({
          node,
          messageId: 'marshalLoad',
          data: { callee: context.textOf(call.callee) },
          severity:
            data !== undefined && mentions(context.model, data, UNTRUSTED) ? 'high' : 'medium',
        });
      },
    };
  },
});
