/**
 * How SQL text handed to a raw-SQL API was made, for rules that judge one SQL argument (Django
 * `raw()`/`extra()`/`RawSQL`, SQLAlchemy `text()`): a literal, text built with spliced-in values,
 * or a value of unknown origin. Spliced-in values that cannot carry outside text (numbers,
 * constant-table picks, runs of driver placeholders, allow-listed names) do not count.
 *
 * `isSqlPlaceholders`: whether a value spliced into SQL text is only driver placeholders, as
 * code builds them for a list of values of variable length: `",".join("?" * len(ids))`,
 * `", ".join(["%s"] * n)`, `",".join(":p%d" % i for i in range(n))`. Such a value cannot carry
 * outside text into the statement.
 */
import { analyseString, type BuildKind } from './string-build.js';
import { isCheckedValue } from './guards.js';
import { isInertValue } from './inert-value.js';
import { unwrapParens, type SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

export type SqlTextShape =
  | { kind: 'safe' }
  /** `hole`: the first spliced-in value that can carry text; `before`: the SQL text before it. */
  | { kind: 'built'; how: BuildKind; hole: SyntaxNode; before: string }
  | { kind: 'dynamic' };

/** `?`, `%s`, `%(name)s`, `%d` (a `%`-formatted index), `:name`, `$1`, with separators. */
const ONLY_PLACEHOLDERS = /^(?:\?|%[sd]|%\(\w+\)s|:\w*|\$\d*|[\s,()])*$/;
const ANY_PLACEHOLDER = /[?%:$]/;
const MAX_DEPTH = 6;

export function isSqlPlaceholders(model: SemanticModel, node: SyntaxNode, depth = 0): boolean {
  if (depth > MAX_DEPTH) return false;
  const value = unwrapParens(model.resolveValue(node));
  const text = model.staticString(value);
  if (text !== undefined) return ANY_PLACEHOLDER.test(text) && ONLY_PLACEHOLDERS.test(text);
  const inner = (child: SyntaxNode | null | undefined): boolean =>
    child !== null && child !== undefined && isSqlPlaceholders(model, child, depth + 1);
  switch (value.type) {
    case 'binary_operator': {
      const operator = value.childForFieldName('operator');
      if (operator === null || model.textOf(operator) !== '*') break;
      return inner(value.childForFieldName('left')) || inner(value.childForFieldName('right'));
    }
    case 'list':
    case 'tuple':
      return value.namedChildCount > 0 && value.namedChildren.every(inner);
    case 'list_comprehension':
    case 'generator_expression':
      return inner(value.childForFieldName('body'));
    default:
      break;
  }
  const build = analyseString(model, value);
  return (
    build !== undefined &&
    build.pieces.every((piece) =>
      piece.kind === 'text'
        ? ONLY_PLACEHOLDERS.test(piece.text)
        : inner(piece.node) || isInertValue(model, piece.node),
    )
  );
}

/**
 * How an SQL argument was made (see the file comment). `isFragment` tells spliced-in values that
 * are SQL the code compiled itself (Django's `compiler.compile(...)` in an `as_sql`), which
 * count as text.
 */
export function sqlTextShape(
  model: SemanticModel,
  node: SyntaxNode,
  isFragment: (hole: SyntaxNode) => boolean = () => false,
): SqlTextShape {
  if (isInertValue(model, node) || isCheckedValue(model, node)) return { kind: 'safe' };
  const build = analyseString(model, node);
  if (build === undefined) return { kind: 'dynamic' };
  if (build.how === undefined) return { kind: 'safe' };
  let before = '';
  for (const piece of build.pieces) {
    if (piece.kind === 'text') before += piece.text;
    else if (
      !isInertValue(model, piece.node) &&
      !isSqlPlaceholders(model, piece.node) &&
      !isCheckedValue(model, piece.node) &&
      !isFragment(piece.node)
    )
      return { kind: 'built', how: build.how, hole: piece.node, before };
    else before += '?';
  }
  return { kind: 'safe' };
}
