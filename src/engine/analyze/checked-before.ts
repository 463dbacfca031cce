/**
 * Whether a sink's argument sits behind a validation `if` that the taint pass's guards do not
 * model, such as `if not path.startswith(BASE): abort(403)` or `if urlparse(url).netloc: url = "/"`.
 * The check counts when its condition mentions a variable the argument reads and matches a
 * pattern, and either the argument is inside one of its branches or the `if` comes earlier in an
 * enclosing block of the same function and leaves (return, raise, `abort()`) or reassigns the
 * variable. The direction of the check is not judged: a validation the code bothers to write is
 * taken as the author's intent, which trades a few missed findings for no noise on guarded code.
 */
import type { SemanticModel } from '../model.js';
import type { SyntaxNode } from '../parse.js';

const MAX_NAMES = 8;

/** Variables (assigned names and parameters) an expression reads. */
function variablesOf(model: SemanticModel, node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  const visit = (current: SyntaxNode): void => {
    if (names.size >= MAX_NAMES) return;
    if (current.type === 'identifier') {
      const parent = current.parent;
      // `x.attr`: only the object is a variable; keyword names are not either.
      if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === current.id)
        return;
      if (
        parent?.type === 'keyword_argument' &&
        parent.childForFieldName('name')?.id === current.id
      )
        return;
      const found = model.lookup(model.textOf(current), model.scopeAt(current));
      if (
        found?.bindings.some(
          (binding) => binding.kind !== 'import' && binding.kind !== 'definition',
        )
      )
        names.add(model.textOf(current));
      return;
    }
    for (const child of current.namedChildren) visit(child);
  };
  visit(node);
  return names;
}

function mentionsAny(text: string, names: ReadonlySet<string>): boolean {
  for (const name of names) if (new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text)) return true;
  return false;
}

/** Whether a block ends by leaving, or assigns one of the names. */
function leavesOrReassigns(
  model: SemanticModel,
  block: SyntaxNode,
  names: ReadonlySet<string>,
): boolean {
  const statements = block.namedChildren.filter((child) => child.type !== 'comment');
  const last = statements.at(-1);
  if (last === undefined) return false;
  if (
    ['return_statement', 'raise_statement', 'continue_statement', 'break_statement'].includes(
      last.type,
    )
  )
    return true;
  if (
    last.type === 'expression_statement' &&
    /^\s*[\w.]*(?:abort|exit)\s*\(/.test(model.textOf(last))
  )
    return true;
  return statements.some((statement) => {
    const assignment = statement.namedChildren[0];
    if (statement.type !== 'expression_statement' || assignment?.type !== 'assignment')
      return false;
    const left = assignment.childForFieldName('left');
    return left !== null && names.has(model.textOf(left));
  });
}

export function checkedBefore(
  model: SemanticModel,
  argument: SyntaxNode,
  pattern: RegExp,
): boolean {
  const names = variablesOf(model, argument);
  if (names.size === 0) return false;
  const matches = (condition: SyntaxNode | null): boolean => {
    if (condition === null) return false;
    const text = model.textOf(condition);
    return pattern.test(text) && mentionsAny(text, names);
  };
  let child = argument;
  for (let parent = argument.parent; parent !== null; parent = parent.parent) {
    if (parent.type === 'if_statement' || parent.type === 'elif_clause') {
      const condition = parent.childForFieldName('condition');
      if (condition !== null && condition.id !== child.id && matches(condition)) return true;
    }
    if (parent.type === 'block' || parent.type === 'module') {
      for (const statement of parent.namedChildren) {
        if (statement.startIndex >= child.startIndex) break;
        if (statement.type !== 'if_statement') continue;
        const consequence = statement.childForFieldName('consequence');
        if (
          consequence !== null &&
          matches(statement.childForFieldName('condition')) &&
          leavesOrReassigns(model, consequence, names)
        )
          return true;
      }
    }
    if (parent.type === 'function_definition' || parent.type === 'lambda') break;
    child = parent;
  }
  return false;
}
