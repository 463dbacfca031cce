import {
  callVisitors,
  defineRule,
  importsModule,
  receiverOf,
  testAdjustedSeverity,
  unwrapParens,
  type Confidence,
  type SemanticModel,
  type Severity,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { configOwner } from '../_shared/flask-app.js';

const FLASK_APPS = new Set(['flask.Flask', 'flask.app.Flask']);
/** Objects whose `.run(app, debug=True)` starts the Werkzeug debugger too. */
const FLASK_RUNNERS = new Set([...FLASK_APPS, 'flask_socketio.SocketIO']);
const RUN_SIMPLE = new Set(['werkzeug.serving.run_simple', 'werkzeug.run_simple']);
/** aiohttp applications, whose `debug=True` turns on the development mode. */
const AIOHTTP_APPS = new Set(['aiohttp.web.Application', 'aiohttp.web_app.Application']);
const CONFIG_SETTERS = new Set(['update', 'from_mapping']);
const APP_LIKE_NAME = /(?:^|_)(?:app|application|server|site|socketio|wsgi)$|App$/i;
const APP_FACTORY = /(?:^|[._])(?:create|make|build|get|init)_?app(?:lication)?$/i;

/** `if __name__ == "__main__":` (either operand order). */
function isMainGuard(model: SemanticModel, node: SyntaxNode): boolean {
  const condition = node.childForFieldName('condition');
  if (condition?.type !== 'comparison_operator') return false;
  const operands = condition.namedChildren.map((child) => model.textOf(child).replace(/'/g, '"'));
  return operands.length === 2 && operands.includes('__name__') && operands.includes('"__main__"');
}

function insideMainGuard(model: SemanticModel, node: SyntaxNode): boolean {
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'if_statement' && isMainGuard(model, current)) return true;
    if (current.type === 'function_definition' || current.type === 'class_definition') return false;
  }
  return false;
}

export default defineRule({
  meta: {
    id: 'PGW001',
    slug: 'flask-debug',
    title: 'Flask debug mode enabled',
    category: 'web',
    severity: 'high',
    confidence: 'high',
    cwe: [94, 215, 489],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags Flask apps run or configured with debug mode on: `app.run(debug=True)`, `app.debug = True`, `app.config["DEBUG"] = True` and Werkzeug `run_simple(use_debugger=True)`; also aiohttp `web.Application(debug=True)`.',
    why: 'Debug mode serves the Werkzeug interactive debugger: any exception page gives a Python console in the server process, so whoever can trigger an error and obtain (or guess) the PIN runs code on the host. Debug pages also leak source code, settings and environment values.',
    fix: 'Leave debug off in code and enable it only for local development through the environment (`flask --app app run --debug`, or `debug=os.environ.get("FLASK_DEBUG") == "1"`). Deploy with a production WSGI server such as gunicorn or waitress.',
    example: {
      bad: 'from flask import Flask\n\napp = Flask(__name__)\n\napp.run(host="127.0.0.1", debug=True)\n',
      good: 'import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\napp.run(host="127.0.0.1", debug=os.environ.get("FLASK_DEBUG") == "1")\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/489.html',
      'https://cwe.mitre.org/data/definitions/215.html',
      'https://flask.palletsprojects.com/en/stable/debugging/',
      'https://werkzeug.palletsprojects.com/en/stable/debug/',
      'https://flask.palletsprojects.com/en/stable/deploying/',
    ],
    fixable: true,
    bandit: ['B201'],
    ruff: ['S201'],
  },
  messages: {
    runDebug:
      '`{{callee}}` starts the app with `{{keyword}}={{value}}`, exposing the Werkzeug debugger; enable debugging only from the environment in development.',
    debugAttribute:
      '`{{target}} = {{value}}` turns on Flask debug mode; enable it only from the environment in development.',
    aiohttpDebug:
      '`{{callee}}` creates the aiohttp application with `debug={{value}}`, a development mode (asyncio debug checks, verbose access logging, debug toolbars) that does not belong in a deployed server; leave it off in code and enable asyncio debug mode from the environment (`PYTHONASYNCIODEBUG=1`) when developing.',
    debugConfig:
      '`{{target}}` sets `DEBUG` to `{{value}}`, turning on Flask debug mode; enable it only from the environment in development.',
  },
  select: { calls: [...RUN_SIMPLE, ...AIOHTTP_APPS], methods: ['run', ...CONFIG_SETTERS] },
  create(context) {
    const { model } = context;

    /**
     * How sure we are that an expression is a Flask app (or runner): `high` when it was built by
     * `Flask(...)`, `medium` when it was built elsewhere in a file that imports flask, else undefined.
     */
    function appConfidence(node: SyntaxNode, known: ReadonlySet<string>): Confidence | undefined {
      const maker = model.constructedBy(node);
      if (maker !== undefined && known.has(maker)) return 'high';
      // An application factory (`app = create_app()`) builds a Flask app somewhere else.
      if (maker !== undefined && APP_FACTORY.test(maker)) return 'medium';
      const target = unwrapParens(node);
      // Modules (`asyncio.run(main(), debug=True)`) are not apps; other objects must be named like one.
      if (model.qualifiedName(target) !== undefined) return undefined;
      const last =
        target.type === 'attribute'
          ? target.childForFieldName('attribute')
          : target.type === 'identifier'
            ? target
            : null;
      if (last === null || !APP_LIKE_NAME.test(model.textOf(last))) return undefined;
      return importsModule(model, 'flask') ? 'medium' : undefined;
    }

    function severityAt(node: SyntaxNode): Severity {
      if (context.isTestFile) return 'low';
      return insideMainGuard(model, node) ? 'medium' : 'high';
    }

    return {
      ...callVisitors(context, (node, call) => {
        const name = call.qualifiedName;
        if (name !== undefined && RUN_SIMPLE.has(name)) {
          const value = model.argument(call, 'use_debugger', 4);
          if (value === undefined || model.truthiness(value) !== true) return;
          context.report({
            node,
            messageId: 'runDebug',
            data: {
              callee: context.textOf(call.callee),
              keyword: 'use_debugger',
              value: context.textOf(value),
            },
            severity: severityAt(node),
          });
          return;
        }
        if (name !== undefined && AIOHTTP_APPS.has(name)) {
          const value = call.keywords.get('debug');
          if (value === undefined || model.truthiness(value) !== true) return;
          context.report({
            node,
            messageId: 'aiohttpDebug',
            data: { callee: context.textOf(call.callee), value: context.textOf(value) },
            severity: testAdjustedSeverity('medium', context.isTestFile),
          });
          return;
        }
        const method = call.methodName;
        if (method !== 'run' && (method === undefined || !CONFIG_SETTERS.has(method))) return;
        const object = receiverOf(call);
        if (object === undefined) return;
        if (method === 'run') {
          const confidence = appConfidence(object, FLASK_RUNNERS);
          if (confidence === undefined) return;
          const maker = model.constructedBy(object);
          // Flask.run(host, port, debug): positional only when we know it is Flask.
          const position = maker !== undefined && FLASK_APPS.has(maker) ? 2 : undefined;
          const value = model.argument(call, 'debug', position);
          if (value === undefined || model.truthiness(value) !== true) return;
          context.report({
            node,
            messageId: 'runDebug',
            data: {
              callee: context.textOf(call.callee),
              keyword: 'debug',
              value: context.textOf(value),
            },
            severity: severityAt(node),
            confidence,
            // Only the literal `debug=True` has one certain replacement.
            fix:
              value.type === 'true'
                ? { description: 'Turn the debugger off', target: value, replacement: 'False' }
                : undefined,
          });
          return;
        }
        if (call.methodName !== undefined && CONFIG_SETTERS.has(call.methodName)) {
          const app = configOwner(model, object);
          const value = call.keywords.get('DEBUG');
          if (app === undefined || value === undefined || model.truthiness(value) !== true) return;
          const confidence = appConfidence(app, FLASK_APPS);
          if (confidence === undefined) return;
          context.report({
            node,
            messageId: 'debugConfig',
            data: { target: context.textOf(call.callee), value: context.textOf(value) },
            severity: severityAt(node),
            confidence,
          });
        }
      }),
      assignment(node) {
        if (!/debug/i.test(context.textOf(node))) return;
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null || model.truthiness(right) !== true) return;
        if (left.type === 'attribute') {
          const attribute = left.childForFieldName('attribute');
          const object = left.childForFieldName('object');
          if (attribute === null || object === null || context.textOf(attribute) !== 'debug')
            return;
          const confidence = appConfidence(object, FLASK_APPS);
          if (confidence === undefined) return;
          context.report({
            node,
            messageId: 'debugAttribute',
            data: { target: context.textOf(left), value: context.textOf(right) },
            severity: severityAt(node),
            confidence,
          });
          return;
        }
        if (left.type !== 'subscript') return;
        const key = left.childForFieldName('subscript');
        const container = left.childForFieldName('value');
        if (key === null || container === null || model.staticString(key) !== 'DEBUG') return;
        const app = configOwner(model, container);
        const confidence = app === undefined ? undefined : appConfidence(app, FLASK_APPS);
        if (confidence === undefined) return;
        context.report({
          node,
          messageId: 'debugConfig',
          data: { target: context.textOf(left), value: context.textOf(right) },
          severity: severityAt(node),
          confidence,
        });
      },
    };
  },
});
