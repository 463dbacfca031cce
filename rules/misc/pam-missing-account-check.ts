/**
 * PAM logins that check the password (`pam_authenticate`, python-pam, simplepam, pamela with
 * `check=False`) without PAM's account step (`pam_acct_mgmt`).
 */
import {
  callVisitors,
  defineRule,
  enclosingFunction,
  lastSegment,
  receiverOf,
  shortText,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

/** PAM account checks: ctypes `pam_acct_mgmt`, pamela's `check_account`. */
const ACCOUNT_CHECKS = new Set(['pam_acct_mgmt', 'acct_mgmt', 'check_account']);
const PYTHON_PAM_FUNCTIONS = new Set(['pam.authenticate', 'simplepam.authenticate']);
const PYTHON_PAM_CLASSES = new Set([
  'pam.pam',
  'pam.PamAuthenticator',
  'pam.__internals.PamAuthenticator',
]);
const PAM_MODULES = ['pam', 'pamela', 'simplepam'];
/** Method names that start or finish a PAM login. */
const PAM_METHODS = new Set([
  'authenticate',
  'pam_authenticate',
  'PAM_ACCT_MGMT',
  ...ACCOUNT_CHECKS,
]);
/** Qualified names of PAM functions, for imports under another name. */
const PAM_NAMES = new Set(['pamela.authenticate', 'pamela.check_account', ...PYTHON_PAM_FUNCTIONS]);

/** The outermost function or class around a node (the module when there is none). */
function topLevelUnit(node: SyntaxNode): SyntaxNode | undefined {
  let unit: SyntaxNode | undefined;
  for (let current = node.parent; current !== null; current = current.parent) {
    if (current.type === 'function_definition' || current.type === 'class_definition')
      unit = current;
  }
  return unit;
}

function contains(outer: SyntaxNode, inner: SyntaxNode): boolean {
  return inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;
}

export default defineRule({
  meta: {
    id: 'PGM017',
    slug: 'pam-missing-account-check',
    title: 'PAM login without the account check (`pam_acct_mgmt`)',
    category: 'misc',
    severity: 'medium',
    confidence: 'medium',
    cwe: [285],
    owasp: ['A07:2021 Identification and Authentication Failures'],
    description:
      'Flags PAM logins that only check the password: `pam_authenticate` through ctypes, python-pam (`pam.authenticate`, `pam.pam().authenticate`), simplepam, or pamela with `check=False`, when no `pam_acct_mgmt` (or pamela `check_account`) runs in the same function or class, directly or through a helper.',
    why: "`pam_authenticate` only checks the credentials. Whether the account may log in at all (expired, locked, outside allowed hours, barred by `pam_access`) is PAM's account step, `pam_acct_mgmt`. A login that skips it lets expired and locked accounts in.",
    fix: 'Call `pam_acct_mgmt` on the same handle after a successful `pam_authenticate` and refuse the login when it fails. With pamela keep the default `check=True`, or call `pamela.check_account(user)`.',
    example: {
      bad: 'import pamela\n\n\ndef login(user, password):\n    pamela.authenticate(user, password, check=False)\n    return True\n',
      good: 'import pamela\n\n\ndef login(user, password):\n    pamela.authenticate(user, password)\n    return True\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/285.html',
      'https://man7.org/linux/man-pages/man3/pam_acct_mgmt.3.html',
      'https://codeql.github.com/codeql-query-help/python/py-pam-auth-bypass/',
    ],
    bandit: [],
    ruff: [],
    replaces: [{ id: 'PGM006', slug: 'authz-idor-heuristics' }],
  },
  messages: {
    pamNoAccountCheck:
      "`{{call}}` checks only the password: PAM's account step (`pam_acct_mgmt`) never runs, so expired, locked or barred accounts still log in. Call `pam_acct_mgmt` on the handle after a successful authentication (pamela: keep `check=True`).",
  },
  select: { calls: [...PAM_NAMES], methods: [...PAM_METHODS] },
  create(context) {
    if (context.isTestFile) return {};
    const { model } = context;
    const text = (node: SyntaxNode): string => model.textOf(node);
    let pamImported: boolean | undefined;

    const pamCalls: SyntaxNode[] = [];
    const accountChecks: SyntaxNode[] = [];

    const checkPam = (node: SyntaxNode): void => {
      const call = context.call(node);
      const qualified = call.qualifiedName;
      const method = qualified === undefined ? call.methodName : lastSegment(qualified);
      if (method === undefined) return;
      if (ACCOUNT_CHECKS.has(method) || method === 'PAM_ACCT_MGMT') {
        accountChecks.push(node);
        return;
      }
      if (method === 'pam_authenticate') {
        pamCalls.push(node);
        return;
      }
      if (method !== 'authenticate') return;
      if (qualified === 'pamela.authenticate') {
        const check = call.keywords.get('check');
        if (check !== undefined && model.truthiness(check) === false) pamCalls.push(node);
        return;
      }
      if (qualified !== undefined && PYTHON_PAM_FUNCTIONS.has(qualified)) {
        pamCalls.push(node);
        return;
      }
      const receiver = receiverOf(call);
      const maker = receiver === undefined ? undefined : model.constructedBy(receiver);
      if (maker !== undefined && PYTHON_PAM_CLASSES.has(maker)) pamCalls.push(node);
    };

    const checkPamCalls = (): void => {
      if (pamCalls.length === 0) return;
      const helpers = new Set<string>();
      for (const check of accountChecks) {
        const owner = enclosingFunction(check);
        const name = owner?.childForFieldName('name');
        if (name !== null && name !== undefined) helpers.add(text(name));
      }
      for (const node of pamCalls) {
        const unit = topLevelUnit(node);
        const checked =
          unit === undefined
            ? accountChecks.length > 0
            : accountChecks.some((check) => contains(unit, check)) ||
              (helpers.size > 0 &&
                unit
                  .descendantsOfType('call')
                  .some((call) => helpers.has(context.call(call).methodName ?? '')));
        if (checked) continue;
        context.report({
          node,
          messageId: 'pamNoAccountCheck',
          data: { call: shortText(text(context.call(node).callee), 40) },
        });
      }
    };

    return {
      ...callVisitors(context, (node, call) => {
        const method = call.methodName;
        if (method === undefined) return;
        if (PAM_METHODS.has(method)) {
          checkPam(node);
          return;
        }
        pamImported ??= PAM_MODULES.some((module) => model.importsModule(module));
        const qualified = call.qualifiedName;
        if (pamImported && qualified !== undefined && PAM_NAMES.has(qualified)) checkPam(node);
      }),
      end: checkPamCalls,
    };
  },
});
