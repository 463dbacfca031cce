import {
  callVisitors,
  defineRule,
  receiverOf,
  type SemanticModel,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { flaskAppConfidence } from '../_shared/flask-app.js';

/** Whether the node runs on import: not inside a function, a class or an `if __name__ == "__main__":`. */
function runsOnImport(model: SemanticModel, node: SyntaxNode): boolean {
  for (let current = node.parent; current !== null; current = current.parent) {
    switch (current.type) {
      case 'function_definition':
      case 'class_definition':
      case 'lambda':
        return false;
      case 'if_statement': {
        const condition = current.childForFieldName('condition');
        const text = condition === null ? '' : model.textOf(condition).replace(/'/g, '"');
        if (/__name__/.test(text) && /"__main__"/.test(text)) return false;
        break;
      }
      default:
        break;
    }
  }
  return true;
}

export default defineRule({
  meta: {
    id: 'PGW013',
    slug: 'flask-app-run-toplevel',
    title: 'Flask development server started at import time',
    category: 'web',
    severity: 'low',
    confidence: 'high',
    cwe: [668],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags `app.run()` on a Flask app at module top level, outside `if __name__ == "__main__":` and outside any function.',
    why: "`app.run()` starts Werkzeug's development server, which is not built for production traffic or hardening. At module top level it also runs whenever the module is imported, so a production WSGI server, a worker or a test that imports the app starts this server as well, often with development settings.",
    fix: 'Guard it with `if __name__ == "__main__":` for local runs, or remove it and start the app with `flask run` in development and a WSGI server such as gunicorn or waitress in production.',
    example: {
      bad: 'from flask import Flask\n\napp = Flask(__name__)\n\napp.run()\n',
      good: 'from flask import Flask\n\napp = Flask(__name__)\n\nif __name__ == "__main__":\n    app.run()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/668.html',
      'https://flask.palletsprojects.com/en/stable/deploying/',
      'https://flask.palletsprojects.com/en/stable/api/#flask.Flask.run',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    runOnImport:
      '`{{call}}` starts the development server whenever this module is imported; put it under `if __name__ == "__main__":` or serve the app with a WSGI server.',
  },
  select: { methods: ['run'], text: ['.run('] },
  create(context) {
    const { model } = context;
    if (!context.text.includes('.run(')) return {};
    return callVisitors(context, (node, call) => {
      if (call.methodName !== 'run') return;
      const app = receiverOf(call);
      if (app === undefined || node.parent?.type !== 'expression_statement') return;
      const confidence = flaskAppConfidence(model, app);
      if (confidence === undefined || !runsOnImport(model, node)) return;
      context.report({
        node,
        messageId: 'runOnImport',
        data: { call: `${context.textOf(call.callee)}()` },
        confidence,
      });
    });
  },
});
