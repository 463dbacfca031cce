import {
  defineRule,
  enclosingFunctionName,
  testAdjusted,
  unwrapParens,
  type Confidence,
  type SyntaxNode,
} from '../../src/rules-api/index.js';

const BROAD_EXCEPTIONS = new Set([
  'Exception',
  'BaseException',
  'builtins.Exception',
  'builtins.BaseException',
]);

/** Best-effort clean-up calls whose failure is routinely ignored. */
const CLEANUP_CALL =
  /\.?\b(?:close|remove|unlink|rmdir|rmtree|kill|terminate|shutdown|cleanup|disconnect|release|stop|cancel|flush)\s*\(/;

export default defineRule({
  meta: {
    id: 'PGL004',
    slug: 'swallowed-exception',
    title: 'Exception silently swallowed',
    category: 'logging',
    severity: 'low',
    confidence: 'high',
    cwe: [703],
    owasp: ['A09:2021 Security Logging and Monitoring Failures'],
    description:
      'Flags `except:`, `except Exception:` and `except BaseException:` handlers whose whole body is `pass`, `...` or `continue`; handlers for narrower exception types are not reported.',
    why: 'A handler that catches everything and does nothing hides failures of every kind: a failed permission check, a write that never happened or an attack in progress leave no trace, and the code carries on in a state nobody planned for. Bare `except:` also swallows `KeyboardInterrupt` and `SystemExit`.',
    fix: 'Catch only the exceptions you expect (`except FileNotFoundError:`), and log the rest (`logger.exception(...)`) or let them propagate. Use `contextlib.suppress(SpecificError)` to make an intentional ignore explicit.',
    example: {
      bad: 'try:\n    apply_migration(plan)\nexcept Exception:\n    pass\n',
      good: 'import logging\n\nlogger = logging.getLogger(__name__)\n\ntry:\n    apply_migration(plan)\nexcept MigrationAlreadyApplied:\n    pass\nexcept Exception:\n    logger.exception("migration failed")\n    raise\n',
    },
    references: [
      'https://cwe.mitre.org/data/definitions/703.html',
      'https://docs.python.org/3/library/contextlib.html#contextlib.suppress',
      'https://docs.python.org/3/tutorial/errors.html#handling-exceptions',
    ],
    bandit: ['B110', 'B112'],
    ruff: ['S110', 'S112'],
    enabledByDefault: false,
  },
  messages: {
    swallowed:
      '`{{handler}}` catches every exception and does nothing (`{{body}}`), so failures go unnoticed; catch the specific exception or log it.',
  },
  create(context) {
    const { model } = context;

    /** Whether the handler catches everything: bare, `Exception`, `BaseException`, or a tuple with one. */
    const catchesEverything = (node: SyntaxNode): boolean => {
      const value = node.childForFieldName('value');
      if (value === null) return true;
      let caught = unwrapParens(value);
      if (caught.type === 'as_pattern') caught = unwrapParens(caught.namedChildren[0] ?? caught);
      const types = caught.type === 'tuple' ? caught.namedChildren : [caught];
      return types.some((type) => {
        const name = model.qualifiedName(type);
        if (name !== undefined) return BROAD_EXCEPTIONS.has(name);
        // The model's builtins do not include exception classes: an unbound name is the builtin.
        const text = context.textOf(type);
        return BROAD_EXCEPTIONS.has(text) && model.lookup(text, model.scopeAt(type)) === undefined;
      });
    };

    /** `pass`, `...` or `continue` when that is the handler's only statement. */
    const emptyBody = (node: SyntaxNode): string | undefined => {
      const block = node.namedChildren.find((child) => child.type === 'block');
      const statements = block?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
      const only = statements.length === 1 ? statements[0] : undefined;
      if (only === undefined) return undefined;
      if (only.type === 'pass_statement' || only.type === 'continue_statement')
        return context.textOf(only);
      if (only.type === 'expression_statement' && only.namedChildren[0]?.type === 'ellipsis')
        return '...';
      return undefined;
    };

    /** Lower confidence for ignored failures of clean-up code (`close()`, `os.remove()`, `__del__`). */
    const confidenceFor = (node: SyntaxNode): Confidence => {
      const body = node.parent?.childForFieldName('body');
      const statements = body?.namedChildren.filter((child) => child.type !== 'comment') ?? [];
      const only = statements.length === 1 ? statements[0] : undefined;
      const cleanup =
        (only !== undefined && CLEANUP_CALL.test(context.textOf(only))) ||
        enclosingFunctionName(model, node) === '__del__';
      return testAdjusted(cleanup ? 'low' : 'high', context.isTestFile);
    };

    return {
      except_clause(node) {
        const body = emptyBody(node);
        if (body === undefined || !catchesEverything(node)) return;
        const value = node.childForFieldName('value');
        const handler =
          value === null ? 'except:' : `except ${context.textOf(value).replace(/\s+/g, ' ')}:`;
        context.report({
          node,
          messageId: 'swallowed',
          data: { handler, body },
          confidence: confidenceFor(node),
        });
      },
    };
  },
});
