import {
  callVisitors,
  analyseString,
  defineRule,
  holesOf,
  LEVEL_METHODS,
  literalString,
  loggerCall,
  targetName,
  testAdjusted,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { mayNameSecret, secretNameKind } from '../_shared/secret-names.js';

const PRINTS = new Set(['print', 'builtins.print']);
const GETPASS = new Set(['getpass.getpass', 'getpass']);
/** Cheap pre-test on a call's text: something secret-like could be in it. */
const HINT = /getpass|authorization/i;
const AUTHORIZATION = /^(?:authorization|proxy-authorization|http_authorization)$/i;
const MAX_DEPTH = 4;

interface Leak {
  node: SyntaxNode;
  what: string;
  confidence: Confidence;
}

function isGetpassCall(model: SemanticModel, node: SyntaxNode): boolean {
  if (node.type !== 'call') return false;
  const name = model.call(node).qualifiedName;
  return name !== undefined && GETPASS.has(name);
}

/** What secret an expression holds, judged by its name, its key, or the call that made it. */
function leakOf(model: SemanticModel, raw: SyntaxNode, depth: number): Leak | undefined {
  if (depth > MAX_DEPTH) return undefined;
  const node = unwrapParens(raw);
  switch (node.type) {
    case 'identifier': {
      const value = model.resolveValue(node);
      if (value !== node && isGetpassCall(model, value))
        return { node, what: 'a `getpass()` result', confidence: 'high' };
      const kind = secretNameKind(model.textOf(node));
      return kind === undefined ? undefined : leakByName(node, kind);
    }
    case 'attribute':
    case 'subscript': {
      const name = targetName(model, node);
      if (name === undefined) return undefined;
      if (AUTHORIZATION.test(name))
        return { node, what: 'an `Authorization` header', confidence: 'high' };
      const kind = secretNameKind(name);
      return kind === undefined ? undefined : leakByName(node, kind);
    }
    case 'call': {
      if (isGetpassCall(model, node))
        return { node, what: 'a `getpass()` result', confidence: 'high' };
      const call = model.call(node);
      // `headers.get("Authorization")`, `data.get("password")`.
      if (call.methodName !== 'get' && call.methodName !== 'getenv') return undefined;
      const first = call.positional[0];
      const key = first === undefined ? undefined : literalString(model, first);
      if (key === undefined) return undefined;
      if (AUTHORIZATION.test(key))
        return { node, what: 'an `Authorization` header', confidence: 'high' };
      const kind = secretNameKind(key);
      return kind === undefined ? undefined : leakByName(node, kind);
    }
    case 'string':
    case 'concatenated_string':
    case 'binary_operator': {
      const build = analyseString(model, node);
      if (build === undefined) return undefined;
      for (const hole of holesOf(build)) {
        if (hole === node) continue;
        const leak = leakOf(model, hole, depth + 1);
        if (leak !== undefined) return leak;
      }
      return undefined;
    }
    case 'tuple':
      for (const child of node.namedChildren) {
        const leak = leakOf(model, child, depth + 1);
        if (leak !== undefined) return leak;
      }
      return undefined;
    default:
      return undefined;
  }
}

function leakByName(node: SyntaxNode, kind: string): Leak {
  const strong = kind === 'password' || kind === 'passphrase' || kind === 'private key';
  return { node, what: `a ${kind}`, confidence: strong ? 'high' : 'medium' };
}

/** The print or logging call that writes its arguments somewhere people read, for messages. */
function sinkOf(model: SemanticModel, call: CallInfo): string | undefined {
  const name = call.qualifiedName;
  if (name !== undefined && PRINTS.has(name)) return name;
  return loggerCall(model, call)?.label;
}

export default defineRule({
  meta: {
    id: 'PGL002',
    slug: 'secret-in-logs',
    title: 'Secret written to a log or printed',
    category: 'logging',
    severity: 'medium',
    confidence: 'high',
    cwe: [532, 312, 359],
    owasp: ['A09:2021 Security Logging and Monitoring Failures'],
    description:
      'Flags passwords, tokens, secrets, `getpass()` results and `Authorization` header values passed to `logging` calls, logger methods or `print`, directly or inside f-strings and format arguments.',
    why: 'Logs are copied to files, log aggregators, support tickets and backups, and are read by far more people than the credential store. A password or token written there can be replayed by anyone who can read the logs, long after the request is gone.',
    fix: 'Log that the secret was present, or a masked form of it (`"***"`, the last four characters, a hash prefix), never the value itself; log the username or account id instead of the password.',
    example: {
      bad: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef login(username, password):\n    logger.info("login %s with %s", username, password)\n',
      good: 'import logging\n\nlogger = logging.getLogger(__name__)\n\n\ndef login(username, password):\n    logger.info("login attempt for %s", username)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/532.html',
      'https://docs.python.org/3/library/logging.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html',
    ],
    bandit: ['B109'],
    ruff: [],
    enabledByDefault: true,
    fixable: false,
  },
  messages: {
    leaked:
      '`{{sink}}` writes {{what}} (`{{value}}`) to the output; log a masked value or only that it was present.',
  },
  select: { calls: [...PRINTS, 'logging.*'], methods: [...LEVEL_METHODS] },
  create(context) {
    const { model } = context;
    return callVisitors(context, (node, call) => {
      if (call.qualifiedName === undefined && call.methodName === undefined) return;
      const sink = sinkOf(model, call);
      if (sink === undefined) return;
      const text = context.textOf(node);
      // `getpass()` results can sit under any name, so files that import getpass are read in full.
      if (!mayNameSecret(text) && !HINT.test(text) && !model.importsModule('getpass')) return;
      // Keyword arguments of `print` (`sep`, `file`) and logging (`exc_info`, `extra`) carry no message.
      for (const argument of call.positional) {
        const leak = leakOf(model, argument, 0);
        if (leak === undefined) continue;
        context.report({
          node,
          messageId: 'leaked',
          data: { sink, what: leak.what, value: context.textOf(leak.node) },
          confidence: testAdjusted(leak.confidence, context.isTestFile),
        });
        return;
      }
    });
  },
});
