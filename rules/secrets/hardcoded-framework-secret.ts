import {
  callVisitors,
  assignedPairs,
  defineRule,
  literalString,
  targetName,
  unwrapParens,
  type CallInfo,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';
import { FRAMEWORK_SECRET_SETTINGS, isFrameworkSecretTarget } from '../_shared/framework-secret.js';
import { jwtCallKind } from '../_shared/jwt-calls.js';
import { isSecretName, mayHoldSecretLiteral } from '../_shared/secret-names.js';
import { judgeSecretValue } from '../_shared/secret-values.js';

/** Environment reads whose second argument (or `default=`) is used when the variable is unset. */
const ENV_READS = new Set(['os.environ.get', 'os.getenv', 'os.environ.setdefault']);

/** Settings files for development, tests or examples, whose keys are expected to be throwaway. */
const NON_PRODUCTION_PATH =
  /(?:^|[/_.-])(?:dev|devel|develop|development|local|test|tests|testing|ci|example|examples|sample|demo)(?:[/_.-]|$)/i;

/** Public keys verify signatures; they are meant to be published. */
const PUBLIC_KEY = /^\s*(?:-----BEGIN (?:RSA )?PUBLIC KEY-----|ssh-(?:rsa|ed25519) |ecdsa-sha2-)/;

/** `SECRET_KEY=` (not `==`) as a keyword argument. */
const SETTING_KEYWORD = new RegExp(
  `\\b(${[...FRAMEWORK_SECRET_SETTINGS].join('|')})\\s*=(?!=)`,
  'g',
);

/**
 * CONSTANT_CASE, camelCase and PascalCase names: what settings classes store to name an
 * environment variable (`SECRET_KEY = "AWS_SECRET_ACCESS_KEY"`).
 */
const IDENTIFIER_LIKE =
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$|^(?:[A-Z]+|[A-Z]?[a-z0-9]+)(?:[A-Z][a-z0-9]+)+$/;
/**
 * snake_case names: a class constant `SECRET_KEY = "aws_secret_access_key"` names a config
 * entry, but `app.secret_key = "my_lab_secret_key"` is a key someone typed.
 */
const SNAKE_NAME = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$/;

/** Flask config loaders that may replace a default key later (`from_pyfile("config.py")`). */
const CONFIG_LOADERS = new Set(['from_pyfile', 'from_envvar', 'from_prefixed_env', 'from_file']);

type Verdict = { report: false } | { report: true; confidence: Confidence; placeholder: boolean };

/** A placeholder-like key, reported once the whole file is known (see `end()`). */
interface PendingPlaceholder {
  node: SyntaxNode;
  name: string;
  value: string;
}

export default defineRule({
  meta: {
    id: 'PGS005',
    slug: 'hardcoded-framework-secret',
    title: 'Hardcoded framework secret key or JWT signing key',
    category: 'secrets',
    severity: 'high',
    confidence: 'high',
    cwe: [798, 321],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags literal `SECRET_KEY`, `SECRET_KEY_FALLBACKS`, `JWT_SECRET_KEY` and `WTF_CSRF_SECRET_KEY` settings, `app.secret_key = "..."`, literal keys passed to `jwt.encode`/`jwt.decode`, and literal fallbacks in `os.environ.get("SECRET_KEY", "...")`.',
    why: "The framework secret key signs session cookies, password-reset links, CSRF tokens and signed cookies, and a JWT key signs the tokens that prove who a user is. Anyone who reads the key in the repository can forge a session or token for any user, including administrators; with Django's pickle-based sessions or Flask's signed data this can go as far as code execution. Placeholder keys such as `dev` or `change-me` are as bad once they reach production.",
    fix: 'Read the key at startup from the environment or a secret manager and fail if it is missing: `SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`. Generate it with `python -c "import secrets; print(secrets.token_urlsafe(50))"`. Do not give `os.environ.get` a literal fallback; keep development keys in a local, untracked settings file. Rotate any key that was committed.',
    example: {
      bad: 'SECRET_KEY = "django-insecure-5v9q!x2m@k8z$w3r&t7y^u1p"\n',
      good: 'import os\n\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/798.html',
      'https://cwe.mitre.org/data/definitions/321.html',
      'https://docs.djangoproject.com/en/stable/ref/settings/#secret-key',
      'https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY',
      'https://pyjwt.readthedocs.io/en/stable/api.html#jwt.encode',
    ],
    bandit: [],
    ruff: [],
  },
  messages: {
    hardcodedSetting:
      '`{{name}}` is set to a hardcoded key; anyone who reads the code can forge sessions, password-reset links and CSRF tokens. Read it from the environment or a secret manager.',
    placeholderSetting:
      '`{{name}}` is set to the guessable key `{{value}}`, and nothing in this file replaces it, so it signs the real sessions and tokens: anyone can forge them. Read the key from the environment and fail when it is missing.',
    placeholderDefault:
      '`{{name}}` is set to the placeholder `{{value}}` {{where}}; make sure every deployed configuration replaces it, or read the key from the environment and fail when it is missing.',
    envFallback:
      '`{{name}}` falls back to a hardcoded key when the environment variable is unset, which silently ships a known key; drop the default so a missing key fails at startup.',
    hardcodedJwtKey:
      '`{{callee}}` uses a hardcoded signing key, so anyone who reads the code can mint valid tokens; load the key from the environment or a secret manager.',
  },
  select: { methods: [...CONFIG_LOADERS, 'encode', 'decode', 'decode_complete'] },
  create(context) {
    const { model } = context;
    const nonProduction = context.isTestFile || NON_PRODUCTION_PATH.test(context.path);
    const pending: PendingPlaceholder[] = [];
    /** Where the last config load that may replace a placeholder (`from_pyfile`) starts, or -1. */
    let lastConfigLoad = -1;

    /** Whether a literal key deserves a report, and with what confidence. */
    /**
     * `where`: `read` when the framework reads the key from the target itself (`app.secret_key`,
     * `app.config["SECRET_KEY"]`), `named` for a bare constant or keyword that may name one.
     */
    const judge = (value: string, name: string, where: 'read' | 'named' = 'named'): Verdict => {
      const verdict = judgeSecretValue(value, name);
      if (verdict.secret) {
        const confidence = nonProduction
          ? 'low'
          : verdict.strength === 'strong'
            ? 'high'
            : 'medium';
        return { report: true, confidence, placeholder: false };
      }
      switch (verdict.reason) {
        case 'label':
          // `SECRET_KEY = "AWS_SECRET_ACCESS_KEY"`: the name of a variable, not a key.
          if (IDENTIFIER_LIKE.test(value)) return { report: false };
          if (where === 'named' && SNAKE_NAME.test(value)) return { report: false };
          return { report: true, confidence: 'low', placeholder: true };
        case 'placeholder':
        case 'short':
          // Even `dev` or `change-me` signs real sessions if nothing overrides it; the
          // confidence is settled in `end()`.
          return { report: true, confidence: 'low', placeholder: true };
        default:
          // Empty, templated (`{{ cookiecutter.secret_key }}`), a path, a pattern, or a
          // provider-shaped token that hardcoded-provider-key reports.
          return { report: false };
      }
    };

    /** Literal strings a setting holds: one, or each of a list (`SECRET_KEY_FALLBACKS`). */
    const literalsOf = (value: SyntaxNode): SyntaxNode[] => {
      const node = unwrapParens(value);
      if (node.type === 'list' || node.type === 'tuple') {
        return node.namedChildren.filter((item) => literalString(model, item) !== undefined);
      }
      return literalString(model, node) === undefined ? [] : [node];
    };

    const checkSetting = (target: SyntaxNode, value: SyntaxNode, reportNode: SyntaxNode): void => {
      const read = envRead(unwrapParens(value));
      const owned = isFrameworkSecretTarget(model, target);
      if (!owned && read?.variable === undefined) return;
      const name = owned
        ? (targetName(model, target) ?? context.textOf(target))
        : (read?.variable ?? '');
      if (read !== undefined) {
        const fallback =
          read.fallback === undefined ? undefined : literalString(model, read.fallback);
        if (fallback !== undefined && judge(fallback, name).report) {
          context.report({
            node: reportNode,
            messageId: 'envFallback',
            data: { name },
            confidence: 'low',
          });
        }
        return;
      }
      const stored = unwrapParens(target).type;
      const where = stored === 'attribute' || stored === 'subscript' ? 'read' : 'named';
      for (const literalNode of literalsOf(value)) {
        const literal = literalString(model, literalNode) ?? '';
        const verdict = judge(literal, name, where);
        if (!verdict.report) continue;
        if (verdict.placeholder) {
          pending.push({ node: reportNode, name, value: literal });
          return;
        }
        context.report({
          node: reportNode,
          messageId: 'hardcodedSetting',
          data: { name, value: literal },
          confidence: verdict.confidence,
        });
        return;
      }
    };

    /**
     * An environment or configuration read (`os.environ.get("X", "default")`,
     * `config("SECRET_KEY", default="...")`): its fallback, and the variable read when it is
     * one of the framework settings.
     */
    const envRead = (
      value: SyntaxNode,
    ): { variable: string | undefined; fallback: SyntaxNode | undefined } | undefined => {
      if (value.type !== 'call') return undefined;
      const call = model.call(value);
      const first = call.positional[0] ?? call.keywords.get('key');
      const key = first === undefined ? undefined : literalString(model, first);
      const variable = key !== undefined && FRAMEWORK_SECRET_SETTINGS.has(key) ? key : undefined;
      if (call.qualifiedName !== undefined && ENV_READS.has(call.qualifiedName)) {
        return { variable, fallback: model.argument(call, 'default', 1) };
      }
      // python-decouple `config(...)`, environs / django-environ `env(...)`, `env.str(...)`.
      if (variable === undefined) return undefined;
      return { variable, fallback: call.keywords.get('default') };
    };

    const checkJwtKey = (node: SyntaxNode, call: CallInfo): void => {
      const key = model.argument(call, 'key', 1);
      if (key === undefined) return;
      const target = unwrapParens(key);
      // A name that looks like a secret, or a framework setting, is reported where it is set.
      if (target.type === 'identifier' && isSecretName(context.textOf(target))) return;
      if (isFrameworkSecretTarget(model, target)) return;
      const resolved = unwrapParens(model.resolveValue(target));
      const literal = literalString(model, resolved);
      if (literal === undefined || literal === '' || PUBLIC_KEY.test(literal)) return;
      const verdict = judgeSecretValue(literal);
      if (!verdict.secret && (verdict.reason === 'provider' || verdict.reason === 'template'))
        return;
      context.report({
        node,
        messageId: 'hardcodedJwtKey',
        data: { callee: context.textOf(call.callee) },
        confidence: nonProduction ? 'low' : 'high',
      });
    };

    return {
      assignment(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        for (const [target, value] of assignedPairs(node)) checkSetting(target, value, node);
      },
      pair(node) {
        if (!mayHoldSecretLiteral(context.textOf(node))) return;
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (key === null || value === null) return;
        if (key.type !== 'string' && key.type !== 'concatenated_string') return;
        checkSetting(key, value, node);
      },
      ...callVisitors(context, (node, call) => {
        const method = call.methodName;
        if (method !== undefined && CONFIG_LOADERS.has(method))
          lastConfigLoad = Math.max(lastConfigLoad, node.startIndex);
        if (method === 'encode' || method === 'decode' || method === 'decode_complete') {
          if (jwtCallKind(model, call) !== undefined) checkJwtKey(node, call);
          return;
        }
      }),
      end() {
        // `app.config.update(SECRET_KEY="dev")`: secret-shaped values are reported by
        // hardcoded-password-kwarg; placeholders only here. Most files never mention the names,
        // so one pass over the text finds the few keyword arguments worth a look.
        for (const match of context.text.matchAll(SETTING_KEYWORD)) {
          const name = match[1] ?? '';
          const found = model.tree.rootNode.descendantForIndex(match.index);
          const argument = found.parent;
          if (argument?.type !== 'keyword_argument' || argument.parent?.type !== 'argument_list')
            continue;
          const value = argument.childForFieldName('value');
          const literal = value === null ? undefined : literalString(model, value);
          if (literal === undefined) continue;
          const verdict = judge(literal, name);
          if (!verdict.report || !verdict.placeholder) continue;
          pending.push({ node: argument, name, value: literal });
        }
        // In application code a placeholder key is the key in use (medium). It stays low in
        // development, test and example files, and when the file loads a config file or
        // environment prefix afterwards that is expected to replace it (Flask's tutorial pattern).
        const where = nonProduction
          ? 'in a development, test or example file'
          : 'as a default that a config file or environment loaded after it (`from_pyfile`, `from_envvar`) is expected to replace';
        for (const { node, name, value } of pending) {
          const lowTier = nonProduction || lastConfigLoad > node.startIndex;
          context.report({
            node,
            messageId: lowTier ? 'placeholderDefault' : 'placeholderSetting',
            data: { name, value, where },
            confidence: lowTier ? 'low' : 'medium',
          });
        }
      },
    };
  },
});
