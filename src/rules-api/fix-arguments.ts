/**
 * Fixes that add keyword arguments to a call (`filter="data"`, `secure=True`). Pure: reads syntax
 * nodes, returns a fix for a rule to attach to its report.
 */
import type { SyntaxNode } from '../engine/parse.js';
import type { Span } from '../engine/types.js';
import type { ReportFix } from './types.js';

/** A zero-width span (an insertion point) at a node's 0-based position. */
function insertionAt(position: { row: number; column: number }): Span {
  const at = { line: position.row + 1, column: position.column + 1 };
  return { start: at, end: { ...at } };
}

/** The keyword a keyword argument names (`secure` in `secure=False`). */
function keywordName(argument: SyntaxNode): string | undefined {
  if (argument.type !== 'keyword_argument') return undefined;
  return argument.childForFieldName('name')?.text;
}

/**
 * A fix that adds `keywords` (such as `filter="data"` or `secure=True, httponly=True`) as the
 * call's last arguments: after the last argument on its own line, so a trailing comma, a comment
 * after it and a call over several lines stay as they are (`f(a,)` → `f(a, k=v,)`), or inside
 * empty parentheses. Undefined when the call has no plain argument list (a generator argument),
 * passes `**kwargs` (which may already hold the keyword), or already names one of the keywords.
 */
export function addKeywordArguments(
  call: SyntaxNode,
  keywords: readonly { name: string; value: string }[],
  description: string,
): ReportFix | undefined {
  const args = call.childForFieldName('arguments');
  if (args?.type !== 'argument_list' || keywords.length === 0) return undefined;
  const items = args.namedChildren.filter((child) => child.type !== 'comment');
  if (items.some((item) => item.type === 'dictionary_splat')) return undefined;
  const wanted = new Set(keywords.map((keyword) => keyword.name));
  if (items.some((item) => wanted.has(keywordName(item) ?? ''))) return undefined;
  const text = keywords.map((keyword) => `${keyword.name}=${keyword.value}`).join(', ');
  const last = items.at(-1);
  if (last === undefined) {
    // `f()` → `f(k=v)`: right after the opening parenthesis.
    const open = args.child(0);
    if (open?.type !== '(') return undefined;
    return { description, target: insertionAt(open.endPosition), replacement: text };
  }
  return { description, target: insertionAt(last.endPosition), replacement: `, ${text}` };
}
