import {
  callVisitors,
  defineRule,
  inNamedScope,
  receiverOf,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { configOwner, flaskAppConfidence } from '../_shared/flask-app.js';

/** Config keys (and the matching app attributes) whose hard-coded value is a development setting. */
const KEYS: ReadonlyMap<string, { attribute: string; unsafe: (value: unknown) => boolean }> =
  new Map([
    [
      'TESTING',
      { attribute: 'testing', unsafe: (value: unknown) => value === true || value === 1 },
    ],
    ['ENV', { attribute: 'env', unsafe: (value: unknown) => value === 'development' }],
  ]);
const ATTRIBUTES: ReadonlyMap<string, string> = new Map(
  [...KEYS].map(([key, { attribute }]) => [attribute, key]),
);
const CONFIG_SETTERS = new Set(['update', 'from_mapping']);
/** Code that builds an app for tests or local development on purpose. */
const TEST_SCOPE = /test|dev|local/i;

export default defineRule({
  meta: {
    id: 'PGW003',
    slug: 'flask-hardcoded-config',
    title: 'Flask testing or development mode hard-coded',
    category: 'web',
    severity: 'medium',
    confidence: 'high',
    cwe: [489],
    owasp: ['A05:2021 Security Misconfiguration'],
    description:
      'Flags Flask apps configured in code with `TESTING = True` or `ENV = "development"` (`app.config[...]`, `app.config.update(...)`, `app.testing`, `app.env`), outside tests and test or development factories.',
    why: 'These switches are meant for test runs and local development. `TESTING` makes Flask propagate exceptions and tells extensions to relax (Flask-Login skips login checks with `LOGIN_DISABLED`, many test setups disable CSRF alongside it), and `ENV = "development"` turns on debug behaviour in older Flask versions. Hard-coded, they ship to production with the code.',
    fix: 'Load configuration per environment: `app.config.from_prefixed_env()` or `app.config.from_object(os.environ["APP_SETTINGS"])`, and set `TESTING = True` only in the test fixture or a `TestingConfig` used by tests.',
    example: {
      bad: 'from flask import Flask\n\napp = Flask(__name__)\napp.config["TESTING"] = True\n',
      good: 'from flask import Flask\n\napp = Flask(__name__)\napp.config.from_prefixed_env()\n',
    },
    references: [
      'https://flask.palletsprojects.com/en/stable/config/#TESTING',
      'https://flask.palletsprojects.com/en/stable/config/#configuration-best-practices',
      'https://cwe.mitre.org/data/definitions/489.html',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    hardcoded:
      '`{{target}}` hard-codes `{{key}} = {{value}}`, a test/development setting that ships to production; load it from the environment or a per-environment config.',
  },
  select: { methods: [...CONFIG_SETTERS], text: ['TESTING', 'ENV', 'testing', '.env'] },
  create(context) {
    const { model } = context;
    if (context.isTestFile || !/TESTING|ENV|testing|\.env\b/.test(context.text)) return {};

    const report = (
      node: SyntaxNode,
      target: SyntaxNode,
      key: string,
      value: SyntaxNode,
      confidence: Confidence,
    ): void => {
      if (inNamedScope(model, node, TEST_SCOPE)) return;
      context.report({
        node,
        messageId: 'hardcoded',
        data: { target: context.textOf(target), key, value: context.textOf(value) },
        severity: key === 'TESTING' ? 'medium' : 'low',
        confidence,
      });
    };

    const isUnsafe = (key: string, value: SyntaxNode): boolean =>
      KEYS.get(key)?.unsafe(model.literalValue(value)) === true;

    return {
      ...callVisitors(context, (node, call) => {
        if (call.methodName === undefined || !CONFIG_SETTERS.has(call.methodName)) return;
        const config = receiverOf(call);
        const app = config === undefined ? undefined : configOwner(model, config);
        const confidence = app === undefined ? undefined : flaskAppConfidence(model, app);
        if (confidence === undefined) return;
        for (const key of KEYS.keys()) {
          const value = call.keywords.get(key);
          if (value !== undefined && isUnsafe(key, value)) {
            report(node, call.callee, key, value, confidence);
            return;
          }
        }
        const mapping = call.positional[0];
        if (mapping?.type !== 'dictionary') return;
        for (const pair of mapping.namedChildren) {
          const keyNode = pair.childForFieldName('key');
          const value = pair.childForFieldName('value');
          const key = keyNode === null ? undefined : model.staticString(keyNode);
          if (key !== undefined && value !== null && isUnsafe(key, value)) {
            report(node, call.callee, key, value, confidence);
            return;
          }
        }
      }),
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) return;
        if (left.type === 'attribute') {
          const attribute = context.textOf(left.childForFieldName('attribute') ?? left);
          const key = ATTRIBUTES.get(attribute);
          const object = left.childForFieldName('object');
          if (key === undefined || object === null || !isUnsafe(key, right)) return;
          const confidence = flaskAppConfidence(model, object);
          if (confidence !== undefined) report(node, left, key, right, confidence);
          return;
        }
        if (left.type !== 'subscript') return;
        const subscript = left.childForFieldName('subscript');
        const container = left.childForFieldName('value');
        const key = subscript === null ? undefined : model.staticString(subscript);
        if (key === undefined || container === null || !isUnsafe(key, right)) return;
        const app = configOwner(model, container);
        const confidence = app === undefined ? undefined : flaskAppConfidence(model, app);
        if (confidence !== undefined) report(node, left, key, right, confidence);
      },
    };
  },
});
