import { unwrapParens } from '../../src/engine/model.js';
import type { SyntaxNode } from '../../src/engine/parse.js';
import { defineRule } from '../../src/rules-api/define-rule.js';
import { loggerCall } from '../_shared/logger-call.js';
import { percentConversions } from '../_shared/string-pieces.js';
import { taintedSink, type TaintedSink } from '../_shared/tainted-sink.js';
import { mayHoldUntrustedInput } from '../_shared/source-hint.js';

/**
 * Whole request containers and byte bodies: logging them formats their `repr()`, in which CR and
 * LF show as `\r` and `\n` escapes (`request.args`, Django's `request.GET`, `request.body`).
 */
const REPR_FORMATTED = new Set([
  'args',
  'form',
  'values',
  'files',
  'cookies',
  'headers',
  'data',
  'body',
  'GET',
  'POST',
  'COOKIES',
  'FILES',
  'META',
  'query_params',
]);

/** `!r` / `!a` in an f-string and `%r` / `%a` in a template log the value's escaped repr. */
const REPR_CONVERSION = /^!?[ra]$/;

export default defineRule({
  meta: {
    id: 'PGI025',
    slug: 'log-injection',
    title: 'Request data written to a log without removing line breaks',
    category: 'injection',
    severity: 'low',
    confidence: 'high',
    cwe: [117],
    owasp: ['A09:2021 Security Logging and Monitoring Failures'],
    description:
      'Flags request data that reaches a `logging` call or a logger method (as the message, an f-string hole or a `%` argument) with its CR/LF characters intact.',
    why: 'Log files are read line by line, by people and by tools. A value such as `bob\\nINFO login succeeded for admin` starts a new line that looks like a genuine entry, so an attacker can forge events, hide their tracks or break log parsers and alerting. Control characters can also mislead terminal viewers.',
    fix: 'Remove CR and LF before logging (`value.replace("\\r", "").replace("\\n", "")`), or log the escaped form with `%r` / `{value!r}`. A JSON log formatter that escapes every field also prevents it.',
    example: {
      bad: 'import logging\n\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    logger.info("login attempt for %s", request.form["user"])\n',
      good: 'import logging\n\nfrom flask import request\n\nlogger = logging.getLogger(__name__)\n\n\n@app.route("/login", methods=["POST"])\ndef login():\n    user = request.form["user"].replace("\\r", "").replace("\\n", "")\n    logger.info("login attempt for %s", user)\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/117.html',
      'https://owasp.org/www-community/attacks/Log_Injection',
      'https://docs.python.org/3/library/logging.html#logging.Logger.debug',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    taintedLog:
      'Request data reaches `{{sink}}` with its line breaks intact: {{path}}. A CR/LF in it can forge extra log entries; remove them first (`.replace("\\r", "").replace("\\n", "")`) or log the value with `%r`.',
  },
  create(context) {
    const { model } = context;
    // Reported only for traced input: files that cannot hold a source need no visit.
    if (!mayHoldUntrustedInput(model)) return {};

    /** The expressions of a log call whose text ends up in the record as written. */
    const loggedValues = (message: SyntaxNode, args: readonly SyntaxNode[]): SyntaxNode[] => {
      const values: SyntaxNode[] = [];
      const target = unwrapParens(message);
      const holes =
        target.type === 'string'
          ? target.namedChildren.filter((child) => child.type === 'interpolation')
          : [];
      if (holes.length === 0) values.push(message);
      for (const hole of holes) {
        const conversion = hole.childForFieldName('type_conversion');
        if (conversion !== null && REPR_CONVERSION.test(context.textOf(conversion))) continue;
        const expression = hole.childForFieldName('expression');
        if (expression !== null) values.push(expression);
      }
      const template = model.staticString(message);
      const conversions = template === undefined ? undefined : percentConversions(template);
      args.forEach((argument, index) => {
        const conversion = conversions?.[index];
        if (conversion === undefined || !REPR_CONVERSION.test(conversion)) values.push(argument);
      });
      return values;
    };

    /** A request container logged whole is formatted through `repr()`. */
    const isReprFormatted = (value: SyntaxNode, tainted: TaintedSink): boolean => {
      const target = unwrapParens(value);
      if (target.type !== 'attribute' || tainted.trace.steps.length !== 1) return false;
      const attribute = target.childForFieldName('attribute');
      return attribute !== null && REPR_FORMATTED.has(context.textOf(attribute));
    };

    return {
      call(node) {
        const call = context.call(node);
        if (call.methodName === undefined) return;
        const logger = loggerCall(model, call);
        if (logger === undefined) return;
        const message = call.positional[logger.messageIndex];
        if (message === undefined) return;
        const args = call.positional.slice(logger.messageIndex + 1);
        for (const value of loggedValues(message, args)) {
          const tainted = taintedSink(context, value, 'log', node, logger.label);
          // Only what anyone on the web can send: the command line and environment are trusted here.
          if (tainted === undefined || tainted.trace.trust !== 'web') continue;
          if (isReprFormatted(value, tainted)) continue;
          context.report({
            node,
            messageId: 'taintedLog',
            data: { sink: logger.label, path: tainted.path },
            severity: 'low',
            confidence: tainted.confidence,
            flow: tainted.flow,
          });
          return;
        }
      },
    };
  },
});
