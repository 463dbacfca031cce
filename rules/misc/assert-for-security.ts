import { defineRule, shortText, unwrapParens, type SyntaxNode } from '../../src/rules-api/index.js';

/** Conditions that read as an authorisation, ownership or integrity check. */
const SECURITY_CHECK =
  /\b(?:is_(?:admin|superuser|staff|authenticated|active|owner|allowed|authori[sz]ed|verified|valid_signature)|has_perms?|has_permission|has_role|permissions?|authori[sz]ed|owner(?:_id)?|can_[a-z_]+|allowed|roles?|privileges?|csrf\w*|signature|hmac|compare_digest|verify\w*|logged_in|access_level|scopes?|request\.user|current_user)\b/i;

/** Calls whose truth only tells a type checker what a value is. */
const NARROWING_CALLS = new Set(['isinstance', 'issubclass', 'callable', 'hasattr']);

export default defineRule({
  meta: {
    id: 'PGM001',
    slug: 'assert-for-security',
    title: 'assert used outside tests',
    category: 'misc',
    severity: 'low',
    confidence: 'low',
    cwe: [617, 703],
    owasp: ['A04:2021 Insecure Design'],
    description:
      'Flags `assert` statements in non-test code, with high confidence when the assertion checks authorisation, ownership or a signature; type-narrowing asserts (`isinstance`, `is not None`) and asserts under `if TYPE_CHECKING:` are not reported.',
    why: 'Python removes `assert` statements when it runs with `-O` or `PYTHONOPTIMIZE`, which some deployments and packagers set. A permission or input check written as an assertion then simply disappears, and the code below it runs for everyone.',
    fix: 'Use an explicit check that always runs: `if not user.is_admin: raise PermissionDenied()` (or `abort(403)`, `raise ValueError(...)`). Keep `assert` for internal invariants and type narrowing.',
    example: {
      bad: 'def delete_project(request, project):\n    assert request.user == project.owner\n    project.delete()\n',
      good: 'from django.core.exceptions import PermissionDenied\n\n\ndef delete_project(request, project):\n    if request.user != project.owner:\n        raise PermissionDenied()\n    project.delete()\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/617.html',
      'https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement',
      'https://docs.python.org/3/using/cmdline.html#cmdoption-O',
    ],
    auditAdds: 'every other `assert`: type narrowing, `TYPE_CHECKING` blocks and test files',
    bandit: ['B101'],
    ruff: ['S101'],
  },
  messages: {
    securityAssert:
      '`assert {{condition}}` guards access, but asserts are removed under `python -O`, so the check vanishes; raise an exception (`PermissionDenied`, `abort(403)`) instead.',
    assertUsed:
      '`assert {{condition}}` is removed under `python -O`; if this check must always hold at runtime, raise an exception instead.',
  },
  create(context) {
    const { model } = context;
    // Test code asserts by design (the audit profile still lists every assert).
    if (context.isTestFile && context.profile === 'default') return {};

    const isNarrowing = (node: SyntaxNode): boolean => {
      const condition = unwrapParens(node);
      switch (condition.type) {
        case 'boolean_operator': {
          // `a is not None and isinstance(b, str)`, `x is None or isinstance(x, Foo)`.
          const left = condition.childForFieldName('left');
          const right = condition.childForFieldName('right');
          return left !== null && right !== null && isNarrowing(left) && isNarrowing(right);
        }
        case 'not_operator': {
          const argument = condition.childForFieldName('argument');
          return argument !== null && isNarrowing(argument);
        }
        case 'call': {
          const name = model.call(condition).qualifiedName;
          return name !== undefined && NARROWING_CALLS.has(name);
        }
        case 'comparison_operator': {
          // `x is None`, `x is not None`, `type(x) is Foo`.
          const text = context.textOf(condition);
          return /\bis\b/.test(text) && condition.namedChildCount === 2;
        }
        default:
          return false;
      }
    };

    const underTypeChecking = (node: SyntaxNode): boolean => {
      for (let current = node.parent; current !== null; current = current.parent) {
        if (current.type !== 'if_statement') continue;
        const condition = current.childForFieldName('condition');
        const name = condition === null ? undefined : model.qualifiedName(condition);
        const text = condition === null ? '' : context.textOf(condition);
        const consequence = current.childForFieldName('consequence');
        const inside =
          consequence !== null &&
          node.startIndex >= consequence.startIndex &&
          node.endIndex <= consequence.endIndex;
        if (inside && (name === 'typing.TYPE_CHECKING' || text === 'TYPE_CHECKING')) return true;
      }
      return false;
    };

    return {
      assert_statement(node) {
        const condition = node.namedChildren[0];
        if (condition === undefined) return;
        const text = context.textOf(condition);
        if (context.isTestFile || isNarrowing(condition) || underTypeChecking(node)) {
          context.report({
            node,
            messageId: 'assertUsed',
            data: { condition: shortText(text, 60) },
            confidence: 'low',
            profile: 'audit',
          });
          return;
        }
        const security = SECURITY_CHECK.test(text);
        context.report({
          node,
          messageId: security ? 'securityAssert' : 'assertUsed',
          data: { condition: shortText(text, 60) },
          confidence: security ? 'high' : 'low',
        });
      },
    };
  },
});
