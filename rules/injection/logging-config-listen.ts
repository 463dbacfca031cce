import { callVisitors, defineRule, testAdjusted } from '../../src/rules-api/index.js';

export default defineRule({
  meta: {
    id: 'PGI020',
    slug: 'logging-config-listen',
    title: 'logging.config.listen() accepts configuration from the network',
    category: 'injection',
    severity: 'medium',
    confidence: 'high',
    cwe: [94, 95],
    owasp: ['A03:2021 Injection'],
    description: 'Flags calls to `logging.config.listen()`.',
    why: '`logging.config.listen()` starts a socket server that applies whatever logging configuration it receives, and parts of that configuration are passed through `eval()`. Anyone who can connect to the port (by default every local user: it listens on localhost port 9030, and it is sometimes exposed further) can therefore run code in the process. Without a `verify` function nothing checks who sent the configuration.',
    fix: 'Remove the listener and load logging configuration from a file at start-up (`logging.config.dictConfig`). If live reconfiguration is needed, pass `verify=` a function that checks a signature (for example an HMAC with a secret key) and returns `None` for anything unsigned, and keep the port off the network.',
    example: {
      bad: 'import logging.config\n\nthread = logging.config.listen(9030)\nthread.start()\n',
      good: 'import json\nimport logging.config\n\nwith open("logging.json") as config:\n    logging.config.dictConfig(json.load(config))\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/94.html',
      'https://docs.python.org/3/library/logging.config.html#logging.config.listen',
      'https://docs.python.org/3/library/logging.config.html#security-considerations',
    ],
    bandit: ['B612'],
    ruff: ['S612'],
  },
  messages: {
    listen:
      '`logging.config.listen()` applies any logging configuration sent to its port, and configuration can run code; load the configuration from a file instead.',
    listenVerified:
      '`logging.config.listen()` accepts logging configuration from the network; make sure `{{verify}}` rejects anything not signed with a secret key, and keep the port off the network.',
  },
  select: { calls: ['logging.config.listen'] },
  create(context) {
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName !== 'logging.config.listen') return;
      const verify = context.model.argument(call, 'verify', 1);
      const verified = verify !== undefined && context.model.literalValue(verify) !== null;
      context.report({
        node,
        messageId: verified ? 'listenVerified' : 'listen',
        data: { verify: verify === undefined ? '' : context.textOf(verify) },
        severity: verified ? 'low' : 'medium',
        confidence: testAdjusted(verified ? 'medium' : 'high', context.isTestFile),
      });
    });
  },
});
